// The FHIR -> store mapping: the demo bundle maps whole, what real servers add is tolerated, and
// what is broken is refused with a message naming the resource.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "TestSupport.h"
#include "kiosk/core/Sha256.h"
#include "sync/FhirMapping.h"

using namespace kiosk;
using nlohmann::json;
using kiosk::test::At;

namespace {

std::string ReadFile(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const sync::MappingContext kCtx{"site-main", At(9, 0)};

Result<store::ClinicBatch> MapOne(const json& resource) {
    return sync::MapBundle(json{{"resourceType", "Bundle"}, {"entry", json::array({{{"resource", resource}}})}}, kCtx);
}

}  // namespace

TEST_CASE("the demo clinic bundle maps whole, and every demo card is a credential") {
    auto batch = sync::MapBundleText(ReadFile(std::string(KIOSK_TEST_ASSETS) + "/demo/clinic.json"), kCtx);
    REQUIRE_MESSAGE(batch.ok(), (batch.ok() ? "" : batch.error().log));
    CHECK(batch->sites.size() == 1);
    CHECK(batch->sites[0].name == "Cedar Grove Health");
    CHECK(batch->rooms.size() == 5);
    CHECK(batch->sessions.size() >= 20);
    CHECK(batch->attendance.size() > 50);
    std::set<std::string> hashes;
    int adolescents = 0;
    for (const auto& p : batch->persons) {
        for (const auto& c : p.credentials) {
            hashes.insert(c.hash);
        }
        adolescents += p.cohort == std::optional<std::string>("adolescent");
    }
    CHECK(adolescents >= 8);
    std::istringstream csv(ReadFile(std::string(KIOSK_TEST_ASSETS) + "/demo/cards.csv"));
    std::string line;
    std::getline(csv, line);
    int cards = 0;
    while (std::getline(csv, line)) {
        const auto first = line.find(','), second = line.find(',', first + 1), third = line.find(',', second + 1);
        const std::string token = line.substr(second + 1, third - second - 1);
        CHECK_MESSAGE(hashes.count(Sha256Hex(token)) == 1, line);
        ++cards;
    }
    CHECK(cards >= 45);
    int with_roles = 0;
    for (const auto& s : batch->staff) {
        with_roles += s.roles && !s.roles->empty();
        CHECK((s.pin_verifier && s.pin_verifier->rfind("$argon2id$", 0) == 0));
    }
    CHECK(with_roles == 9);
}

TEST_CASE("unknown fields, extensions and time-zone offsets are fine") {
    json appt = {{"resourceType", "Appointment"}, {"id", "a1"}, {"status", "booked"},
                 {"meta", {{"versionId", "7"}, {"lastUpdated", "2026-01-01T00:00:00.000Z"}}},
                 {"extension", json::array({{{"url", "http://example.org/x"}, {"valueString", "y"}}})},
                 {"serviceType", json::array({{{"coding", json::array({{{"display", "DBT Skills"}}})}}})},
                 {"start", "2026-01-07T12:00:00-05:00"}, {"end", "2026-01-07T18:00:00Z"},
                 {"someFutureField", {{"nested", true}}},
                 {"participant", json::array({{{"actor", {{"reference", "Location/room-oak"}}}},
                                              {{"actor", {{"reference", "Patient/p1"}}}, {"status", "accepted"}},
                                              {{"actor", {{"reference", "Patient/p2"}}}, {"status", "declined"}}})}};
    auto b = MapOne(appt);
    REQUIRE(b.ok());
    REQUIRE(b->sessions.size() == 1);
    CHECK(b->sessions[0].group_name == "DBT Skills");
    CHECK(b->sessions[0].start == At(9, 0));
    CHECK(b->sessions[0].room_id == "room-oak");
    CHECK(b->sessions[0].enrolled == std::vector<std::string>{"Patient/p1"});
}

TEST_CASE("broken resources are refused with a message naming them") {
    struct Case {
        json resource;
        const char* expect;
    };
    const Case cases[] = {
        {{{"resourceType", "Appointment"}, {"id", "a7"}, {"serviceType", json::array({{{"text", "X"}}})}, {"end", "2026-01-07T10:00:00Z"}},
         "Appointment/a7: start and end are required"},
        {{{"resourceType", "Appointment"}, {"id", "a8"}, {"serviceType", json::array({{{"text", "X"}}})},
          {"start", "2026-01-07T10:00:00"}, {"end", "2026-01-07T11:00:00Z"}},
         "Appointment/a8: start"},
        {{{"resourceType", "Appointment"}, {"id", "a9"}, {"start", "2026-01-07T10:00:00Z"}, {"end", "2026-01-07T11:00:00Z"}},
         "Appointment/a9: has no group name"},
        {{{"resourceType", "Patient"}, {"id", "p9"}, {"name", json::array({{{"given", json::array({"Ana"})}}})},
          {"identifier", json::array({{{"system", "urn:iop-kiosk:credential-sha256"}, {"value", "ABC"}}})}},
         "Patient/p9: credential identifier"},
        {{{"resourceType", "Patient"}, {"id", "p10"}}, "Patient/p10: has no name"},
        {{{"resourceType", "Encounter"}, {"id", "e1"}, {"status", "finished"}, {"subject", {{"reference", "Patient/p1"}}},
          {"appointment", json::array({{{"reference", "Appointment/a1"}}})}},
         "Encounter/e1: has no period"},
        {{{"resourceType", "Patient"}, {"id", "p11"}, {"name", "not-a-list"}}, "Patient/p11"},
    };
    for (const auto& c : cases) {
        auto b = MapOne(c.resource);
        REQUIRE_MESSAGE(!b.ok(), c.expect);
        CHECK_MESSAGE(b.error().log.find(c.expect) != std::string::npos, b.error().log);
    }
}

TEST_CASE("garbage and truncated documents are clear errors") {
    CHECK(sync::MapBundleText("<html>502 Bad Gateway</html>", kCtx).error().log.find("not valid JSON") != std::string::npos);
    CHECK_FALSE(sync::MapBundleText(R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Pat)", kCtx).ok());
    CHECK(sync::MapBundleText(R"({"resourceType":"Patient"})", kCtx).error().log.find("not a FHIR Bundle") != std::string::npos);
}

TEST_CASE("adolescents are under 18 on the day of the mapping") {
    json p = {{"resourceType", "Patient"}, {"id", "t"}, {"name", json::array({{{"given", json::array({"Sam"})}, {"family", "Lee"}}})},
              {"birthDate", "2008-01-08"}};
    CHECK(MapOne(p)->persons[0].cohort == std::optional<std::string>("adolescent"));
    p["birthDate"] = "2008-01-07";
    CHECK(MapOne(p)->persons[0].cohort == std::optional<std::string>("adult"));
}

TEST_CASE("a revoked credential keeps its end date") {
    json p = {{"resourceType", "Patient"}, {"id", "r"}, {"name", json::array({{{"family", "Doe"}}})},
              {"identifier", json::array({{{"system", "urn:iop-kiosk:credential-sha256"}, {"value", std::string(64, 'b')},
                                           {"period", {{"end", "2026-01-01T00:00:00-08:00"}}}}})}};
    auto b = MapOne(p);
    REQUIRE(b.ok());
    CHECK(b->persons[0].credentials[0].valid_until == At(0, 0, 1));
}

TEST_CASE("credential periods as dates: the end date is the last day the card works") {
    const auto la = ClinicTime::ForZone("America/Los_Angeles").value();
    const sync::MappingContext ctx{"site-main", At(9, 0), &la};
    json p = {{"resourceType", "Patient"}, {"id", "r"}, {"name", json::array({{{"family", "Doe"}}})},
              {"identifier", json::array({{{"system", "urn:iop-kiosk:credential-sha256"},
                                           {"value", std::string(64, 'b')},
                                           {"period", {{"start", "2026-06"}, {"end", "2026-06-30"}}}}})}};
    store::ClinicBatch batch;
    REQUIRE(sync::MapResource(p, ctx, batch).ok());
    REQUIRE(batch.persons.size() == 1);
    const auto& c = batch.persons[0].credentials[0];
    CHECK(c.valid_from == std::optional<Instant>(la.FromLocal(2026, 6, 1, 0, 0)));
    CHECK(c.valid_until == std::optional<Instant>(la.FromLocal(2026, 7, 1, 0, 0)));
    CHECK(batch.unreadable.empty());
    p["identifier"][0]["period"]["end"] = "2026";
    batch = {};
    REQUIRE(sync::MapResource(p, ctx, batch).ok());
    CHECK(batch.persons[0].credentials[0].valid_until ==
          std::optional<Instant>(la.FromLocal(2027, 1, 1, 0, 0)));
}

TEST_CASE("a person who cannot be read is marked so every card of theirs stops working") {
    for (const json& bad :
         {json{{"resourceType", "Patient"}, {"id", "u1"}, {"name", json::array({{{"family", "Doe"}}})},
               {"identifier", json::array({{{"system", "urn:iop-kiosk:credential-sha256"},
                                            {"value", std::string(64, 'c')}},
                                           {{"system", "urn:iop-kiosk:credential-sha256"},
                                            {"value", std::string(64, 'd')},
                                            {"period", {{"end", "June 30"}}}}})}},
          json{{"resourceType", "Practitioner"}, {"id", "u1"}}}) {
        store::ClinicBatch batch;
        auto s = sync::MapResource(bad, kCtx, batch);
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().log.find("cards no longer work") != std::string::npos);
        CHECK(batch.persons.empty());
        REQUIRE(batch.unreadable.size() == 1);
        CHECK(batch.unreadable[0] == bad["resourceType"].get<std::string>() + "/u1");
    }
}
