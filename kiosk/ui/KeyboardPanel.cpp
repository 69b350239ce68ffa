// The on-screen keyboard component (issue 5.5): the text being typed, then rows of
// touch-sized keys whose widths are given in key units by the view. Keys report intents;
// the model owns the text.
#include <imgui.h>

#include "kiosk/ui/Colour.h"
#include "kiosk/ui/Screens.h"
#include "kiosk/ui/StaffWidgets.h"

namespace kiosk::ui {
namespace {

constexpr int kRows = 6;  // the text line and five rows of keys

float KeyGap(const Theme& t) {
    return t.Px(8);
}

}  // namespace

float KeyboardHeight(const Theme& t) {
    return kRows * t.TouchTarget() + (kRows - 1) * KeyGap(t);
}

void DrawKeyboard(const KeyboardView& v, const Theme& t, float width, UiIntents& intents) {
    const float gap = KeyGap(t);
    const float key_h = t.TouchTarget();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + key_h),
                      ImGui::GetColorU32(Vec(kPanel)), t.Px(10));
    const std::string line = v.title + ":  " + v.text + "|";
    CellText(t.body, line,
             ImVec2(origin.x + t.Px(20), origin.y + (key_h - t.body->FontSize) * 0.5f),
             width - t.Px(40), Vec(kText));
    float units = 0.0f;
    for (const auto& row : v.rows) {
        float u = 0.0f;
        for (const auto& k : row) {
            u += k.width;
        }
        units = std::max(units, u + static_cast<float>(row.size() - 1) * 0.0f);
    }
    int id = 0;
    for (std::size_t r = 0; r < v.rows.size(); ++r) {
        const auto& row = v.rows[r];
        const float unit =
            (width - gap * static_cast<float>(row.size() - 1)) / std::max(units, 1.0f);
        float x = origin.x;
        const float y = origin.y + static_cast<float>(r + 1) * (key_h + gap);
        for (const auto& k : row) {
            const float w = unit * k.width + (k.width - 1.0f) * 0.0f;
            ImGui::SetCursorScreenPos(ImVec2(x, y));
            ImGui::PushID(id++);
            if (k.active) {
                ImGui::PushStyleColor(ImGuiCol_Button, Vec(kButtonActive));
            }
            if (ImGui::Button(k.label.c_str(), ImVec2(w, key_h))) {
                intents.staff.push_back(k.press);
            }
            if (k.active) {
                ImGui::PopStyleColor();
            }
            ImGui::PopID();
            x += w + gap;
        }
    }
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + KeyboardHeight(t)));
}

}  // namespace kiosk::ui
