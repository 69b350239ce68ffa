// IdentifyCard: the one place a scanned payload is parsed and its credential read. Every kind of
// card on the demo clinic, the hash it is keyed by (never the token), and a store that fails.
#include <doctest/doctest.h>

#include "AppFixture.h"
#include "kiosk/app/CardIdentity.h"
#include "kiosk/core/Sha256.h"

using namespace kiosk;
using namespace kiosk::test;

namespace {

std::string HashOf(const std::string& token) {
    return Sha256Hex(token);
}

std::string RevokedDemoCard() {
    std::ifstream in(std::string(KIOSK_TEST_ASSETS) + "/demo/cards.csv");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("revoked,", 0) == 0) {
            return line.substr(line.find("K1."), 35);
        }
    }
    return {};
}

}  // namespace

TEST_CASE("a participant's card, a staff badge, a revoked card and an unknown token") {
    AppFixture f;
    const Instant now = f.clock.Now();

    const CardIdentity jose = IdentifyCard(*f.store, kJose, now);
    CHECK(jose.kind == CardKind::kParticipant);
    CHECK(jose.person_ref == "Patient/pat-01");
    CHECK(jose.credential_hash == HashOf(kJose));
    CHECK_FALSE(jose.failure.has_value());

    const CardIdentity rosa = IdentifyCard(*f.store, kFacilitatorRosa, now);
    CHECK(rosa.kind == CardKind::kStaff);
    CHECK(rosa.person_ref.rfind("Practitioner/", 0) == 0);

    const std::string revoked = RevokedDemoCard();
    REQUIRE_FALSE(revoked.empty());
    const CardIdentity gone = IdentifyCard(*f.store, revoked, now);
    CHECK(gone.kind == CardKind::kRevoked);
    CHECK(gone.person_ref == "Patient/pat-41");

    const std::string nobody = "K1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    const CardIdentity unknown = IdentifyCard(*f.store, nobody, now);
    CHECK(unknown.kind == CardKind::kUnknown);
    CHECK(unknown.credential_hash == HashOf(nobody));
    CHECK(unknown.person_ref.empty());
}

TEST_CASE("a card is revoked outside its validity period, on either side") {
    AppFixture f;
    SQLite::Database db((f.dir.path() / "kiosk.db").string(), SQLite::OPEN_READWRITE);
    const Instant now = f.clock.Now();
    const auto at = [](Instant t) { return static_cast<int64_t>(t.time_since_epoch().count()); };
    SQLite::Statement later(db,
                            "UPDATE credential SET valid_from = ?, valid_until = NULL "
                            "WHERE hash = ?");
    later.bind(1, at(now + Seconds{60}));
    later.bind(2, HashOf(kJose));
    REQUIRE(later.exec() == 1);
    CHECK(IdentifyCard(*f.store, kJose, now).kind == CardKind::kRevoked);
    CHECK(IdentifyCard(*f.store, kJose, now + Seconds{60}).kind == CardKind::kParticipant);
    SQLite::Statement ended(db,
                            "UPDATE credential SET valid_from = NULL, valid_until = ? "
                            "WHERE hash = ?");
    ended.bind(1, at(now));
    ended.bind(2, HashOf(kJose));
    REQUIRE(ended.exec() == 1);
    CHECK(IdentifyCard(*f.store, kJose, now - Seconds{1}).kind == CardKind::kParticipant);
    CHECK(IdentifyCard(*f.store, kJose, now).kind == CardKind::kRevoked);
}

TEST_CASE("bytes that are not a token are no card: nothing is looked up, the reason is kept") {
    AppFixture f;
    for (const std::string& payload : {std::string("garbage"), kJose + "\n", std::string(),
                                       std::string("K1.short"), std::string(5000, 'K')}) {
        const CardIdentity id = IdentifyCard(*f.store, payload, f.clock.Now());
        CHECK(id.kind == CardKind::kNotACard);
        CHECK(id.credential_hash.empty());
        CHECK(id.person_ref.empty());
        REQUIRE(id.failure.has_value());
        CHECK(id.failure->code == ErrorCode::kInvalidInput);
    }
}

TEST_CASE("a credential that cannot be read is kStoreFailed, with the store's error") {
    AppFixture f;
    {
        SQLite::Database db((f.dir.path() / "kiosk.db").string(), SQLite::OPEN_READWRITE);
        db.exec("ALTER TABLE credential RENAME TO credential_gone");
    }
    const CardIdentity id = IdentifyCard(*f.store, kJose, f.clock.Now());
    CHECK(id.kind == CardKind::kStoreFailed);
    CHECK(id.credential_hash == HashOf(kJose));
    REQUIRE(id.failure.has_value());
    CHECK_FALSE(id.failure->log.empty());
}
