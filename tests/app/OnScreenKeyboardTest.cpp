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

TEST_CASE("each key of the view carries the intent it sends") {
    OnScreenKeyboard k(10);
    k.Open("");
    KeyboardView v = k.View({"t", "Space", "Erase", "Shift", "Done"});
    CHECK(v.rows[1][0].press == KeyboardIntent{intent::keyboard::Text{"q"}});
    CHECK(v.rows[0].back().label == "Erase");
    CHECK(v.rows[0].back().press == KeyboardIntent{intent::keyboard::Erase{}});
    CHECK(v.rows[3].front().press == KeyboardIntent{intent::keyboard::Shift{}});
    const std::vector<KeyView>& last = v.rows.back();
    REQUIRE(last.size() == 3);
    CHECK(last[0].press == KeyboardIntent{intent::keyboard::Accents{}});
    CHECK(last[1].press == KeyboardIntent{intent::keyboard::Text{" "}});
    CHECK(last[2].press == KeyboardIntent{intent::keyboard::Done{}});
    k.Press(intent::keyboard::Shift{});
    v = k.View({});
    CHECK(v.rows[1][0].press == KeyboardIntent{intent::keyboard::Text{"Q"}});
    k.Press(v.rows[1][0].press);  // what the ui sends back types the key
    CHECK(k.Text() == "Q");
    k.Press(intent::keyboard::Done{});  // the owner's: it does not type
    CHECK(k.Text() == "Q");
}
