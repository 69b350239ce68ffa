// SearchCheck: every resource a search returns is checked against what was asked, so a server
// that drops a parameter it does not support cannot hand the kiosk another person's record.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "kiosk/core/Iso8601.h"
#include "sync/FhirClient.h"
#include "sync/SearchCheck.h"

using namespace kiosk;
using namespace kiosk::sync;
using nlohmann::json;

namespace {

json Encounter(const std::string& id, const std::string& identifier, const std::string& appt) {
    return json{
        {"resourceType", "Encounter"},
        {"id", id},
        {"identifier",
         json::array({json{{"system", "urn:iop-kiosk:attendance"}, {"value", identifier}}})},
        {"appointment", json::array({json{{"reference", appt}}})}};
}

}  // namespace

TEST_CASE("identifier, _id and reference parameters are checked on each resource") {
    auto check = SearchCheck::For(
        "Encounter", "identifier=" + QueryValue("urn:iop-kiosk:attendance|abc") + "&_count=50");
    REQUIRE(check.ok());
    CHECK(check->Matches(Encounter("1", "abc", "Appointment/a")));
    CHECK_FALSE(check->Matches(Encounter("2", "abd", "Appointment/a")));  // another person's
    json other_system = Encounter("3", "abc", "Appointment/a");
    other_system["identifier"][0]["system"] = "http://ehr.example/visit";
    CHECK_FALSE(check->Matches(other_system));
    json no_ids = Encounter("4", "abc", "Appointment/a");
    no_ids.erase("identifier");
    CHECK_FALSE(check->Matches(no_ids));
    json patient = Encounter("1", "abc", "Appointment/a");
    patient["resourceType"] = "Patient";
    CHECK_FALSE(check->Matches(patient));  // of another type

    auto ids = SearchCheck::For("Patient", "_id=p1,p2&_count=2");
    REQUIRE(ids.ok());
    CHECK(ids->Matches(json{{"resourceType", "Patient"}, {"id", "p2"}}));
    CHECK_FALSE(ids->Matches(json{{"resourceType", "Patient"}, {"id", "p3"}}));
    CHECK_FALSE(ids->Matches(json{{"resourceType", "Patient"}}));

    auto by_appt = SearchCheck::For(
        "Encounter", "appointment=" + QueryValue("Appointment/a,Appointment/b") + "&_count=1000");
    REQUIRE(by_appt.ok());
    CHECK(by_appt->Matches(Encounter("1", "x", "Appointment/b")));
    CHECK(by_appt->Matches(Encounter("1", "x", "https://ehr.example/fhir/Appointment/a")));
    CHECK(by_appt->Matches(Encounter("1", "x", "Appointment/a/_history/3")));
    CHECK_FALSE(by_appt->Matches(Encounter("1", "x", "Appointment/ab")));
    CHECK_FALSE(by_appt->Matches(Encounter("1", "x", "Appointment/c")));
}

TEST_CASE("Appointment location and date window; PractitionerRole location") {
    auto appts = SearchCheck::For(
        "Appointment", "location=" + QueryValue("Location/site,Location/room-1") + "&date=ge" +
                           QueryValue("2026-12-07T08:00:00Z") + "&date=lt" +
                           QueryValue("2026-12-14T08:00:00Z") + "&_lastUpdated=gt" +
                           QueryValue("2026-12-07T10:00:00+00:00"));
    REQUIRE(appts.ok());
    json a{{"resourceType", "Appointment"},
           {"id", "a1"},
           {"start", "2026-12-09T17:00:00Z"},
           {"participant", json::array({json{{"actor", {{"reference", "Patient/p"}}}},
                                        json{{"actor", {{"reference", "Location/room-1"}}}}})}};
    CHECK(appts->Matches(a));
    json elsewhere = a;
    elsewhere["participant"][1]["actor"]["reference"] = "Location/other-site";
    CHECK_FALSE(appts->Matches(elsewhere));
    json next_week = a;
    next_week["start"] = "2026-12-14T08:00:00Z";
    CHECK_FALSE(appts->Matches(next_week));
    json no_start = a;
    no_start.erase("start");
    CHECK_FALSE(appts->Matches(no_start));

    auto roles = SearchCheck::For("PractitionerRole", "location=" + QueryValue("Location/site"));
    REQUIRE(roles.ok());
    CHECK(roles->Matches(json{{"resourceType", "PractitionerRole"},
                              {"location", json::array({{{"reference", "Location/site"}}})}}));
    CHECK_FALSE(roles->Matches(json{{"resourceType", "PractitionerRole"},
                                    {"location", json::array({{{"reference", "Location/x"}}})}}));
    CHECK_FALSE(roles->Matches(json{{"resourceType", "PractitionerRole"}}));
}

TEST_CASE("a parameter the kiosk cannot check is refused before anything is sent") {
    auto unknown = SearchCheck::For("Patient", "name=smith");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == ErrorCode::kConfig);
    CHECK(unknown.error().log.find("'name'") != std::string::npos);
    CHECK_FALSE(SearchCheck::For("Appointment", "date=tomorrow").ok());
}

TEST_CASE("duplicates resolve to the lowest id, numeric ids by value") {
    std::vector<json> dups{json{{"id", "b7"}}, json{{"id", "a9"}}, json{{"id", "c1"}}};
    CHECK((*StableChoice(dups))["id"] == "a9");
    std::vector<json> numeric{json{{"id", "100"}}, json{{"id", "99"}}, json{{"id", "abc"}}};
    CHECK((*StableChoice(numeric))["id"] == "99");
    std::reverse(numeric.begin(), numeric.end());
    CHECK((*StableChoice(numeric))["id"] == "99");  // whatever order the server sent
    CHECK(StableChoice({}) == nullptr);
}

TEST_CASE("_tag is checked on meta.tag (the audit head's key)") {
    auto check = SearchCheck::For("AuditEvent",
                                  "_tag=" + QueryValue("urn:iop-kiosk:audit-head|lobby-1/ab12/7"));
    REQUIRE(check.ok());
    json event{
        {"resourceType", "AuditEvent"},
        {"id", "1"},
        {"meta",
         json{{"tag", json::array({json{{"system", "urn:iop-kiosk:device"}, {"code", "lobby-1"}},
                                   json{{"system", "urn:iop-kiosk:audit-head"},
                                        {"code", "lobby-1/ab12/7"}}})}}}};
    CHECK(check->Matches(event));
    json other = event;
    other["meta"]["tag"][1]["code"] = "lobby-1/ab12/8";  // another head
    CHECK_FALSE(check->Matches(other));
    json untagged = event;
    untagged.erase("meta");
    CHECK_FALSE(check->Matches(untagged));
    auto any_of_kiosk =
        SearchCheck::For("AuditEvent", "_tag=" + QueryValue("urn:iop-kiosk:device|lobby-1"));
    REQUIRE(any_of_kiosk.ok());
    CHECK(any_of_kiosk->Matches(event));
    other["meta"]["tag"][0]["code"] = "lobby-2";
    CHECK_FALSE(any_of_kiosk->Matches(other));
}
