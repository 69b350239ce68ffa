// Resources (SCREENS.md 7): the search box, category chips and filters, results as large cards
// in a finger-scrolled list, and the detail pane of one place. Lays out ResourcesView only: what
// a search finds and what a chip does belong to the app's controller, never to this file.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "kiosk/ui/Colour.h"
#include "kiosk/ui/Screens.h"
#include "kiosk/ui/StaffWidgets.h"

namespace kiosk::ui {
namespace {

constexpr float kNameScale = 1.1f;  // card names: the bold face, a little above body size
constexpr const char* kAddGlyph = "+";
constexpr const char* kRemoveGlyph = "\xc3\x97";  // ×, when the view has no words for it

float GapX() {
    return ImGui::GetStyle().ItemSpacing.x;
}
float GapY() {
    return ImGui::GetStyle().ItemSpacing.y;
}
/// A card's or the detail's button: adds the place to the referral, or removes it.
ResourcesIntent AddOrRemove(bool in_referral, const std::string& id) {
    if (in_referral) {
        return intent::resources::Remove{id};
    }
    return intent::resources::Add{id};
}

float PillHeight(const Theme& t) {
    return t.small->FontSize + t.Px(14);  // as StatusPill draws it
}

/// The search field, its clear button and the referral button, on one line.
void SearchRow(const ResourcesView& v, const Theme& t, float width, UiIntents& intents) {
    const bool has_text = !v.search_text.empty();
    const float referral_w = std::min(width * 0.3f, TouchButtonWidth(v.referral_label));
    const float clear_w = has_text ? std::min(width * 0.2f, TouchButtonWidth(v.clear_label)) : 0.0f;
    const float field_w = width - referral_w - GapX() - (has_text ? clear_w + GapX() : 0.0f);
    if (FieldButton(t, "##search", v.search_label, v.search_text, v.search_placeholder, field_w)) {
        intents.staff.push_back(intent::resources::EditSearch{});
    }
    if (has_text) {
        ImGui::SameLine();
        if (TouchButton(t, v.clear_label + "###clear", clear_w)) {
            intents.staff.push_back(intent::resources::ClearSearch{});
        }
    }
    ImGui::SameLine();
    const bool any = v.referral_count > 0;
    if (any) {
        ImGui::PushStyleColor(ImGuiCol_Button, Vec(kCheckedIn));
    }
    if (TouchButton(t, v.referral_label + "###referral", referral_w, any)) {
        intents.staff.push_back(intent::resources::OpenReferral{});
    }
    if (any) {
        ImGui::PopStyleColor();
    }
}

/// Chips of one kind, each sending its own intent.
void ChipGroup(const char* id, const std::vector<ChipView>& chips, FlowRow& flow, const Theme& t,
               UiIntents& intents) {
    ImGui::PushID(id);
    for (std::size_t i = 0; i < chips.size(); ++i) {
        const ChipView& c = chips[i];
        const float w = flow.Place(ChipWidth(c.label, c.active));
        ImGui::PushID(static_cast<int>(i));
        if (Chip(t, c.label, c.active, w)) {
            intents.staff.push_back(c.intent);
        }
        ImGui::PopID();
    }
    ImGui::PopID();
}

float FirstChipWidth(const std::vector<ChipView>& chips) {
    return chips.empty() ? 0.0f : ChipWidth(chips.front().label, chips.front().active);
}

/// The filter line: two toggles, then "Language" and "Distance" each with their chips. Drawn
/// with `layout`, or only measured without (then nothing is submitted and 0 intents arise).
float FilterLine(const ResourcesView& v, const Theme& t, float width, bool layout,
                 UiIntents& intents) {
    FlowRow flow(width, layout);
    float w = flow.Place(ToggleWidth(t, v.open_now_label));
    if (layout && Toggle(t, v.open_now_label, v.open_now, w)) {
        intents.staff.push_back(intent::resources::ToggleOpenNow{});
    }
    w = flow.Place(ToggleWidth(t, v.free_label));
    if (layout && Toggle(t, v.free_label, v.free_only, w)) {
        intents.staff.push_back(intent::resources::ToggleFree{});
    }
    const struct {
        const char* id;
        const std::string& label;
        const std::vector<ChipView>& chips;
    } groups[] = {{"languages", v.language_label, v.languages},
                  {"distances", v.distance_label, v.distances}};
    for (const auto& g : groups) {
        if (g.chips.empty()) {
            continue;
        }
        w = flow.Place(InlineLabelWidth(t, g.label), FirstChipWidth(g.chips));
        if (layout) {
            InlineLabel(t, g.label, w);
            ChipGroup(g.id, g.chips, flow, t, intents);
        } else {
            for (const ChipView& c : g.chips) {
                flow.Place(ChipWidth(c.label, c.active));
            }
        }
    }
    return flow.Height(t.TouchTarget());
}

float CategoryLine(const ResourcesView& v, const Theme& t, float width, bool layout,
                   UiIntents& intents) {
    FlowRow flow(width, layout);
    if (layout) {
        ChipGroup("categories", v.categories, flow, t, intents);
    } else {
        for (const ChipView& c : v.categories) {
            flow.Place(ChipWidth(c.label, c.active));
        }
    }
    return flow.Height(t.TouchTarget());
}

/// Categories and filters, with the space after them.
void Filters(const ResourcesView& v, const Theme& t, float width, UiIntents& intents) {
    CategoryLine(v, t, width, true, intents);
    ImGui::Dummy(ImVec2(0, t.Px(4)));
    FilterLine(v, t, width, true, intents);
    ImGui::Dummy(ImVec2(0, t.Px(4)));
}

float FiltersHeight(const ResourcesView& v, const Theme& t, float width) {
    UiIntents none;
    return CategoryLine(v, t, width, false, none) + FilterLine(v, t, width, false, none) +
           2 * (t.Px(4) + 2 * GapY());
}

float CardHeight(const Theme& t) {
    const float pad = t.Px(18);
    const float left = pad + t.body->FontSize * kNameScale + t.Px(6) + t.body->FontSize + t.Px(4) +
                       t.small->FontSize + t.Px(10) + PillHeight(t) + pad;
    const float right =
        pad + t.body->FontSize + t.Px(8) + PillHeight(t) + t.Px(8) + t.TouchTarget() + pad;
    return std::max(left, right);
}

/// One result: the left part opens the detail, the button at the right adds or removes it.
void Card(const ResourcesView& v, const ResourceCardView& c, const Theme& t, float width,
          float height, UiIntents& intents) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float pad = t.Px(18);
    const std::string& words = c.in_referral ? v.card_remove_label : v.card_add_label;
    const std::string action = words.empty() ? (c.in_referral ? kRemoveGlyph : kAddGlyph) : words;
    const float distance_w =
        t.body->CalcTextSizeA(t.body->FontSize, FLT_MAX, 0.0f, c.distance.c_str()).x;
    const float added_w =
        c.in_referral ? StatusPillWidth(t, v.added_label, StatusTone::kGood) : 0.0f;
    const float right_w = std::clamp(std::max({TouchButtonWidth(action), distance_w, added_w}),
                                     t.TouchTarget() * 1.5f, width * 0.4f);
    const float right_x = p.x + width - pad - right_w;
    const float text_x = p.x + pad;
    const float text_w = right_x - GapX() - text_x;

    ImGui::PushID(c.id.c_str());
    ImGui::SetCursorScreenPos(p);
    if (ImGui::InvisibleButton("##card", ImVec2(right_x - GapX() * 0.5f - p.x, height))) {
        intents.staff.push_back(intent::resources::OpenDetail{c.id});
    }
    const bool pressed = ImGui::IsItemActive();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p1(p.x + width, p.y + height);
    const ImVec4 fill = pressed ? Vec(kButtonActive) : c.selected ? Vec(kButton) : Vec(kPanel);
    dl->AddRectFilled(p, p1, ImGui::GetColorU32(fill), t.Px(12));
    if (c.selected) {  // the card whose detail is open: outlined, not only lighter
        dl->AddRect(p, p1, ImGui::GetColorU32(Vec(kAccent)), t.Px(12), 0, t.Px(4));
    }

    float y = p.y + pad;
    const float name_size = t.body->FontSize * kNameScale;
    CellText(t.heading, c.name, ImVec2(text_x, y), text_w, Vec(kText), name_size);
    y += name_size + t.Px(6);
    CellText(t.body, c.organization, ImVec2(text_x, y), text_w, Vec(kTextMuted));
    y += t.body->FontSize + t.Px(4);
    CellText(t.small, c.categories, ImVec2(text_x, y), text_w, Vec(kAccent));
    y += t.small->FontSize + t.Px(10);
    float contact_x = text_x;
    if (!c.open_text.empty()) {
        // Open: green with a check; otherwise amber with a clock. The words say which.
        contact_x +=
            StatusPill(t, c.open_text, c.open_now ? StatusTone::kGood : StatusTone::kWarning,
                       ImVec2(text_x, y), text_w * 0.6f) +
            t.Px(16);
    }
    std::string contact = c.address;
    if (!c.phone.empty()) {
        contact += (contact.empty() ? "" : "  \xc2\xb7  ") + c.phone;
    }
    CellText(t.small, contact, ImVec2(contact_x, y + t.Px(7)), text_x + text_w - contact_x,
             Vec(kTextMuted));

    float ry = p.y + pad;
    if (!c.distance.empty()) {
        const float w = std::min(distance_w, right_w);
        CellText(t.body, c.distance, ImVec2(right_x + right_w - w, ry), w + 1.0f, Vec(kText));
    }
    ry += t.body->FontSize + t.Px(8);
    if (c.in_referral) {
        StatusPill(t, v.added_label, StatusTone::kGood, ImVec2(right_x, ry), right_w);
    }
    ImGui::SetCursorScreenPos(ImVec2(right_x, p.y + height - pad - t.TouchTarget()));
    if (TouchButton(t, action + "###action", right_w)) {
        intents.staff.push_back(AddOrRemove(c.in_referral, c.id));
    }
    ImGui::PopID();
    ImGui::SetCursorScreenPos(p);
    ImGui::Dummy(ImVec2(width, height));
}

/// The results list; with `with_filters` the chips and filters scroll along at its top.
void Results(const ResourcesView& v, const Theme& t, ImVec2 size, bool with_filters,
             UiIntents& intents) {
    BeginTouchScroll("results-scroll", size, t);
    const float width = ImGui::GetContentRegionAvail().x;
    if (with_filters) {
        Filters(v, t, width, intents);
    }
    WrappedText(t.body, v.summary, Vec(kTextMuted));
    if (v.results.empty()) {
        ImGui::Dummy(ImVec2(0, t.Px(16)));
        WrappedText(t.heading, v.empty, Vec(kText));
    }
    // Two columns of cards when a card would otherwise be mostly empty space.
    const int columns = width >= t.Px(1500) ? 2 : 1;
    const float card_w =
        (width - GapX() * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    const float card_h = CardHeight(t);
    for (std::size_t i = 0; i < v.results.size(); ++i) {
        if (i % columns != 0) {
            ImGui::SameLine();
        }
        if (ImGui::IsRectVisible(ImVec2(card_w, card_h))) {
            Card(v, v.results[i], t, card_w, card_h, intents);
        } else {
            ImGui::Dummy(ImVec2(card_w, card_h));  // keeps the list's height; draws nothing
        }
    }
    if (!v.more_label.empty()) {
        if (TouchButton(t, v.more_label + "###more", width)) {
            intents.staff.push_back(intent::resources::ShowMore{});
        }
    }
    EndTouchScroll();
}

/// Facts as label and value; side by side when the pane is wide enough, else stacked.
void Facts(const std::vector<LabelledText>& facts, const Theme& t) {
    const float width = ImGui::GetContentRegionAvail().x;
    const bool side_by_side = width >= t.Px(640);
    const float label_w = width * 0.32f;
    for (const LabelledText& f : facts) {
        ImGui::Separator();
        if (!side_by_side) {
            WrappedText(t.small, f.label, Vec(kTextMuted));
            WrappedText(t.body, f.text, Vec(kText));
            continue;
        }
        const float x0 = ImGui::GetCursorPosX();
        const float top = ImGui::GetCursorPosY();
        ImGui::PushFont(t.body);
        ImGui::PushStyleColor(ImGuiCol_Text, Vec(kTextMuted));
        ImGui::PushTextWrapPos(x0 + label_w - t.Px(16));
        ImGui::TextUnformatted(f.label.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
        ImGui::PopFont();
        const float label_bottom = ImGui::GetCursorPosY();
        ImGui::SetCursorPos(ImVec2(x0 + label_w, top));
        WrappedText(t.body, f.text, Vec(kText));
        ImGui::SetCursorPosY(std::max(label_bottom, ImGui::GetCursorPosY()));
    }
}

/// The detail of one place: its facts scroll, its buttons stay at the bottom.
void Detail(const ResourceDetailView& d, const Theme& t, ImVec2 size, UiIntents& intents) {
    const std::string& action = d.in_referral ? d.remove_label : d.add_label;
    FlowRow measure(size.x, false);
    measure.Place(TouchButtonWidth(action));
    measure.Place(TouchButtonWidth(d.close_label));
    const float buttons_h = measure.Height(t.TouchTarget());
    const float scroll_h = size.y - buttons_h - GapY();
    ImGui::PushID("detail");
    ImGui::BeginGroup();
    if (scroll_h > t.Px(40)) {
        BeginTouchScroll("detail-scroll", ImVec2(size.x, scroll_h), t, {true, true});
        ImGui::PushID(d.id.c_str());
        WrappedText(t.heading, d.name, Vec(kText));
        WrappedText(t.body, d.organization, Vec(kTextMuted));
        WrappedText(t.small, d.categories, Vec(kAccent));
        if (!d.open_text.empty()) {
            const float w = ImGui::GetContentRegionAvail().x;
            StatusPill(t, d.open_text, d.open_now ? StatusTone::kGood : StatusTone::kWarning,
                       ImGui::GetCursorScreenPos(), w);
            ImGui::Dummy(ImVec2(w, PillHeight(t)));
        }
        ImGui::Dummy(ImVec2(0, t.Px(4)));
        WrappedText(t.body, d.description, Vec(kText));
        Facts(d.facts, t);
        ImGui::PopID();
        EndTouchScroll();
    }
    FlowRow row(size.x);
    float w = row.Place(TouchButtonWidth(action));
    if (!d.in_referral) {
        ImGui::PushStyleColor(ImGuiCol_Button, Vec(kCheckedIn));
    }
    if (TouchButton(t, action + "###add-remove", w)) {
        intents.staff.push_back(AddOrRemove(d.in_referral, d.id));
    }
    if (!d.in_referral) {
        ImGui::PopStyleColor();
    }
    w = row.Place(TouchButtonWidth(d.close_label));
    if (TouchButton(t, d.close_label + "###close", w)) {
        intents.staff.push_back(intent::resources::CloseDetail{});
    }
    ImGui::EndGroup();
    ImGui::PopID();
}

}  // namespace

bool WideLayout(const Theme& t, float width) {
    return width >= t.Px(1200);
}

void DrawResources(const ResourcesView& v, const Theme& t, UiIntents& intents, bool compact) {
    const float width = ImGui::GetContentRegionAvail().x;
    if (compact) {
        // The keyboard is up: its own line shows what is typed; the results follow it live.
        const float h = ImGui::GetContentRegionAvail().y;
        if (h > t.Px(40)) {
            Results(v, t, ImVec2(width, h), false, intents);
        }
        return;
    }
    SearchRow(v, t, width, intents);
    const float body_h = ImGui::GetContentRegionAvail().y;
    const bool wide = WideLayout(t, width);
    // Chips and filters stay put above the list when that leaves the list most of the page; on
    // short screens, and while a detail pane wants the height, they scroll with the list.
    const float filters_h = FiltersHeight(v, t, width);
    const bool fixed_filters =
        !v.detail && body_h - filters_h >= std::max(2.0f * CardHeight(t), body_h * 0.5f);
    if (fixed_filters) {
        Filters(v, t, width, intents);
    }
    const float list_h = ImGui::GetContentRegionAvail().y;
    if (list_h <= t.Px(40)) {
        return;
    }
    if (!v.detail) {
        Results(v, t, ImVec2(width, list_h), !fixed_filters, intents);
    } else if (wide) {
        const float results_w = std::floor((width - GapX()) * 0.55f);
        Results(v, t, ImVec2(results_w, list_h), !fixed_filters, intents);
        ImGui::SameLine();
        Detail(*v.detail, t, ImVec2(width - results_w - GapX(), list_h), intents);
    } else {
        Detail(*v.detail, t, ImVec2(width, list_h), intents);  // over the results
    }
}

}  // namespace kiosk::ui
