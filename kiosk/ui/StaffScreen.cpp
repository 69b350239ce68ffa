// The frame around every staff page (SCREENS.md 5): title, who is signed in, Back and Sign out,
// the idle countdown, the last action's notice; then the page, the "by hand" dialog and the
// on-screen keyboard. Every tap is also reported as activity (it keeps the page from locking).
#include <imgui.h>

#include "kiosk/ui/Colour.h"
#include "kiosk/ui/Screens.h"
#include "kiosk/ui/StaffWidgets.h"

namespace kiosk::ui {
namespace {

void Banner(const std::string& text, ImVec4 colour, const Theme& t, float width) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = t.body->FontSize + t.Px(20);
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + width, p.y + h),
                                              ImGui::GetColorU32(colour), t.Px(10));
    CellText(t.body, text, ImVec2(p.x + t.Px(20), p.y + t.Px(10)), width - t.Px(40), Vec(kText));
    ImGui::Dummy(ImVec2(width, h));
}

void TopBar(const StaffView& v, const Theme& t, float width, UiIntents& intents) {
    const float top = ImGui::GetCursorPosY();
    float x = ImGui::GetCursorPosX();
    if (!v.back_label.empty()) {
        if (TouchButton(t, "\xe2\x80\xb9 " + v.back_label)) {
            intents.staff.push_back(intent::frame::Back{});
        }
        ImGui::SameLine();
        x = ImGui::GetCursorPosX();
    }
    const float cancel_w = TouchButtonWidth(v.cancel_label);
    const float cancel_x = ImGui::GetStyle().WindowPadding.x + width - cancel_w;
    const float title_h = t.heading->FontSize;
    const ImVec2 origin = ImGui::GetWindowPos();
    float name_w = 0.0f;
    if (!v.signed_in_as.empty()) {
        name_w = std::min(
            t.body->CalcTextSizeA(t.body->FontSize, FLT_MAX, 0.0f, v.signed_in_as.c_str()).x,
            width * 0.3f);
        CellText(t.body, v.signed_in_as,
                 ImVec2(origin.x + cancel_x - name_w - t.Px(24),
                        origin.y + top + (t.TouchTarget() - t.body->FontSize) * 0.5f),
                 name_w, Vec(kTextMuted));
    }
    const float title_w = cancel_x - x - name_w - t.Px(48);
    CellText(t.heading, v.title,
             ImVec2(origin.x + x, origin.y + top + (t.TouchTarget() - title_h) * 0.5f), title_w,
             Vec(kText));
    ImGui::SetCursorPos(ImVec2(cancel_x, top));
    if (TouchButton(t, v.cancel_label)) {
        intents.staff.push_back(intent::frame::Cancel{});
    }
}

}  // namespace

void DrawStaff(const StaffView& v, const Theme& t, const Textures& textures, UiIntents& intents) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const ImVec2 pad = ImGui::GetStyle().WindowPadding;
    const float width = display.x - 2 * pad.x;
    TopBar(v, t, width, intents);
    ImGui::SetCursorPosX(pad.x);
    if (!v.countdown.empty()) {
        Banner(v.countdown, Vec(kAlreadyIn), t, width);
    }
    if (!v.notice.empty()) {
        Banner(v.notice, v.notice_is_error ? Vec(kSeeFrontDesk) : Vec(kCheckedIn), t, width);
    }
    const float keyboard_h =
        v.keyboard ? KeyboardHeight(t) + ImGui::GetStyle().ItemSpacing.y : 0.0f;
    const float content_h = display.y - pad.y - ImGui::GetCursorPosY() - keyboard_h;
    ImGui::BeginChild("staff-page", ImVec2(width, content_h), false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    if (v.correction) {
        // The dialog takes the page's place, so nothing under it can be touched by mistake.
        if (v.keyboard) {
            DrawCorrectionText(*v.correction, t);
        } else {
            DrawCorrection(*v.correction, t, intents);
        }
    } else {
        switch (v.page) {
            case StaffPage::kBadge:
                DrawBadgePage(v.badge, t);  // the badge arrives as a scan
                break;
            case StaffPage::kPin:
                DrawPinPage(v.pin, t, intents);
                break;
            case StaffPage::kHome:
                DrawStaffHome(v.home, t, intents);
                break;
            case StaffPage::kSessions:
                DrawSessions(v.sessions, t, intents, v.list_visit);
                break;
            case StaffPage::kRoster:
                DrawRoster(v.roster, t, intents, v.keyboard.has_value(), v.list_visit);
                break;
            case StaffPage::kStatus:
                DrawKioskStatus(v.status, t, v.list_visit);
                break;
            case StaffPage::kResources:
                DrawResources(v.resources, t, intents, v.keyboard.has_value());
                break;
            case StaffPage::kReferral:
                DrawReferral(v.referral, t, intents, v.keyboard.has_value());
                break;
            case StaffPage::kPreview:
            case StaffPage::kCardPreview:
                DrawPreview(v.preview, t, textures.referral_page, intents);
                break;
            case StaffPage::kCards:
                DrawCards(v.cards, t, intents, v.keyboard.has_value(), v.list_visit);
                break;
        }
    }
    ImGui::EndChild();
    if (v.keyboard) {
        ImGui::SetCursorPos(ImVec2(pad.x, display.y - pad.y - KeyboardHeight(t)));
        DrawKeyboard(*v.keyboard, t, width, intents);
    }
}

}  // namespace kiosk::ui
