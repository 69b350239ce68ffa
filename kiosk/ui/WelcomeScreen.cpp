// Welcome (SCREENS.md 1): clinic name, clock, how to scan, today's public schedule (group, room,
// time only: PRIVACY.md 4) and the language switch.
#include <imgui.h>

#include "kiosk/ui/Colour.h"
#include "kiosk/ui/Draw.h"
#include "kiosk/ui/Screens.h"

namespace kiosk::ui {
namespace {

void Header(const WelcomeView& v, const Theme& t, float width) {
    ImGui::PushFont(t.heading);
    ImGui::TextUnformatted(v.clinic_name.c_str());
    const float clock_w = ImGui::CalcTextSize(v.clock.c_str()).x;
    ImGui::SameLine(width - clock_w - ImGui::GetStyle().WindowPadding.x);
    ImGui::TextUnformatted(v.clock.c_str());
    ImGui::PopFont();
}

void Schedule(const WelcomeView& v, const Theme& t, ImVec2 size) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, Vec(kPanel));
    ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, t.Px(18));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(t.Px(32), t.Px(28)));
    ImGui::BeginChild("schedule", size, false,
                      ImGuiWindowFlags_AlwaysUseWindowPadding | ImGuiWindowFlags_NoScrollbar);
    ImGui::PushFont(t.heading);
    ImGui::TextUnformatted(v.schedule_title.c_str());
    ImGui::PopFont();
    ImGui::Spacing();
    if (v.schedule.empty()) {
        ImGui::TextColored(Vec(kTextMuted), "%s", v.empty_schedule.c_str());
    }
    const float time_w = t.Px(170);
    const float bottom = size.y - ImGui::GetStyle().WindowPadding.y;
    const float group_w = ImGui::GetContentRegionAvail().x - time_w;
    for (const auto& line : v.schedule) {
        ImGui::PushFont(t.body);
        const float group_h = ImGui::CalcTextSize(line.group.c_str(), nullptr, false, group_w).y;
        const float row_h = group_h + t.small->FontSize + ImGui::GetStyle().ItemSpacing.y * 3;
        if (ImGui::GetCursorPosY() + row_h > bottom) {
            ImGui::PopFont();
            break;  // the list shows what fits; the next groups move up as these end
        }
        ImGui::TextUnformatted(line.time.c_str());
        ImGui::SameLine(time_w);
        ImGui::PushTextWrapPos(time_w + group_w);
        ImGui::TextUnformatted(line.group.c_str());  // long group names wrap, never run off
        ImGui::PopTextWrapPos();
        ImGui::PopFont();
        ImGui::SetCursorPosX(time_w);
        ImGui::PushFont(t.small);
        if (line.running) {
            ImGui::TextColored(Vec(kAccent), "%s  \xe2\x80\xa2  %s", line.room.c_str(),
                               v.now_tag.c_str());
        } else {
            ImGui::TextColored(Vec(kTextMuted), "%s", line.room.c_str());
        }
        ImGui::PopFont();
        ImGui::Spacing();
    }
    ImGui::EndChild();
    ImGui::PopStyleVar(2);
    ImGui::PopStyleColor();
}

void Languages(const WelcomeView& v, const Theme& t, UiIntents& intents) {
    for (const auto& lang : v.languages) {
        ImGui::PushID(lang.code.c_str());
        if (lang.active) {
            ImGui::PushStyleColor(ImGuiCol_Button, Vec(kButtonActive));
            ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, t.Px(3));
        }
        const std::string label = (lang.active ? "\xe2\x80\xa2 " : "") + lang.label;
        if (ImGui::Button(label.c_str(), ImVec2(0, t.TouchTarget())) && !lang.active) {
            intents.choose_language = lang.code;
        }
        if (lang.active) {
            ImGui::PopStyleVar();
            ImGui::PopStyleColor();
        }
        ImGui::PopID();
        ImGui::SameLine();
    }
    ImGui::NewLine();
}

}  // namespace

void DrawWelcome(const WelcomeView& v, const Theme& t, UiIntents& intents) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const ImVec2 pad = ImGui::GetStyle().WindowPadding;
    Header(v, t, display.x);
    ImGui::PushFont(t.small);
    const float date_w = ImGui::CalcTextSize(v.date.c_str()).x;
    ImGui::SetCursorPosX(display.x - date_w - pad.x);
    ImGui::TextColored(Vec(kTextMuted), "%s", v.date.c_str());
    ImGui::PopFont();

    const float top = ImGui::GetCursorPosY() + t.Px(24);
    const float left_w = display.x * 0.52f;
    const float bottom_bar = t.TouchTarget() + pad.y * 2;

    ImGui::SetCursorPos(ImVec2(pad.x, top));
    ImGui::PushTextWrapPos(left_w);
    ImGui::PushFont(t.display);
    ImGui::TextUnformatted(v.prompt.c_str());
    ImGui::PopFont();
    ImGui::Spacing();
    ImGui::TextColored(Vec(kTextMuted), "%s", v.hint.c_str());
    ImGui::PopTextWrapPos();
    const float pic_top = ImGui::GetCursorScreenPos().y + t.Px(32);
    const float pic_h = std::min(t.Px(300), display.y - bottom_bar - pic_top - t.Px(16));
    if (pic_h > t.Px(120)) {
        DrawScanPicture(ImGui::GetWindowDrawList(), ImVec2(pad.x + t.Px(40), pic_top), pic_h);
    }

    const float right_x = left_w + t.Px(48);
    ImGui::SetCursorPos(ImVec2(right_x, top));
    Schedule(v, t, ImVec2(display.x - right_x - pad.x, display.y - top - pad.y));

    ImGui::SetCursorPos(ImVec2(pad.x, display.y - pad.y - t.TouchTarget()));
    Languages(v, t, intents);

    // Small, in the corner: the way in for staff (SCREENS.md 1), still a full touch target.
    if (!v.staff_label.empty()) {
        ImGui::PushFont(t.small);
        const float staff_w =
            ImGui::CalcTextSize(v.staff_label.c_str()).x + ImGui::GetStyle().FramePadding.x * 2;
        ImGui::SetCursorPos(
            ImVec2(right_x - t.Px(48) - staff_w, display.y - pad.y - t.TouchTarget()));
        ImGui::PushStyleColor(ImGuiCol_Button, Vec(kPanel));
        if (ImGui::Button(v.staff_label.c_str(), ImVec2(staff_w, t.TouchTarget()))) {
            intents.open_staff = true;
        }
        ImGui::PopStyleColor();
        ImGui::PopFont();
    }
}

}  // namespace kiosk::ui
