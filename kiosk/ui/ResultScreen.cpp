// Result (SCREENS.md 2): colour, icon and words together; names no one unless the clinic opted
// in (the view already says what may show). A tap anywhere closes it.
#include <imgui.h>

#include "kiosk/ui/Colour.h"
#include "kiosk/ui/Draw.h"
#include "kiosk/ui/Screens.h"

namespace kiosk::ui {
namespace {

ImVec4 ToneColour(ResultTone tone) {
    switch (tone) {
        case ResultTone::kCheckedIn:
            return Vec(kCheckedIn);
        case ResultTone::kCheckedOut:
            return Vec(kCheckedOut);
        case ResultTone::kAlreadyIn:
            return Vec(kAlreadyIn);
        case ResultTone::kSeeFrontDesk:
            return Vec(kSeeFrontDesk);
    }
    return Vec(kSeeFrontDesk);
}

}  // namespace

void DrawResult(const ResultView& v, const Theme& t, UiIntents& intents) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRectFullScreen();  // the colour fills the whole screen, padding included
    dl->AddRectFilled(ImVec2(0, 0), display, ImGui::GetColorU32(ToneColour(v.tone)));
    dl->PopClipRect();

    const float radius = t.Px(90);
    const float icon_y = display.y * 0.2f;
    DrawResultIcon(dl, v.tone, ImVec2(display.x * 0.5f, icon_y), radius);

    const float margin = display.x * 0.08f;
    const float width = display.x - 2 * margin;
    ImGui::SetCursorPosY(icon_y + radius + t.Px(48));
    CenteredWrapped(v.title, t.display, margin, width, Vec(kText));
    ImGui::Dummy(ImVec2(0, t.Px(24)));
    for (const auto& line : v.lines) {
        CenteredWrapped(line, t.heading, margin, width, Vec(kText));
    }
    ImGui::SetCursorPosY(display.y - t.Px(110));
    CenteredWrapped(v.close_hint, t.small, margin, width, Vec(kText));

    // A tap anywhere closes it (no layout item: the whole screen is the target).
    if (ImGui::IsWindowHovered() && ImGui::IsMouseReleased(ImGuiMouseButton_Left)) {
        intents.dismiss_result = true;
    }
}

}  // namespace kiosk::ui
