// Palette colours as ImGui wants them.
#pragma once

#include <imgui.h>

#include "kiosk/ui/Palette.h"

namespace kiosk::ui {

inline ImVec4 Vec(Rgb c) {
    return ImVec4(static_cast<float>(c.r) / 255.0f, static_cast<float>(c.g) / 255.0f,
                  static_cast<float>(c.b) / 255.0f, 1.0f);
}

}  // namespace kiosk::ui
