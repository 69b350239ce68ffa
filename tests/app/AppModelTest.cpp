// The lobby flow of SCREENS.md 1-3 and PRIVACY.md 1-3 with a fake clock and the real store.
#include "AppFixture.h"

#include "kiosk/store/Store.h"

#include <fstream>

using namespace kiosk;
using namespace kiosk::test;

TEST_CASE("the welcome screen shows today's public schedule and names no one") {
    AppFixture f;
    const WelcomeView& w = f.model->View().welcome;
    CHECK(f.Showing() == Screen::kWelcome);
    CHECK(w.clinic_name == "Cedar Grove Health");
    CHECK(w.prompt == "Scan your card to check in");
    CHECK(w.date == "March 4, 2026");
    REQUIRE_FALSE(w.schedule.empty());
    CHECK(w.schedule.front().group == "Process Group");
    CHECK(w.schedule.front().room == "Oak Room");
    CHECK(w.schedule.front().time == "8:10 AM");
    CHECK(f.AllText().find("Núñez") == std::string::npos);
    CHECK(f.AllText().find("José") == std::string::npos);
}

TEST_CASE("the demo has a group to check in to at any hour: late, its block ends at midnight") {
    struct Case {
        int hour, minute;
        std::size_t sessions;
        const char* first;
    };
    // 20:00: the whole block, 10 minutes ahead. 21:30 and 23:55: the block would cross midnight
    // (and be "tomorrow"), so it ends at midnight, 21:00-24:00; the person arrives late to the
    // session running now and is checked in to it and the rest of the block.
    for (const Case c : {Case{20, 0, 3, "8:10 PM  Process Group, Oak Room"},
                         Case{21, 30, 3, "9:00 PM  Process Group, Oak Room"},
                         Case{23, 55, 1, "11:00 PM  Relapse Prevention, Oak Room"}}) {
        CAPTURE(c.hour);
        AppFixture f({}, At(c.hour, c.minute, 4, 3));
        f.Scan(kJose);
        REQUIRE(f.Showing() == Screen::kResult);
        CHECK(f.Result().tone == ResultTone::kCheckedIn);
        REQUIRE(f.Result().lines.size() == c.sessions);
        CHECK(f.Result().lines[0] == c.first);
    }
}

TEST_CASE("a scan checks in to the whole block, durably, and the screen names no one") {
    AppFixture f;
    f.Scan(kJose);
    REQUIRE(f.Showing() == Screen::kResult);
    CHECK(f.Result().tone == ResultTone::kCheckedIn);
    CHECK(f.Result().title == "You're checked in");
    REQUIRE(f.Result().lines.size() == 3);
    CHECK(f.Result().lines[0] == "8:10 AM  Process Group, Oak Room");
    CHECK(f.AllText().find("José") == std::string::npos);
    CHECK(f.AllText().find("Núñez") == std::string::npos);
    // What the screen confirmed is on disk: three attendance rows, their outbox rows, an audit row.
    CHECK(f.Count("SELECT count(*) FROM attendance WHERE person_ref = 'Patient/pat-01' AND source "
                  "= 'scan'") == 3);
    CHECK(f.Count("SELECT count(*) FROM outbox o JOIN attendance a ON a.identifier = o.subject "
                  "WHERE a.person_ref = 'Patient/pat-01' AND o.state = 'pending'") == 3);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'check-in' AND subject = "
                  "'Patient/pat-01'") == 1);
    CHECK_FALSE(f.store->Audit().Verify()->first_bad_seq.has_value());
}

TEST_CASE("the result clears itself after the configured time and nothing of it stays") {
    AppFixture f;
    f.Scan(kJose);
    f.Wait(Seconds{5});
    CHECK(f.Showing() == Screen::kResult);
    f.Wait(Seconds{1});
    CHECK(f.Showing() == Screen::kWelcome);
    CHECK(f.Result().title.empty());
    CHECK(f.Result().lines.empty());
}

TEST_CASE("a wall clock stepped back an hour does not keep the result on screen") {
    AppFixture f;
    f.Scan(kJose);
    f.Wait(Seconds{2});
    f.clock.StepWall(-std::chrono::hours{1});  // NTP or an operator corrects the clock
    f.Wait(Seconds{3});
    CHECK(f.Showing() == Screen::kResult);
    // Whatever the wall clock says, the platform is woken within the second it is due.
    CHECK(f.model->NextWakeup() <= f.clock.Now() + Seconds{1});
    f.Wait(Seconds{1});  // 6 s after the scan, an hour "before" it on the wall clock
    CHECK(f.Showing() == Screen::kWelcome);
    CHECK(f.Result().title.empty());
}

TEST_CASE("a tap closes the result at once") {
    AppFixture f;
    f.Scan(kJose);
    UiIntents tap;
    tap.dismiss_result = true;
    f.model->OnIntents(tap);
    CHECK(f.Showing() == Screen::kWelcome);
}

TEST_CASE("the same card read twice in a row repeats the answer and writes nothing more") {
    AppFixture f;
    f.Scan(kJose);
    f.Wait(Seconds{2});
    f.Scan(kJose);
    CHECK(f.Result().tone == ResultTone::kCheckedIn);
    CHECK(f.Count("SELECT count(*) FROM outbox") == 3);
    f.Wait(Seconds{11});
    f.Scan(kJose);
    CHECK(f.Result().tone == ResultTone::kAlreadyIn);
    CHECK(f.Result().title == "You're already checked in (since 8:00 AM)");
    CHECK(f.Count("SELECT count(*) FROM outbox") == 3);
}

TEST_CASE("the newest scan wins: a second person replaces the first one's result") {
    AppFixture f;
    f.Scan(kJose);
    f.Wait(Seconds{1});
    f.Scan("garbage");
    CHECK(f.Result().tone == ResultTone::kSeeFrontDesk);
    f.Wait(Seconds{1});
    f.Scan(kLinda);
    CHECK(f.Result().tone == ResultTone::kCheckedIn);
    f.Wait(Seconds{5});
    CHECK(f.Showing() == Screen::kResult);  // the timer restarted with Linda's scan
    f.Wait(Seconds{1});
    CHECK(f.Showing() == Screen::kWelcome);
}

TEST_CASE("every refusal reads the same: see the front desk") {
    AppFixture f;
    const std::vector<std::string> refused = {
        "garbage",
        "K1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  // well-formed, unknown
        "'; DROP TABLE attendance; --",
        std::string(3000, 'Q'),
    };
    for (const auto& payload : refused) {
        f.Scan(payload);
        CHECK(f.Result().tone == ResultTone::kSeeFrontDesk);
        CHECK(f.Result().title == "Please see the front desk");
        CHECK(f.Result().lines == std::vector<std::string>{"Someone there will help you."});
        f.Wait(Seconds{11});
    }
    CHECK(f.Count("SELECT count(*) FROM attendance WHERE source = 'scan'") == 0);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'scan-refused'") == 4);
    // The log side knows why; the audit detail says it without the token.
    CHECK(f.Count("SELECT count(*) FROM audit WHERE detail = 'unknown card'") == 1);
}

TEST_CASE("a revoked card is refused") {
    AppFixture f;
    // pat-41 is enrolled this morning but their card was revoked (cards.csv role "revoked").
    const std::string revoked = [] {
        std::ifstream in(std::string(KIOSK_TEST_ASSETS) + "/demo/cards.csv");
        std::string line;
        while (std::getline(in, line)) {
            if (line.rfind("revoked,", 0) == 0) {
                return line.substr(line.find("K1."), 35);
            }
        }
        return std::string();
    }();
    REQUIRE_FALSE(revoked.empty());
    f.Scan(revoked);
    CHECK(f.Result().tone == ResultTone::kSeeFrontDesk);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE detail = 'card revoked'") == 1);
}

TEST_CASE("too early and after the sessions are over also go to the front desk") {
    AppFixture f;
    f.clock.Advance(-std::chrono::hours{3});  // 05:00, the block's window opens at 07:25
    f.Scan(kJose);
    CHECK(f.Result().tone == ResultTone::kSeeFrontDesk);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE detail LIKE 'too early%'") == 1);
}

TEST_CASE("a clinic that opted in sees the first name, and only the first name") {
    AppFixture f([](KioskConfig& c) { c.lobby_name = LobbyName::kFirstName; });
    f.Scan(kJose);
    CHECK(f.Result().title == "You're checked in, José");
    CHECK(f.AllText().find("Núñez") == std::string::npos);
}

TEST_CASE("a second scan after the last session started plus grace checks out") {
    AppFixture f;
    f.Scan(kJose);  // 08:00; sessions 08:10-09:10, 09:10-10:10, 10:10-11:10 (back to back)
    f.Wait(std::chrono::hours{2} + Minutes{24});  // 10:24: last start 10:10 + 15 min grace not yet
    f.Scan(kJose);
    CHECK(f.Result().tone == ResultTone::kAlreadyIn);
    f.Wait(Minutes{2});  // 10:26
    f.Scan(kJose);
    REQUIRE(f.Result().tone == ResultTone::kCheckedOut);
    CHECK(f.Result().title == "You're checked out");
    // 60 + 60 + 16 minutes inside sessions.
    CHECK(f.Result().lines == std::vector<std::string>{"Time attended today: 2 h 16 min"});
    CHECK(f.Count("SELECT count(*) FROM attendance WHERE checked_out_at IS NULL") == 0);
    CHECK(f.Count("SELECT count(*) FROM outbox") == 6);
}

TEST_CASE("check-ins close themselves at each session's end") {
    AppFixture f;
    f.Scan(kJose);
    f.Wait(std::chrono::hours{1} + Minutes{11});  // past the first session's end (09:10)
    CHECK(f.Count("SELECT count(*) FROM attendance WHERE source = 'scan' AND checked_out_at IS NOT "
                  "NULL") == 1);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'auto-check-out'") == 1);
    f.Wait(std::chrono::hours{3});
    CHECK(f.Count("SELECT count(*) FROM attendance WHERE source = 'scan' AND checked_out_at IS NOT "
                  "NULL") == 3);
    CHECK(f.Count("SELECT count(*) FROM outbox") == 6);
}

TEST_CASE("Spanish for one person, then back to the clinic's language") {
    AppFixture f;
    UiIntents choose;
    choose.choose_language = "es";
    f.model->OnIntents(choose);
    CHECK(f.model->View().welcome.prompt == "Escanee su tarjeta para registrar su llegada");
    CHECK(f.model->View().welcome.date == "4 de marzo de 2026");
    f.Scan(kJose);
    CHECK(f.Result().title == "Su llegada quedó registrada");
    f.Wait(Seconds{6});
    CHECK(f.Showing() == Screen::kWelcome);
    CHECK(f.model->Language() == "en");
    CHECK(f.model->View().welcome.prompt == "Scan your card to check in");
}

TEST_CASE("a language chosen with nobody scanning goes back after a minute") {
    AppFixture f;
    UiIntents choose;
    choose.choose_language = "es";
    f.model->OnIntents(choose);
    f.Wait(Seconds{59});
    CHECK(f.model->Language() == "es");
    f.Wait(Seconds{1});
    CHECK(f.model->Language() == "en");
}

TEST_CASE("the platform may sleep until the next thing to do") {
    AppFixture f;
    CHECK(f.model->NextWakeup() > f.clock.Now());
    CHECK(f.model->NextWakeup() <= f.clock.Now() + Seconds{60});
    f.Scan(kJose);
    CHECK(f.model->NextWakeup() <= f.clock.Now() + Seconds{6});
    CHECK(f.model->TakeCue() == Cue::kSuccess);
    CHECK(f.model->TakeCue() == Cue::kNone);
    f.Scan("nope");
    CHECK(f.model->TakeCue() == Cue::kAttention);
}

TEST_CASE("a keyboard-wedge scanner's keystrokes and Enter make a scan") {
    AppFixture f;
    for (char c : kJose) {
        f.model->OnText(std::string(1, c));
    }
    f.model->OnEnter();
    CHECK(f.Result().tone == ResultTone::kCheckedIn);
}

TEST_CASE("a scan arriving while the previous result clears is read whole") {
    AppFixture f;
    f.Scan(kJose);
    f.Wait(Seconds{5});
    for (char c : kLinda.substr(0, 10)) {
        f.model->OnText(std::string(1, c));
    }
    f.Wait(Seconds{1});  // José's result clears between two keys of Linda's scan
    REQUIRE(f.Showing() == Screen::kWelcome);
    for (char c : kLinda.substr(10)) {
        f.model->OnText(std::string(1, c));
    }
    f.model->OnEnter();
    CHECK(f.Result().tone == ResultTone::kCheckedIn);
}
