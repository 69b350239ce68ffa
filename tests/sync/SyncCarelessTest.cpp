// The kiosk against a careless server (issue 12): one that ignores search parameters it does not
// support, answers 503 now and then, refuses writes for one record and sends dates without
// times. Nothing lands on another person's record, one bad item holds nothing back, and a
// revocation the kiosk cannot read fails closed.
#include <doctest/doctest.h>

#include <algorithm>

#include "TestClinic.h"
#include "kiosk/core/Iso8601.h"
#include "kiosk/core/Sha256.h"

using namespace kiosk;
using namespace kiosk::test;
using nlohmann::json;

namespace {

/// An Encounter from the EHR, for a person the kiosk never saw: no kiosk identifier.
json EhrEncounter(const std::string& id, const std::string& patient, const std::string& session,
                  Instant start) {
    return json{{"resourceType", "Encounter"},
                {"id", id},
                {"status", "finished"},
                {"class", json{{"system", "http://terminology.hl7.org/CodeSystem/v3-ActCode"},
                               {"code", "AMB"}}},
                {"subject", json{{"reference", patient}}},
                {"appointment", json::array({json{{"reference", "Appointment/" + session}}})},
                {"period", json{{"start", FormatDateTimeUtc(start)},
                                {"end", FormatDateTimeUtc(start + Minutes{50})}}}};
}

json KioskEncounter(const std::string& id, const std::string& identifier,
                    const std::string& patient, const std::string& session, Instant start) {
    json e = EhrEncounter(id, patient, session, start);
    e["status"] = "arrived";
    e["period"].erase("end");
    e["identifier"] =
        json::array({json{{"system", "urn:iop-kiosk:attendance"}, {"value", identifier}}});
    return e;
}

void QueueReferral(TestKiosk& kiosk, const std::string& referral, const std::string& patient,
                   Instant at) {
    REQUIRE(kiosk.store()
                .Transaction([&](store::WriteTx& tx) -> Status {
                    return kiosk.store().Outbox().EnqueueReferral(
                        tx,
                        {referral, patient, "Practitioner/prac-3", "Organization/org-1",
                         "HealthcareService/hs-1", "housing", "", at, referral, "", ""},
                        at);
                })
                .ok());
}

bool HasAttendanceIdentifier(const json& e) {
    for (const auto& id : e.value("identifier", json::array())) {
        if (id.value("system", "") == "urn:iop-kiosk:attendance") {
            return true;
        }
    }
    return false;
}

/// Every Encounter on the server that carries the attendance identifier, read without
/// trusting the server's identifier search.
std::vector<json> WithIdentifier(FhirTestServer& server, const std::string& identifier) {
    std::vector<json> out;
    for (const auto& e : server.All("Encounter", "_count=1000")) {
        for (const auto& id : e.value("identifier", json::array())) {
            if (id.value("value", "") == identifier) {
                out.push_back(e);
            }
        }
    }
    return out;
}

}  // namespace

TEST_CASE(
    "a server that ignores identifier: a check-in never lands on another patient's Encounter") {
    auto& server = SharedServer();
    server.ResetData();
    const auto& c = TestClinic::Get();
    TestKiosk kiosk(server);
    REQUIRE(kiosk.Sync().ok());
    // The EHR's own record of another patient in the same session.
    REQUIRE(server
                .Put("Encounter/ehr-1",
                     EhrEncounter("ehr-1", TestClinic::Patient(50), c.sessions[0], c.starts[0]))
                .status == 201);
    server.Careless({{"ignoreSearch", json::array({"identifier"})}});

    const auto id = kiosk.CheckIn(c.sessions[0], TestClinic::Patient(51), c.starts[0]);
    // One failed write (nothing reached the server): the next try searches by identifier first.
    server.Faults(json::array({Fault("POST", "/Encounter", {{"action", "drop"}, {"count", 2}})}));
    CHECK_FALSE(kiosk.Sync().ok());
    auto r = kiosk.Sync();
    REQUIRE_MESSAGE(r.ok(), ErrorOf(r));
    CHECK(r->push.delivered == 0);
    CHECK(r->push.retrying == 1);  // the server cannot tell whether it has it: not sent, kept

    // Before the fix the kiosk merged its identifier into the oldest Encounter the careless
    // search returned: another patient's.
    CHECK_FALSE(HasAttendanceIdentifier(server.Get("Encounter/ehr-1").json));
    CHECK(WithIdentifier(server, id).empty());
    CHECK(kiosk.OutboxState(id) == "pending");
    auto pending = kiosk.store().Outbox().Items("pending", 10).value();
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].last_error.find("If-None-Exist") != std::string::npos);

    // With only the EHR's Encounter matching the careless If-None-Exist, the server answers
    // "already there" with it: not used either.
    REQUIRE(server.Delete("Encounter/enc-other-kiosk").status < 300);
    r = kiosk.Sync();
    REQUIRE_MESSAGE(r.ok(), ErrorOf(r));
    CHECK(r->push.retrying == 1);
    CHECK(WithIdentifier(server, id).empty());
    pending = kiosk.store().Outbox().Items("pending", 10).value();
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].last_error.find("does not match If-None-Exist") != std::string::npos);

    // A server that supports the parameter again: the check-in goes out as its own Encounter.
    server.Careless(json::object());
    r = kiosk.Sync();
    REQUIRE_MESSAGE(r.ok(), ErrorOf(r));
    CHECK(server.EncountersWith(id) == 1);
    const auto mine = WithIdentifier(server, id);
    REQUIRE(mine.size() == 1);
    CHECK(mine[0]["subject"]["reference"] == TestClinic::Patient(51));
    CHECK_FALSE(HasAttendanceIdentifier(server.Get("Encounter/ehr-1").json));
}

TEST_CASE("a search answered with more than was asked: only what matches is used") {
    auto& server = SharedServer();
    server.ResetData();
    const auto& c = TestClinic::Get();
    // Ignores every filter the kiosk's pull sends: it gets the whole server back.
    server.Careless({{"ignoreSearch", json::array({"_id", "identifier", "partof", "location",
                                                   "date", "appointment", "organization"})}});
    TestKiosk kiosk(server);
    auto r = kiosk.Sync();
    REQUIRE_MESSAGE(r.ok(), ErrorOf(r));
    server.Careless(json::object());

    // The seed's Appointment at another site, its patient, next week's session and the role at
    // the other site (a case manager there) are not taken.
    CHECK_FALSE(kiosk.store().Clinic().SessionById("appt-elsewhere").value());
    CHECK_FALSE(kiosk.store().Clinic().SessionById("appt-next-week").value());
    CHECK_FALSE(
        kiosk.store().Clinic().Person(TestClinic::Patient(TestClinic::kPatients + 1)).value());
    auto staff = kiosk.store().Staff().Refs().value();
    auto holds = [&](const std::string& ref) {
        return std::find(staff.begin(), staff.end(), ref) != staff.end();
    };
    CHECK_FALSE(holds("Practitioner/prac-3"));
    // What was asked for is all there.
    for (const auto& s : c.sessions) {
        CHECK(kiosk.store().Clinic().SessionById(s).value());
    }
    CHECK(kiosk.store().Clinic().Person(TestClinic::Patient(1)).value());
    CHECK(holds("Practitioner/prac-1"));
}

TEST_CASE("duplicates from a non-atomic conditional create resolve to the lowest id") {
    auto& server = SharedServer();
    server.ResetData();
    const auto& c = TestClinic::Get();
    TestKiosk kiosk(server);
    REQUIRE(kiosk.Sync().ok());
    const std::string person = TestClinic::Patient(52);
    const std::string identifier = store::AttendanceIdentifier(c.sessions[1], person);
    // Two kiosks' creates crossed on a server whose conditional create is not atomic: enc-b was
    // made first (the oldest), enc-a a moment later (the lowest id).
    REQUIRE(server
                .Put("Encounter/enc-b",
                     KioskEncounter("enc-b", identifier, person, c.sessions[1], c.starts[1]))
                .status == 201);
    REQUIRE(server
                .Put("Encounter/enc-a",
                     KioskEncounter("enc-a", identifier, person, c.sessions[1], c.starts[1]))
                .status == 201);
    const auto id = kiosk.CheckIn(c.sessions[1], person, c.starts[1] + Minutes{1});
    REQUIRE(id == identifier);
    kiosk.CheckOut(id, c.starts[1] + Minutes{45});
    auto r = kiosk.Sync();
    REQUIRE_MESSAGE(r.ok(), ErrorOf(r));
    CHECK(server.Get("Encounter/enc-a").json["status"] == "finished");
    CHECK(server.Get("Encounter/enc-b").json["status"] == "arrived");  // left alone
}

TEST_CASE("one refused item holds nothing back: 403 on one record, 503 on another") {
    auto& server = SharedServer();
    server.ResetData();
    const auto& c = TestClinic::Get();
    TestKiosk kiosk(server);
    REQUIRE(kiosk.Sync().ok());
    const std::string referral = "0b7c3e58-8f1d-4a55-9c1e-2f3d4e5a6b7c";
    // A token without write scope on ServiceRequest: the referral is refused, queued first.
    QueueReferral(kiosk, referral, TestClinic::Patient(53), c.starts[0]);
    const auto blip = kiosk.CheckIn(c.sessions[0], TestClinic::Patient(54), c.starts[0]);
    const auto fine = kiosk.CheckIn(c.sessions[0], TestClinic::Patient(55), c.starts[0]);
    server.Faults(json::array(
        {Fault("POST", "/ServiceRequest", {{"action", "status"}, {"status", 403}, {"count", 50}}),
         Fault("POST", "/Encounter", {{"action", "status"}, {"status", 503}})}));
    // Someone changed the schedule meanwhile: the pull must still run.
    json moved = server.Get("Appointment/" + c.sessions[3]).json;
    moved["status"] = "cancelled";
    REQUIRE(server.Put("Appointment/" + c.sessions[3], moved).status == 200);

    auto r = kiosk.Sync();
    REQUIRE_MESSAGE(r.ok(), ErrorOf(r));
    CHECK(r->push.blocked == 1);
    CHECK(r->push.retrying == 1);
    CHECK(r->push.delivered == 1);
    CHECK(r->pulled);
    CHECK(server.EncountersWith(fine) == 1);
    CHECK(kiosk.store().Clinic().SessionById(c.sessions[3]).value()->status == "cancelled");

    const auto summary = kiosk.store().Outbox().Summary().value();
    CHECK(summary.blocked == 1);
    CHECK(summary.retrying == 1);
    CHECK(summary.blocked_error.find("403") != std::string::npos);
    CHECK(summary.blocked_error.find("Injected fault") != std::string::npos);  // the server's words
    // Each waits on its own: the blocked one an hour, the 503 one its backoff.
    const Instant now = SystemClock().Now();
    CHECK(kiosk.store().Outbox().Due(now, 0, 10).value().empty());
    auto later = kiosk.store().Outbox().Due(now + Minutes{2}, 0, 10).value();
    REQUIRE(later.size() == 1);
    CHECK(later[0].subject == blip);
    CHECK(kiosk.store().Outbox().Due(now + Minutes{61}, 0, 10).value().size() == 2);

    // The scope is granted and the server is well again: everything goes out once.
    server.Faults(json::array());
    r = kiosk.Sync();
    REQUIRE_MESSAGE(r.ok(), ErrorOf(r));
    CHECK(kiosk.Pending() == 0);
    CHECK(server.EncountersWith(blip) == 1);
    CHECK(server.All("ServiceRequest", "identifier=urn%3Aiop-kiosk%3Areferral%7C" + referral)
              .size() == 1);
    CHECK(kiosk.store().Outbox().Summary().value().blocked == 0);
}

TEST_CASE("a server failing every item, or refusing the credentials, ends the round") {
    auto& server = SharedServer();
    server.ResetData();
    const auto& c = TestClinic::Get();
    TestKiosk kiosk(server);
    REQUIRE(kiosk.Sync().ok());
    for (int n = 56; n <= 59; ++n) {
        kiosk.CheckIn(c.sessions[2], TestClinic::Patient(n), c.starts[2]);
    }
    server.ResetStats();  // (a reset also clears the faults)
    server.Faults(
        json::array({Fault("*", "/*", {{"action", "status"}, {"status", 500}, {"count", 3}})}));
    auto r = kiosk.Sync();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().log.find("500") != std::string::npos);
    CHECK(server.Stats()["total"] == 3);  // three items tried, then the engine backs off

    server.ResetStats();
    server.Faults(json::array({Fault("*", "/*", {{"action", "status"}, {"status", 401}})}));
    r = kiosk.Sync();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().log.find("401") != std::string::npos);
    CHECK(server.Stats()["total"] == 1);
    CHECK(kiosk.Pending() == 4);
    REQUIRE(kiosk.Sync().ok());
    CHECK(kiosk.Pending() == 0);
}

TEST_CASE("a provenance waits for its check-in instead of being refused") {
    auto& server = SharedServer();
    server.ResetData();
    const auto& c = TestClinic::Get();
    TestKiosk kiosk(server);
    REQUIRE(kiosk.Sync().ok());
    const Instant at = c.starts[2] + Minutes{2};
    const auto id = kiosk.CheckIn(c.sessions[2], TestClinic::Patient(44), at);
    REQUIRE(kiosk.store()
                .Transaction([&](store::WriteTx& tx) -> Status {
                    return kiosk.store().Outbox().EnqueueProvenance(
                        tx, {id, "Practitioner/prac-2", "check-in", "forgot card", "lobby-1", at},
                        at);
                })
                .ok());
    server.Faults(
        json::array({Fault("POST", "/Encounter", {{"action", "status"}, {"status", 503}})}));
    auto r = kiosk.Sync();
    REQUIRE_MESSAGE(r.ok(), ErrorOf(r));
    CHECK(r->push.rejected == 0);
    CHECK(r->push.retrying == 2);
    r = kiosk.Sync();
    REQUIRE_MESSAGE(r.ok(), ErrorOf(r));
    CHECK(kiosk.Pending() == 0);
    CHECK(server.All("Provenance", "agent=Practitioner%2Fprac-2").size() == 1);
}

TEST_CASE("revocation fails closed: date-only period ends, unreadable credentials") {
    auto& server = SharedServer();
    server.ResetData();
    const auto& c = TestClinic::Get();
    TestKiosk kiosk(server);
    REQUIRE(kiosk.Sync().ok());
    const std::string hash7 = Sha256Hex("tok-7");
    const std::string hash8 = Sha256Hex("tok-8");
    REQUIRE(kiosk.store().Clinic().FindCredential(hash7).value());
    REQUIRE(kiosk.store().Clinic().FindCredential(hash8).value());

    // pat-007's card ended yesterday, written as FHIR allows: a date without a time.
    const auto zone = ClinicTime::ForZone("America/Los_Angeles").value();
    const std::string yesterday = zone.LocalDate(c.now - std::chrono::hours{24});
    json p7 = server.Get("Patient/pat-007").json;
    p7["identifier"][0]["period"] = json{{"start", "2025"}, {"end", yesterday}};
    REQUIRE(server.Put("Patient/pat-007", p7).status == 200);
    // pat-008's record gains a second card identifier the kiosk cannot read (keyed by hand).
    json p8 = server.Get("Patient/pat-008").json;
    p8["identifier"].push_back(
        json{{"system", "urn:iop-kiosk:credential-sha256"}, {"value", "see paper chart"}});
    REQUIRE(server.Put("Patient/pat-008", p8).status == 200);

    auto r = kiosk.Sync();
    REQUIRE_MESSAGE(r.ok(), ErrorOf(r));
    auto c7 = kiosk.store().Clinic().FindCredential(hash7).value();
    REQUIRE(c7);  // read, with its end at the clinic's midnight that ended yesterday
    REQUIRE(c7->valid_until);
    CHECK(*c7->valid_until == zone.StartOfDay(c.now));
    CHECK(*c7->valid_from == zone.FromLocal(2025, 1, 1, 0, 0));
    CHECK_FALSE(
        kiosk.store().Clinic().FindCredential(hash8).value());  // before the fix: still valid
    bool said = false;
    for (const auto& p : r->pull.problems) {
        said = said || (p.find("Patient/pat-008") != std::string::npos &&
                        p.find("cards no longer work") != std::string::npos);
    }
    CHECK(said);
    CHECK(kiosk.board.Read().last_error.find("Patient/pat-008") != std::string::npos);

    // Fixed on the server: the card works again after the next pull.
    p8["identifier"].erase(1);
    REQUIRE(server.Put("Patient/pat-008", p8).status == 200);
    REQUIRE(kiosk.Sync().ok());
    CHECK(kiosk.store().Clinic().FindCredential(hash8).value());
}
