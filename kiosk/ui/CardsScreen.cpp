// The Cards page (SCREENS.md 9): this week's participants found by name, each with whether a
// card of theirs works, "New card" and "Revoke"; the revoke dialog with its reasons. The new
// card's preview is the referral preview's screen (PreviewScreen.cpp). Lists are paged.
#include <imgui.h>

#include "kiosk/ui/Colour.h"
#include "kiosk/ui/Screens.h"
#include "kiosk/ui/StaffWidgets.h"

namespace kiosk::ui {
namespace {

void DrawRevokeDialog(const CardDialogView& d, const Theme& t, UiIntents& intents) {
    const float width = ImGui::GetContentRegionAvail().x;
    CellText(t.heading, d.title, ImGui::GetCursorScreenPos(), width, Vec(kText));
    ImGui::Dummy(ImVec2(width, t.heading->FontSize + t.Px(12)));
    WrappedText(t.body, d.prompt, Vec(kText));
    ImGui::Spacing();
    for (std::size_t i = 0; i < d.reasons.size(); ++i) {
        if (i > 0) {
            ImGui::SameLine();
        }
        ImGui::PushID(static_cast<int>(i));
        if (Chip(t, d.reasons[i].label, d.reasons[i].chosen)) {
            intents.staff.push_back(intent::cards::ChooseReason{d.reasons[i].code});
        }
        ImGui::PopID();
    }
    ImGui::Spacing();
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Button, d.can_confirm ? Vec(kSeeFrontDesk) : Vec(kPanel));
    if (TouchButton(t, d.confirm_label, 0.0f, d.can_confirm)) {
        intents.staff.push_back(intent::cards::Confirm{});
    }
    ImGui::PopStyleColor();
    ImGui::SameLine();
    if (TouchButton(t, d.cancel_label)) {
        intents.staff.push_back(intent::cards::Cancel{});
    }
}

void DrawCardLines(const CardsView& v, const Theme& t, float width, UiIntents& intents,
                   unsigned visit) {
    if (v.lines.empty()) {
        ImGui::TextColored(Vec(kTextMuted), "%s", v.empty.c_str());
        return;
    }
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float new_w = TouchButtonWidth(v.new_card_label);
    const float revoke_w = TouchButtonWidth(v.revoke_label);
    const float text_w = width - new_w - revoke_w - 2 * gap;
    const float name_w = text_w * 0.55f;
    const float row_h = t.TouchTarget() + t.Px(12);
    const PageRange range = PageRows("cards", static_cast<int>(v.lines.size()), row_h,
                                     ImGui::GetContentRegionAvail().y, t, {visit, 0});
    for (int i = range.first; i < range.first + range.count; ++i) {
        const CardLineView& line = v.lines[static_cast<std::size_t>(i)];
        const ImVec2 p = ImGui::GetCursorScreenPos();
        if (i % 2 == 0) {
            ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + width, p.y + row_h),
                                                      ImGui::GetColorU32(Vec(kPanel)), t.Px(8));
        }
        CellText(t.body, line.name, ImVec2(p.x + t.Px(14), p.y + (row_h - t.body->FontSize) * 0.5f),
                 name_w - t.Px(20), Vec(kText));
        StatusPill(t, line.card, line.tone,
                   ImVec2(p.x + name_w, p.y + (row_h - t.small->FontSize - t.Px(14)) * 0.5f),
                   text_w - name_w - t.Px(12));
        ImGui::PushID(line.person_ref.c_str());
        ImGui::SetCursorScreenPos(
            ImVec2(p.x + text_w + gap, p.y + (row_h - t.TouchTarget()) * 0.5f));
        if (TouchButton(t, v.new_card_label, new_w)) {
            intents.staff.push_back(intent::cards::NewCard{line.person_ref});
        }
        ImGui::SameLine();
        if (TouchButton(t, v.revoke_label, revoke_w, line.can_revoke)) {
            intents.staff.push_back(intent::cards::Revoke{line.person_ref});
        }
        ImGui::PopID();
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + row_h));
    }
    Pager("cards", range, t);
}

}  // namespace

void DrawCards(const CardsView& v, const Theme& t, UiIntents& intents, bool compact,
               unsigned visit) {
    if (v.dialog) {
        DrawRevokeDialog(*v.dialog, t, intents);  // in the page's place: nothing under it
        return;
    }
    const float width = ImGui::GetContentRegionAvail().x;
    if (!compact) {
        CellText(t.heading, v.heading, ImGui::GetCursorScreenPos(), width, Vec(kText));
        ImGui::Dummy(ImVec2(width, t.heading->FontSize + t.Px(8)));
        const std::string filter =
            v.filter_text.empty() ? v.filter_label : v.filter_label + ": " + v.filter_text;
        if (TouchButton(t, filter, std::min(width * 0.5f, TouchButtonWidth(filter)))) {
            intents.staff.push_back(intent::cards::EditFilter{});
        }
        if (!v.filter_text.empty()) {
            ImGui::SameLine();
            if (TouchButton(t, v.clear_filter_label)) {
                intents.staff.push_back(intent::cards::ClearFilter{});
            }
        }
        ImGui::Spacing();
    }
    DrawCardLines(v, t, width, intents, visit);
}

}  // namespace kiosk::ui
