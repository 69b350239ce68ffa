// The local store on a real SQLite file: migrations, durability settings, atomic check-ins,
// idempotent clinic upserts and clear errors for a damaged file.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <fstream>
#include <type_traits>

#include "StoreTestSupport.h"
#include "TestSupport.h"
#include "kiosk/store/Migrations.h"
#include "kiosk/store/Store.h"

using namespace kiosk;
using namespace kiosk::store;
using kiosk::test::At;

namespace {

long long Count(const test::TempDir& dir, const std::string& table) {
    SQLite::Database db((dir.path() / "kiosk.db").string(), SQLite::OPEN_READONLY);
    return db.execAndGet("SELECT count(*) FROM " + table).getInt64();
}

ClinicBatch SmallClinic() {
    ClinicBatch b;
    b.sites.push_back({"site-main", "Cedar Grove Health", "America/Los_Angeles"});
    b.rooms.push_back({"room-oak", "site-main", "Oak Room"});
    PersonRow p{"Patient/p1", "Ana", "Ruiz", "adult", {}};
    p.credentials.push_back({std::string(64, 'a'), "Patient/p1", std::nullopt, std::nullopt});
    b.persons.push_back(p);
    b.sessions.push_back({"s1",
                          "Process Group",
                          "room-oak",
                          "Practitioner/f1",
                          At(9, 0),
                          At(10, 0),
                          "booked",
                          {"Patient/p1"},
                          ""});
    return b;
}

}  // namespace

TEST_CASE("a new file is migrated to the newest schema, in WAL with synchronous=FULL") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    CHECK(store->SchemaVersion() == AllMigrations().back().version);
    SQLite::Database db((dir.path() / "kiosk.db").string(), SQLite::OPEN_READWRITE);
    CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
    // synchronous is per connection: read it through the store's own settings by reopening
    auto again = test::OpenStoreIn(dir);  // reopening does not re-run migrations
    CHECK(again->SchemaVersion() == AllMigrations().back().version);
    for (const char* table : {"site", "room", "person", "credential", "session", "enrolment",
                              "attendance", "outbox", "audit", "meta"}) {
        CHECK(db.tableExists(table));
    }
}

TEST_CASE("a file that is not a database is refused with a plain message") {
    test::TempDir dir;
    std::ofstream(dir.path() / "kiosk.db") << "this is not a database, it is a shopping list";
    auto s = Store::Open(dir.path() / "kiosk.db");
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorCode::kStorage);
    CHECK(s.error().log.find("damaged") != std::string::npos);
    CHECK(s.error().log.find("kiosk.db") != std::string::npos);
}

TEST_CASE("a database from a newer kiosk is not touched") {
    test::TempDir dir;
    {
        SQLite::Database db((dir.path() / "kiosk.db").string(),
                            SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("PRAGMA user_version=999");
    }
    auto s = Store::Open(dir.path() / "kiosk.db");
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().log.find("newer than this kiosk") != std::string::npos);
}

TEST_CASE("a directory that does not exist gives a message saying so") {
    test::TempDir dir;
    auto s = Store::Open(dir.path() / "missing" / "kiosk.db");
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().log.find("data directory") != std::string::npos);
}

TEST_CASE("a check-in's attendance, outbox and audit rows commit together or not at all") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    REQUIRE(store->Clinic().Apply(SmallClinic()).ok());
    const std::string id = AttendanceIdentifier("s1", "Patient/p1");

    // A failure after the first two writes leaves nothing behind.
    Status failed = store->Transaction([&](store::WriteTx& tx) -> Status {
        REQUIRE(store->Attendance()
                    .Insert(tx, {id, "s1", "Patient/p1", At(8, 55), std::nullopt, "scan", "k1"})
                    .ok());
        REQUIRE(store->Outbox().EnqueueEncounter(tx, id, At(8, 55)).ok());
        return MakeError(ErrorCode::kStorage, "simulated failure before the audit row");
    });
    CHECK_FALSE(failed.ok());
    CHECK(Count(dir, "attendance") == 0);
    CHECK(Count(dir, "outbox") == 0);

    Status ok = store->Transaction([&](store::WriteTx& tx) -> Status {
        if (auto s = store->Attendance().Insert(
                tx, {id, "s1", "Patient/p1", At(8, 55), std::nullopt, "scan", "k1"});
            !s) {
            return s;
        }
        if (auto s = store->Outbox().EnqueueEncounter(tx, id, At(8, 55)); !s) {
            return s;
        }
        return store->Audit().Append(tx, {At(8, 55), "k1", "check-in", "Patient/p1", "s1"});
    });
    CHECK(ok.ok());
    CHECK(Count(dir, "attendance") == 1);
    CHECK(Count(dir, "outbox") == 1);
    CHECK(Count(dir, "audit") == 1);

    // The same person and session twice is refused by the unique identifier.
    Status twice = store->Transaction([&](store::WriteTx& tx) -> Status {
        return store->Attendance().Insert(
            tx, {id, "s1", "Patient/p1", At(9, 0), std::nullopt, "scan", "k2"});
    });
    CHECK_FALSE(twice.ok());
    CHECK(Count(dir, "attendance") == 1);
}

// Writes that must commit with others take the WriteTx only Store::Transaction makes: calling
// one outside a transaction does not compile (these fail to build if a write loses its token).
template <class Part>
concept QueuesWithoutTx = requires(Part& p) {
    p.EnqueueEncounter(std::string(), Instant{});
};
template <class Part>
concept InsertsWithoutTx = requires(Part& p, const AttendanceRow& row) {
    p.Insert(row);
};
template <class Part>
concept AuditsWithoutTx = requires(Part& p, const AuditEntry& e) {
    p.Append(e);
};
template <class Part>
concept SetsMetaWithoutTx = requires(Part& p) {
    p.SetMeta(std::string(), std::string());
};
template <class Part>
concept LocksPinWithoutTx = requires(Part& p) {
    p.SetPinLock(std::string(), PinLock{});
};
template <class Part>
concept RefersWithoutTx = requires(Part& p, const Referral& r) {
    p.Insert(r);
};
static_assert(!QueuesWithoutTx<OutboxQueue>);
static_assert(!InsertsWithoutTx<AttendanceLog>);
static_assert(!AuditsWithoutTx<AuditLog>);
static_assert(!SetsMetaWithoutTx<SyncState>);
static_assert(!LocksPinWithoutTx<StaffRecords>);
static_assert(!RefersWithoutTx<ReferralBook>);
static_assert(!std::is_default_constructible_v<WriteTx> && !std::is_copy_constructible_v<WriteTx>);
// With the token, the same calls are well-formed (so the checks above test the token alone).
static_assert(requires(OutboxQueue & q, WriteTx& tx) {
    q.EnqueueEncounter(tx, std::string(), Instant{});
});
static_assert(requires(AuditLog & a, WriteTx& tx, const AuditEntry& e) { a.Append(tx, e); });

TEST_CASE("a write transaction's token ends with it: what it wrote commits or rolls back whole") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    REQUIRE(store
                ->Transaction([&](WriteTx& tx) {
                    return store->Outbox().EnqueueEncounter(tx, "x", At(9, 0));
                })
                .ok());
    CHECK(Count(dir, "outbox") == 1);
    // A nested transaction is a bug the database refuses; nothing of the outer one stays.
    const Status nested = store->Transaction([&](WriteTx& tx) -> Status {
        if (auto s = store->Outbox().EnqueueEncounter(tx, "y", At(9, 1)); !s) {
            return s;
        }
        return store->Transaction(
            [&](WriteTx& inner) { return store->Outbox().EnqueueEncounter(inner, "z", At(9, 2)); });
    });
    CHECK_FALSE(nested.ok());
    CHECK(Count(dir, "outbox") == 1);
}

TEST_CASE("clinic upserts are idempotent and a removed credential is revoked") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    ClinicBatch b = SmallClinic();
    REQUIRE(store->Clinic().Apply(b).ok());
    REQUIRE(store->Clinic().Apply(b).ok());
    CHECK(Count(dir, "session") == 1);
    CHECK(Count(dir, "enrolment") == 1);
    CHECK(store->Clinic().FindCredential(std::string(64, 'a')).value().has_value());

    b.persons[0].credentials.clear();
    REQUIRE(store->Clinic().Apply(b).ok());
    CHECK_FALSE(store->Clinic().FindCredential(std::string(64, 'a')).value().has_value());
}

TEST_CASE("the schedule lists groups by name, room and time, not cancelled or one-to-one ones") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    ClinicBatch b = SmallClinic();
    b.persons.push_back({"Patient/p2", "Luis", "Peña", "adult", {}});
    b.sessions.front().enrolled.push_back("Patient/p2");  // two participants: a group
    b.sessions.push_back({"s2",
                          "DBT Skills",
                          "room-oak",
                          "",
                          At(10, 10),
                          At(11, 0),
                          "cancelled",
                          {"Patient/p1", "Patient/p2"},
                          ""});
    b.sessions.push_back({"s3",
                          "Medication Review",
                          "room-oak",
                          "",
                          At(11, 0),
                          At(11, 30),
                          "booked",
                          {"Patient/p1"},
                          ""});  // one patient: one-to-one
    REQUIRE(store->Clinic().Apply(b).ok());
    auto schedule = store->Clinic().Schedule(At(0, 0), At(23, 59));
    REQUIRE(schedule.ok());
    REQUIRE(schedule->size() == 1);
    CHECK(schedule->front().group_name == "Process Group");
    CHECK(schedule->front().room_name == "Oak Room");
}

TEST_CASE("a server Encounter never undoes a local check-out") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    REQUIRE(store->Clinic().Apply(SmallClinic()).ok());
    const std::string id = AttendanceIdentifier("s1", "Patient/p1");
    REQUIRE(store
                ->Transaction([&](store::WriteTx& tx) {
                    return store->Attendance().Insert(
                        tx, {id, "s1", "Patient/p1", At(8, 55), At(9, 40), "scan", "k1"});
                })
                .ok());
    ClinicBatch pulled;
    pulled.attendance.push_back(
        {id, "s1", "Patient/p1", At(8, 58), std::nullopt, "server", "server"});
    REQUIRE(store->Clinic().Apply(pulled).ok());
    auto rows = store->Attendance().ForPerson("Patient/p1", At(0, 0), At(23, 0));
    REQUIRE(rows->size() == 1);
    CHECK(rows->front().checked_in == At(8, 55));
    CHECK(rows->front().checked_out == At(9, 40));
}

TEST_CASE("open check-ins past their session's end are found for auto check-out") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    REQUIRE(store->Clinic().Apply(SmallClinic()).ok());
    const std::string id = AttendanceIdentifier("s1", "Patient/p1");
    REQUIRE(store
                ->Transaction([&](store::WriteTx& tx) {
                    return store->Attendance().Insert(
                        tx, {id, "s1", "Patient/p1", At(8, 55), std::nullopt, "scan", "k1"});
                })
                .ok());
    CHECK(store->Attendance().OpenPastEnd(At(9, 59))->empty());
    auto due = store->Attendance().OpenPastEnd(At(10, 0));
    REQUIRE(due->size() == 1);
    CHECK(due->front().second == At(10, 0));
}

TEST_CASE("outbox status counts pending items and the oldest") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    REQUIRE(store
                ->Transaction([&](store::WriteTx& tx) -> Status {
                    if (auto s = store->Outbox().EnqueueEncounter(tx, "a", At(9, 0)); !s) {
                        return s;
                    }
                    return store->Outbox().EnqueueEncounter(tx, "b", At(9, 5));
                })
                .ok());
    auto status = store->Outbox().Summary();
    REQUIRE(status.ok());
    CHECK(status->pending == 2);
    CHECK(status->oldest_pending == At(9, 0));
    CHECK(store->Outbox().Items("pending", 10)->size() == 2);
}

TEST_CASE(
    "PRIVACY 11: delivered attendance older than the cutoff is purged; unsent and recent stay") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    ClinicBatch b = SmallClinic();  // s1: Wednesday 2026-01-07 9:00
    b.persons.push_back({"Patient/p2", "Luis", "Peña", "adult", {}});
    b.persons.push_back({"Patient/p3", "Eva", "Sol", "adult", {}});
    b.sessions.front().enrolled = {"Patient/p1", "Patient/p2", "Patient/p3"};
    b.sessions.push_back({"s2",
                          "Process Group",
                          "room-oak",
                          "",
                          At(9, 0, 14),
                          At(10, 0, 14),
                          "booked",
                          {"Patient/p1"},
                          ""});  // the week after
    REQUIRE(store->Clinic().Apply(b).ok());
    auto check_in = [&](const std::string& session, const std::string& person, Instant at) {
        const std::string id = AttendanceIdentifier(session, person);
        REQUIRE(store
                    ->Transaction([&](store::WriteTx& tx) -> Status {
                        if (auto s = store->Attendance().Insert(
                                tx, {id, session, person, at, std::nullopt, "scan", "k1"});
                            !s) {
                            return s;
                        }
                        return store->Outbox().EnqueueEncounter(tx, id, at);
                    })
                    .ok());
        return id;
    };
    check_in("s1", "Patient/p1", At(8, 55));      // delivered, last week: goes
    check_in("s1", "Patient/p2", At(8, 56));      // never sent: stays
    check_in("s1", "Patient/p3", At(8, 57));      // refused by the server: stays, for staff to see
    check_in("s2", "Patient/p1", At(8, 55, 14));  // delivered, this week: stays
    auto pending = store->Outbox().Items("pending", 10).value();
    REQUIRE(pending.size() == 4);
    REQUIRE(store->Outbox().MarkDelivered({pending[0].seq, pending[3].seq}, At(9, 0, 14)).ok());
    REQUIRE(
        store
            ->Transaction([&](WriteTx& tx) {
                if (auto s = store->Outbox().MarkRejected(tx, pending[2].seq, "422"); !s) {
                    return s;
                }
                return store->Audit().Append(tx, {At(9, 0, 14), "k1", "sync-rejected", "x", ""});
            })
            .ok());

    auto report = store->PurgeDelivered(At(0, 0, 12));  // Monday of the second week
    REQUIRE(report.ok());
    CHECK(report->attendance == 1);
    CHECK(report->outbox == 1);
    CHECK(Count(dir, "attendance") == 3);
    CHECK(Count(dir, "outbox") == 3);
    CHECK(store->Attendance().ForPerson("Patient/p1", At(0, 0, 5), At(0, 0, 19)).value().size() ==
          1);  // this week's
    CHECK(store->Attendance().ForPerson("Patient/p2", At(0, 0, 5), At(0, 0, 12)).value().size() ==
          1);
    CHECK(store->Attendance().ForPerson("Patient/p3", At(0, 0, 5), At(0, 0, 12)).value().size() ==
          1);
    CHECK(store->PurgeDelivered(At(0, 0, 12)).value().attendance == 0);  // idempotent
}
