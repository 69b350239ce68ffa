// Rosters (SCREENS.md 6): today's sessions with a room filter, one session's people with their
// status, week and actions, and the "by hand" dialog with its reasons. Lists longer than the
// screen are paged, never scrolled. Names come from the view and are drawn only here.
#include <imgui.h>

#include "kiosk/ui/Colour.h"
#include "kiosk/ui/Screens.h"
#include "kiosk/ui/StaffWidgets.h"

namespace kiosk::ui {
namespace {

/// A row of choice buttons (room chips, sort, reasons) that wraps to the next line.
template <class Item, class Label, class Active, class OnPick>
void Chips(const std::vector<Item>& items, const Theme& t, float width, Label label, Active active,
           OnPick pick) {
    float x = 0.0f;
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string text = (active(items[i]) ? "\xe2\x80\xa2 " : "") + label(items[i]);
        const float w = std::min(width, TouchButtonWidth(text));
        if (i > 0 && x + gap + w <= width) {
            ImGui::SameLine();
            x += gap;
        } else {
            x = 0.0f;
        }
        ImGui::PushID(static_cast<int>(i));
        if (active(items[i])) {
            ImGui::PushStyleColor(ImGuiCol_Button, Vec(kButtonActive));
        }
        if (TouchButton(t, text, w)) {
            pick(items[i]);
        }
        if (active(items[i])) {
            ImGui::PopStyleColor();
        }
        ImGui::PopID();
        x += w;
    }
}

void RosterHeader(const RosterView& v, const Theme& t, float width, UiIntents& intents);
void DrawRosterLines(const RosterView& v, const Theme& t, float width, UiIntents& intents,
                     unsigned visit);

}  // namespace

void DrawSessions(const SessionsView& v, const Theme& t, UiIntents& intents, unsigned visit) {
    const float width = ImGui::GetContentRegionAvail().x;
    Chips(
        v.rooms, t, width, [](const RoomChip& c) { return c.label; },
        [](const RoomChip& c) { return c.active; },
        [&](const RoomChip& c) { intents.staff.push_back(intent::sessions::ChooseRoom{c.id}); });
    ImGui::Spacing();
    if (v.sessions.empty()) {
        ImGui::TextColored(Vec(kTextMuted), "%s", v.empty.c_str());
        return;
    }
    const float row_h = std::max(t.TouchTarget(), t.body->FontSize + t.small->FontSize + t.Px(30));
    const float gap = t.Px(10);
    const float height = ImGui::GetContentRegionAvail().y;
    const PageRange range = PageRows("sessions", static_cast<int>(v.sessions.size()), row_h + gap,
                                     height, t, {visit, v.start_row});
    const float time_w = width * 0.14f, group_w = width * 0.36f, fac_w = width * 0.24f;
    for (int i = range.first; i < range.first + range.count; ++i) {
        const SessionLineView& s = v.sessions[static_cast<std::size_t>(i)];
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::PushID(s.id.c_str());
        if (ImGui::Button("##session", ImVec2(width, row_h))) {
            intents.staff.push_back(intent::sessions::OpenSession{s.id});
        }
        ImGui::PopID();
        const float y1 = p.y + t.Px(12), y2 = y1 + t.body->FontSize + t.Px(4);
        const ImVec4 time_colour = s.ended ? Vec(kTextMuted) : Vec(kText);
        CellText(t.body, s.time, ImVec2(p.x + t.Px(20), y1), time_w - t.Px(24), time_colour);
        if (s.running || s.ended) {
            CellText(t.small, s.running ? v.now_tag : v.ended_tag, ImVec2(p.x + t.Px(20), y2),
                     time_w - t.Px(24), s.running ? Vec(kAccent) : Vec(kTextMuted));
        }
        CellText(t.body, s.group, ImVec2(p.x + time_w, y1), group_w - t.Px(16), Vec(kText));
        CellText(t.small, s.room, ImVec2(p.x + time_w, y2), group_w - t.Px(16), Vec(kTextMuted));
        CellText(t.body, s.facilitator, ImVec2(p.x + time_w + group_w, y1), fac_w - t.Px(16),
                 Vec(kText));
        CellText(t.body, s.arrived, ImVec2(p.x + time_w + group_w + fac_w, y1),
                 width - time_w - group_w - fac_w - t.Px(16), Vec(kText));
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + row_h + gap));
    }
    Pager("sessions", range, t);
}

void DrawRoster(const RosterView& v, const Theme& t, UiIntents& intents, bool compact,
                unsigned visit) {
    const float width = ImGui::GetContentRegionAvail().x;
    if (!compact) {
        RosterHeader(v, t, width, intents);
    }
    DrawRosterLines(v, t, width, intents, visit);
}

namespace {

void RosterHeader(const RosterView& v, const Theme& t, float width, UiIntents& intents) {
    CellText(t.heading, v.heading, ImGui::GetCursorScreenPos(), width, Vec(kText));
    ImGui::Dummy(ImVec2(width, t.heading->FontSize + t.Px(4)));
    CellText(t.body, v.detail, ImGui::GetCursorScreenPos(), width, Vec(kTextMuted));
    ImGui::Dummy(ImVec2(width, t.body->FontSize + t.Px(8)));

    // Filter and sort.
    const std::string filter =
        v.filter_text.empty() ? v.filter_label : v.filter_label + ": " + v.filter_text;
    const float filter_w = std::min(width * 0.4f, TouchButtonWidth(filter));
    if (TouchButton(t, filter, filter_w)) {
        intents.staff.push_back(intent::roster::EditFilter{});
    }
    if (!v.filter_text.empty()) {
        ImGui::SameLine();
        if (TouchButton(t, v.clear_filter_label)) {
            intents.staff.push_back(intent::roster::ClearFilter{});
        }
    }
    ImGui::SameLine();
    const float sort_w = TouchButtonWidth("\xe2\x80\xa2 " + v.sort_status_label) +
                         TouchButtonWidth("\xe2\x80\xa2 " + v.sort_name_label) +
                         ImGui::CalcTextSize(v.sort_label.c_str()).x +
                         ImGui::GetStyle().ItemSpacing.x * 2;
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), width - sort_w));
    const ImVec2 sort_at = ImGui::GetCursorScreenPos();
    const float sort_label_w = ImGui::CalcTextSize(v.sort_label.c_str()).x;
    CellText(t.body, v.sort_label,
             ImVec2(sort_at.x, sort_at.y + (t.TouchTarget() - t.body->FontSize) * 0.5f),
             sort_label_w + 1.0f, Vec(kText));
    ImGui::Dummy(ImVec2(sort_label_w, t.TouchTarget()));
    ImGui::SameLine();
    const std::vector<std::pair<std::string, bool>> sorts = {
        {v.sort_status_label, v.sorted_by_status}, {v.sort_name_label, !v.sorted_by_status}};
    for (std::size_t i = 0; i < sorts.size(); ++i) {
        if (i > 0) {
            ImGui::SameLine();
        }
        ImGui::PushID(static_cast<int>(i) + 100);
        const std::string label = (sorts[i].second ? "\xe2\x80\xa2 " : "") + sorts[i].first;
        if (sorts[i].second) {
            ImGui::PushStyleColor(ImGuiCol_Button, Vec(kButtonActive));
        }
        if (TouchButton(t, label)) {
            intents.staff.push_back(intent::roster::Sort{i == 0});
        }
        if (sorts[i].second) {
            ImGui::PopStyleColor();
        }
        ImGui::PopID();
    }
    ImGui::Spacing();
}

void DrawRosterLines(const RosterView& v, const Theme& t, float width, UiIntents& intents,
                     unsigned visit) {
    if (v.lines.empty()) {
        ImGui::TextColored(Vec(kTextMuted), "%s", v.empty.c_str());
        return;
    }
    // Actions first: the buttons get the width they need, the text columns share the rest.
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float in_w = TouchButtonWidth(v.check_in_label);
    const float out_w = TouchButtonWidth(v.check_out_label);
    const float undo_w = TouchButtonWidth(v.undo_label);
    const float actions_w = std::max(in_w, out_w + gap + undo_w);
    const float text_w = width - actions_w - gap;
    const float name_w = text_w * 0.36f, status_w = text_w * 0.32f,
                hours_w = text_w - name_w - status_w;
    const float row_h = t.TouchTarget() + t.Px(12);
    const float height = ImGui::GetContentRegionAvail().y;
    const PageRange range =
        PageRows("roster", static_cast<int>(v.lines.size()), row_h, height, t, {visit, 0});
    for (int i = range.first; i < range.first + range.count; ++i) {
        const RosterLineView& line = v.lines[static_cast<std::size_t>(i)];
        const ImVec2 p = ImGui::GetCursorScreenPos();
        if (i % 2 == 0) {
            ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + width, p.y + row_h),
                                                      ImGui::GetColorU32(Vec(kPanel)), t.Px(8));
        }
        const float text_y = p.y + (row_h - t.body->FontSize) * 0.5f;
        CellText(t.body, line.name, ImVec2(p.x + t.Px(14), text_y), name_w - t.Px(20), Vec(kText));
        const float pill_y = p.y + (row_h - t.small->FontSize - t.Px(14)) * 0.5f;
        StatusPill(t, line.status, line.tone, ImVec2(p.x + name_w, pill_y), status_w - t.Px(12));
        float hx = p.x + name_w + status_w;
        if (!line.at_risk.empty()) {
            hx +=
                StatusPill(t, line.at_risk, StatusTone::kBad, ImVec2(hx, pill_y), hours_w * 0.5f) +
                t.Px(10);
        }
        const std::string hours =
            line.by_hand.empty() ? line.hours : line.hours + "  (" + line.by_hand + ")";
        CellText(t.small, hours, ImVec2(hx, p.y + (row_h - t.small->FontSize) * 0.5f),
                 p.x + name_w + status_w + hours_w - hx - t.Px(8), Vec(kTextMuted));
        ImGui::PushID(line.person_ref.c_str());
        const float by = p.y + (row_h - t.TouchTarget()) * 0.5f;
        const float shown_w =
            (line.can_check_in ? in_w : 0.0f) + (line.can_check_out ? out_w : 0.0f) +
            (line.can_undo ? undo_w : 0.0f) + (line.can_check_out && line.can_undo ? gap : 0.0f);
        float bx = p.x + width - shown_w - t.Px(8);  // right-aligned, where the hand expects them
        if (line.can_check_in) {
            ImGui::SetCursorScreenPos(ImVec2(bx, by));
            if (TouchButton(t, v.check_in_label, in_w)) {
                intents.staff.push_back(intent::roster::CheckIn{line.person_ref});
            }
        }
        if (line.can_check_out) {
            ImGui::SetCursorScreenPos(ImVec2(bx, by));
            if (TouchButton(t, v.check_out_label, out_w)) {
                intents.staff.push_back(intent::roster::CheckOut{line.person_ref});
            }
            bx += out_w + gap;
        }
        if (line.can_undo) {
            ImGui::SetCursorScreenPos(ImVec2(bx, by));
            if (TouchButton(t, v.undo_label, undo_w)) {
                intents.staff.push_back(intent::roster::Undo{line.person_ref});
            }
        }
        ImGui::PopID();
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + row_h));
    }
    Pager("roster", range, t);
}

}  // namespace

void DrawCorrection(const CorrectionView& v, const Theme& t, UiIntents& intents) {
    const float width = ImGui::GetContentRegionAvail().x;
    CellText(t.heading, v.title, ImGui::GetCursorScreenPos(), width, Vec(kText));
    ImGui::Dummy(ImVec2(width, t.heading->FontSize + t.Px(12)));
    ImGui::TextUnformatted(v.prompt.c_str());
    Chips(
        v.reasons, t, width, [](const ReasonOption& r) { return r.label; },
        [](const ReasonOption& r) { return r.chosen; },
        [&](const ReasonOption& r) {
            intents.staff.push_back(intent::correction::ChooseReason{r.code});
        });
    if (v.wants_text) {
        ImGui::Spacing();
        const std::string shown = v.text.empty() ? v.text_placeholder : v.text;
        ImGui::PushStyleColor(ImGuiCol_Button, Vec(kPanel));
        ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
        const bool edit = ImGui::Button("##reason-text", ImVec2(width, t.TouchTarget()));
        ImGui::PopStyleVar();
        ImGui::PopStyleColor();
        const ImVec2 r = ImGui::GetItemRectMin();
        CellText(t.body, shown,
                 ImVec2(r.x + t.Px(20), r.y + (t.TouchTarget() - t.body->FontSize) * 0.5f),
                 width - t.Px(40), v.text.empty() ? Vec(kTextMuted) : Vec(kText));
        if (edit) {
            intents.staff.push_back(intent::correction::EditText{});
        }
    }
    ImGui::Spacing();
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Button, v.can_confirm ? Vec(kCheckedIn) : Vec(kPanel));
    if (TouchButton(t, v.confirm_label, 0.0f, v.can_confirm)) {
        intents.staff.push_back(intent::correction::Confirm{});
    }
    ImGui::PopStyleColor();
    ImGui::SameLine();
    if (TouchButton(t, v.cancel_label)) {
        intents.staff.push_back(intent::correction::Cancel{});
    }
}

void DrawCorrectionText(const CorrectionView& v, const Theme& t) {
    const float width = ImGui::GetContentRegionAvail().x;
    CellText(t.heading, v.title, ImGui::GetCursorScreenPos(), width, Vec(kText));
    ImGui::Dummy(ImVec2(width, t.heading->FontSize + t.Px(12)));
}

}  // namespace kiosk::ui
