// Fonts, colours and sizes of SCREENS.md: body 28 px and headings 48 px at 1080p, scaled with
// the display; touch targets of at least 64 px; colours with at least 4.5:1 contrast.
#pragma once

#include <filesystem>

struct ImFont;

namespace kiosk::ui {

struct Theme {
    float scale = 1.0f;  ///< 1.0 at 1080 pixels of height
    ImFont* small = nullptr;
    ImFont* body = nullptr;
    ImFont* heading = nullptr;
    ImFont* display = nullptr;  ///< result titles and the scan prompt
    float Px(float px_at_1080p) const { return px_at_1080p * scale; }
    float TouchTarget() const { return Px(64.0f) < 64.0f ? 64.0f : Px(64.0f); }
};

/// Scale for a display: follows the height, never below 0.8 so text stays readable on a
/// 1280x800 panel.
float ScaleFor(int width, int height);

/// Loads the shipped Noto Sans fonts (Latin with accents) at the theme's sizes into the current
/// ImGui context's font atlas (cleared first) and sets ImGui's style. Returns false if a font
/// file is missing.
bool BuildTheme(Theme& theme, float scale, const std::filesystem::path& fonts_dir);

}  // namespace kiosk::ui
