// The one keyboard-to-scan assembler (kiosk/scan/KeyScanAssembler) on a fake clock (plain
// milliseconds): scanner bursts, typing, the typed line and its cap, held key events kept in
// order, and the loop's busy spells taken out of key times.
#include <doctest/doctest.h>

#include <optional>

#include "kiosk/scan/KeyScanAssembler.h"
#include "kiosk/scan/ScanEvent.h"

using namespace kiosk;
using namespace kiosk::scan;
using std::chrono::milliseconds;

namespace {

const std::string kToken = "K1.r-4to8Wn_Lo5tDXCXwjVygNGlvxm4gWX";

/// What the lobby makes of keys: typing no field takes goes to the line, Enter typed ends it.
struct Typed {
    std::optional<std::string> scan;  ///< a burst's payload
    std::optional<std::string> line;  ///< a typed line's, at Enter
    std::size_t held_max = 0;
    std::size_t released = 0;  ///< text keys handed on as typing
    bool enter_delivered = false;
};

struct Lobby {
    KeyScanAssembler keys;
    Typed out;
    std::size_t held = 0;

    explicit Lobby(WedgeTiming timing = {}) : keys(timing) {}

    void Follow(const KeyScanAssembler::Step& step, long t) {
        if (step.scan) {
            out.scan = step.scan;
            held = 0;
        }
        for (const KeyPress& k : step.handed_on) {
            if (k.kind == KeyKind::kText) {
                ++out.released;
                held -= held > 0 ? 1 : 0;
                keys.AddToLine(k.text, milliseconds(t));
            } else if (k.kind == KeyKind::kEnter) {
                out.enter_delivered = true;
                out.line = keys.TakeLine(milliseconds(t));
            }
        }
    }
    void Key(KeyKind kind, const std::string& text, long t) {
        Follow(keys.Poll(milliseconds(t)), t);
        const auto step = keys.OnKey({kind, text, milliseconds(t)});
        Follow(step, t);
        held += step.hold && kind == KeyKind::kText ? 1 : 0;
        out.held_max = std::max(out.held_max, held);
    }
    /// `text` one character every `gap` ms from `t`, then Enter `enter_gap` after the last.
    Typed Type(const std::string& text, long gap, long enter_gap, long t = 1000) {
        for (char ch : text) {
            Key(KeyKind::kText, std::string(1, ch), t);
            t += gap;
        }
        Key(KeyKind::kEnter, "", t - gap + enter_gap);
        return out;
    }
};

}  // namespace

TEST_CASE("keys: a scanner burst ending in Enter is a scan; none of it is typed") {
    Lobby lobby;
    const Typed r = lobby.Type(kToken, 4, 6);
    REQUIRE(r.scan.has_value());
    CHECK(*r.scan == kToken);
    CHECK(r.released == 0);
    CHECK(r.held_max == kToken.size());
    CHECK_FALSE(r.enter_delivered);
    CHECK_FALSE(lobby.keys.Holding());
}

TEST_CASE("keys: Enter may come a little later than the keys (a separate USB report)") {
    Lobby c;
    CHECK(c.Type(kToken, 8, 90).scan == kToken);
    Lobby late;
    const Typed r = late.Type(kToken, 8, 150);  // past enter_grace: typing after all...
    CHECK_FALSE(r.scan.has_value());
    CHECK(r.released == kToken.size());
    CHECK(r.enter_delivered);
    CHECK(r.line == kToken);  // ...and the typed line is still the card
}

TEST_CASE("keys: a person typing is typing, delayed by at most one key gap") {
    KeyScanAssembler c;
    long t = 0;
    std::size_t delivered = 0;
    for (char ch : std::string("1234")) {  // PIN digits, 150 ms apart, taken by the PIN pad
        delivered += c.Poll(milliseconds(t)).handed_on.size();
        const auto d = c.OnKey({KeyKind::kText, std::string(1, ch), milliseconds(t)});
        CHECK(d.hold);
        REQUIRE(c.Deadline().has_value());
        CHECK(*c.Deadline() <= milliseconds(t + 31));  // released within ~30 ms
        t += 150;
    }
    delivered += c.Poll(milliseconds(t)).handed_on.size();
    CHECK(delivered == 4);
    CHECK_FALSE(c.Holding());
    const auto enter = c.OnKey({KeyKind::kEnter, "", milliseconds(t + 10)});
    CHECK_FALSE(enter.scan.has_value());
    REQUIRE(enter.handed_on.size() == 1);
    CHECK(enter.handed_on[0].kind == KeyKind::kEnter);
    CHECK_FALSE(c.TakeLine(milliseconds(t + 10)).has_value());  // the pad took the digits
}

TEST_CASE("keys: fast but short bursts, slow scanners and editing keys are typing") {
    Lobby c;
    const Typed ok = c.Type("ok", 10, 10);  // under min_chars
    CHECK_FALSE(ok.scan.has_value());
    CHECK(ok.line == "ok");
    Lobby slow;
    const Typed r = slow.Type(kToken, 45, 10);  // slower than 30 ms a key
    CHECK_FALSE(r.scan.has_value());
    CHECK(r.released == kToken.size());
    CHECK(r.line == kToken);  // a slow scanner's line is a scan all the same
    KeyScanAssembler edit;
    edit.OnKey({KeyKind::kText, "a", milliseconds(0)});
    edit.OnKey({KeyKind::kText, "b", milliseconds(5)});
    const auto d = edit.OnKey({KeyKind::kBackspace, "", milliseconds(8)});  // a person
    REQUIRE(d.handed_on.size() == 3);
    CHECK(d.handed_on[0].text == "a");
    CHECK(d.handed_on[1].text == "b");
    CHECK(d.handed_on[2].kind == KeyKind::kBackspace);
    CHECK_FALSE(edit.Holding());
}

TEST_CASE("keys: the thresholds come from config, and a scan's length is capped") {
    ScannerConfig scanner;
    scanner.wedge_max_key_ms = 60;
    scanner.wedge_min_chars = 40;
    const WedgeTiming timing = WedgeTiming::FromConfig(scanner);
    CHECK(timing.enter_grace == milliseconds(180));
    Lobby c(timing);
    CHECK_FALSE(c.Type(kToken, 50, 50).scan.has_value());  // 35 chars < 40
    Lobby d(timing);
    CHECK(d.Type(kToken + "xxxxx", 50, 50).scan.has_value());
    Lobby big;
    const Typed huge = big.Type(std::string(6000, 'A'), 1, 1);
    REQUIRE(huge.scan.has_value());
    CHECK(huge.scan->size() == kMaxScanBytes + 1);
}

TEST_CASE("keys: a scan whose first keys were taken for typing stays one line") {
    // The loop was drawing: the first 5 keys came 40 ms apart (typing), the rest arrived in one
    // batch stamped together (a burst). Before, the burst became the scan and the head was lost.
    Lobby lobby;
    long t = 1000;
    for (char ch : kToken.substr(0, 5)) {
        lobby.Key(KeyKind::kText, std::string(1, ch), t);
        t += 40;
    }
    for (char ch : kToken.substr(5)) {
        lobby.Key(KeyKind::kText, std::string(1, ch), t);
    }
    lobby.Key(KeyKind::kEnter, "", t);
    CHECK_FALSE(lobby.out.scan.has_value());
    CHECK(lobby.out.line == kToken);
}

TEST_CASE("keys: the typed line, forgotten after a pause and capped") {
    KeyScanAssembler keys;
    CHECK_FALSE(keys.TakeLine(milliseconds(0)).has_value());  // Enter alone makes none
    keys.AddToLine("K1.", milliseconds(0));
    keys.AddToLine("abc", milliseconds(10));
    CHECK(keys.TakeLine(milliseconds(20)) == std::optional<std::string>("K1.abc"));
    CHECK(keys.LineEmpty(milliseconds(20)));

    keys.AddToLine("K1.abc", milliseconds(0));
    keys.AddToLine("def", milliseconds(3001));  // more than forget_line later
    CHECK(keys.TakeLine(milliseconds(3002)) == std::optional<std::string>("def"));

    keys.AddToLine("abc", milliseconds(0));
    CHECK_FALSE(keys.LineEmpty(milliseconds(1000)));
    CHECK(keys.LineEmpty(milliseconds(5000)));

    for (int i = 0; i < 10000; ++i) {
        keys.AddToLine("x", milliseconds(0));
    }
    auto line = keys.TakeLine(milliseconds(0));
    REQUIRE(line.has_value());
    CHECK(line->size() == kMaxScanBytes + 1);
}

TEST_CASE("keys: other keys wait with held text in order; a scan hands on only key-ups") {
    KeyScanAssembler keys;
    CHECK_FALSE(keys.OnKey({KeyKind::kKeyDown, "", milliseconds(0), 1}).hold);  // not holding
    std::uint64_t id = 10;
    long t = 100;
    for (char ch : kToken) {
        CHECK(keys.OnKey({KeyKind::kKeyDown, "", milliseconds(t), id++}).hold == (t > 100));
        CHECK(keys.OnKey({KeyKind::kText, std::string(1, ch), milliseconds(t), id++}).hold);
        CHECK(keys.OnKey({KeyKind::kKeyUp, "", milliseconds(t), id++}).hold);
        t += 3;
    }
    const auto done = keys.OnKey({KeyKind::kEnter, "", milliseconds(t), id++});
    REQUIRE(done.scan == kToken);
    CHECK(done.handed_on.size() == kToken.size());
    for (const KeyPress& k : done.handed_on) {
        CHECK(k.kind == KeyKind::kKeyUp);
    }

    // Released as typing, everything held comes back in the order it came.
    keys.OnKey({KeyKind::kText, "a", milliseconds(1000), 1});
    keys.OnKey({KeyKind::kKeyUp, "", milliseconds(1000), 2});
    keys.OnKey({KeyKind::kText, "b", milliseconds(1001), 3});
    const auto typed = keys.Poll(milliseconds(1100));
    REQUIRE(typed.handed_on.size() == 3);
    CHECK(typed.handed_on[0].id == 1);
    CHECK(typed.handed_on[1].id == 2);
    CHECK(typed.handed_on[2].id == 3);
    CHECK_FALSE(keys.Deadline().has_value());
}

TEST_CASE("keys: the loop's busy spells are taken out of key times") {
    BusyClock busy;
    CHECK(busy.KeyTime(milliseconds(500)) == milliseconds(500));
    busy.Leave(milliseconds(1000));   // drawing...
    busy.Return(milliseconds(1250));  // ...for 250 ms
    // Keys typed while it drew are stamped when fetched, after 1250: they look typed at 1000.
    CHECK(busy.KeyTime(milliseconds(1252)) == milliseconds(1002));
    busy.Return(milliseconds(1300));  // not away: nothing more taken out
    CHECK(busy.KeyTime(milliseconds(1300)) == milliseconds(1050));
}
