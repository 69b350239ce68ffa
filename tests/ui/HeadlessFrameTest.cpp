// The screens drawn with no window at all (ImGui context + font atlas, no backend), at the
// display sizes of SCREENS.md: nothing is drawn off screen, text is at the promised sizes,
// and the longest Spanish texts still fit.
#include <doctest/doctest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include "kiosk/app/OnScreenKeyboard.h"
#include "kiosk/ui/Screens.h"
#include "ui/Headless.h"

using namespace kiosk;
using kiosk::test::Headless;

namespace {

FrameView Welcome(bool spanish) {
    FrameView v;
    v.screen = Screen::kWelcome;
    v.welcome.clinic_name = "Cedar Grove Health";
    v.welcome.clock = "10:45 AM";
    v.welcome.date = "22 de septiembre de 2026";  // the longest month in the longest form
    v.welcome.prompt =
        spanish ? "Escanee su tarjeta para registrar su llegada" : "Scan your card to check in";
    v.welcome.hint = "Acerque el código de su tarjeta o teléfono al escáner.";
    v.welcome.schedule_title = "Grupos de hoy";
    v.welcome.now_tag = "Ahora";
    for (int i = 0; i < 12; ++i) {
        v.welcome.schedule.push_back(
            {"10:45 AM", "Mindfulness & Coping Skills for Teens", "Family Room", i == 0});
    }
    v.welcome.languages = {{"en", "English", !spanish}, {"es", "Español", spanish}};
    return v;
}

FrameView ResultFrame() {
    FrameView v;
    v.screen = Screen::kResult;
    v.result.tone = ResultTone::kAlreadyIn;
    v.result.title = "Ya había registrado su llegada (desde las 10:45 AM)";
    v.result.lines = {"10:45 AM  Mindfulness & Coping Skills for Teens, Family Room",
                      "11:55 AM  Relapse Prevention, Oak Room",
                      "1:05 PM  Process Group, Maple Room"};
    v.result.close_hint = "Toque para cerrar";
    return v;
}

/// Every staff page with the longest texts they can get: Spanish labels, long names, a full
/// roster, the countdown and a notice at once, the dialog, the keyboard.
std::vector<FrameView> StaffFrames() {
    std::vector<FrameView> out;
    FrameView base;
    base.screen = Screen::kStaff;
    StaffView& s = base.staff;
    s.title = "Listas de asistencia";
    s.signed_in_as = "Begoña Ibarra-Fernández de Córdoba";
    s.back_label = "Volver";
    s.cancel_label = "Cerrar sesión";
    s.countdown = "Se bloquea en 14 s. Toque la pantalla para seguir.";
    s.notice = "María de los Ángeles Castañeda-Villanueva: llegada registrada a mano.";
    s.badge = {"Escanee su credencial de personal",
               "Acerque el código de su credencial al escáner.",
               "Esta credencial está bloqueada por demasiados PIN incorrectos. Inténtelo después "
               "de las 10:45 AM."};
    s.pin = {"Ingrese su PIN",
             "Begoña Ibarra",
             12,
             "PIN incorrecto. Quedan 4 intentos antes de bloquear la credencial.",
             false,
             "Aceptar",
             "Borrar"};
    s.home.greeting = "Hola, Begoña";
    s.home.tiles = {{"Listas de asistencia", "", intent::home::OpenRosters{}, true},
                    {"Recursos y derivaciones", "Llegará en una versión posterior",
                     intent::home::OpenResources{}, false},
                    {"Estado del quiosco", "", intent::home::OpenStatus{}, true}};
    s.sessions.heading = "Listas de hoy";
    s.sessions.now_tag = "Ahora";
    s.sessions.ended_tag = "Terminó";
    s.sessions.rooms = {{"", "Todas las salas", true}, {"a", "Oak Room", false},
                        {"b", "Maple Room", false},    {"c", "Willow Room", false},
                        {"d", "Birch Room", false},    {"e", "Family Room", false}};
    for (int i = 0; i < 14; ++i) {
        s.sessions.sessions.push_back(
            {"id" + std::to_string(i), "10:45 AM", "Mindfulness & Coping Skills for Teens",
             "Family Room", "Begoña Ibarra-Fernández", "18 de 18 llegaron", i == 0, i == 1});
    }
    RosterView& r = s.roster;
    r.heading = "10:45 AM  Mindfulness & Coping Skills for Teens, Family Room";
    r.detail = "Begoña Ibarra-Fernández  ·  18 de 18 llegaron";
    r.filter_label = "Buscar un nombre";
    r.filter_text = "castañeda villanueva";
    r.clear_filter_label = "Borrar";
    r.sort_label = "Ordenar:";
    r.sort_name_label = "Nombre";
    r.sort_status_label = "Estado";
    r.check_in_label = "Registrar llegada";
    r.check_out_label = "Registrar salida";
    r.undo_label = "Deshacer";
    for (int i = 0; i < 22; ++i) {
        RosterLineView l;
        l.person_ref = "Patient/p" + std::to_string(i);
        l.name = "María de los Ángeles Castañeda-Villanueva";
        l.status = "Salió 12:01 PM";
        l.tone = static_cast<StatusTone>(i % 5);
        l.hours = "8 h 59 min de 9 h";
        l.at_risk = i % 2 ? "En riesgo" : "";
        l.by_hand = "a mano";
        l.can_check_in = i % 3 == 0;
        l.can_check_out = i % 3 == 1;
        l.can_undo = i % 3 == 1;
        r.lines.push_back(l);
    }
    for (int i = 0; i < 12; ++i) {
        s.status.lines.push_back(
            {"Lo más antiguo en espera",
             "2026-11-21 10:45 AM (encounter) y un error muy largo del servidor",
             static_cast<StatusTone>(i % 5)});
    }
    for (StaffPage page : {StaffPage::kBadge, StaffPage::kPin, StaffPage::kHome,
                           StaffPage::kSessions, StaffPage::kRoster, StaffPage::kStatus}) {
        FrameView v = base;
        v.staff.page = page;
        out.push_back(v);
    }
    FrameView dialog = base;
    dialog.staff.page = StaffPage::kRoster;
    dialog.staff.correction =
        CorrectionView{"Registrar salida a mano: María de los Ángeles Castañeda-Villanueva",
                       "¿Por qué?",
                       {{"forgot-card", "Olvidó la tarjeta", false},
                        {"phone-dead", "Teléfono sin batería", false},
                        {"scanner-fault", "Falla del escáner", false},
                        {"left-early", "Salió temprano", false},
                        {"other", "Otro", true}},
                       true,
                       "El autobús sale antes y no puede quedarse hasta el final de hoy",
                       "Toque para escribir el motivo",
                       "Registrar salida",
                       "Cancelar",
                       true};
    out.push_back(dialog);
    OnScreenKeyboard keyboard;
    keyboard.Open("castañeda");
    FrameView typing = base;
    typing.staff.page = StaffPage::kRoster;
    typing.staff.keyboard =
        keyboard.View({"Buscar un nombre", "Espacio", "Borrar", "Mayús", "Listo"});
    out.push_back(typing);
    FrameView reason = dialog;
    reason.staff.keyboard = typing.staff.keyboard;
    out.push_back(reason);
    return out;
}

}  // namespace

TEST_CASE("every staff screen fits on every supported display, with the longest texts") {
    const std::pair<int, int> sizes[] = {{1280, 800}, {1920, 1080}, {3840, 2160}, {1024, 768}};
    for (auto [w, h] : sizes) {
        Headless ui(w, h);
        int n = 0;
        for (const FrameView& view : StaffFrames()) {
            ui.Draw(view);
            ImVec4 box = ui.Draw(view);
            CAPTURE(w);
            CAPTURE(h);
            const int frame_index = n++;
            CAPTURE(frame_index);
            CHECK(box.x >= 0.0f);
            CHECK(box.y >= 0.0f);
            CHECK(box.z <= static_cast<float>(w) + 0.5f);
            CHECK(box.w <= static_cast<float>(h) + 0.5f);
            std::string overflowing;
            for (const auto& name : ui.Overflowing()) {
                overflowing += name + " ";
            }
            CHECK_MESSAGE(overflowing.empty(), "needs scrolling: " << overflowing);
            // The page itself is a child window, so the overflow check above covers it.
            bool page_drawn = false;
            for (ImGuiWindow* win : ImGui::GetCurrentContext()->Windows) {
                page_drawn |= win->WasActive &&
                              std::string(win->Name).find("staff-page") != std::string::npos;
            }
            CHECK(page_drawn);
        }
    }
}

TEST_CASE("every screen fits on every supported display") {
    const std::pair<int, int> sizes[] = {{1280, 800}, {1920, 1080}, {3840, 2160}, {1024, 768}};
    for (auto [w, h] : sizes) {
        Headless ui(w, h);
        for (const FrameView& view : {Welcome(false), Welcome(true), ResultFrame()}) {
            ImVec4 box = ui.Draw(view);
            ImVec4 box2 = ui.Draw(view);  // the second frame has settled layout
            (void)box;
            CAPTURE(w);
            CAPTURE(h);
            CHECK(box2.x >= 0.0f);
            CHECK(box2.y >= 0.0f);
            CHECK(box2.z <= static_cast<float>(w) + 0.5f);
            CHECK(box2.w <= static_cast<float>(h) + 0.5f);
            // ImGui culls text outside the clip rectangle, so also check the layout itself.
            std::string overflowing;
            for (const auto& name : ui.Overflowing()) {
                overflowing += name + " ";
            }
            CHECK_MESSAGE(overflowing.empty(), "needs scrolling: " << overflowing);
        }
    }
}

TEST_CASE("type sizes follow SCREENS.md: body 28 px and headings 48 px at 1080p, scaled") {
    {
        Headless ui(1920, 1080);
        CHECK(ui.theme.body->FontSize >= 28.0f);
        CHECK(ui.theme.heading->FontSize >= 48.0f);
        CHECK(ui.theme.TouchTarget() >= 64.0f);
    }
    {
        Headless ui(3840, 2160);
        CHECK(ui.theme.body->FontSize >= 56.0f);
    }
    {
        Headless ui(1280, 800);
        CHECK(ui.theme.body->FontSize >= 22.0f);
        CHECK(ui.theme.TouchTarget() >= 64.0f);
    }
}

TEST_CASE("the fonts carry Spanish accents and punctuation") {
    Headless ui(1920, 1080);
    for (ImWchar c :
         {u'á', u'é', u'í', u'ó', u'ú', u'ñ', u'Ñ', u'¿', u'¡', u'ü', u'–', u'’', u'•'}) {
        const ImFontGlyph* g = ui.theme.body->FindGlyphNoFallback(c);
        CHECK_MESSAGE(g != nullptr, "missing glyph U+" << std::hex << static_cast<int>(c));
    }
}
