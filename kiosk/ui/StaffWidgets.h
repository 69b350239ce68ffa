// Pieces the staff screens share: a status pill (colour, icon and words), text clipped to a cell
// with an ellipsis, touch-sized buttons, and paging for lists longer than the screen (a kiosk
// never scrolls: tests/ui fails any screen whose content needs it).
#pragma once

#include <imgui.h>

#include <string>

#include "kiosk/app/StaffViews.h"
#include "kiosk/ui/Theme.h"

namespace kiosk::ui {

ImVec4 ToneColour(StatusTone tone);

/// `text` drawn at `pos` (top left) in at most `width` pixels, cut with an ellipsis if longer.
/// Not a layout item: the caller reserves the space.
void CellText(ImFont* font, const std::string& text, ImVec2 pos, float width, ImVec4 colour);

/// A rounded pill with the tone's colour, a small icon and the words; returns its width.
float StatusPill(const Theme& t, const std::string& text, StatusTone tone, ImVec2 pos,
                 float max_width);

/// A touch-sized button (at least Theme::TouchTarget() high); `width` 0 = fits its label.
bool TouchButton(const Theme& t, const std::string& label, float width = 0.0f, bool enabled = true);
float TouchButtonWidth(const Theme& t, const std::string& label);

/// Which rows of a list show: as many as fit in `height` (less a pager strip when not all fit).
struct PageRange {
    int first = 0;
    int count = 0;
    int page = 0;
    int pages = 1;
    bool paged = false;
};
/// The page shown is kept in ImGui's state storage under `id`.
PageRange PageRows(const char* id, int total, float row_height, float height, const Theme& t);
/// The pager strip ("‹  2 / 3  ›") at the cursor, when `range.paged`.
void Pager(const char* id, const PageRange& range, const Theme& t);

}  // namespace kiosk::ui
