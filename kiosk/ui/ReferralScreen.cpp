// The referral being built (SCREENS.md 7): its places with Remove, who it is for (scan their
// card or pick from today's groups), the printed page's options, and Preview. Lays out
// ReferralView only; names are drawn here because this is a staff page.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "kiosk/ui/Colour.h"
#include "kiosk/ui/Screens.h"
#include "kiosk/ui/StaffWidgets.h"

namespace kiosk::ui {
namespace {

float RowHeight(const Theme& t) {
    return std::max(t.TouchTarget() + t.Px(16),
                    t.Px(28) + t.body->FontSize + t.Px(4) + t.small->FontSize);
}

/// Two lines in a row: the first in the bold face at body size, the second small and muted.
void TwoLines(const Theme& t, const std::string& first, const std::string& second, ImVec2 p,
              float width, float height) {
    const float y = p.y + (height - t.body->FontSize - t.Px(4) - t.small->FontSize) * 0.5f;
    CellText(t.heading, first, ImVec2(p.x, y), width, Vec(kText), t.body->FontSize);
    CellText(t.small, second, ImVec2(p.x, y + t.body->FontSize + t.Px(4)), width, Vec(kTextMuted));
}

void Items(const ReferralView& v, const Theme& t, UiIntents& intents) {
    const float width = ImGui::GetContentRegionAvail().x;
    CellText(t.heading, v.heading, ImGui::GetCursorScreenPos(), width, Vec(kText));
    ImGui::Dummy(ImVec2(width, t.heading->FontSize + t.Px(4)));
    const float row_h = RowHeight(t);
    const float pad = t.Px(18);
    for (const ReferralItemView& item : v.items) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y),
                                                  ImVec2(p.x + width, p.y + row_h),
                                                  ImGui::GetColorU32(Vec(kPanel)), t.Px(12));
        const float remove_w = std::min(width * 0.4f, TouchButtonWidth(item.remove_label));
        const float button_x = p.x + width - pad - remove_w;
        TwoLines(t, item.name, item.organization, ImVec2(p.x + pad, p.y),
                 button_x - ImGui::GetStyle().ItemSpacing.x - p.x - pad, row_h);
        ImGui::PushID(item.id.c_str());
        ImGui::SetCursorScreenPos(ImVec2(button_x, p.y + (row_h - t.TouchTarget()) * 0.5f));
        if (TouchButton(t, item.remove_label + "###remove", remove_w)) {
            intents.staff.push_back(intent::referral::Remove{item.id});
        }
        ImGui::PopID();
        ImGui::SetCursorScreenPos(p);
        ImGui::Dummy(ImVec2(width, row_h));
    }
    if (!v.add_more_label.empty()) {
        if (TouchButton(t, v.add_more_label + "###add-more",
                        std::min(width, TouchButtonWidth(v.add_more_label)))) {
            intents.staff.push_back(intent::frame::Back{});
        }
    }
}

/// The printed page's options: the first name, and the page's language.
void Options(const ReferralView& v, const Theme& t, UiIntents& intents) {
    const float width = ImGui::GetContentRegionAvail().x;
    ImGui::Dummy(ImVec2(0, t.Px(8)));
    if (Toggle(t, v.first_name_label, v.first_name,
               std::min(width, ToggleWidth(t, v.first_name_label)))) {
        intents.staff.push_back(intent::referral::ToggleFirstName{});
    }
    if (v.print_languages.empty()) {
        return;
    }
    FlowRow flow(width);
    const ChipView& first = v.print_languages.front();
    const float w = flow.Place(InlineLabelWidth(t, v.print_language_label),
                               ChipWidth(first.label, first.active));
    InlineLabel(t, v.print_language_label, w);
    ImGui::PushID("print-languages");
    for (std::size_t i = 0; i < v.print_languages.size(); ++i) {
        const ChipView& c = v.print_languages[i];
        const float cw = flow.Place(ChipWidth(c.label, c.active));
        ImGui::PushID(static_cast<int>(i));
        if (Chip(t, c.label, c.active, cw)) {
            intents.staff.push_back(c.intent);
        }
        ImGui::PopID();
    }
    ImGui::PopID();
}

/// Today's participants, name and group; the chosen one outlined and marked.
void People(const ReferralView& v, const Theme& t, UiIntents& intents) {
    const float width = ImGui::GetContentRegionAvail().x;
    const float row_h = RowHeight(t);
    const float pad = t.Px(18);
    for (const ParticipantOption& person : v.participants) {
        if (!ImGui::IsRectVisible(ImVec2(width, row_h))) {
            ImGui::Dummy(ImVec2(width, row_h));
            continue;
        }
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::PushID(person.person_ref.c_str());
        ImGui::PushStyleColor(ImGuiCol_Button, person.chosen ? Vec(kButtonActive) : Vec(kPanel));
        if (ImGui::Button("##person", ImVec2(width, row_h))) {
            intents.staff.push_back(intent::referral::Pick{person.person_ref});
        }
        ImGui::PopStyleColor();
        ImGui::PopID();
        float x = p.x + pad;
        if (person.chosen) {
            ImDrawList* dl = ImGui::GetWindowDrawList();
            dl->AddRect(p, ImVec2(p.x + width, p.y + row_h), ImGui::GetColorU32(Vec(kText)),
                        ImGui::GetStyle().FrameRounding, 0, t.Px(3));
            const float r = t.body->FontSize * 0.25f;
            dl->AddCircleFilled(ImVec2(x + r, p.y + row_h * 0.5f), r,
                                ImGui::GetColorU32(Vec(kText)));
            x += 2 * r + t.Px(14);
        }
        TwoLines(t, person.name, person.group, ImVec2(x, p.y), p.x + width - pad - x, row_h);
    }
}

/// Who the referral is for: the chosen name, the scan button and, while it waits, its prompt.
void Participant(const ReferralView& v, const Theme& t, UiIntents& intents) {
    const float width = ImGui::GetContentRegionAvail().x;
    WrappedText(t.body, v.participant_label, Vec(kTextMuted));
    if (!v.participant_name.empty()) {
        WrappedText(t.heading, v.participant_name, Vec(kText));
    }
    if (v.waiting_for_scan) {
        ImGui::PushStyleColor(ImGuiCol_Button, Vec(kButtonActive));
    }
    if (TouchButton(t, v.scan_label + "###scan", std::min(width, TouchButtonWidth(v.scan_label)))) {
        intents.staff.push_back(intent::referral::ScanCard{});
    }
    if (v.waiting_for_scan) {
        ImGui::PopStyleColor();
        StatusBox(t, v.scan_prompt, StatusTone::kInfo, width);
    }
}

/// "Or pick from today's groups", the name filter, then the people.
void PickList(const ReferralView& v, const Theme& t, UiIntents& intents) {
    ImGui::Dummy(ImVec2(0, t.Px(8)));
    WrappedText(t.body, v.pick_label, Vec(kTextMuted));
    if (FieldButton(t, "##people-filter", v.filter_label, v.filter_text, "",
                    ImGui::GetContentRegionAvail().x)) {
        intents.staff.push_back(intent::referral::EditFilter{});
    }
    People(v, t, intents);
}

/// Preview, and in words what is still missing before it can be.
void BottomBar(const ReferralView& v, const Theme& t, float width, UiIntents& intents) {
    const float preview_w = std::min(width * 0.4f, TouchButtonWidth(v.preview_label));
    if (v.can_preview) {
        ImGui::PushStyleColor(ImGuiCol_Button, Vec(kCheckedIn));
    }
    if (TouchButton(t, v.preview_label + "###preview", preview_w, v.can_preview)) {
        intents.staff.push_back(intent::referral::Preview{});
    }
    if (v.can_preview) {
        ImGui::PopStyleColor();
    } else {
        const ImVec2 p = ImGui::GetItemRectMin();
        const float x = p.x + preview_w + t.Px(24);
        CellText(t.body, v.missing, ImVec2(x, p.y + (t.TouchTarget() - t.body->FontSize) * 0.5f),
                 p.x + width - x, Vec(kTextMuted));
    }
}

}  // namespace

void DrawReferral(const ReferralView& v, const Theme& t, UiIntents& intents, bool compact) {
    const float width = ImGui::GetContentRegionAvail().x;
    const float height = ImGui::GetContentRegionAvail().y;
    if (compact) {
        // The keyboard types the name filter: only the list it filters shows.
        if (height > t.Px(40)) {
            BeginTouchScroll("people-scroll", ImVec2(width, height), t);
            People(v, t, intents);
            EndTouchScroll();
        }
        return;
    }
    const float body_h = height - t.TouchTarget() - ImGui::GetStyle().ItemSpacing.y;
    if (body_h > t.Px(40)) {
        if (WideLayout(t, width)) {
            const float left_w = std::floor((width - ImGui::GetStyle().ItemSpacing.x) * 0.48f);
            BeginTouchScroll("referral-scroll", ImVec2(left_w, body_h), t);
            Items(v, t, intents);
            Options(v, t, intents);
            EndTouchScroll();
            ImGui::SameLine();
            BeginTouchScroll("people-scroll",
                             ImVec2(width - left_w - ImGui::GetStyle().ItemSpacing.x, body_h), t);
            Participant(v, t, intents);
            PickList(v, t, intents);
            EndTouchScroll();
        } else {
            // One column: the long list of people goes last, so nothing hides below it.
            BeginTouchScroll("referral-scroll", ImVec2(width, body_h), t);
            Items(v, t, intents);
            ImGui::Dummy(ImVec2(0, t.Px(16)));
            Participant(v, t, intents);
            Options(v, t, intents);
            PickList(v, t, intents);
            EndTouchScroll();
        }
    }
    BottomBar(v, t, width, intents);
}

}  // namespace kiosk::ui
