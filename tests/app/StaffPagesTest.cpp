// StaffController's page handlers driven one intent at a time (StaffIntents.h): the frame's Back
// and Cancel on each page, the by-hand dialog's text line and cancel, and intents that reach a
// page they do not belong to (the ui only sends the page's own; nothing must happen).
#include <doctest/doctest.h>

#include "AppFixture.h"

using namespace kiosk;
using namespace kiosk::test;

namespace {

void SignInRosa(AppFixture& f) {
    f.SignIn(kFacilitatorRosa, kRosaPin);
    REQUIRE(f.Staff().page == StaffPage::kHome);
}

}  // namespace

TEST_CASE("the frame during sign-in: Back has no page to go to, Cancel leaves") {
    AppFixture f;
    f.Scan(kFacilitatorRosa);
    REQUIRE(f.Staff().page == StaffPage::kPin);
    f.Do(intent::pin::Digit{'1'});
    f.Do(intent::frame::Back{});
    CHECK(f.Staff().page == StaffPage::kPin);
    CHECK(f.Staff().pin.entered == 1);
    f.Do(intent::home::OpenRosters{});  // a signed-in page's intent: nothing before sign-in
    CHECK(f.Staff().page == StaffPage::kPin);
    f.Do(intent::frame::Cancel{});
    CHECK(f.Showing() != Screen::kStaff);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'staff-sign-in'") == 0);
}

TEST_CASE(
    "Back goes one page up: the roster to the sessions (its filter forgotten), the rest home") {
    AppFixture f;
    SignInRosa(f);
    f.Do(intent::home::OpenStatus{});
    REQUIRE(f.Staff().page == StaffPage::kStatus);
    f.Do(intent::frame::Back{});
    CHECK(f.Staff().page == StaffPage::kHome);

    f.Do(intent::home::OpenRosters{});
    REQUIRE(f.Staff().page == StaffPage::kSessions);
    f.Do(intent::sessions::OpenSession{"appt-wed-am1"});
    REQUIRE(f.Staff().page == StaffPage::kRoster);
    f.Do(intent::roster::EditFilter{});
    f.Do(intent::keyboard::Text{"j"});
    CHECK(f.Staff().roster.filter_text == "j");
    f.Do(intent::frame::Back{});
    CHECK(f.Staff().page == StaffPage::kSessions);
    CHECK_FALSE(f.Staff().keyboard.has_value());
    f.Do(intent::sessions::OpenSession{"appt-wed-am1"});
    CHECK(f.Staff().roster.filter_text.empty());
    CHECK(f.Staff().roster.lines.size() == 17);

    f.Do(intent::frame::Back{});
    f.Do(intent::frame::Back{});
    CHECK(f.Staff().page == StaffPage::kHome);
    f.Do(intent::frame::Cancel{});  // signed in: signs out
    CHECK(f.Showing() != Screen::kStaff);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'staff-sign-out'") == 1);
}

TEST_CASE("the by-hand dialog: its text line chooses 'other' and types; Cancel closes both") {
    AppFixture f;
    SignInRosa(f);
    f.Do(intent::home::OpenRosters{});
    f.Do(intent::sessions::OpenSession{"appt-wed-am1"});
    f.Do(intent::roster::CheckIn{"Patient/pat-01"});
    REQUIRE(f.Staff().correction.has_value());
    f.Do(intent::correction::EditText{});
    REQUIRE(f.Staff().keyboard.has_value());
    CHECK(f.Staff().correction->wants_text);
    for (const char* k : {"l", "o", "s", "t"}) {
        f.Do(intent::keyboard::Text{k});
    }
    CHECK(f.Staff().correction->text == "lost");
    CHECK(f.Staff().correction->can_confirm);
    f.Do(intent::correction::Cancel{});
    CHECK_FALSE(f.Staff().correction.has_value());
    CHECK_FALSE(f.Staff().keyboard.has_value());
    f.Do(intent::correction::Confirm{});  // nothing left to confirm
    CHECK(f.Count("SELECT count(*) FROM attendance WHERE source = 'manual'") == 0);
    CHECK(f.Staff().notice.empty());
}

TEST_CASE("intents of a page that is not up change nothing") {
    AppFixture f;
    SignInRosa(f);
    f.Do(intent::home::OpenRosters{});
    REQUIRE(f.Staff().page == StaffPage::kSessions);
    // The resource pages' intents outside them, a PIN key after sign-in, a by-hand check-in
    // without its roster.
    f.Do(intent::resources::OpenReferral{});
    f.Do(intent::resources::EditSearch{});
    f.Do(intent::preview::Print{});
    f.Do(intent::pin::Submit{});
    f.Do(intent::roster::CheckIn{"Patient/pat-01"});
    CHECK(f.Staff().page == StaffPage::kSessions);
    CHECK_FALSE(f.Staff().keyboard.has_value());
    CHECK_FALSE(f.Staff().correction.has_value());
    CHECK(f.Count("SELECT count(*) FROM referral") == 0);
    // Rosa is a facilitator: the resource pages stay shut even when asked for directly.
    f.Do(intent::frame::Back{});
    f.Do(intent::home::OpenResources{});
    CHECK(f.Staff().page == StaffPage::kHome);
}
