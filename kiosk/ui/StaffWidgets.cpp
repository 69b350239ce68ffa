// Text in cells is drawn on the draw list, not laid out, so a long name or a long Spanish
// label can never widen a window past the screen; its space is reserved by the row.
#include "kiosk/ui/StaffWidgets.h"

#include <algorithm>

#include "kiosk/ui/Colour.h"
#include "kiosk/ui/Draw.h"

namespace kiosk::ui {
ImVec4 ToneColour(StatusTone tone) {
    switch (tone) {
        case StatusTone::kGood:
            return Vec(kCheckedIn);
        case StatusTone::kWarning:
            return Vec(kAlreadyIn);
        case StatusTone::kBad:
            return Vec(kSeeFrontDesk);
        case StatusTone::kInfo:
            return Vec(kCheckedOut);
        case StatusTone::kNeutral:
            break;
    }
    return Vec(kButton);
}

void CellText(ImFont* font, const std::string& text, ImVec2 pos, float width, ImVec4 colour) {
    if (width <= 0.0f || text.empty()) {
        return;
    }
    const float size = font->FontSize;
    std::string shown = text;
    if (font->CalcTextSizeA(size, FLT_MAX, 0.0f, shown.c_str()).x > width) {
        const std::string ellipsis = "\xe2\x80\xa6";
        while (!shown.empty() &&
               font->CalcTextSizeA(size, FLT_MAX, 0.0f, (shown + ellipsis).c_str()).x > width) {
            do {  // drop a whole UTF-8 character
                shown.pop_back();
            } while (!shown.empty() && (static_cast<unsigned char>(shown.back()) & 0xC0) == 0x80);
        }
        shown += ellipsis;
    }
    ImGui::GetWindowDrawList()->AddText(font, size, pos, ImGui::GetColorU32(colour), shown.c_str());
}

float StatusPill(const Theme& t, const std::string& text, StatusTone tone, ImVec2 pos,
                 float max_width) {
    ImFont* font = t.small;
    const float h = font->FontSize + t.Px(14);
    const float icon = tone == StatusTone::kNeutral ? 0.0f : h * 0.8f;
    const float text_w = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, text.c_str()).x;
    const float w = std::min(max_width, text_w + icon + t.Px(28));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(pos, ImVec2(pos.x + w, pos.y + h), ImGui::GetColorU32(ToneColour(tone)),
                      h * 0.5f);
    if (icon > 0.0f) {
        const ResultTone shape = tone == StatusTone::kGood      ? ResultTone::kCheckedIn
                                 : tone == StatusTone::kInfo    ? ResultTone::kCheckedOut
                                 : tone == StatusTone::kWarning ? ResultTone::kAlreadyIn
                                                                : ResultTone::kSeeFrontDesk;
        DrawResultIcon(dl, shape, ImVec2(pos.x + t.Px(12) + icon * 0.5f, pos.y + h * 0.5f),
                       icon * 0.38f);
    }
    CellText(font, text, ImVec2(pos.x + t.Px(14) + icon, pos.y + t.Px(7)), w - icon - t.Px(24),
             Vec(kText));
    return w;
}

float TouchButtonWidth(const Theme& t, const std::string& label) {
    (void)t;
    return ImGui::CalcTextSize(label.c_str(), nullptr, true).x +
           ImGui::GetStyle().FramePadding.x * 2.0f;
}

bool TouchButton(const Theme& t, const std::string& label, float width, bool enabled) {
    if (!enabled) {
        ImGui::PushStyleVar(ImGuiStyleVar_Alpha, 0.55f);
    }
    const bool pressed = ImGui::Button(label.c_str(), ImVec2(width, t.TouchTarget())) && enabled;
    if (!enabled) {
        ImGui::PopStyleVar();
    }
    return pressed;
}

PageRange PageRows(const char* id, int total, float row_height, float height, const Theme& t) {
    PageRange r;
    const int fits_all = std::max(1, static_cast<int>(height / row_height));
    if (total <= fits_all) {
        r.count = total;
        return r;
    }
    const float strip = t.TouchTarget() + ImGui::GetStyle().ItemSpacing.y;
    const int per_page = static_cast<int>((height - strip) / row_height);
    if (per_page < 1) {
        return r;  // no room for a row and the pager: show nothing rather than overflow
    }
    r.paged = true;
    r.pages = (total + per_page - 1) / per_page;
    int* page = ImGui::GetStateStorage()->GetIntRef(ImGui::GetID(id), 0);
    *page = std::clamp(*page, 0, r.pages - 1);
    r.page = *page;
    r.first = r.page * per_page;
    r.count = std::min(per_page, total - r.first);
    return r;
}

void Pager(const char* id, const PageRange& range, const Theme& t) {
    if (!range.paged) {
        return;
    }
    int* page = ImGui::GetStateStorage()->GetIntRef(ImGui::GetID(id), 0);
    ImGui::PushID(id);
    ImGui::PushFont(t.heading);
    if (TouchButton(t, "\xe2\x80\xb9", t.TouchTarget() * 1.6f, range.page > 0)) {
        *page = range.page - 1;
    }
    ImGui::SameLine();
    const std::string label = std::to_string(range.page + 1) + " / " + std::to_string(range.pages);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(label.c_str());
    ImGui::SameLine();
    if (TouchButton(t, "\xe2\x80\xba", t.TouchTarget() * 1.6f, range.page + 1 < range.pages)) {
        *page = range.page + 1;
    }
    ImGui::PopFont();
    ImGui::PopID();
}

}  // namespace kiosk::ui
