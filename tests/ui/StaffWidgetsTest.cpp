// The shared staff widgets on their own: text cut to a cell stays valid UTF-8 and fits, and the
// flow of chips measures the same lines it lays out.
#include <doctest/doctest.h>
#include <imgui.h>

#include "kiosk/ui/StaffWidgets.h"
#include "ui/Headless.h"

using namespace kiosk;
using kiosk::test::Headless;

namespace {

/// True when `s` is well-formed UTF-8 (no lead byte without its continuation bytes).
bool ValidUtf8(const std::string& s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        const int extra = c < 0x80           ? 0
                          : (c >> 5) == 0x6  ? 1
                          : (c >> 4) == 0xE  ? 2
                          : (c >> 3) == 0x1E ? 3
                                             : -1;
        if (extra < 0 || (extra > 0 && i + static_cast<std::size_t>(extra) >= s.size())) {
            return false;
        }
        for (int k = 1; k <= extra; ++k) {
            if ((static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0xC0) != 0x80) {
                return false;
            }
        }
        i += static_cast<std::size_t>(extra) + 1;
    }
    return true;
}

}  // namespace

TEST_CASE("text cut to a cell ends in an ellipsis after a whole character and fits") {
    Headless ui(1024, 768);
    ImFont* font = ui.theme.body;
    const std::string name = "Begoña Ibarra-Fernández de Córdoba";
    const float full = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, name.c_str()).x;
    CHECK(ui::FitText(font, 0.0f, name, full + 1.0f) == name);
    int cut = 0;
    for (float w = 30.0f; w < full; w += 1.0f) {
        const std::string shown = ui::FitText(font, 0.0f, name, w);
        CAPTURE(w);
        CHECK(ValidUtf8(shown));
        REQUIRE(shown.size() >= 3);
        CHECK(shown.substr(shown.size() - 3) == "\xe2\x80\xa6");
        CHECK(font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, shown.c_str()).x <= w);
        CHECK(name.rfind(shown.substr(0, shown.size() - 3), 0) == 0);  // a prefix of the name
        ++cut;
    }
    CHECK(cut > 100);
}

TEST_CASE("a flow of chips wraps where it would not fit and measures what it lays out") {
    Headless ui(1920, 1080);
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    ui::FlowRow flow(100.0f, false);
    flow.Place(60.0f);
    flow.Place(100.0f - 60.0f - gap);  // just fits beside the first
    CHECK(flow.Height(10.0f) == doctest::Approx(10.0f));
    flow.Place(1.0f);  // does not
    CHECK(flow.Height(10.0f) == doctest::Approx(20.0f + ImGui::GetStyle().ItemSpacing.y));
    // A label keeps its first chip with it: both move to the next line together.
    ui::FlowRow keep(100.0f, false);
    keep.Place(50.0f);
    keep.Place(10.0f, 40.0f);
    CHECK(keep.Height(10.0f) > 10.0f);
}

TEST_CASE("a paged list opens a fresh visit on its start row's page and keeps paging within one") {
    Headless ui(1280, 800);
    FrameView view;
    view.screen = Screen::kStaff;
    view.staff.page = StaffPage::kSessions;
    view.staff.title = "Today's rosters";
    view.staff.signed_in_as = "Rosa Delgado";
    view.staff.back_label = "Back";
    view.staff.cancel_label = "Sign out";
    SessionsView& s = view.staff.sessions;
    for (int i = 0; i < 20; ++i) {
        s.sessions.push_back({"s" + std::to_string(i), "9:00 AM", "Process Group", "Oak Room",
                              "Rosa Delgado", "2 of 17 arrived", i == 15, i < 15});
    }
    s.start_row = 15;
    view.staff.list_visit = 7;
    auto shown = [&](int row) {
        return ui.Find(view, {"staff-page", {"s" + std::to_string(row), "##session"}}).x >= 0;
    };
    ui.Draw(view);
    CHECK(shown(15));  // the running session, on a later page
    CHECK_FALSE(shown(0));
    // Back one page with the pager: the list stays there while the visit is the same (the live
    // refresh redraws it every few seconds).
    const kiosk::test::ItemPath back{"staff-page", {"sessions", "\xe2\x80\xb9"}};
    REQUIRE(ui.Find(view, back).x >= 0);
    ui.Tap(view, back);
    CHECK_FALSE(shown(15));
    for (int frame = 0; frame < 5; ++frame) {
        ui.Draw(view);
    }
    CHECK_FALSE(shown(15));
    // A fresh visit (leaving and coming back, or another room) opens on the start row again.
    view.staff.list_visit = 8;
    ui.Draw(view);
    CHECK(shown(15));
    // With no start row set, a fresh visit opens on the first page whatever was shown before.
    s.start_row = 0;
    view.staff.list_visit = 9;
    ui.Draw(view);
    CHECK(shown(0));
    CHECK_FALSE(shown(15));
}
