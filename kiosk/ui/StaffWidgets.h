// Pieces the staff screens share: a status pill (colour, icon and words), text clipped to a cell
// with an ellipsis, touch-sized buttons, chips and toggles that wrap, paging for lists longer
// than the screen, and the one kind of panel that scrolls (by finger drag; tests/ui fails any
// other window whose content needs scrolling). ImGui only: no app logic.
#pragma once

#include <imgui.h>

#include <string>

#include "kiosk/app/StaffViews.h"
#include "kiosk/ui/Theme.h"

namespace kiosk::ui {

ImVec4 ToneColour(StatusTone tone);

/// `text` as it fits in `width` pixels at `size` (0 = the font's): whole, or cut after a whole
/// UTF-8 character and ended with an ellipsis.
std::string FitText(ImFont* font, float size, const std::string& text, float width);

/// `text` drawn at `pos` (top left) in at most `width` pixels, cut with an ellipsis if longer.
/// Not a layout item: the caller reserves the space. `size` 0 = the font's own size (a bold
/// name at body size is the heading font drawn smaller).
void CellText(ImFont* font, const std::string& text, ImVec2 pos, float width, ImVec4 colour,
              float size = 0.0f);

/// A rounded pill with the tone's colour, a small icon and the words; returns its width.
float StatusPill(const Theme& t, const std::string& text, StatusTone tone, ImVec2 pos,
                 float max_width);
/// The width StatusPill takes when not limited.
float StatusPillWidth(const Theme& t, const std::string& text, StatusTone tone);

/// A touch-sized button (at least Theme::TouchTarget() high); `width` 0 = fits its label.
bool TouchButton(const Theme& t, const std::string& label, float width = 0.0f, bool enabled = true);
float TouchButtonWidth(const std::string& label);

/// A box in a status tone: the tone's colour, its icon and the words wrapped to `width`. A
/// layout item; returns its height.
float StatusBox(const Theme& t, const std::string& text, StatusTone tone, float width);

/// A choice chip, touch-sized; the active one is filled brighter, outlined and marked with a
/// bullet, so the choice never shows by colour alone. `width` 0 = fits its label.
bool Chip(const Theme& t, const std::string& label, bool active, float width = 0.0f);
float ChipWidth(const std::string& label, bool active);

/// An on/off filter: a box that holds a check mark when on, then the label.
bool Toggle(const Theme& t, const std::string& label, bool on, float width = 0.0f);
float ToggleWidth(const Theme& t, const std::string& label);

/// A label among chips ("Language"), vertically centred on a touch-sized line.
void InlineLabel(const Theme& t, const std::string& label, float width);
float InlineLabelWidth(const Theme& t, const std::string& label);

/// Lays items out left to right and wraps to a new line when the next would not fit. With
/// `layout` false it only counts lines, so a caller can measure a row before drawing it.
class FlowRow {
  public:
    explicit FlowRow(float width, bool layout = true) : m_width(width), m_layout(layout) {}
    /// Call before submitting an item; returns the width it may take (at most the row's).
    /// `keep_with`: the width of the next item, which must stay on the same line (a label and
    /// its first chip).
    float Place(float item_width, float keep_with = 0.0f);
    /// Height of the lines placed so far, each `line_height` high.
    float Height(float line_height) const;

  private:
    float m_width;
    bool m_layout;
    float m_x = 0.0f;
    int m_lines = 0;
};

/// Wrapped text at the cursor, as a layout item, up to the right edge of the content region.
void WrappedText(ImFont* font, const std::string& text, ImVec4 colour);

/// A touch field that opens the on-screen keyboard: a magnifier, the muted label, then the
/// text typed, or the placeholder when none. Returns true when tapped.
bool FieldButton(const Theme& t, const char* id, const std::string& label, const std::string& text,
                 const std::string& placeholder, float width);

/// A panel that scrolls vertically by finger drag (a drag never turns into a tap on what it
/// started on) with a scrollbar wide enough to touch. `id` must contain "scroll": tests/ui
/// lets only such windows hold more than they show.
struct ScrollOptions {
    bool panel = false;            ///< padded, on the panel colour (a pane, not a list)
    bool always_scrollbar = true;  ///< a list: the bar shows even when all fits (no jumps)
};
void BeginTouchScroll(const char* id, ImVec2 size, const Theme& t, ScrollOptions options = {});
void EndTouchScroll();

/// Which rows of a list show: as many as fit in `height` (less a pager strip when not all fit).
struct PageRange {
    int first = 0;
    int count = 0;
    int page = 0;
    int pages = 1;
    bool paged = false;
};
/// Where a fresh visit of a paged list opens: the page holding `row`. A visit is fresh when
/// `visit` differs from the one the list last drew with.
struct ListStart {
    unsigned visit = 0;
    int row = 0;
};
/// The page shown (and the visit it belongs to) is kept in ImGui's state storage under `id`.
PageRange PageRows(const char* id, int total, float row_height, float height, const Theme& t,
                   ListStart start);
/// The pager strip ("‹  2 / 3  ›") at the cursor, when `range.paged`.
void Pager(const char* id, const PageRange& range, const Theme& t);

}  // namespace kiosk::ui
