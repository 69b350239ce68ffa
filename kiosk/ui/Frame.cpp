// One frame of the kiosk: a single full-screen window holding whichever screen is up.
#include <imgui.h>

#include "kiosk/ui/Screens.h"

namespace kiosk::ui {

UiIntents DrawFrame(const FrameView& view, const Theme& theme, const Textures& textures) {
    UiIntents intents;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::Begin("kiosk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                     ImGuiWindowFlags_NoScrollWithMouse);
    if (view.screen == Screen::kResult) {
        DrawResult(view.result, theme, intents);
    } else if (view.screen == Screen::kStaff) {
        DrawStaff(view.staff, theme, textures, intents);
    } else {
        DrawWelcome(view.welcome, theme, intents);
    }
    // Any tap counts as activity: it keeps a staff screen from locking itself.
    intents.touched = ImGui::IsMouseClicked(ImGuiMouseButton_Left);
    ImGui::End();
    return intents;
}

}  // namespace kiosk::ui
