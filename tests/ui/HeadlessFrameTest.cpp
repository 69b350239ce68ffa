// The screens drawn with no window at all (ImGui context + font atlas, no backend), at the
// display sizes of SCREENS.md: nothing is drawn off screen, text is at the promised sizes,
// and the longest Spanish texts still fit.
#include <doctest/doctest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include "kiosk/ui/Screens.h"

using namespace kiosk;

namespace {

struct Headless {
    Headless(int w, int h) {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
        REQUIRE(ui::BuildTheme(theme, ui::ScaleFor(w, h), std::string(KIOSK_TEST_ASSETS) + "/fonts"));
        unsigned char* pixels = nullptr;
        int tw = 0, th = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);
    }
    ~Headless() { ImGui::DestroyContext(); }

    /// Draws one frame and returns the bounding box of every vertex drawn.
    ImVec4 Draw(const FrameView& view) {
        ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
        ImGui::NewFrame();
        ui::DrawFrame(view, theme);
        ImGui::Render();
        ImVec4 box(1e9f, 1e9f, -1e9f, -1e9f);
        const ImDrawData* dd = ImGui::GetDrawData();
        for (int i = 0; i < dd->CmdListsCount; ++i) {
            const ImDrawList* dl = dd->CmdLists[i];
            for (const auto& v : dl->VtxBuffer) {
                box.x = std::min(box.x, v.pos.x);
                box.y = std::min(box.y, v.pos.y);
                box.z = std::max(box.z, v.pos.x);
                box.w = std::max(box.w, v.pos.y);
            }
        }
        return box;
    }
    /// Windows (the screen and its panels) whose laid-out content is larger than the window:
    /// what ImGui would have to scroll to show, which a kiosk cannot do.
    std::vector<std::string> Overflowing() const {
        std::vector<std::string> out;
        for (ImGuiWindow* win : ImGui::GetCurrentContext()->Windows) {
            if (!win->WasActive || win->Hidden) {
                continue;
            }
            const ImVec2 room(win->Size.x - 2 * win->WindowPadding.x, win->Size.y - 2 * win->WindowPadding.y);
            if (win->ContentSize.x > room.x + 1 || win->ContentSize.y > room.y + 1) {
                out.push_back(win->Name);
            }
        }
        return out;
    }
    ui::Theme theme;
};

FrameView Welcome(bool spanish) {
    FrameView v;
    v.screen = Screen::kWelcome;
    v.welcome.clinic_name = "Cedar Grove Health";
    v.welcome.clock = "10:45 AM";
    v.welcome.date = "2026-11-22";
    v.welcome.prompt = spanish ? "Escanee su tarjeta para registrar su llegada" : "Scan your card to check in";
    v.welcome.hint = "Acerque el código de su tarjeta o teléfono al escáner.";
    v.welcome.schedule_title = "Grupos de hoy";
    v.welcome.now_tag = "Ahora";
    for (int i = 0; i < 12; ++i) {
        v.welcome.schedule.push_back({"10:45 AM", "Mindfulness & Coping Skills for Teens", "Family Room", i == 0});
    }
    v.welcome.languages = {{"en", "English", !spanish}, {"es", "Español", spanish}};
    return v;
}

FrameView Result() {
    FrameView v;
    v.screen = Screen::kResult;
    v.result.tone = ResultTone::kAlreadyIn;
    v.result.title = "Ya había registrado su llegada (desde las 10:45 AM)";
    v.result.lines = {"10:45 AM  Mindfulness & Coping Skills for Teens, Family Room",
                      "11:55 AM  Relapse Prevention, Oak Room", "1:05 PM  Process Group, Maple Room"};
    v.result.close_hint = "Toque para cerrar";
    return v;
}

}  // namespace

TEST_CASE("every screen fits on every supported display") {
    const std::pair<int, int> sizes[] = {{1280, 800}, {1920, 1080}, {3840, 2160}, {1024, 768}};
    for (auto [w, h] : sizes) {
        Headless ui(w, h);
        for (const FrameView& view : {Welcome(false), Welcome(true), Result()}) {
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
    for (ImWchar c : {u'á', u'é', u'í', u'ó', u'ú', u'ñ', u'Ñ', u'¿', u'¡', u'ü', u'–', u'’', u'•'}) {
        const ImFontGlyph* g = ui.theme.body->FindGlyphNoFallback(c);
        CHECK_MESSAGE(g != nullptr, "missing glyph U+" << std::hex << static_cast<int>(c));
    }
}
