// The Resources, Referral and Preview pages (SCREENS.md 7) drawn headless at every supported
// display with the longest Spanish texts: nothing off screen, nothing that needs scrolling but
// the finger-scrolled lists; and taps on cards, chips, Add, Preview and Print report the right
// StaffIntents while a drag scrolls instead of tapping.
#include <doctest/doctest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "kiosk/app/OnScreenKeyboard.h"
#include "kiosk/ui/Screens.h"
#include "ui/Headless.h"

using namespace kiosk;
using kiosk::test::Headless;
using kiosk::test::ItemPath;

namespace {

const ImTextureID kPageTexture = reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(7));

FrameView StaffBase(StaffPage page) {
    FrameView v;
    v.screen = Screen::kStaff;
    StaffView& s = v.staff;
    s.page = page;
    s.title = "Recursos y derivaciones";
    s.signed_in_as = "Begoña Ibarra-Fernández de Córdoba";
    s.back_label = "Volver";
    s.cancel_label = "Cerrar sesión";
    s.countdown = "Se bloquea en 14 s. Toque la pantalla para seguir.";
    s.notice = "Centro Comunitario de Vivienda Transitoria San José: añadido a la derivación.";
    return v;
}

/// Chips from (arg, label) pairs; `intent_of` makes what a chip sends from its arg.
template <class MakeIntent>
std::vector<ChipView> Chips(const std::vector<std::pair<std::string, std::string>>& items,
                            std::size_t active, MakeIntent intent_of) {
    std::vector<ChipView> out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        out.push_back({intent_of(items[i].first), items[i].second, i == active});
    }
    return out;
}

ResourceDetailView Detail() {
    ResourceDetailView d;
    d.id = "r1";
    d.name = "Centro Comunitario de Vivienda Transitoria y Apoyo Familiar San José de la Montaña";
    d.organization = "Asociación de Servicios Sociales del Condado de Santa Clara y Alrededores";
    d.categories = "Vivienda · Alimentos · Salud mental · Apoyo para la recuperación";
    d.open_text = "Cerrado · abre el lunes a las 9:00 AM";
    d.description =
        "Ofrecemos alojamiento de emergencia para familias con niños, comidas calientes dos veces "
        "al día, acompañamiento con trámites de vivienda permanente y grupos de apoyo en español.";
    d.facts = {
        {"Dirección", "1234 Avenida de los Libertadores, Apartamento 56, San José, CA 95112"},
        {"Teléfono", "(408) 555-0199 ext. 1234"},
        {"Sitio web",
         "https://www.centrocomunitariodeviviendatransitoriasanjosedelamontana.org/servicios/"
         "familias-con-ninos/inscripcion"},
        {"Horario",
         "Lunes: 9:00 AM – 5:00 PM\nMartes: 9:00 AM – 5:00 PM\nMiércoles: 9:00 AM – 8:00 PM\n"
         "Jueves: 9:00 AM – 5:00 PM\nViernes: 9:00 AM – 1:00 PM\nSábado y domingo: cerrado"},
        {"Quién puede ir",
         "Familias con al menos un niño menor de 18 años que viven en el condado y no tienen un "
         "lugar seguro donde dormir esta noche."},
        {"Qué traer", "Identificación con foto si la tiene; no es obligatoria."},
        {"Costo", "Gratis"},
        {"Idiomas", "Español, English, Tagalog, Tiếng Việt"},
        {"Distancia desde la clínica", "12,4 km"}};
    d.in_referral = false;
    d.add_label = "Añadir a la derivación";
    d.remove_label = "Quitar de la derivación";
    d.close_label = "Cerrar";
    return d;
}

FrameView Resources(int results, bool detail) {
    FrameView v = StaffBase(StaffPage::kResources);
    ResourcesView& r = v.staff.resources;
    r.search_label = "Buscar";
    r.search_text = "vivienda de emergencia para familias con niños";
    r.search_placeholder = "Escriba una palabra: vivienda, comida, empleo…";
    r.clear_label = "Borrar";
    r.categories = Chips({{"housing", "Vivienda"},
                          {"food", "Alimentos"},
                          {"mental-health", "Salud mental"},
                          {"employment", "Empleo"},
                          {"transportation", "Transporte"},
                          {"legal", "Asistencia legal"},
                          {"health", "Atención médica"},
                          {"recovery", "Apoyo para la recuperación"},
                          {"childcare", "Cuidado infantil"},
                          {"education", "Educación"},
                          {"clothing", "Ropa"},
                          {"utilities", "Servicios públicos"},
                          {"money", "Dinero"}},
                         0, [](const std::string& code) -> StaffIntent {
                             return intent::resources::ToggleCategory{code};
                         });
    r.categories[7].active = true;
    r.open_now_label = "Abierto ahora";
    r.open_now = true;
    r.free_label = "Gratis";
    r.language_label = "Idioma";
    r.languages =
        Chips({{"", "Cualquiera"}, {"en", "English"}, {"es", "Español"}, {"fr", "Français"}}, 2,
              [](const std::string& code) -> StaffIntent {
                  return intent::resources::FilterLanguage{code};
              });
    r.distance_label = "Distancia";
    r.distances =
        Chips({{"", "Cualquiera"}, {"2", "2 km"}, {"5", "5 km"}, {"10", "10 km"}, {"25", "25 km"}},
              0, [](const std::string& km) -> StaffIntent {
                  return intent::resources::FilterDistance{std::atof(km.c_str())};
              });
    r.summary = "Mostrando " + std::to_string(results) +
                " de 112 lugares para «vivienda de emergencia para familias con niños»";
    for (int i = 0; i < results; ++i) {
        ResourceCardView c;
        c.id = "r" + std::to_string(i);
        c.name =
            "Centro Comunitario de Vivienda Transitoria y Apoyo Familiar San José de la Montaña";
        c.organization = "Asociación de Servicios Sociales del Condado de Santa Clara";
        c.categories = "Vivienda · Alimentos · Salud mental · Apoyo para la recuperación";
        c.open_now = i % 3 == 0;
        c.open_text = c.open_now   ? "Abierto hasta las 5:00 PM"
                      : i % 3 == 1 ? "Cerrado · abre el lunes a las 9:00 AM"
                                   : "Horario no disponible";
        c.distance = i % 4 == 3 ? "" : "12,4 km";
        c.address = "1234 Avenida de los Libertadores, Apartamento 56, San José, CA 95112";
        c.phone = "(408) 555-0199 ext. 1234";
        c.in_referral = i % 2 == 0;
        c.selected = detail && i == 1;
        r.results.push_back(c);
    }
    r.empty =
        "No encontramos lugares con esos filtros. Pruebe con menos filtros o con otra palabra.";
    r.more_label = results > 0 ? "Mostrar más resultados" : "";
    if (detail) {
        r.detail = Detail();
    }
    r.referral_label = "Derivación (3)";
    r.referral_count = 3;
    r.card_add_label = "Añadir";
    r.card_remove_label = "Quitar";
    r.added_label = "Añadida";
    return v;
}

KeyboardView Keyboard(const std::string& title, const std::string& text) {
    OnScreenKeyboard keyboard;
    keyboard.Open(text);
    return keyboard.View({title, "Espacio", "Borrar", "Mayús", "Listo"});
}

FrameView Referral(bool chosen, bool can_preview, int items = 6) {
    FrameView v = StaffBase(StaffPage::kReferral);
    ReferralView& r = v.staff.referral;
    r.heading = "Derivación";
    for (int i = 0; i < items; ++i) {
        r.items.push_back({"r" + std::to_string(i),
                           "Centro Comunitario de Vivienda Transitoria y Apoyo Familiar San José",
                           "Asociación de Servicios Sociales del Condado de Santa Clara",
                           "Quitar de la derivación"});
    }
    r.add_more_label = "Añadir más lugares";
    r.participant_label = "Para";
    r.participant_name = chosen ? "María de los Ángeles Castañeda-Villanueva" : "";
    r.scan_label = "Escanear su tarjeta";
    r.waiting_for_scan = !chosen;
    r.scan_prompt = "Pida a la persona que acerque su tarjeta al escáner ahora mismo, por favor.";
    r.pick_label = "O elija entre los grupos de hoy";
    r.filter_label = "Buscar un nombre";
    r.filter_text = chosen ? "" : "castañeda villanueva";
    for (int i = 0; i < 30; ++i) {
        r.participants.push_back({"Patient/p" + std::to_string(i),
                                  "María de los Ángeles Castañeda-Villanueva " + std::to_string(i),
                                  "10:45 AM Mindfulness & Coping Skills for Teens, Family Room",
                                  chosen && i == 2});
    }
    r.first_name_label = "Imprimir su nombre de pila en la página";
    r.first_name = true;
    r.print_language_label = "Idioma de la página";
    r.print_languages = Chips({{"en", "English"}, {"es", "Español"}}, 1,
                              [](const std::string& code) -> StaffIntent {
                                  return intent::referral::PageLanguage{code};
                              });
    r.preview_label = "Vista previa";
    r.can_preview = can_preview;
    r.missing = can_preview ? "" : "Falta: elegir a la persona para quien es la derivación.";
    return v;
}

std::shared_ptr<print::PageImage> PageOf(int w, int h) {
    auto page = std::make_shared<print::PageImage>();
    page->width = w;
    page->height = h;
    page->rgba.assign(static_cast<std::size_t>(w) * h * 4, 255);
    for (int y = 40; y < 60; ++y) {  // a "heading" bar, as if printed
        for (int x = 40; x < w - 40; ++x) {
            page->rgba[(static_cast<std::size_t>(y) * w + x) * 4] = 0;
        }
    }
    return page;
}

FrameView Preview(bool can_print, StatusTone tone, std::shared_ptr<print::PageImage> page) {
    FrameView v = StaffBase(StaffPage::kPreview);
    PreviewView& p = v.staff.preview;
    p.heading = "Vista previa: página 1 de 2";
    p.page = std::move(page);
    p.page_generation = 3;
    p.prev_label = "Página anterior";
    p.next_label = "Página siguiente";
    p.has_prev = false;
    p.has_next = true;
    p.print_label = "Imprimir";
    p.can_print = can_print;
    p.status =
        "La impresora no tiene papel. Ponga papel en la bandeja y toque Reintentar para "
        "imprimir la derivación otra vez.";
    p.status_tone = tone;
    p.retry_label = "Reintentar";
    p.done_label = "Listo: volver a la búsqueda";
    return v;
}

std::vector<FrameView> AllFrames() {
    std::vector<FrameView> out;
    out.push_back(Resources(40, false));
    out.push_back(Resources(40, true));
    FrameView typing = Resources(40, false);
    typing.staff.keyboard = Keyboard("Buscar", "vivienda de emergencia");
    out.push_back(typing);
    FrameView typing_detail = Resources(40, true);
    typing_detail.staff.keyboard = typing.staff.keyboard;
    out.push_back(typing_detail);
    out.push_back(Resources(0, false));
    out.push_back(Resources(0, true));
    FrameView fresh = Resources(3, false);  // nothing typed, nothing in the referral
    fresh.staff.resources.search_text.clear();
    fresh.staff.resources.referral_count = 0;
    fresh.staff.resources.referral_label = "Derivación (0)";
    fresh.staff.countdown.clear();
    fresh.staff.notice.clear();
    out.push_back(fresh);
    out.push_back(Referral(false, false));
    out.push_back(Referral(true, true));
    FrameView filtering = Referral(false, false);
    filtering.staff.keyboard = Keyboard("Buscar un nombre", "castañeda");
    out.push_back(filtering);
    FrameView empty_referral = Referral(false, false);
    empty_referral.staff.referral.items.clear();
    empty_referral.staff.referral.participants.clear();
    out.push_back(empty_referral);
    out.push_back(Preview(true, StatusTone::kBad, PageOf(850, 1100)));
    out.push_back(Preview(false, StatusTone::kInfo, nullptr));
    out.push_back(Preview(true, StatusTone::kGood, PageOf(1100, 850)));  // landscape
    return out;
}

bool Reported(const std::vector<StaffIntent>& got, const StaffIntent& want) {
    return std::find(got.begin(), got.end(), want) != got.end();
}

/// Taps the item in the first of `windows` that shows it.
std::vector<StaffIntent> TapIn(Headless& ui, const FrameView& view,
                               const std::vector<std::string>& windows, const ItemPath& path,
                               const ui::Textures& textures = {}) {
    for (const std::string& w : windows) {
        ItemPath p = path;
        p.window = w;
        if (ui.Find(view, p, textures).x >= 0) {
            return ui.Tap(view, p, textures);
        }
    }
    return {};
}

bool Shown(const char* window) {
    return Headless::FindWindow(window) != nullptr;
}

}  // namespace

TEST_CASE("resources, referral and preview fit every supported display with the longest texts") {
    ui::Textures textures;
    textures.referral_page = kPageTexture;
    for (auto [w, h] : test::kDisplaySizes) {
        Headless ui(w, h);
        int n = 0;
        for (const FrameView& view : AllFrames()) {
            CAPTURE(w);
            CAPTURE(h);
            const int frame_index = n++;
            CAPTURE(frame_index);
            ui.CheckFits(view, textures);
            CHECK(Shown("staff-page"));
        }
    }
}

TEST_CASE("the detail pane sits beside the results on wide screens and over them on 1024x768") {
    for (auto [w, h] : test::kDisplaySizes) {
        CAPTURE(w);
        Headless ui(w, h);
        ui.Draw(Resources(40, true));
        ui.Draw(Resources(40, true));
        CHECK(Shown("detail-scroll"));
        CHECK(Shown("results-scroll") == (w > 1024));
        ui.Draw(Resources(40, false));
        ui.Draw(Resources(40, false));
        CHECK(Shown("results-scroll"));
        CHECK_FALSE(Shown("detail-scroll"));
    }
}

TEST_CASE("40 results make a list taller than the screen, which scrolls; all 13 categories show") {
    for (auto [w, h] : test::kDisplaySizes) {
        CAPTURE(w);
        Headless ui(w, h);
        const FrameView view = Resources(40, false);
        ui.Draw(view);
        ui.Draw(view);
        ImGuiWindow* list = Headless::FindWindow("results-scroll");
        REQUIRE(list != nullptr);
        CHECK(list->ScrollMax.y > 0.0f);
        CHECK(list->ScrollbarSizes.x >= 32.0f);  // wide enough for a finger
        int chips_found = 0;
        for (int i : {0, 12}) {
            for (const char* win : {"staff-page", "results-scroll"}) {
                chips_found += ui.Find(view, {win, {"categories", i, "###chip"}}).x >= 0 ? 1 : 0;
            }
        }
        CHECK(chips_found == 2);
    }
}

TEST_CASE("the preview page keeps its proportions, fills the height and has a border") {
    for (auto [w, h] : test::kDisplaySizes) {
        CAPTURE(w);
        Headless ui(w, h);
        ui::Textures textures;
        textures.referral_page = kPageTexture;
        FrameView view = Preview(true, StatusTone::kBad, PageOf(850, 1100));
        view.staff.countdown.clear();
        view.staff.notice.clear();
        ui.Draw(view, textures);
        ui.Draw(view, textures);
        ImVec4 r(1e9f, 1e9f, -1e9f, -1e9f);
        const ImDrawData* dd = ImGui::GetDrawData();
        for (int i = 0; i < dd->CmdListsCount; ++i) {
            const ImDrawList* dl = dd->CmdLists[i];
            for (const ImDrawCmd& cmd : dl->CmdBuffer) {
                if (cmd.TextureId != kPageTexture) {
                    continue;
                }
                for (unsigned k = 0; k < cmd.ElemCount; ++k) {
                    const ImDrawVert& v = dl->VtxBuffer[static_cast<int>(
                        cmd.VtxOffset + dl->IdxBuffer[static_cast<int>(cmd.IdxOffset + k)])];
                    r = ImVec4(std::min(r.x, v.pos.x), std::min(r.y, v.pos.y),
                               std::max(r.z, v.pos.x), std::max(r.w, v.pos.y));
                }
            }
        }
        REQUIRE(r.z > r.x);
        const float page_w = r.z - r.x, page_h = r.w - r.y;
        CHECK(page_w / page_h == doctest::Approx(850.0 / 1100.0).epsilon(0.01));
        CHECK(page_h >= 0.55f * static_cast<float>(h));
        CHECK(r.w <= static_cast<float>(h));
    }
}

TEST_CASE("taps on the resources page report what was touched; a drag scrolls instead") {
    for (auto [w, h] : {std::pair{1920, 1080}, std::pair{1024, 768}}) {
        CAPTURE(w);
        Headless ui(w, h);
        const FrameView view = Resources(40, false);
        const std::vector<std::string> pages = {"staff-page", "results-scroll"};

        auto got = ui.Tap(view, {"results-scroll", {"r0", "##card"}});
        CHECK(Reported(got, intent::resources::OpenDetail{"r0"}));
        CHECK(got.size() == 1);

        got = ui.Tap(view, {"results-scroll", {"r1", "###action"}});  // r1 is not in the referral
        CHECK(Reported(got, intent::resources::Add{"r1"}));
        CHECK_FALSE(Reported(got, intent::resources::OpenDetail{"r1"}));
        got = ui.Tap(view, {"results-scroll", {"r0", "###action"}});  // r0 is
        CHECK(Reported(got, intent::resources::Remove{"r0"}));

        got = TapIn(ui, view, pages, {"", {"categories", 2, "###chip"}});
        CHECK(Reported(got, intent::resources::ToggleCategory{"mental-health"}));
        got = TapIn(ui, view, pages, {"", {"distances", 3, "###chip"}});
        CHECK(Reported(got, intent::resources::FilterDistance{10}));
        got = TapIn(ui, view, pages, {"", {"##toggleGratis"}});
        CHECK(Reported(got, intent::resources::ToggleFree{}));

        got = ui.Tap(view, {"staff-page", {"##search"}});
        CHECK(Reported(got, intent::resources::EditSearch{}));
        got = ui.Tap(view, {"staff-page", {"###referral"}});
        CHECK(Reported(got, intent::resources::OpenReferral{}));

        FrameView none = view;
        none.staff.resources.referral_count = 0;
        got = ui.Tap(none, {"staff-page", {"###referral"}});
        CHECK_FALSE(Reported(got, intent::resources::OpenReferral{}));

        // A finger that lands on a card and moves up scrolls the list and opens nothing.
        const ImVec2 at = ui.Find(view, {"results-scroll", {"r0", "##card"}});
        REQUIRE(at.x >= 0);
        got = ui.Touch(view, at, ImVec2(0, -ui.theme.TouchTarget() * 2));
        CHECK(got.empty());
        ui.Draw(view);
        CHECK(Headless::FindWindow("results-scroll")->Scroll.y > ui.theme.TouchTarget());
    }
}

TEST_CASE("the detail pane's buttons add, remove and close") {
    for (auto [w, h] : {std::pair{1920, 1080}, std::pair{1024, 768}}) {
        CAPTURE(w);
        Headless ui(w, h);
        FrameView view = Resources(40, true);
        auto got = ui.Tap(view, {"staff-page", {"detail", "###add-remove"}});
        CHECK(Reported(got, intent::resources::Add{"r1"}));
        got = ui.Tap(view, {"staff-page", {"detail", "###close"}});
        CHECK(Reported(got, intent::resources::CloseDetail{}));
        view.staff.resources.detail->in_referral = true;
        got = ui.Tap(view, {"staff-page", {"detail", "###add-remove"}});
        CHECK(Reported(got, intent::resources::Remove{"r1"}));
    }
}

TEST_CASE("taps on the referral page choose, remove, preview; Preview waits for what is missing") {
    for (auto [w, h] : {std::pair{1920, 1080}, std::pair{1024, 768}}) {
        CAPTURE(w);
        Headless ui(w, h);
        const FrameView ready = Referral(true, true);
        const std::vector<std::string> lists = {"referral-scroll", "people-scroll"};
        auto got = ui.Tap(ready, {"staff-page", {"###preview"}});
        CHECK(Reported(got, intent::referral::Preview{}));
        got = TapIn(ui, ready, lists, {"", {"r1", "###remove"}});
        CHECK(Reported(got, intent::referral::Remove{"r1"}));
        got = TapIn(ui, ready, lists, {"", {"print-languages", 0, "###chip"}});
        CHECK(Reported(got, intent::referral::PageLanguage{"en"}));
        got = TapIn(ui, ready, lists, {"", {"##toggleImprimir su nombre de pila en la página"}});
        CHECK(Reported(got, intent::referral::ToggleFirstName{}));
        got = TapIn(ui, ready, lists, {"", {"###scan"}});
        CHECK(Reported(got, intent::referral::ScanCard{}));
        got = TapIn(ui, ready, lists, {"", {"##people-filter"}});
        CHECK(Reported(got, intent::referral::EditFilter{}));

        const FrameView waiting = Referral(false, false);
        got = ui.Tap(waiting, {"staff-page", {"###preview"}});
        CHECK(got.empty());

        // With the keyboard up only the people show, and a tap picks one.
        FrameView filtering = Referral(false, false);
        filtering.staff.keyboard = Keyboard("Buscar un nombre", "castañeda");
        got = ui.Tap(filtering, {"people-scroll", {"Patient/p0", "##person"}});
        CHECK(Reported(got, intent::referral::Pick{"Patient/p0"}));
        CHECK_FALSE(Shown("referral-scroll"));
    }
}

TEST_CASE(
    "taps on the preview page print, retry, turn pages and finish; Print waits when it can't") {
    for (auto [w, h] : {std::pair{1920, 1080}, std::pair{1024, 768}}) {
        CAPTURE(w);
        Headless ui(w, h);
        ui::Textures textures;
        textures.referral_page = kPageTexture;
        const FrameView view = Preview(true, StatusTone::kBad, PageOf(850, 1100));
        const std::string side = "preview-side-scroll";
        CHECK(Reported(ui.Tap(view, {side, {"###print"}}, textures), intent::preview::Print{}));
        CHECK(Reported(ui.Tap(view, {side, {"###retry"}}, textures), intent::preview::Retry{}));
        CHECK(Reported(ui.Tap(view, {side, {"###next"}}, textures), intent::preview::NextPage{}));
        CHECK(ui.Tap(view, {side, {"###prev"}}, textures).empty());  // on the first page
        CHECK(Reported(ui.Tap(view, {side, {"###done"}}, textures), intent::preview::Done{}));
        const FrameView busy = Preview(false, StatusTone::kInfo, PageOf(850, 1100));
        CHECK(ui.Tap(busy, {side, {"###print"}}, textures).empty());
    }
}
