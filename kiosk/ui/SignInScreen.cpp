// Staff sign-in (SCREENS.md 4): "scan your badge", then a large PIN pad. The pad shows one dot
// per digit entered and never a digit; keyboard digits reach the model directly, not through
// this screen.
#include <imgui.h>

#include "kiosk/ui/Colour.h"
#include "kiosk/ui/Draw.h"
#include "kiosk/ui/Screens.h"
#include "kiosk/ui/StaffWidgets.h"

namespace kiosk::ui {
namespace {

/// Why a badge or a PIN was refused: red, with the "!" icon, wrapped in `w`.
void ProblemPanel(const std::string& message, const Theme& t, float w) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::PushFont(t.body);
    const float text_h = ImGui::CalcTextSize(message.c_str(), nullptr, false, w - t.Px(120)).y;
    const float h = std::max(text_h + t.Px(32), t.Px(80));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), ImGui::GetColorU32(Vec(kSeeFrontDesk)),
                      t.Px(14));
    DrawResultIcon(dl, ResultTone::kSeeFrontDesk, ImVec2(p.x + t.Px(50), p.y + h * 0.5f), t.Px(26));
    ImGui::SetCursorScreenPos(ImVec2(p.x + t.Px(100), p.y + (h - text_h) * 0.5f));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w - t.Px(120));
    ImGui::TextUnformatted(message.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h));
    ImGui::Dummy(ImVec2(w, 0));
}

}  // namespace

void DrawBadgePage(const BadgePageView& v, const Theme& t) {
    const float width = ImGui::GetContentRegionAvail().x;
    const float height = ImGui::GetContentRegionAvail().y;
    ImGui::Dummy(ImVec2(0, t.Px(24)));
    ImGui::PushTextWrapPos(width * 0.6f);
    ImGui::PushFont(t.display);
    ImGui::TextUnformatted(v.prompt.c_str());
    ImGui::PopFont();
    ImGui::Spacing();
    ImGui::TextColored(Vec(kTextMuted), "%s", v.hint.c_str());
    ImGui::PopTextWrapPos();
    if (!v.message.empty()) {
        ImGui::Spacing();
        ProblemPanel(v.message, t, width * 0.6f);
    }
    const float pic_h = std::min(t.Px(300), height * 0.6f);
    const ImVec2 origin = ImGui::GetWindowPos();
    DrawScanPicture(ImGui::GetWindowDrawList(),
                    ImVec2(origin.x + width * 0.66f, origin.y + (height - pic_h) * 0.5f), pic_h);
}

void DrawPinPage(const PinPadView& v, const Theme& t, UiIntents& intents) {
    const float width = ImGui::GetContentRegionAvail().x;
    const float height = ImGui::GetContentRegionAvail().y;
    const float spacing = t.Px(14);
    // Keys as large as the page allows, never below a touch target.
    const float key_h =
        std::max(t.TouchTarget(), std::min(t.Px(120), (height - spacing * 3) / 4.0f));
    const float key_w = std::min(key_h * 1.8f, (width * 0.5f - spacing * 2) / 3.0f);
    const float pad_w = key_w * 3 + spacing * 2;
    const float pad_x = width - pad_w;
    const float pad_y = std::max(0.0f, (height - (key_h * 4 + spacing * 3)) * 0.5f);

    // Left: who, the prompt, the dots and the message.
    const float left_w = pad_x - t.Px(48);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + t.Px(24));
    CellText(t.body, v.staff_name, ImGui::GetCursorScreenPos(), left_w, Vec(kTextMuted));
    ImGui::Dummy(ImVec2(left_w, t.body->FontSize + t.Px(8)));
    ImGui::PushFont(t.display);
    ImGui::PushTextWrapPos(left_w);
    ImGui::TextUnformatted(v.prompt.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
    const float dot_r = t.Px(16);
    const ImVec2 dots = ImGui::GetCursorScreenPos();
    const int slots = std::max(4, v.entered);
    for (int i = 0; i < slots && i < 12; ++i) {
        const ImVec2 c(dots.x + dot_r + static_cast<float>(i) * dot_r * 3.0f,
                       dots.y + t.Px(24) + dot_r);
        if (i < v.entered) {
            ImGui::GetWindowDrawList()->AddCircleFilled(c, dot_r, ImGui::GetColorU32(Vec(kText)),
                                                        24);
        } else {
            ImGui::GetWindowDrawList()->AddCircle(c, dot_r, ImGui::GetColorU32(Vec(kTextMuted)), 24,
                                                  t.Px(3));
        }
    }
    ImGui::Dummy(ImVec2(std::min(left_w, dot_r * 3.0f * 12), dot_r * 2 + t.Px(48)));
    if (v.busy) {
        ImGui::TextUnformatted(v.message.c_str());
    } else if (!v.message.empty()) {
        ProblemPanel(v.message, t, left_w);
    }

    // Right: 1-9, Erase, 0, OK.
    static const char* kKeys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "", "0", ""};
    ImGui::PushFont(t.heading);
    for (int i = 0; i < 12; ++i) {
        const float x = origin.x + pad_x + static_cast<float>(i % 3) * (key_w + spacing);
        const float y = origin.y + pad_y + static_cast<float>(i / 3) * (key_h + spacing);
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        ImGui::PushID(i);
        if (i == 9 || i == 11) {
            ImGui::PushFont(t.body);
            const std::string& label = i == 9 ? v.erase_label : v.ok_label;
            if (i == 11) {
                ImGui::PushStyleColor(ImGuiCol_Button, Vec(kCheckedIn));
            }
            const bool pressed = ImGui::Button(label.c_str(), ImVec2(key_w, key_h)) && !v.busy;
            if (i == 11) {
                ImGui::PopStyleColor();
            }
            ImGui::PopFont();
            if (pressed) {
                intents.staff.push_back(i == 9 ? PinIntent{intent::pin::Erase{}}
                                               : PinIntent{intent::pin::Submit{}});
            }
        } else if (ImGui::Button(kKeys[i], ImVec2(key_w, key_h)) && !v.busy) {
            intents.staff.push_back(intent::pin::Digit{kKeys[i][0]});
        }
        ImGui::PopID();
    }
    ImGui::PopFont();
}

}  // namespace kiosk::ui
