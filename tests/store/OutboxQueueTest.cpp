// The typed outbox: each kind queued by its own enqueue, read back as the same kind with the
// same fact; words a newer kiosk stored read as "unknown kind", never as a crash or a guess.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "StoreTestSupport.h"
#include "TestSupport.h"
#include "kiosk/store/Store.h"

using namespace kiosk;
using namespace kiosk::store;
using kiosk::test::At;

TEST_CASE("outbox kinds keep the words every schema stored; others are a clear error") {
    CHECK(OutboxKindName(OutboxKind::kEncounter) == "encounter");
    CHECK(OutboxKindName(OutboxKind::kProvenance) == "provenance");
    CHECK(OutboxKindName(OutboxKind::kReferral) == "referral");
    CHECK(OutboxKindName(OutboxKind::kCredential) == "credential");
    for (OutboxKind k : {OutboxKind::kEncounter, OutboxKind::kProvenance, OutboxKind::kReferral,
                         OutboxKind::kCredential}) {
        auto back = ParseOutboxKind(OutboxKindName(k));
        REQUIRE(back.ok());
        CHECK(back.value() == k);
    }
    auto unknown = ParseOutboxKind("appointment");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == ErrorCode::kInvalidInput);
    CHECK(unknown.error().log.find("'appointment'") != std::string::npos);
    CHECK_FALSE(ParseOutboxKind("").ok());
    CHECK_FALSE(ParseOutboxKind("Encounter").ok());  // stored words are exact
}

TEST_CASE("each enqueue stores its kind and subject, and the facts come back as queued") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    const ManualChangeFact change{
        "att-1", "Practitioner/prac-2", "check-in", "forgot card", "lobby-1", At(9, 3)};
    const ReferralFact referral{
        "req-1",  "Patient/pat-1", "Practitioner/prac-7", "Organization/org-1", "", "food", "",
        At(9, 5), "ref-9",         "Pantry Co",           "Eastside Pantry"};
    REQUIRE(store
                ->Transaction([&](WriteTx& tx) -> Status {
                    if (auto s = store->Outbox().EnqueueEncounter(tx, "att-1", At(9, 3)); !s) {
                        return s;
                    }
                    if (auto s = store->Outbox().EnqueueProvenance(tx, change, At(9, 3)); !s) {
                        return s;
                    }
                    return store->Outbox().EnqueueReferral(tx, referral, At(9, 5));
                })
                .ok());
    auto items = store->Outbox().Items("pending", 10);
    REQUIRE(items.ok());
    REQUIRE(items->size() == 3);
    CHECK(items->at(0).kind == OutboxKind::kEncounter);
    CHECK(items->at(0).stored_kind == "encounter");
    CHECK(items->at(0).subject == "att-1");
    CHECK(items->at(1).kind == OutboxKind::kProvenance);
    CHECK(items->at(1).subject == "att-1");  // about its attendance, after its encounter
    CHECK(items->at(2).kind == OutboxKind::kReferral);
    CHECK(items->at(2).subject == "req-1");

    auto fact = store->Outbox().ManualChangeOf(items->at(1).seq);
    REQUIRE(fact.ok());
    CHECK(fact->agent_ref == "Practitioner/prac-2");
    CHECK(fact->activity == "check-in");
    CHECK(fact->reason == "forgot card");
    CHECK(fact->kiosk_id == "lobby-1");
    CHECK(fact->recorded == At(9, 3));
    auto back = store->Outbox().ReferralOf(items->at(2).seq);
    REQUIRE(back.ok());
    CHECK(back->patient_ref == "Patient/pat-1");
    CHECK(back->requisition_id == "ref-9");
    CHECK(back->performer_display == "Pantry Co");
    CHECK(back->service_display == "Eastside Pantry");
    CHECK(back->authored == At(9, 5));
    // An encounter item carries no fact: reading one as a fact is an error, not a crash.
    CHECK(store->Outbox().ManualChangeOf(items->at(0).seq).error().code ==
          ErrorCode::kInvalidInput);
    CHECK(store->Outbox().PendingFor(OutboxKind::kEncounter, "att-1").value());
    CHECK_FALSE(store->Outbox().PendingFor(OutboxKind::kReferral, "att-1").value());
}

TEST_CASE("rows stored by older and newer kiosks read back: known words typed, others kept") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    {
        // As an older kiosk wrote them (payload text of its own), and a kind from a newer one.
        SQLite::Database db((dir.path() / "kiosk.db").string(), SQLite::OPEN_READWRITE);
        db.exec(
            "INSERT INTO outbox (kind, subject, created_at, payload) VALUES "
            "('encounter', 'att-1', 100, NULL), "
            "('provenance', 'att-1', 101, '{\"activity\":\"check-in\",\"agent\":"
            "\"Practitioner/prac-2\",\"attendance\":\"att-1\",\"kiosk\":\"lobby-1\",\"reason\":"
            "\"phone dead\",\"recorded\":\"2026-01-07T17:03:00Z\"}'), "
            "('appointment', 'apt-1', 102, '{}')");
    }
    auto items = store->Outbox().Due(At(23, 0), 0, 10);
    REQUIRE(items.ok());
    REQUIRE(items->size() == 3);
    CHECK(items->at(0).kind == OutboxKind::kEncounter);
    REQUIRE(items->at(1).kind == OutboxKind::kProvenance);
    auto fact = store->Outbox().ManualChangeOf(items->at(1).seq);
    REQUIRE(fact.ok());
    CHECK(fact->reason == "phone dead");
    CHECK(fact->recorded == At(9, 3));
    CHECK_FALSE(items->at(2).kind.has_value());
    CHECK(items->at(2).stored_kind == "appointment");
    CHECK(items->at(2).subject == "apt-1");
}
