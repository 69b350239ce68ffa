// The FHIR -> store mapping: the demo bundle maps whole, what real servers add is tolerated, what
// is broken is refused with a message naming the resource, and an Appointment's free text never
// becomes what the lobby shows (PRIVACY.md 13).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "TestSupport.h"
#include "kiosk/core/Sha256.h"
#include "kiosk/store/Store.h"
#include "sync/FhirMapping.h"

using namespace kiosk;
using kiosk::test::At;
using nlohmann::json;

namespace {

std::string ReadFile(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const sync::MappingContext kCtx{"site-main", At(9, 0)};

Result<store::ClinicBatch> MapOne(const json& resource) {
    return sync::MapBundle(
        json{{"resourceType", "Bundle"}, {"entry", json::array({{{"resource", resource}}})}}, kCtx);
}

}  // namespace

TEST_CASE("the demo clinic bundle maps whole, and every demo card is a credential") {
    auto batch =
        sync::MapBundleText(ReadFile(std::string(KIOSK_TEST_ASSETS) + "/demo/clinic.json"), kCtx);
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
        const auto first = line.find(','), second = line.find(',', first + 1),
                   third = line.find(',', second + 1);
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
    json appt = {
        {"resourceType", "Appointment"},
        {"id", "a1"},
        {"status", "booked"},
        {"meta", {{"versionId", "7"}, {"lastUpdated", "2026-01-01T00:00:00.000Z"}}},
        {"extension", json::array({{{"url", "http://example.org/x"}, {"valueString", "y"}}})},
        {"serviceType", json::array({{{"coding", json::array({{{"display", "DBT Skills"}}})}}})},
        {"start", "2026-01-07T12:00:00-05:00"},
        {"end", "2026-01-07T18:00:00Z"},
        {"someFutureField", {{"nested", true}}},
        {"participant",
         json::array({{{"actor", {{"reference", "Location/room-oak"}}}},
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
        {{{"resourceType", "Appointment"},
          {"id", "a7"},
          {"serviceType", json::array({{{"text", "X"}}})},
          {"end", "2026-01-07T10:00:00Z"}},
         "Appointment/a7: start and end are required"},
        {{{"resourceType", "Appointment"},
          {"id", "a8"},
          {"serviceType", json::array({{{"text", "X"}}})},
          {"start", "2026-01-07T10:00:00"},
          {"end", "2026-01-07T11:00:00Z"}},
         "Appointment/a8: start"},
        {{{"resourceType", "Patient"},
          {"id", "p9"},
          {"name", json::array({{{"given", json::array({"Ana"})}}})},
          {"identifier",
           json::array({{{"system", "urn:iop-kiosk:credential-sha256"}, {"value", "ABC"}}})}},
         "Patient/p9: credential identifier"},
        {{{"resourceType", "Patient"}, {"id", "p10"}}, "Patient/p10: has no name"},
        {{{"resourceType", "Encounter"},
          {"id", "e1"},
          {"status", "finished"},
          {"subject", {{"reference", "Patient/p1"}}},
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
    CHECK(sync::MapBundleText("<html>502 Bad Gateway</html>", kCtx)
              .error()
              .log.find("not valid JSON") != std::string::npos);
    CHECK_FALSE(sync::MapBundleText(
                    R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Pat)", kCtx)
                    .ok());
    CHECK(sync::MapBundleText(R"({"resourceType":"Patient"})", kCtx)
              .error()
              .log.find("not a FHIR Bundle") != std::string::npos);
}

TEST_CASE("adolescents are under 18 on the day of the mapping") {
    json p = {{"resourceType", "Patient"},
              {"id", "t"},
              {"name", json::array({{{"given", json::array({"Sam"})}, {"family", "Lee"}}})},
              {"birthDate", "2008-01-08"}};
    CHECK(MapOne(p)->persons[0].cohort == std::optional<std::string>("adolescent"));
    p["birthDate"] = "2008-01-07";
    CHECK(MapOne(p)->persons[0].cohort == std::optional<std::string>("adult"));
}

TEST_CASE("a revoked credential keeps its end date") {
    json p = {{"resourceType", "Patient"},
              {"id", "r"},
              {"name", json::array({{{"family", "Doe"}}})},
              {"identifier", json::array({{{"system", "urn:iop-kiosk:credential-sha256"},
                                           {"value", std::string(64, 'b')},
                                           {"period", {{"end", "2026-01-01T00:00:00-08:00"}}}}})}};
    auto b = MapOne(p);
    REQUIRE(b.ok());
    CHECK(b->persons[0].credentials[0].valid_until == At(0, 0, 1));
}

TEST_CASE("credential periods as dates: the end date is the last day the card works") {
    const auto la = ClinicTime::ForZone("America/Los_Angeles").value();
    const sync::MappingContext ctx{"site-main", At(9, 0), &la};
    json p = {
        {"resourceType", "Patient"},
        {"id", "r"},
        {"name", json::array({{{"family", "Doe"}}})},
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
         {json{{"resourceType", "Patient"},
               {"id", "u1"},
               {"name", json::array({{{"family", "Doe"}}})},
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

// --- PRIVACY.md 13: what an Appointment may put on a lobby screen ---------------------------

namespace {

// Free text a real server put in Appointments; none of it may become a session's name.
const char* const kHostile[] = {"Jane",       "Doe",      "F10.20",          "alcohol",
                                "dependence", "Bring ID", "Prefers Spanish", "Dr. Mendez"};

json Appointment(const std::string& id, json extra, std::vector<std::string> people) {
    json a = {{"resourceType", "Appointment"},
              {"id", id},
              {"status", "booked"},
              {"start", "2026-01-07T17:00:00Z"},
              {"end", "2026-01-07T18:00:00Z"},
              {"participant", json::array({{{"actor", {{"reference", "Location/room-oak"}}}}})}};
    for (const auto& p : people) {
        a["participant"].push_back(
            {{"actor", {{"reference", p}, {"display", "Jane Doe"}}}, {"status", "accepted"}});
    }
    a.update(extra);
    return a;
}

// Everything real servers put in free text: the fields the lobby must never read.
json FreeText() {
    return {{"description", "Intake - Jane Doe (F10.20 alcohol dependence)"},
            {"comment", "Jane Doe relapsed; alcohol dependence"},
            {"patientInstruction", "Bring ID. Prefers Spanish"},
            {"reasonCode", json::array({{{"text", "F10.20 alcohol dependence"}}})},
            {"specialty", json::array({{{"text", "Dr. Mendez addiction psychiatry"}}})}};
}

json Person(const std::string& type, const std::string& id, const std::string& given,
            const std::string& family) {
    return {{"resourceType", type},
            {"id", id},
            {"name", json::array({{{"given", json::array({given})}, {"family", family}}})}};
}

}  // namespace

TEST_CASE("PRIVACY 13: an Appointment's free text never becomes its name") {
    // The real clinic's bug: no serviceType, and a description that names the person and their
    // diagnosis. It maps (a session to check in to), with no name at all.
    auto b = MapOne(Appointment("intake", FreeText(), {"Patient/jane"}));
    REQUIRE_MESSAGE(b.ok(), (b.ok() ? "" : b.error().log));
    REQUIRE(b->sessions.size() == 1);
    const store::SessionRow& s = b->sessions[0];
    CHECK(s.group_name.empty());
    for (const std::string& field : {s.id, s.group_name, s.room_id, s.facilitator_ref, s.status}) {
        for (const char* word : kHostile) {
            CHECK_MESSAGE(field.find(word) == std::string::npos, field);
        }
    }
    // A name comes from serviceType: its text, else a coding's display; blank text is no name.
    json named = FreeText();
    named["serviceType"] = json::array(
        {{{"text", "  \n "}}, {{"coding", json::array({{{"display", "DBT Skills"}}})}}});
    CHECK(MapOne(Appointment("a", named, {}))->sessions[0].group_name == "DBT Skills");
    named["serviceType"][0]["text"] = " Process\tGroup ";
    CHECK(MapOne(Appointment("a", named, {}))->sessions[0].group_name == "Process Group");
    json coded_only = FreeText();
    coded_only["serviceType"] =
        json::array({{{"coding", json::array({{{"system", "http://x"}, {"code", "dbt"}}})}}});
    CHECK(MapOne(Appointment("a", coded_only, {}))->sessions[0].group_name.empty());
}

TEST_CASE("the codes of serviceCategory, serviceType and appointmentType are kept, once each") {
    json extra = {
        {"serviceCategory",
         json::array({{{"coding", json::array({{{"system", "http://c"}, {"code", "8"}}})}}})},
        {"serviceType",
         json::array(
             {{{"text", "DBT"},
               {"coding", json::array({{{"system", "http://s"}, {"code", "dbt"}},
                                       {{"system", "http://c"}, {"code", "8"}},
                                       {{"code", "no-system"}},
                                       {{"system", "http://s"}, {"code", "two\nlines"}}})}}})},
        {"appointmentType",
         {{"coding",
           json::array({{{"system", "urn:iop-kiosk:session-kind"}, {"code", "group"}}})}}}};
    auto b = MapOne(Appointment("a", extra, {"Patient/p1"}));
    REQUIRE(b.ok());
    CHECK(b->sessions[0].codes == std::vector<std::string>{"http://c|8", "http://s|dbt",
                                                           "urn:iop-kiosk:session-kind|group"});
}

TEST_CASE("PRIVACY 13: mapped and stored, only groups reach the public schedule, by safe names") {
    test::TempDir dir;
    auto store = store::Store::Open(dir.path() / "kiosk.db").value();
    SessionKindRules rules;
    rules.individual_codes.push_back("http://clinic.example/services|med-review");
    REQUIRE(store->Clinic().UseSessionKindRules(rules).ok());

    json coded_group = FreeText();  // a group marker, one person enrolled so far, no name
    coded_group["serviceCategory"] = json::array(
        {{{"coding",
           json::array({{{"system", "urn:iop-kiosk:session-kind"}, {"code", "group"}}})}}});
    json med_review = FreeText();  // coded individual by the clinic, though three are listed
    med_review["serviceType"] =
        json::array({{{"text", "Medication Review"},
                      {"coding", json::array({{{"system", "http://clinic.example/services"},
                                               {"code", "med-review"}}})}}});
    json one_to_one = FreeText();  // no code: one patient makes it one-to-one
    one_to_one["serviceType"] = json::array({{{"text", "Medication Review"}}});
    json dbt = FreeText();
    dbt["serviceType"] = json::array({{{"text", "DBT Skills"}}});
    json named_after = FreeText();  // a group's own name names someone enrolled in it
    named_after["serviceType"] = json::array({{{"text", "DOE family group"}}});

    json bundle = {{"resourceType", "Bundle"}, {"entry", json::array()}};
    for (const json& r :
         {json{{"resourceType", "Location"}, {"id", "site-main"}, {"name", "Cedar Grove"}},
          json{{"resourceType", "Location"},
               {"id", "room-oak"},
               {"name", "Oak Room"},
               {"partOf", {{"reference", "Location/site-main"}}}},
          Person("Patient", "jane", "Jane", "Doe"), Person("Patient", "ana", "Ana", "Ruiz"),
          Person("Patient", "luis", "Luis", "Peña"),
          Appointment("intake", FreeText(), {"Patient/jane"}),
          Appointment("coded-group", coded_group, {"Patient/jane"}),
          Appointment("med-review", med_review, {"Patient/jane", "Patient/ana", "Patient/luis"}),
          Appointment("one-to-one", one_to_one, {"Patient/jane"}),
          Appointment("dbt", dbt, {"Patient/jane", "Patient/ana", "Patient/luis"}),
          Appointment("named-after", named_after, {"Patient/jane", "Patient/ana"})}) {
        bundle["entry"].push_back({{"resource", r}});
    }
    auto batch = sync::MapBundle(bundle, kCtx);
    REQUIRE_MESSAGE(batch.ok(), (batch.ok() ? "" : batch.error().log));
    REQUIRE(store->Clinic().Apply(batch.value()).ok());

    auto schedule = store->Clinic().Schedule(At(0, 0), At(23, 59));
    REQUIRE(schedule.ok());
    std::map<std::string, std::string> listed;  // session id -> the name the lobby may show
    for (const auto& e : schedule.value()) {
        listed[e.session_id] = e.group_name;
        CHECK(e.room_name == "Oak Room");
    }
    CHECK(listed == std::map<std::string, std::string>{
                        {"coded-group", ""}, {"dbt", "DBT Skills"}, {"named-after", ""}});

    // Jane still checks in to all six; what a confirmation may call each of them:
    auto hers = store->Clinic().EnrolledSessions("Patient/jane", At(0, 0), At(23, 59));
    REQUIRE(hers.ok());
    REQUIRE(hers->size() == 6);
    for (const auto& s : hers.value()) {
        CAPTURE(s.id);
        const bool group = s.id == "coded-group" || s.id == "dbt" || s.id == "named-after";
        CHECK((s.kind == SessionKind::kGroup) == group);
        CHECK(store::LobbyGroupName(s) == (s.id == "dbt" ? "DBT Skills" : ""));
        for (const char* word : kHostile) {
            CHECK(store::LobbyGroupName(s).find(word) == std::string::npos);
        }
    }
}
