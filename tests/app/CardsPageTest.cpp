// The Cards page through the staff screens (SCREENS.md 9): who sees it, finding a participant
// by name, a new card previewed (nothing changes) and printed (issued: outbox and audit), the
// earlier card refused and the new one checking in, a revoke with a reason.
#include <doctest/doctest.h>

#include "ResourceDeskFixture.h"

using namespace kiosk;
using namespace kiosk::test;

namespace {

bool HasCardsTile(const StaffView& v) {
    for (const auto& tile : v.home.tiles) {
        if (std::holds_alternative<intent::home::OpenCards>(tile.opens)) {
            return true;
        }
    }
    return false;
}

const CardLineView* LineOf(const StaffView& v, const std::string& ref) {
    for (const auto& l : v.cards.lines) {
        if (l.person_ref == ref) {
            return &l;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("front desk and case managers get the Cards page; facilitators do not") {
    {
        AppFixture f;
        f.SignIn(kFacilitatorRosa, kRosaPin);
        REQUIRE(f.Staff().page == StaffPage::kHome);
        CHECK_FALSE(HasCardsTile(f.Staff()));
        f.Do(intent::home::OpenCards{});
        CHECK(f.Staff().page == StaffPage::kHome);
    }
    AppFixture f;
    f.SignIn(kFrontDeskTomas, kTomasPin);
    REQUIRE(f.Staff().page == StaffPage::kHome);
    CHECK(HasCardsTile(f.Staff()));
    f.Do(intent::home::OpenCards{});
    CHECK(f.Staff().page == StaffPage::kCards);
    CHECK(f.Staff().title == "Cards");
}

TEST_CASE("a new card is previewed, issued when printed, and works; the earlier one does not") {
    Desk d;
    AppFixture& f = d.fixture;
    f.Do(intent::home::OpenCards{});
    REQUIRE(f.Staff().page == StaffPage::kCards);
    const CardLineView* jose = LineOf(f.Staff(), "Patient/pat-01");
    REQUIRE(jose != nullptr);
    CHECK(jose->name == "José Núñez");
    CHECK(jose->card == "Card works");
    CHECK(f.Staff().cards.lines.size() > 1);

    f.Do(intent::cards::EditFilter{});
    REQUIRE(f.Staff().keyboard);
    for (char c : std::string("nun")) {
        f.Do(intent::keyboard::Text{std::string(1, c)});
    }
    REQUIRE(f.Staff().cards.lines.size() == 1);
    CHECK(f.Staff().cards.filter_text == "nun");
    f.Do(intent::keyboard::Done{});

    f.Do(intent::cards::NewCard{"Patient/pat-01"});
    REQUIRE(f.Staff().page == StaffPage::kCardPreview);
    REQUIRE(f.Staff().preview.page);
    CHECK(f.Staff().preview.page->width == 856);
    CHECK(f.Staff().preview.can_print);
    CHECK(f.Staff().preview.heading == "New card for José Núñez");
    CHECK(f.Count("SELECT count(*) FROM outbox WHERE kind = 'credential'") == 0);  // not yet

    d.printer.next = {State(print::PrintState::kPrinting), State(print::PrintState::kDone)};
    f.Do(intent::preview::Print{});
    REQUIRE(d.printer.submitted.size() == 1);
    CHECK(d.printer.titles.at(0) == "Card");  // never a name
    CHECK(f.Count("SELECT count(*) FROM outbox WHERE kind = 'credential' AND "
                  "subject = 'Patient/pat-01'") == 1);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'card-issued' AND "
                  "actor = 'Practitioner/prac-08'") == 1);
    CHECK(f.Staff().preview.status == "The new card works now. Printing...");
    f.Do(intent::preview::Print{});  // a second tap while it prints sends nothing
    CHECK(d.printer.submitted.size() == 1);
    f.Wait(Seconds{1});
    f.Wait(Seconds{1});
    CHECK(f.Staff().preview.status == "Printed. The new card works; the earlier one does not.");
    int spooled = 0;
    for (const auto& e : std::filesystem::directory_iterator(f.dir.path() / "spool")) {
        spooled += e.path().filename().string().rfind("card-", 0) == 0 ? 1 : 0;
    }
    CHECK(spooled == 0);  // the page with the token is gone once printed

    f.Do(intent::preview::Done{});
    CHECK(f.Staff().page == StaffPage::kCards);
    CHECK(f.Staff().notice == "José Núñez has a new card; the earlier one no longer works.");

    // Signed out: the earlier card is refused in the lobby.
    f.Do(intent::frame::Cancel{});
    f.clock.Advance(Seconds{1});
    f.Scan(kJose);
    REQUIRE(f.Showing() == Screen::kResult);
    CHECK(f.Result().tone == ResultTone::kSeeFrontDesk);
}

TEST_CASE("a lost card is revoked with a reason from the list") {
    Desk d;
    AppFixture& f = d.fixture;
    f.Do(intent::home::OpenCards{});
    f.Do(intent::cards::Revoke{"Patient/pat-01"});
    REQUIRE(f.Staff().cards.dialog);
    CHECK(f.Staff().cards.dialog->title == "Revoke the card of José Núñez");
    CHECK_FALSE(f.Staff().cards.dialog->can_confirm);
    f.Do(intent::cards::Confirm{});  // no reason yet: nothing happens
    REQUIRE(f.Staff().cards.dialog);
    f.Do(intent::cards::ChooseReason{"stolen"});
    CHECK(f.Staff().cards.dialog->can_confirm);
    f.Do(intent::cards::Confirm{});
    CHECK_FALSE(f.Staff().cards.dialog);
    CHECK(f.Staff().notice == "The card of José Núñez is revoked.");
    const CardLineView* jose = LineOf(f.Staff(), "Patient/pat-01");
    REQUIRE(jose != nullptr);
    CHECK(jose->card == "No card that works");
    CHECK_FALSE(jose->can_revoke);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'card-revoked' AND "
                  "detail = 'reason: stolen'") == 1);
    f.Do(intent::frame::Back{});
    CHECK(f.Staff().page == StaffPage::kHome);
}

TEST_CASE("without a printer the new card is only shown, and nothing is issued") {
    Desk d(false);
    AppFixture& f = d.fixture;
    f.Do(intent::home::OpenCards{});
    f.Do(intent::cards::NewCard{"Patient/pat-01"});
    REQUIRE(f.Staff().page == StaffPage::kCardPreview);
    CHECK_FALSE(f.Staff().preview.can_print);
    f.Do(intent::preview::Print{});
    CHECK(f.Count("SELECT count(*) FROM outbox WHERE kind = 'credential'") == 0);
    f.Do(intent::frame::Back{});
    CHECK(f.Staff().page == StaffPage::kCards);
    CHECK(f.Staff().notice.empty());
}
