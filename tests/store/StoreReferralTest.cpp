// Referrals in the store (ReferralBook.cpp, migration 005) on a real SQLite file: saved with
// their resources in order, printing recorded, nothing half-written outside a transaction.
#include <doctest/doctest.h>

#include "TestSupport.h"
#include "kiosk/store/Store.h"

using namespace kiosk;
using namespace kiosk::store;
using kiosk::test::At;

namespace {

Referral Sample() {
    Referral r;
    r.id = "6f1c2a9e-0d4b-4c55-9b1a-1f2e3d4c5b6a";
    r.created_at = At(10, 30);
    r.staff_ref = "Practitioner/cm1";
    r.person_ref = "Patient/p1";
    r.kiosk_id = "lobby-1";
    r.language = "es";
    r.paper = "a4";
    r.name_printed = true;
    r.items = {{"req-1", "fhir:HealthcareService/hs-3", "Eastside Food Pantry", "food"},
               {"req-2", "hsds:svc-9", "Rent Help Line", "housing"}};
    return r;
}

}  // namespace

TEST_CASE("a referral is saved with its resources in order and printing is recorded") {
    test::TempDir dir;
    auto store = Store::Open(dir.path() / "kiosk.db", kiosk::test::TestAuditKey());
    REQUIRE(store.ok());
    Store& s = *store.value();
    const auto r = Sample();
    REQUIRE(s.Transaction([&](store::WriteTx& tx) { return s.Referrals().Insert(tx, r); }).ok());

    auto back = s.Referrals().ById(r.id);
    REQUIRE(back.ok());
    REQUIRE(back.value().has_value());
    const auto& got = *back.value();
    CHECK(got.person_ref == "Patient/p1");
    CHECK(got.staff_ref == "Practitioner/cm1");
    CHECK(got.language == "es");
    CHECK(got.paper == "a4");
    CHECK(got.name_printed);
    CHECK(got.print_state == "saved");
    CHECK_FALSE(got.printed_at.has_value());
    REQUIRE(got.items.size() == 2);
    CHECK(got.items[0].resource_name == "Eastside Food Pantry");
    CHECK(got.items[1].request_id == "req-2");
    CHECK(got.items[1].category == "housing");

    REQUIRE(s.Transaction([&](store::WriteTx& tx) {
                 return s.Referrals().SetPrintState(tx, r.id, "failed", "media-empty-error",
                                                    At(10, 31));
             }).ok());
    CHECK(s.Referrals().ById(r.id).value()->print_state == "failed");
    CHECK(s.Referrals().ById(r.id).value()->print_detail == "media-empty-error");
    REQUIRE(s.Transaction([&](store::WriteTx& tx) {
                 return s.Referrals().SetPrintState(tx, r.id, "printed", "", At(10, 35));
             }).ok());
    CHECK(s.Referrals().ById(r.id).value()->print_state == "printed");
    CHECK(s.Referrals().ById(r.id).value()->printed_at == At(10, 35));
}

TEST_CASE("bad referrals write nothing (writes outside a transaction do not compile)") {
    test::TempDir dir;
    auto store = Store::Open(dir.path() / "kiosk.db", kiosk::test::TestAuditKey());
    REQUIRE(store.ok());
    Store& s = *store.value();
    auto r = Sample();
    auto empty = r;
    empty.items.clear();
    CHECK_FALSE(
        s.Transaction([&](store::WriteTx& tx) { return s.Referrals().Insert(tx, empty); }).ok());
    auto twice = r;  // the same request id twice: the whole referral rolls back
    twice.items[1].request_id = twice.items[0].request_id;
    CHECK_FALSE(
        s.Transaction([&](store::WriteTx& tx) { return s.Referrals().Insert(tx, twice); }).ok());
    CHECK_FALSE(s.Referrals().ById(r.id).value().has_value());
    CHECK(s.Transaction([&](store::WriteTx& tx) {
               return s.Referrals().SetPrintState(tx, "nope", "printed", "", At(9, 0));
           })
              .error()
              .code == ErrorCode::kNotFound);
}
