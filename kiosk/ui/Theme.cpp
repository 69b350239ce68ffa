#include "kiosk/ui/Theme.h"

#include <imgui.h>

#include <algorithm>

#include "kiosk/ui/Colour.h"

namespace kiosk::ui {

float ScaleFor(int width, int height) {
    const float by_height = static_cast<float>(height) / 1080.0f;
    const float by_width = static_cast<float>(width) / 1920.0f * 1.25f;  // wide enough for 4:3
    return std::max(0.8f, std::min(by_height, by_width));
}

bool BuildTheme(Theme& theme, float scale, const std::filesystem::path& fonts_dir) {
    // Latin, Latin-1 (Spanish accents, ¿ ¡), Latin Extended-A, and typographic punctuation.
    static const ImWchar kRanges[] = {0x0020, 0x017F, 0x2010, 0x2027, 0x2030, 0x203A, 0};
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    const std::string regular = (fonts_dir / "NotoSans-Regular.ttf").string();
    const std::string bold = (fonts_dir / "NotoSans-Bold.ttf").string();
    ImFontConfig cfg;
    cfg.OversampleH = 2;
    theme.scale = scale;
    theme.body = io.Fonts->AddFontFromFileTTF(regular.c_str(), theme.Px(30.0f), &cfg, kRanges);
    theme.small = io.Fonts->AddFontFromFileTTF(regular.c_str(), theme.Px(26.0f), &cfg, kRanges);
    theme.heading = io.Fonts->AddFontFromFileTTF(bold.c_str(), theme.Px(48.0f), &cfg, kRanges);
    theme.display = io.Fonts->AddFontFromFileTTF(bold.c_str(), theme.Px(72.0f), &cfg, kRanges);
    if (!theme.body || !theme.small || !theme.heading || !theme.display) {
        return false;
    }
    io.FontDefault = theme.body;

    ImGuiStyle& style = ImGui::GetStyle();
    style = ImGuiStyle();
    ImGui::StyleColorsDark(&style);
    style.WindowPadding = ImVec2(theme.Px(48), theme.Px(36));
    style.FramePadding = ImVec2(theme.Px(28), theme.Px(16));
    style.ItemSpacing = ImVec2(theme.Px(20), theme.Px(16));
    style.FrameRounding = theme.Px(12);
    style.WindowRounding = 0;
    style.WindowBorderSize = 0;
    style.Colors[ImGuiCol_WindowBg] = Vec(kBackground);
    style.Colors[ImGuiCol_Text] = Vec(kText);
    style.Colors[ImGuiCol_Button] = Vec(kButton);
    style.Colors[ImGuiCol_ButtonHovered] = Vec(kButtonActive);
    style.Colors[ImGuiCol_ButtonActive] = Vec(kButtonActive);
    return true;
}

}  // namespace kiosk::ui
