// SCREENS.md: text contrast of at least 4.5:1 on every background the kiosk uses.
#include <doctest/doctest.h>

#include "kiosk/ui/Palette.h"

using namespace kiosk::ui;

TEST_CASE("the contrast formula matches WCAG's reference values") {
    CHECK(ContrastRatio({0, 0, 0}, {255, 255, 255}) == doctest::Approx(21.0));
    CHECK(ContrastRatio({119, 119, 119}, {255, 255, 255}) == doctest::Approx(4.48).epsilon(0.01));
}

TEST_CASE("every text colour on every background it is drawn on is at least 4.5:1") {
    struct Pair {
        const char* what;
        Rgb text, background;
    };
    const Pair pairs[] = {
        {"text on background", kText, kBackground},
        {"muted text on background", kTextMuted, kBackground},
        {"text on panel", kText, kPanel},
        {"muted text on panel", kTextMuted, kPanel},
        {"now tag on panel", kAccent, kPanel},
        {"button label", kText, kButton},
        {"active button label", kText, kButtonActive},
        {"checked in", kText, kCheckedIn},
        {"checked out", kText, kCheckedOut},
        {"already in", kText, kAlreadyIn},
        {"see the front desk", kText, kSeeFrontDesk},
    };
    for (const auto& p : pairs) {
        CHECK_MESSAGE(ContrastRatio(p.text, p.background) >= 4.5,
                      p.what << ": " << ContrastRatio(p.text, p.background));
    }
}
