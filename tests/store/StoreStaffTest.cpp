// The staff part of the store (StaffRecords, AttendanceLog; migration 003) on a real SQLite
// file: sign-in facts, the persisted PIN lock, whole-window reads for rosters, manual changes
// and the undo that only withdraws an open manual check-in by the same person.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "TestSupport.h"
#include "kiosk/store/Store.h"

using namespace kiosk;
using namespace kiosk::store;
using kiosk::test::At;

namespace {

std::unique_ptr<Store> Clinic(const test::TempDir& dir) {
    auto s = Store::Open(dir.path() / "kiosk.db", kiosk::test::TestAuditKey());
    REQUIRE(s.ok());
    ClinicBatch b;
    b.rooms.push_back({"room-oak", "site-main", "Oak Room"});
    b.persons.push_back({"Patient/p1", "Ana", "Ruiz", "adult", {}});
    b.persons.push_back({"Patient/p2", "Luis", "Peña", "adolescent", {}});
    b.persons.push_back({"Practitioner/f1", "Rosa", "Delgado", std::nullopt, {}});
    b.staff.push_back({"Practitioner/f1", std::vector<std::string>{"front-desk", "facilitator"},
                       "$argon2id$v=19$x"});
    b.sessions.push_back({"s1",
                          "Process Group",
                          "room-oak",
                          "Practitioner/f1",
                          At(9, 0),
                          At(10, 0),
                          "booked",
                          {"Patient/p2", "Patient/p1"},
                          ""});
    b.sessions.push_back({"s0",
                          "Old Group",
                          "room-oak",
                          "",
                          At(9, 0, 5),
                          At(10, 0, 5),
                          "booked",
                          {"Patient/p1"},
                          ""});
    b.sessions.push_back(
        {"sx", "Cancelled", "room-oak", "", At(11, 0), At(12, 0), "cancelled", {"Patient/p1"}, ""});
    REQUIRE(s.value()->Clinic().Apply(b).ok());
    return std::move(s).value();
}

}  // namespace

TEST_CASE("a staff account: name, roles and PIN verifier; nothing for an unknown reference") {
    test::TempDir dir;
    auto store = Clinic(dir);
    auto a = store->Staff().AccountOf("Practitioner/f1");
    REQUIRE(a.ok());
    REQUIRE(a.value().has_value());
    CHECK(a.value()->given == "Rosa");
    CHECK(a.value()->roles == std::vector<std::string>{"facilitator", "front-desk"});
    CHECK(a.value()->pin_verifier == "$argon2id$v=19$x");
    CHECK_FALSE(store->Staff().AccountOf("Practitioner/nobody")->has_value());
    CHECK(store->Staff().AccountOf("Patient/p1").value()->pin_verifier.empty());
}

TEST_CASE("the PIN lock is written in a transaction and survives reopening the file") {
    test::TempDir dir;
    {
        auto store = Clinic(dir);
        CHECK(store->Staff().PinLockOf("Practitioner/f1")->failures == 0);
        // Outside a transaction it does not compile (StoreTest.cpp's static_asserts).
        REQUIRE(store
                    ->Transaction([&](store::WriteTx& tx) {
                        return store->Staff().SetPinLock(tx, "Practitioner/f1", {0, At(9, 15)});
                    })
                    .ok());
    }
    auto again = Store::Open(dir.path() / "kiosk.db", kiosk::test::TestAuditKey()).value();
    auto lock = again->Staff().PinLockOf("Practitioner/f1");
    CHECK(lock->failures == 0);
    CHECK(lock->locked_until == At(9, 15));
}

TEST_CASE("roster reads: sessions with enrolment in a window, attendance in it, persons by ref") {
    test::TempDir dir;
    auto store = Clinic(dir);
    auto sessions = store->Clinic().SessionsWithEnrolment(At(0, 0), At(23, 59));
    REQUIRE(sessions.ok());
    REQUIRE(sessions->size() == 1);  // the cancelled one is left out, the other day too
    CHECK(sessions->at(0).room_name == "Oak Room");
    CHECK(sessions->at(0).enrolled == std::vector<std::string>{"Patient/p1", "Patient/p2"});
    REQUIRE(store
                ->Transaction([&](store::WriteTx& tx) {
                    return store->Attendance().Insert(
                        tx, {AttendanceIdentifier("s1", "Patient/p1"), "s1", "Patient/p1",
                             At(8, 58), std::nullopt, "scan", "lobby-1"});
                })
                .ok());
    CHECK(store->Attendance().InWindow(At(0, 0), At(23, 59))->size() == 1);
    CHECK(store->Attendance().InWindow(At(0, 0, 8), At(23, 59, 8))->empty());
    auto people = store->Clinic().PersonsByRef({"Patient/p2", "Patient/unknown", "Patient/p1"});
    REQUIRE(people->size() == 2);
    CHECK(people->at(0).family == "Peña");
    CHECK(people->at(0).cohort == std::optional<std::string>("adolescent"));
}

TEST_CASE(
    "manual changes are kept per attendance identifier; undo withdraws only an open manual row") {
    test::TempDir dir;
    auto store = Clinic(dir);
    const std::string id = AttendanceIdentifier("s1", "Patient/p1");
    REQUIRE(store
                ->Transaction([&](store::WriteTx& tx) -> Status {
                    if (auto s = store->Attendance().Insert(
                            tx, {id, "s1", "Patient/p1", At(9, 2), std::nullopt, "manual",
                                 "Practitioner/f1"});
                        !s) {
                        return s;
                    }
                    return store->Attendance().RecordChange(
                        tx, {id, "s1", "Patient/p1", "check-in", "forgot-card", "forgot card",
                             "Practitioner/f1", "lobby-1", At(9, 2), std::nullopt});
                })
                .ok());
    // Someone else cannot withdraw it, and nothing changes when they try.
    CHECK(store
              ->Transaction([&](store::WriteTx& tx) {
                  return store->Attendance().WithdrawManualCheckIn(tx, id, "Practitioner/other");
              })
              .error()
              .code == ErrorCode::kConflict);
    CHECK(store->Attendance().ByIdentifier(id)->has_value());
    REQUIRE(store
                ->Transaction([&](store::WriteTx& tx) -> Status {
                    if (auto s =
                            store->Attendance().WithdrawManualCheckIn(tx, id, "Practitioner/f1");
                        !s) {
                        return s;
                    }
                    return store->Attendance().RecordChange(
                        tx, {id, "s1", "Patient/p1", "undo", "mistake", "undo", "Practitioner/f1",
                             "lobby-1", At(9, 5), At(9, 2)});
                })
                .ok());
    CHECK_FALSE(store->Attendance().ByIdentifier(id)->has_value());
    auto changes = store->Attendance().Changes(id);
    REQUIRE(changes->size() == 2);
    CHECK(changes->at(0).activity == "check-in");
    CHECK(changes->at(0).reason_text == "forgot card");
    CHECK(changes->at(1).activity == "undo");
    CHECK(changes->at(1).withdrawn_check_in == At(9, 2));

    // A checked-out or scanned row is never withdrawn.
    REQUIRE(store
                ->Transaction([&](store::WriteTx& tx) {
                    return store->Attendance().Insert(
                        tx, {id, "s1", "Patient/p1", At(9, 6), std::nullopt, "scan", "lobby-1"});
                })
                .ok());
    CHECK_FALSE(store
                    ->Transaction([&](store::WriteTx& tx) {
                        return store->Attendance().WithdrawManualCheckIn(tx, id, "lobby-1");
                    })
                    .ok());
    SQLite::Database db((dir.path() / "kiosk.db").string(), SQLite::OPEN_READONLY);
    CHECK(db.execAndGet("SELECT count(*) FROM attendance_change").getInt() == 2);
    CHECK_THROWS(db.exec(
        "INSERT INTO attendance_change (identifier, session_id, person_ref, activity, reason_code, "
        "reason_text, staff_ref, kiosk_id, at) VALUES ('x','s','p','delete','r','t','f','k',0)"));
}
