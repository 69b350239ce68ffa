// The printed page on screen before printing (SCREENS.md 7): the page as large as the height
// allows, page turning, Print, the printer's answer in its tone, Retry and Done. The pixels
// arrive as a texture the platform uploaded; this file never touches GL.
#include <imgui.h>

#include <algorithm>

#include "kiosk/ui/Colour.h"
#include "kiosk/ui/Screens.h"
#include "kiosk/ui/StaffWidgets.h"

namespace kiosk::ui {
namespace {

constexpr float kLetterAspect = 8.5f / 11.0f;  // until the first page arrives

/// The page with a thin border and a shadow, so white paper reads as paper.
void Page(ImTextureID texture, ImVec2 size, const Theme& t) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float shadow = t.Px(8);
    dl->AddRectFilled(ImVec2(p.x + shadow, p.y + shadow),
                      ImVec2(p.x + size.x + shadow, p.y + size.y + shadow), IM_COL32(0, 0, 0, 110),
                      t.Px(4));
    if (texture != nullptr) {
        ImGui::Image(texture, size);
    } else {
        dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), IM_COL32(255, 255, 255, 255));
        ImGui::Dummy(size);
    }
    dl->AddRect(ImVec2(p.x - 1, p.y - 1), ImVec2(p.x + size.x + 1, p.y + size.y + 1),
                ImGui::GetColorU32(Vec(kTextMuted)), 0.0f, 0, std::max(1.0f, t.Px(2)));
}

/// Page turning, Print, the printer's answer, Retry, Done: one full-width button a line.
void Actions(const PreviewView& v, const Theme& t, UiIntents& intents) {
    const float width = std::min(ImGui::GetContentRegionAvail().x, t.Px(760));
    if (v.has_prev || v.has_next) {
        FlowRow row(width);
        const std::string prev = "\xe2\x80\xb9 " + v.prev_label;
        const std::string next = v.next_label + " \xe2\x80\xba";
        float w = row.Place(TouchButtonWidth(prev));
        if (TouchButton(t, prev + "###prev", w, v.has_prev)) {
            intents.staff.push_back(intent::preview::PrevPage{});
        }
        w = row.Place(TouchButtonWidth(next));
        if (TouchButton(t, next + "###next", w, v.has_next)) {
            intents.staff.push_back(intent::preview::NextPage{});
        }
        ImGui::Dummy(ImVec2(0, t.Px(8)));
    }
    if (!v.print_label.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Button, v.can_print ? Vec(kCheckedIn) : Vec(kPanel));
        if (TouchButton(t, v.print_label + "###print", width, v.can_print)) {
            intents.staff.push_back(intent::preview::Print{});
        }
        ImGui::PopStyleColor();
    }
    if (!v.status.empty()) {
        StatusBox(t, v.status, v.status_tone, width);
    }
    if (!v.retry_label.empty()) {
        if (TouchButton(t, v.retry_label + "###retry", width)) {
            intents.staff.push_back(intent::preview::Retry{});
        }
    }
    if (!v.done_label.empty()) {
        if (TouchButton(t, v.done_label + "###done", width)) {
            intents.staff.push_back(intent::preview::Done{});
        }
    }
}

}  // namespace

void DrawPreview(const PreviewView& v, const Theme& t, ImTextureID page, UiIntents& intents) {
    const float width = ImGui::GetContentRegionAvail().x;
    CellText(t.heading, v.heading, ImGui::GetCursorScreenPos(), width, Vec(kText));
    ImGui::Dummy(ImVec2(width, t.heading->FontSize + t.Px(8)));
    const float height = ImGui::GetContentRegionAvail().y;
    const float margin = t.Px(12);  // room for the shadow
    const float aspect =
        v.page && v.page->width > 0 && v.page->height > 0
            ? static_cast<float>(v.page->width) / static_cast<float>(v.page->height)
            : kLetterAspect;
    float page_h = std::max(1.0f, height - margin);
    float page_w = page_h * aspect;
    if (page_w > width * 0.6f) {  // a wide page leaves room for the buttons
        page_w = width * 0.6f;
        page_h = page_w / aspect;
    }
    const ImVec2 top = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(ImVec2(top.x + 1, top.y + 1));
    Page(page, ImVec2(page_w, page_h), t);
    const float side_x = top.x + page_w + margin + t.Px(40);
    const float side_w = top.x + width - side_x;
    ImGui::SetCursorScreenPos(ImVec2(side_x, top.y));
    // The side scrolls only when a long printer message and every button cannot all fit.
    BeginTouchScroll("preview-side-scroll", ImVec2(side_w, height), t, {false, false});
    Actions(v, t, intents);
    EndTouchScroll();
}

}  // namespace kiosk::ui
