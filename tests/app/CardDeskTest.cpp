// Cards issued and revoked at the kiosk (CardDesk): found by name among this week's
// participants, a new card checks in at once (offline: nothing but the local store), the earlier
// card is refused from then on, a revoked card is refused, and each change is queued for the
// server and audited in the same transaction.
#include <doctest/doctest.h>

#include "AppFixture.h"
#include "kiosk/app/CardDesk.h"
#include "kiosk/core/Token.h"

using namespace kiosk;
using namespace kiosk::test;

TEST_CASE("a participant of this week's groups is found by part of a name") {
    AppFixture f;
    CardDesk desk(*f.store, LosAngeles(), "test-lobby");
    auto found = desk.FindParticipants("JOSÉ", f.clock.Now());
    REQUIRE(found.ok());
    REQUIRE(found->size() == 1);
    CHECK(found->front().ref == "Patient/pat-01");
    auto all = desk.FindParticipants("", f.clock.Now());
    REQUIRE(all.ok());
    CHECK(all->size() > 1);
    for (const auto& p : all.value()) {
        CHECK(p.ref.rfind("Patient/", 0) == 0);  // staff are not participants
    }
    CHECK(desk.FindParticipants("nunez", f.clock.Now())->size() == 1);  // accents folded
    CHECK(desk.FindParticipants("nobody-by-that-name", f.clock.Now())->empty());
}

TEST_CASE("a card issued here checks in at once; the earlier card stops working") {
    AppFixture f;
    int wakes = 0;
    CardDesk desk(*f.store, LosAngeles(), "test-lobby", [&] { ++wakes; });
    auto card = CardDesk::Prepare("Patient/pat-01");
    REQUIRE(card.ok());
    CHECK(desk.HasCard("Patient/pat-01", f.clock.Now()).value());
    REQUIRE(desk.Issue(card.value(), "Practitioner/prac-tomas", f.clock.Now()).ok());
    CHECK(wakes == 1);
    CHECK(desk.HasCard("Patient/pat-01", f.clock.Now()).value());
    REQUIRE(ParseToken(card->token).ok());
    CHECK(ParseToken(card->token)->hex == card->hash);
    CHECK(card->token != kJose);

    f.clock.Advance(Seconds{1});
    f.Scan(kJose);
    REQUIRE(f.Showing() == Screen::kResult);
    CHECK(f.Result().tone == ResultTone::kSeeFrontDesk);
    f.Wait(Seconds{30});
    f.Scan(card->token);
    REQUIRE(f.Showing() == Screen::kResult);
    CHECK(f.Result().tone == ResultTone::kCheckedIn);

    CHECK(f.Count("SELECT count(*) FROM outbox WHERE kind = 'credential' AND "
                  "subject = 'Patient/pat-01' AND payload LIKE '%\"issue\"%'") == 1);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'card-issued' AND "
                  "subject = 'Patient/pat-01' AND actor = 'Practitioner/prac-tomas'") == 1);
    // The token itself is kept nowhere: only its hash.
    CHECK(f.Count("SELECT count(*) FROM outbox WHERE payload LIKE '%" + card->token.substr(3) +
                  "%'") == 0);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE detail LIKE '%" + card->token.substr(3) +
                  "%'") == 0);
}

TEST_CASE("a revoked card is refused; revoking needs a reason and a card that works") {
    AppFixture f;
    CardDesk desk(*f.store, LosAngeles(), "test-lobby");
    CHECK(
        desk.Revoke("Patient/pat-01", "Practitioner/prac-tomas", "", f.clock.Now()).error().code ==
        ErrorCode::kInvalidInput);
    REQUIRE(desk.Revoke("Patient/pat-01", "Practitioner/prac-tomas", "lost", f.clock.Now()).ok());
    CHECK_FALSE(desk.HasCard("Patient/pat-01", f.clock.Now()).value());
    f.clock.Advance(Seconds{1});
    f.Scan(kJose);
    REQUIRE(f.Showing() == Screen::kResult);
    CHECK(f.Result().tone == ResultTone::kSeeFrontDesk);
    CHECK(desk.Revoke("Patient/pat-01", "Practitioner/prac-tomas", "lost", f.clock.Now())
              .error()
              .code == ErrorCode::kNotFound);
    CHECK(f.Count("SELECT count(*) FROM outbox WHERE kind = 'credential' AND "
                  "payload LIKE '%\"revoke\"%'") == 1);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'card-revoked' AND "
                  "detail = 'reason: lost'") == 1);
    // Linda's card is untouched.
    f.Wait(Seconds{30});
    f.Scan(kLinda);
    CHECK(f.Result().tone == ResultTone::kCheckedIn);
}
