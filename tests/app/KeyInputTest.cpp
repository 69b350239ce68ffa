// The keyboard path the platform's ScanInput feeds (AppModel::OnKey, with made-up key times):
// a wedge scanner's burst is a check-in and reaches no field, a scan half taken for typing is
// still read whole, PIN digits typed by a person reach the PIN pad; and the wake-up the sync
// thread gets after a commit (OutboxWake), only when the outbox grew.
#include <doctest/doctest.h>

#include "AppFixture.h"

using namespace kiosk;
using namespace kiosk::test;
using scan::KeyKind;
using std::chrono::milliseconds;

namespace {

/// Keys into the model as the platform sends them: a poll before each, then the key.
struct Keyboard {
    AppModel& model;
    long t = 1000;

    void Key(KeyKind kind, const std::string& text = "") {
        model.PollKeys(milliseconds(t));
        model.OnKey({kind, text, milliseconds(t)});
    }
    /// `text` one key every `gap` ms, then Enter.
    void Type(const std::string& text, long gap) {
        for (char c : text) {
            Key(KeyKind::kText, std::string(1, c));
            t += gap;
        }
        Key(KeyKind::kEnter);
        t += gap;
    }
    void Wait(long ms) {
        t += ms;
        model.PollKeys(milliseconds(t));
    }
};

}  // namespace

TEST_CASE("a wedge scanner's burst checks in; held keys never reach the model as typing") {
    AppFixture f;
    Keyboard keys{*f.model};
    f.model->OnKey({KeyKind::kText, "K", milliseconds(keys.t)});
    CHECK(f.model->KeysDeadline().has_value());  // held: the platform wakes up to decide
    keys.t += 4;
    for (char c : kJose.substr(1)) {
        const auto step = f.model->OnKey({KeyKind::kText, std::string(1, c), milliseconds(keys.t)});
        CHECK(step.hold);
        CHECK(step.handed_on.empty());
        keys.t += 4;
    }
    const auto done = f.model->OnKey({KeyKind::kEnter, "", milliseconds(keys.t)});
    CHECK(done.scan == kJose);
    CHECK(f.Result().tone == ResultTone::kCheckedIn);
    CHECK_FALSE(f.model->KeysDeadline().has_value());
}

TEST_CASE("a card typed slowly, or half taken for typing while the kiosk drew, is read whole") {
    AppFixture f;
    Keyboard keys{*f.model};
    keys.Type(kJose, 60);  // a person's pace
    CHECK(f.Result().tone == ResultTone::kCheckedIn);

    f.Wait(Seconds{12});  // past the result and the duplicate window
    REQUIRE(f.Showing() == Screen::kWelcome);
    keys.Wait(5000);
    for (char c : kLinda.substr(0, 6)) {  // typing pace...
        keys.Key(KeyKind::kText, std::string(1, c));
        keys.t += 40;
    }
    for (char c : kLinda.substr(6)) {  // ...then a batch stamped together: looks like a burst
        keys.Key(KeyKind::kText, std::string(1, c));
    }
    keys.Key(KeyKind::kEnter);
    CHECK(f.Result().tone == ResultTone::kCheckedIn);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'scan-refused'") == 0);
}

TEST_CASE("PIN digits typed by a person reach the PIN pad; a badge burst over it is a scan") {
    AppFixture f;
    Keyboard keys{*f.model};
    keys.Type(kFacilitatorRosa, 3);  // a scanner: sign-in starts
    REQUIRE(f.Showing() == Screen::kStaff);
    REQUIRE(f.Staff().page == StaffPage::kPin);
    for (char c : kRosaPin.substr(0, 3)) {
        keys.Key(KeyKind::kText, std::string(1, c));
        keys.t += 200;
    }
    keys.Wait(200);
    CHECK(f.Staff().pin.entered == 3);
    keys.Key(KeyKind::kBackspace);
    CHECK(f.Staff().pin.entered == 2);
    keys.Type(kJose, 3);  // a participant's card over the PIN pad: locks, then checks in
    CHECK(f.Showing() == Screen::kResult);
    CHECK(f.Result().tone == ResultTone::kCheckedIn);
}

TEST_CASE("the sync thread is woken after a commit that wrote the outbox, and only then") {
    AppFixture f;
    CHECK(f.sync_wakes == 0);
    f.Scan("garbage");
    f.Scan(kFacilitatorRosa);  // staff sign-in: nothing for the server
    CHECK(f.sync_wakes == 0);
    f.Do(StaffCommand::kCancel);
    const int after_staff = f.sync_wakes;  // a staff page's action may have saved something
    CHECK(after_staff >= 1);
    f.Scan(kJose);
    CHECK(f.Result().tone == ResultTone::kCheckedIn);
    CHECK(f.sync_wakes == after_staff + 1);
    f.Scan(kJose);  // the duplicate window repeats the answer: nothing written
    CHECK(f.sync_wakes == after_staff + 1);
}
