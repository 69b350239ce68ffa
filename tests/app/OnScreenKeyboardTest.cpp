// The on-screen keyboard component: only its own keys type, shift is one-shot, the Spanish
// layer has the accented letters, the length is capped, and erasing removes whole characters.
#include <doctest/doctest.h>

#include "kiosk/app/OnScreenKeyboard.h"

using namespace kiosk;

namespace {

void Type(OnScreenKeyboard& k, const std::string& text) {
    k.Press(intent::keyboard::Text{text});
}

}  // namespace

TEST_CASE("keys type, shift is one-shot, accents come from their own layer") {
    OnScreenKeyboard k(10);
    k.Open("");
    k.Press(intent::keyboard::Shift{});
    CHECK(k.View({}).rows[1][0].label == "Q");
    Type(k, "N");
    CHECK(k.View({}).rows[1][0].label == "q");
    k.Press(intent::keyboard::Accents{});
    const KeyboardView v = k.View({"t", "Space", "Erase", "Shift", "Done"});
    CHECK(v.rows[1][0].label == "\xc3\xa1");
    CHECK(v.rows[1][6].label == "\xc3\xb1");
    Type(k, "\xc3\xba");
    Type(k, "\xc3\xb1");
    CHECK(k.Text() == "N\xc3\xba\xc3\xb1");
    k.Press(intent::keyboard::Erase{});
    CHECK(k.Text() == "N\xc3\xba");
    Type(k, "<script>");  // not a key
    Type(k, "\n");
    CHECK(k.Text() == "N\xc3\xba");
    for (int i = 0; i < 20; ++i) {
        Type(k, " ");
    }
    CHECK(CharacterCount(k.Text()) == 10);
    k.Close();
    CHECK(k.Text().empty());
    CHECK_FALSE(k.IsOpen());
}

TEST_CASE("names are matched with accents and case folded") {
    CHECK(FoldForSearch("José Núñez") == "jose nunez");
    CHECK(FoldForSearch("ÁNGEL Peña Ibáñez Ü") == "angel pena ibanez u");
    std::string s = "Muñ";
    EraseLastCharacter(s);
    CHECK(s == "Mu");
}
