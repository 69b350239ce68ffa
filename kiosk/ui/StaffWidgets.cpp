// Text in cells is drawn on the draw list, not laid out, so a long name or a long Spanish
// label can never widen a window past the screen; its space is reserved by the row.
#include "kiosk/ui/StaffWidgets.h"

#include <imgui_internal.h>

#include <algorithm>

#include "kiosk/ui/Colour.h"
#include "kiosk/ui/Draw.h"

namespace kiosk::ui {
namespace {

/// The icon that goes with a tone, so it never shows by colour alone.
void ToneIcon(ImDrawList* dl, StatusTone tone, ImVec2 centre, float radius) {
    const ResultTone shape = tone == StatusTone::kGood      ? ResultTone::kCheckedIn
                             : tone == StatusTone::kInfo    ? ResultTone::kCheckedOut
                             : tone == StatusTone::kWarning ? ResultTone::kAlreadyIn
                                                            : ResultTone::kSeeFrontDesk;
    DrawResultIcon(dl, shape, centre, radius);
}

}  // namespace

ImVec4 ToneColour(StatusTone tone) {
    switch (tone) {
        case StatusTone::kGood:
            return Vec(kCheckedIn);
        case StatusTone::kWarning:
            return Vec(kAlreadyIn);
        case StatusTone::kBad:
            return Vec(kSeeFrontDesk);
        case StatusTone::kInfo:
            return Vec(kCheckedOut);
        case StatusTone::kNeutral:
            break;
    }
    return Vec(kButton);
}

std::string FitText(ImFont* font, float size, const std::string& text, float width) {
    size = size > 0.0f ? size : font->FontSize;
    if (font->CalcTextSizeA(size, FLT_MAX, 0.0f, text.c_str()).x <= width) {
        return text;
    }
    const std::string ellipsis = "\xe2\x80\xa6";
    std::string shown = text;
    while (!shown.empty() &&
           font->CalcTextSizeA(size, FLT_MAX, 0.0f, (shown + ellipsis).c_str()).x > width) {
        // Drop one whole UTF-8 character: its continuation bytes, then its lead byte.
        while (!shown.empty() && (static_cast<unsigned char>(shown.back()) & 0xC0) == 0x80) {
            shown.pop_back();
        }
        if (!shown.empty()) {
            shown.pop_back();
        }
    }
    return shown + ellipsis;
}

void CellText(ImFont* font, const std::string& text, ImVec2 pos, float width, ImVec4 colour,
              float size) {
    if (width <= 0.0f || text.empty()) {
        return;
    }
    size = size > 0.0f ? size : font->FontSize;
    const std::string shown = FitText(font, size, text, width);
    ImGui::GetWindowDrawList()->AddText(font, size, pos, ImGui::GetColorU32(colour), shown.c_str());
}

float StatusPillWidth(const Theme& t, const std::string& text, StatusTone tone) {
    ImFont* font = t.small;
    const float icon = tone == StatusTone::kNeutral ? 0.0f : (font->FontSize + t.Px(14)) * 0.8f;
    return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, text.c_str()).x + icon + t.Px(28);
}

float StatusPill(const Theme& t, const std::string& text, StatusTone tone, ImVec2 pos,
                 float max_width) {
    ImFont* font = t.small;
    const float h = font->FontSize + t.Px(14);
    const float icon = tone == StatusTone::kNeutral ? 0.0f : h * 0.8f;
    const float w = std::min(max_width, StatusPillWidth(t, text, tone));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(pos, ImVec2(pos.x + w, pos.y + h), ImGui::GetColorU32(ToneColour(tone)),
                      h * 0.5f);
    if (icon > 0.0f) {
        ToneIcon(dl, tone, ImVec2(pos.x + t.Px(12) + icon * 0.5f, pos.y + h * 0.5f), icon * 0.38f);
    }
    CellText(font, text, ImVec2(pos.x + t.Px(14) + icon, pos.y + t.Px(7)), w - icon - t.Px(24),
             Vec(kText));
    return w;
}

float TouchButtonWidth(const std::string& label) {
    return ImGui::CalcTextSize(label.c_str(), nullptr, true).x +
           ImGui::GetStyle().FramePadding.x * 2.0f;
}

bool TouchButton(const Theme& t, const std::string& label, float width, bool enabled) {
    if (!enabled) {
        ImGui::PushStyleVar(ImGuiStyleVar_Alpha, 0.55f);
    }
    const bool pressed = ImGui::Button(label.c_str(), ImVec2(width, t.TouchTarget())) && enabled;
    if (!enabled) {
        ImGui::PopStyleVar();
    }
    return pressed;
}

float StatusBox(const Theme& t, const std::string& text, StatusTone tone, float width) {
    ImFont* font = t.body;
    const float pad = t.Px(16);
    const float icon = tone == StatusTone::kNeutral ? 0.0f : font->FontSize * 1.2f;
    const float text_x = pad + (icon > 0.0f ? icon + t.Px(12) : 0.0f);
    const float wrap = std::max(1.0f, width - text_x - pad);
    const ImVec2 text_size = font->CalcTextSizeA(font->FontSize, FLT_MAX, wrap, text.c_str());
    const float h = std::max(text_size.y, icon) + 2 * pad;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + width, p.y + h), ImGui::GetColorU32(ToneColour(tone)),
                      t.Px(10));
    if (icon > 0.0f) {
        ToneIcon(dl, tone, ImVec2(p.x + pad + icon * 0.5f, p.y + pad + icon * 0.5f), icon * 0.45f);
    }
    dl->AddText(font, font->FontSize, ImVec2(p.x + text_x, p.y + pad),
                ImGui::GetColorU32(Vec(kText)), text.c_str(), nullptr, wrap);
    ImGui::Dummy(ImVec2(width, h));
    return h;
}

namespace {

constexpr const char* kBullet = "\xe2\x80\xa2 ";

float BoxSide(const Theme& t) {
    return t.body->FontSize * 0.9f;
}

}  // namespace

float ChipWidth(const std::string& label, bool active) {
    return TouchButtonWidth(active ? kBullet + label : label);
}

bool Chip(const Theme& t, const std::string& label, bool active, float width) {
    const std::string text = active ? kBullet + label : label;
    if (active) {
        ImGui::PushStyleColor(ImGuiCol_Button, Vec(kButtonActive));
    }
    const bool pressed = TouchButton(t, text + "###chip", width);
    if (active) {
        ImGui::PopStyleColor();
        ImGui::GetWindowDrawList()->AddRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
                                            ImGui::GetColorU32(Vec(kText)),
                                            ImGui::GetStyle().FrameRounding, 0, t.Px(3));
    }
    return pressed;
}

float ToggleWidth(const Theme& t, const std::string& label) {
    return TouchButtonWidth(label) + BoxSide(t) + t.Px(16);
}

bool Toggle(const Theme& t, const std::string& label, bool on, float width) {
    const float w = width > 0.0f ? width : ToggleWidth(t, label);
    if (on) {
        ImGui::PushStyleColor(ImGuiCol_Button, Vec(kButtonActive));
    }
    const bool pressed = ImGui::Button(("##toggle" + label).c_str(), ImVec2(w, t.TouchTarget()));
    if (on) {
        ImGui::PopStyleColor();
    }
    const ImVec2 r0 = ImGui::GetItemRectMin();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float side = BoxSide(t);
    const float pad = ImGui::GetStyle().FramePadding.x;
    const ImVec2 b0(r0.x + pad, r0.y + (t.TouchTarget() - side) * 0.5f);
    const ImVec2 b1(b0.x + side, b0.y + side);
    const ImU32 white = ImGui::GetColorU32(Vec(kText));
    dl->AddRect(b0, b1, white, t.Px(4), 0, t.Px(3));
    if (on) {
        const ImVec2 tick[] = {{b0.x + side * 0.2f, b0.y + side * 0.52f},
                               {b0.x + side * 0.42f, b0.y + side * 0.75f},
                               {b0.x + side * 0.82f, b0.y + side * 0.25f}};
        dl->AddPolyline(tick, 3, white, 0, t.Px(4));
    }
    const float text_x = b1.x + t.Px(16);
    CellText(t.body, label, ImVec2(text_x, r0.y + (t.TouchTarget() - t.body->FontSize) * 0.5f),
             r0.x + w - pad * 0.5f - text_x, Vec(kText));
    return pressed;
}

float InlineLabelWidth(const Theme& t, const std::string& label) {
    return t.body->CalcTextSizeA(t.body->FontSize, FLT_MAX, 0.0f, label.c_str()).x + t.Px(4);
}

void InlineLabel(const Theme& t, const std::string& label, float width) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    CellText(t.body, label, ImVec2(p.x, p.y + (t.TouchTarget() - t.body->FontSize) * 0.5f), width,
             Vec(kTextMuted));
    ImGui::Dummy(ImVec2(width, t.TouchTarget()));
}

float FlowRow::Place(float item_width, float keep_with) {
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float w = std::min(m_width, item_width);
    const float need = keep_with > 0.0f ? w + gap + keep_with : w;
    if (m_lines > 0 && m_x + gap + need <= m_width) {
        if (m_layout) {
            ImGui::SameLine();
        }
        m_x += gap + w;
    } else {
        ++m_lines;
        m_x = w;
    }
    return w;
}

float FlowRow::Height(float line_height) const {
    return static_cast<float>(m_lines) * line_height +
           static_cast<float>(std::max(0, m_lines - 1)) * ImGui::GetStyle().ItemSpacing.y;
}

void WrappedText(ImFont* font, const std::string& text, ImVec4 colour) {
    if (text.empty()) {
        return;
    }
    ImGui::PushFont(font);
    ImGui::PushStyleColor(ImGuiCol_Text, colour);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

bool FieldButton(const Theme& t, const char* id, const std::string& label, const std::string& text,
                 const std::string& placeholder, float width) {
    ImGui::PushStyleColor(ImGuiCol_Button, Vec(kPanel));
    const bool pressed = ImGui::Button(id, ImVec2(width, t.TouchTarget()));
    ImGui::PopStyleColor();
    const ImVec2 r0 = ImGui::GetItemRectMin(), r1 = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 muted = ImGui::GetColorU32(Vec(kTextMuted));
    dl->AddRect(r0, r1, muted, ImGui::GetStyle().FrameRounding, 0, t.Px(2));
    // A magnifier, so the box reads as "search" before any word is read.
    const float icon = t.body->FontSize;
    const ImVec2 c(r0.x + t.Px(20) + icon * 0.4f, r0.y + t.TouchTarget() * 0.5f - icon * 0.1f);
    dl->AddCircle(c, icon * 0.3f, muted, 24, t.Px(3));
    dl->AddLine(ImVec2(c.x + icon * 0.21f, c.y + icon * 0.21f),
                ImVec2(c.x + icon * 0.5f, c.y + icon * 0.5f), muted, t.Px(4));
    float x = r0.x + t.Px(20) + icon + t.Px(16);
    const float y = r0.y + (t.TouchTarget() - t.body->FontSize) * 0.5f;
    const float right = r1.x - t.Px(20);
    if (!label.empty()) {
        const float label_w = std::min(
            (right - x) * 0.4f,
            t.body->CalcTextSizeA(t.body->FontSize, FLT_MAX, 0.0f, label.c_str()).x + t.Px(2));
        CellText(t.body, label, ImVec2(x, y), label_w, Vec(kTextMuted));
        x += label_w + t.Px(16);
    }
    if (text.empty()) {
        CellText(t.body, placeholder, ImVec2(x, y), right - x, Vec(kTextMuted));
    } else {
        CellText(t.body, text, ImVec2(x, y), right - x, Vec(kText));
    }
    return pressed;
}

void BeginTouchScroll(const char* id, ImVec2 size, const Theme& t, ScrollOptions options) {
    ImGui::PushStyleVar(ImGuiStyleVar_ScrollbarSize, std::max(32.0f, t.Px(40)));
    ImGui::PushStyleVar(ImGuiStyleVar_ScrollbarRounding, t.Px(10));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(t.Px(24), t.Px(20)));
    ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, t.Px(12));
    ImGui::PushStyleColor(ImGuiCol_ScrollbarBg, Vec(kPanel));
    ImGui::PushStyleColor(ImGuiCol_ScrollbarGrab, Vec(kButtonActive));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, options.panel ? Vec(kPanel) : ImVec4(0, 0, 0, 0));
    ImGuiWindowFlags flags = 0;
    if (options.always_scrollbar) {
        flags |= ImGuiWindowFlags_AlwaysVerticalScrollbar;
    }
    if (options.panel) {
        flags |= ImGuiWindowFlags_AlwaysUseWindowPadding;
    }
    ImGui::BeginChild(id, size, false, flags);
}

void EndTouchScroll() {
    // A press that starts on the content (not on the scrollbar) and moves further than a finger
    // wobbles is a scroll: the content follows the finger, and the button it started on is let
    // go so that lifting the finger does not also press it.
    ImGuiContext& g = *ImGui::GetCurrentContext();
    ImGuiWindow* win = ImGui::GetCurrentWindow();
    const ImGuiIO& io = ImGui::GetIO();
    bool* armed = ImGui::GetStateStorage()->GetBoolRef(ImGui::GetID("#touch-drag"), false);
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
        *armed = ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
                 win->InnerRect.Contains(io.MousePos);
    }
    if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
        *armed = false;
    }
    const float threshold = std::max(io.MouseDragThreshold, 12.0f);
    if (*armed && ImGui::IsMouseDragging(ImGuiMouseButton_Left, threshold)) {
        ImGui::SetScrollY(std::clamp(win->Scroll.y - io.MouseDelta.y, 0.0f, win->ScrollMax.y));
        if (g.ActiveId != 0 && g.ActiveIdWindow == win) {
            ImGui::ClearActiveID();
        }
    }
    ImGui::EndChild();
    ImGui::PopStyleColor(3);
    ImGui::PopStyleVar(4);
}

PageRange PageRows(const char* id, int total, float row_height, float height, const Theme& t,
                   ListStart start) {
    PageRange r;
    ImGui::PushID(id);
    const ImGuiID visit_id = ImGui::GetID("#visit");
    ImGui::PopID();
    ImGuiStorage* storage = ImGui::GetStateStorage();
    // Stored as an int (ImGuiStorage has no unsigned slot); only equality matters.
    const int visit = static_cast<int>(start.visit);
    const bool fresh = storage->GetInt(visit_id, ~visit) != visit;
    storage->SetInt(visit_id, visit);
    const int fits_all = std::max(1, static_cast<int>(height / row_height));
    if (total <= fits_all) {
        r.count = total;
        return r;
    }
    const float strip = t.TouchTarget() + ImGui::GetStyle().ItemSpacing.y;
    const int per_page = static_cast<int>((height - strip) / row_height);
    if (per_page < 1) {
        return r;  // no room for a row and the pager: show nothing rather than overflow
    }
    r.paged = true;
    r.pages = (total + per_page - 1) / per_page;
    int* page = storage->GetIntRef(ImGui::GetID(id), 0);
    if (fresh) {
        *page = std::clamp(start.row, 0, total - 1) / per_page;
    }
    *page = std::clamp(*page, 0, r.pages - 1);
    r.page = *page;
    r.first = r.page * per_page;
    r.count = std::min(per_page, total - r.first);
    return r;
}

void Pager(const char* id, const PageRange& range, const Theme& t) {
    if (!range.paged) {
        return;
    }
    int* page = ImGui::GetStateStorage()->GetIntRef(ImGui::GetID(id), 0);
    ImGui::PushID(id);
    ImGui::PushFont(t.heading);
    if (TouchButton(t, "\xe2\x80\xb9", t.TouchTarget() * 1.6f, range.page > 0)) {
        *page = range.page - 1;
    }
    ImGui::SameLine();
    const std::string label = std::to_string(range.page + 1) + " / " + std::to_string(range.pages);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(label.c_str());
    ImGui::SameLine();
    if (TouchButton(t, "\xe2\x80\xba", t.TouchTarget() * 1.6f, range.page + 1 < range.pages)) {
        *page = range.page + 1;
    }
    ImGui::PopFont();
    ImGui::PopID();
}

}  // namespace kiosk::ui
