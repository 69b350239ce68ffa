// PRIVACY.md 9: the audit log is append-only and a changed or removed row is detected.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "TestSupport.h"
#include "kiosk/store/Store.h"

using namespace kiosk;
using namespace kiosk::store;
using kiosk::test::At;

namespace {

void WriteRows(Store& store, int n) {
    for (int i = 0; i < n; ++i) {
        REQUIRE(store.Transaction([&] {
            return store.Audit({At(9, i), "lobby-1", "check-in", "Patient/p" + std::to_string(i), "s1"});
        }).ok());
    }
}

std::string DbPath(const test::TempDir& dir) { return (dir.path() / "kiosk.db").string(); }

}  // namespace

TEST_CASE("an intact chain verifies") {
    test::TempDir dir;
    auto store = Store::Open(dir.path() / "kiosk.db").value();
    WriteRows(*store, 5);
    auto v = store->VerifyAudit();
    REQUIRE(v.ok());
    CHECK(v->rows == 5);
    CHECK_FALSE(v->first_bad_seq.has_value());
}

TEST_CASE("UPDATE and DELETE on the audit table are refused") {
    test::TempDir dir;
    auto store = Store::Open(dir.path() / "kiosk.db").value();
    WriteRows(*store, 2);
    SQLite::Database db(DbPath(dir), SQLite::OPEN_READWRITE);
    CHECK_THROWS_WITH_AS(db.exec("UPDATE audit SET detail = 'x' WHERE seq = 1"),
                         doctest::Contains("append-only"), SQLite::Exception);
    CHECK_THROWS_AS(db.exec("DELETE FROM audit WHERE seq = 1"), SQLite::Exception);
}

TEST_CASE("an edited row is detected and named, even with the triggers dropped") {
    test::TempDir dir;
    auto store = Store::Open(dir.path() / "kiosk.db").value();
    WriteRows(*store, 4);
    {
        SQLite::Database db(DbPath(dir), SQLite::OPEN_READWRITE);
        db.exec("DROP TRIGGER audit_no_update");
        db.exec("UPDATE audit SET subject = 'Patient/someone-else' WHERE seq = 2");
    }
    auto v = store->VerifyAudit();
    REQUIRE(v.ok());
    REQUIRE(v->first_bad_seq.has_value());
    CHECK(*v->first_bad_seq == 2);
    CHECK(v->why.find("changed") != std::string::npos);
}

TEST_CASE("a removed row is detected") {
    test::TempDir dir;
    auto store = Store::Open(dir.path() / "kiosk.db").value();
    WriteRows(*store, 4);
    {
        SQLite::Database db(DbPath(dir), SQLite::OPEN_READWRITE);
        db.exec("DROP TRIGGER audit_no_delete");
        db.exec("DELETE FROM audit WHERE seq = 3");
    }
    auto v = store->VerifyAudit();
    REQUIRE(v->first_bad_seq.has_value());
    CHECK(*v->first_bad_seq == 4);
    CHECK(v->why.find("missing") != std::string::npos);
}

TEST_CASE("a row rewritten with a recomputed hash of its own still breaks the next link") {
    test::TempDir dir;
    auto store = Store::Open(dir.path() / "kiosk.db").value();
    WriteRows(*store, 3);
    {
        SQLite::Database db(DbPath(dir), SQLite::OPEN_READWRITE);
        db.exec("DROP TRIGGER audit_no_update");
        db.exec("UPDATE audit SET hash = '" + std::string(64, 'f') + "' WHERE seq = 2");
    }
    auto v = store->VerifyAudit();
    REQUIRE(v->first_bad_seq.has_value());
    CHECK(*v->first_bad_seq == 2);
}
