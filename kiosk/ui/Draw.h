// Drawing helpers shared by the screens: centred wrapped text, result icons and the "how to
// scan" picture, all from ImGui draw-list primitives (no image files, crisp at any scale).
#pragma once

#include <imgui.h>

#include <string>

#include "kiosk/app/Views.h"

namespace kiosk::ui {

/// Text centred in [x0, x0 + width) at the cursor's y, wrapped at word boundaries.
void CenteredWrapped(const std::string& text, ImFont* font, float x0, float width, ImVec4 colour);

/// The icon that carries a result's meaning besides its colour: check, exit arrow, clock, "!".
void DrawResultIcon(ImDrawList* dl, ResultTone tone, ImVec2 centre, float radius);

/// A card with a QR code held up toward the scanner, with an arrow.
void DrawScanPicture(ImDrawList* dl, ImVec2 top_left, float height);

}  // namespace kiosk::ui
