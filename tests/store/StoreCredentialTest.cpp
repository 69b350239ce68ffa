// Cards issued and revoked on the kiosk: the local credentials change at once (the earlier card
// ends when the new one starts), the outbox carries the fact, and a pull does not undo a change
// the server has not taken yet.
#include <doctest/doctest.h>

#include "StoreTestSupport.h"
#include "TestSupport.h"
#include "kiosk/store/Store.h"

using namespace kiosk;
using namespace kiosk::store;
using kiosk::test::At;

namespace {

const std::string kOld(64, 'a');
const std::string kNew(64, 'b');

ClinicBatch PersonWithCard(const std::string& hash) {
    ClinicBatch b;
    b.persons.push_back(PersonRow{"Patient/p1",
                                  "Ana",
                                  "Ruiz",
                                  "adult",
                                  {CredentialRow{hash, "Patient/p1", std::nullopt, std::nullopt}}});
    return b;
}

Status Issue(Store& store, const std::string& hash, Instant at) {
    return store.Transaction([&](WriteTx& tx) -> Status {
        if (auto s = store.Clinic().IssueCredential(tx, "Patient/p1", hash, at); !s) {
            return s;
        }
        return store.Outbox().EnqueueCredential(tx, {"Patient/p1", "issue", hash, at});
    });
}

}  // namespace

TEST_CASE("issuing a card ends the earlier one at that instant and queues the fact") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    REQUIRE(store->Clinic().Apply(PersonWithCard(kOld)).ok());
    REQUIRE(Issue(*store, kNew, At(9, 0)).ok());

    auto old_card = store->Clinic().FindCredential(kOld);
    REQUIRE(old_card.ok());
    REQUIRE(old_card.value());
    CHECK(old_card.value()->valid_until == At(9, 0));
    auto new_card = store->Clinic().FindCredential(kNew);
    REQUIRE(new_card.ok());
    REQUIRE(new_card.value());
    CHECK(new_card.value()->person_ref == "Patient/p1");
    CHECK_FALSE(new_card.value()->valid_until);

    auto items = store->Outbox().Items("pending", 10);
    REQUIRE(items.ok());
    REQUIRE(items->size() == 1);
    CHECK(items->at(0).kind == OutboxKind::kCredential);
    CHECK(items->at(0).subject == "Patient/p1");
    auto fact = store->Outbox().CredentialOf(items->at(0).seq);
    REQUIRE(fact.ok());
    CHECK(fact->action == "issue");
    CHECK(fact->new_hash == kNew);
    CHECK(fact->at == At(9, 0));
}

TEST_CASE("revoking ends every open card; a second revoke finds none") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    REQUIRE(store->Clinic().Apply(PersonWithCard(kOld)).ok());
    int ended = -1;
    auto revoke = [&](Instant at) {
        return store->Transaction([&](WriteTx& tx) -> Status {
            auto n = store->Clinic().EndCredentials(tx, "Patient/p1", at);
            if (!n) {
                return n.error();
            }
            ended = n.value();
            return Ok{};
        });
    };
    REQUIRE(revoke(At(10, 0)).ok());
    CHECK(ended == 1);
    CHECK(store->Clinic().FindCredential(kOld).value()->valid_until == At(10, 0));
    REQUIRE(revoke(At(11, 0)).ok());
    CHECK(ended == 0);  // already ended: the end stays where it was
    CHECK(store->Clinic().FindCredential(kOld).value()->valid_until == At(10, 0));
}

TEST_CASE("a pull keeps a card issued here until the server has taken it") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    REQUIRE(store->Clinic().Apply(PersonWithCard(kOld)).ok());
    REQUIRE(Issue(*store, kNew, At(9, 0)).ok());
    // The server's copy still lists only the old card, open: the local change stays.
    REQUIRE(store->Clinic().Apply(PersonWithCard(kOld)).ok());
    REQUIRE(store->Clinic().FindCredential(kNew).value());
    CHECK(store->Clinic().FindCredential(kOld).value()->valid_until == At(9, 0));
    // Once delivered, the server is the truth again (here: it never got the new card).
    auto items = store->Outbox().Items("pending", 10).value();
    REQUIRE(store->Outbox().MarkDelivered({items.at(0).seq}, At(9, 1)).ok());
    REQUIRE(store->Clinic().Apply(PersonWithCard(kOld)).ok());
    CHECK_FALSE(store->Clinic().FindCredential(kNew).value());
    CHECK_FALSE(store->Clinic().FindCredential(kOld).value()->valid_until);
}

TEST_CASE("credential payloads are checked when read back") {
    const CredentialFact fact{"Patient/p1", "issue", kNew, At(9, 0)};
    auto back = ParseCredentialPayload(CredentialPayload(fact));
    REQUIRE(back.ok());
    CHECK(back->person_ref == fact.person_ref);
    CHECK(back->new_hash == kNew);
    CHECK(back->at == fact.at);
    CHECK(ParseCredentialPayload(CredentialPayload({"Patient/p1", "revoke", "", At(9, 0)})).ok());
    CHECK_FALSE(
        ParseCredentialPayload(CredentialPayload({"Patient/p1", "issue", "", At(9, 0)})).ok());
    CHECK_FALSE(
        ParseCredentialPayload(CredentialPayload({"Patient/p1", "revoke", kNew, At(9, 0)})).ok());
    CHECK_FALSE(ParseCredentialPayload(CredentialPayload({"p1", "issue", kNew, At(9, 0)})).ok());
    CHECK_FALSE(
        ParseCredentialPayload(CredentialPayload({"Patient/p1", "undo", "", At(9, 0)})).ok());
    CHECK_FALSE(ParseCredentialPayload("[]").ok());
}
