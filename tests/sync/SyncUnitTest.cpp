// The sync pieces that need no server: Retry-After and HTTP dates, query encoding,
// OperationOutcome text, the Encounter merge (monotone, idempotent, order-free), the
// family-member mapping both ways, outbox payloads, and transport setup checks.
#include <doctest/doctest.h>

#include <fstream>

#include "TestSupport.h"
#include "kiosk/core/Iso8601.h"
#include "sync/EncounterWrite.h"
#include "sync/FhirClient.h"
#include "sync/FhirMapping.h"
#include "sync/HttpTransport.h"
#include "sync/OutboxPayloads.h"
#include "sync/PullCursors.h"

using namespace kiosk;
using namespace kiosk::sync;
using kiosk::test::At;
using nlohmann::json;

TEST_CASE("Retry-After as seconds or an HTTP-date; HTTP dates parse strictly") {
    const Instant now = At(9, 0);
    CHECK(ParseRetryAfter("2", now) == std::chrono::seconds{2});
    CHECK(ParseRetryAfter("", now) == std::nullopt);
    CHECK(ParseRetryAfter("soon", now) == std::nullopt);
    auto date = ParseHttpDate("Wed, 07 Jan 2026 17:00:30 GMT");
    REQUIRE(date);
    CHECK(*date == now + std::chrono::seconds{30});
    CHECK(ParseRetryAfter("Wed, 07 Jan 2026 17:00:30 GMT", now) == std::chrono::seconds{30});
    CHECK(ParseRetryAfter("Wed, 07 Jan 2026 16:00:00 GMT", now) == std::chrono::seconds{0});
    CHECK_FALSE(ParseHttpDate("Wed, 32 Jan 2026 17:00:30 GMT"));
    CHECK_FALSE(ParseHttpDate("2026-01-07T17:00:30Z"));
}

TEST_CASE("an HTTP-date may come in each of RFC 9110's three forms") {
    const Instant at = At(9, 0) + std::chrono::seconds{30};       // Wed, 07 Jan 2026 17:00:30 GMT
    CHECK(ParseHttpDate("Wed, 07 Jan 2026 17:00:30 GMT") == at);  // IMF-fixdate
    CHECK(ParseHttpDate("Wednesday, 07-Jan-26 17:00:30 GMT") == at);  // obsolete RFC 850
    CHECK(ParseHttpDate("Wed Jan  7 17:00:30 2026") == at);           // ANSI C asctime()
    CHECK(ParseRetryAfter("Wednesday, 07-Jan-26 17:00:30 GMT", At(9, 0)) ==
          std::chrono::seconds{30});
    CHECK(ParseRetryAfter("Wed Jan  7 17:00:30 2026", At(9, 0)) == std::chrono::seconds{30});
    CHECK_FALSE(ParseHttpDate(""));
    CHECK_FALSE(ParseHttpDate("20260107"));  // digits are delay-seconds, not a date
    CHECK(ParseRetryAfter("20", At(9, 0)) == std::chrono::seconds{20});
    CHECK_FALSE(ParseHttpDate(std::string("Wed, 07 Jan 2026 17:00:30 GMT\0x", 31)));
}

TEST_CASE("search values are percent-encoded; a + never goes out raw") {
    CHECK(QueryValue("urn:iop-kiosk:attendance|ab12") == "urn%3Aiop-kiosk%3Aattendance%7Cab12");
    CHECK(QueryValue("2026-01-07T09:00:00+01:00") == "2026-01-07T09%3A00%3A00%2B01%3A00");
    CHECK(QueryValue("Location/a,Location/b") == "Location%2Fa,Location%2Fb");
}

TEST_CASE("an OperationOutcome becomes one readable line") {
    json oo{{"resourceType", "OperationOutcome"},
            {"issue", json::array({json{{"severity", "error"},
                                        {"code", "invalid"},
                                        {"details", {{"text", "Missing status"}}},
                                        {"diagnostics", "Encounter.status"}},
                                   json{{"severity", "error"}, {"code", "processing"}}})}};
    CHECK(OutcomeText(oo) == "Missing status (Encounter.status); processing");
    CHECK(OutcomeText(json{{"resourceType", "Patient"}}).empty());
}

namespace {

EncounterFacts Facts(std::optional<Instant> out = std::nullopt, Instant in = At(8, 55),
                     const std::string& person = "Patient/pat-1") {
    store::AttendanceRow a{store::AttendanceIdentifier("appt-1", person),
                           "appt-1",
                           person,
                           in,
                           out,
                           "scan",
                           "lobby-1"};
    store::SessionRow s;
    s.id = "appt-1";
    s.room_id = "room-1";
    s.start = At(9, 0);
    s.end = At(10, 0);
    return EncounterFacts{a, s, person.rfind("Related", 0) == 0 ? "Patient/pat-1" : person,
                          At(8, 56)};
}

}  // namespace

TEST_CASE("an Encounter is built from the current attendance row") {
    json e = BuildEncounter(Facts());
    CHECK(e["status"] == "arrived");
    CHECK(e["identifier"][0]["system"] == "urn:iop-kiosk:attendance");
    CHECK(e["period"]["start"] == "2026-01-07T16:55:00Z");
    CHECK_FALSE(e["period"].contains("end"));
    CHECK_FALSE(e.contains("id"));
    CHECK_FALSE(e.contains("meta"));
    CHECK(e["location"][0]["location"]["reference"] == "Location/room-1");
    json closed = BuildEncounter(Facts(At(10, 0)));
    CHECK(closed["status"] == "finished");
    CHECK(closed["period"]["end"] == "2026-01-07T18:00:00Z");
    auto late = Facts();
    late.now = At(9, 5);
    CHECK(LocalEncounterStatus(late) == "in-progress");
}

TEST_CASE("a family member's Encounter: the patient is the subject, the RelatedPerson takes part") {
    const auto f = Facts(std::nullopt, At(8, 50), "RelatedPerson/rel-1");
    json e = BuildEncounter(f);
    CHECK(e["subject"]["reference"] == "Patient/pat-1");
    CHECK(e["participant"][0]["individual"]["reference"] == "RelatedPerson/rel-1");
    CHECK(e["identifier"][0]["value"] ==
          store::AttendanceIdentifier("appt-1", "RelatedPerson/rel-1"));

    // Pulled back, it is the family member's attendance, not the patient's.
    e["id"] = "enc-9";
    auto batch =
        MapBundle(json{{"resourceType", "Bundle"}, {"entry", json::array({json{{"resource", e}}})}},
                  MappingContext{"site-main", At(9, 0)});
    REQUIRE(batch.ok());
    REQUIRE(batch->attendance.size() == 1);
    CHECK(batch->attendance[0].person_ref == "RelatedPerson/rel-1");
    CHECK(batch->attendance[0].identifier == f.attendance.identifier);

    // An EHR's Encounter with a family member present but no kiosk identifier is the patient's.
    e.erase("identifier");
    batch =
        MapBundle(json{{"resourceType", "Bundle"}, {"entry", json::array({json{{"resource", e}}})}},
                  MappingContext{"site-main", At(9, 0)});
    REQUIRE(batch.ok());
    CHECK(batch->attendance[0].person_ref == "Patient/pat-1");

    auto link = RelatedPatientLink(json{{"resourceType", "RelatedPerson"},
                                        {"id", "rel-1"},
                                        {"patient", {{"reference", "Patient/pat-1"}}}});
    REQUIRE(link);
    CHECK(link->second == "Patient/pat-1");
    CHECK_FALSE(RelatedPatientLink(json{{"resourceType", "Patient"}, {"id", "x"}}));
}

TEST_CASE("the merge is monotone, idempotent and the same in either order") {
    const auto kiosk_a = Facts(At(9, 50), At(9, 2));      // checked in late, checked out
    const auto kiosk_b = Facts(std::nullopt, At(8, 58));  // checked in earlier elsewhere

    json server = BuildEncounter(kiosk_a);
    server["id"] = "e1";
    server["extension"] =
        json::array({json{{"url", "http://ehr.example/x"}, {"valueString", "kept"}}});
    json ab = server;
    CHECK(MergeEncounter(ab, kiosk_b) == MergeResult::kChanged);
    CHECK(ab["period"]["start"] == FormatDateTimeUtc(At(8, 58)));
    CHECK(ab["period"]["end"] == FormatDateTimeUtc(At(9, 50)));
    CHECK(ab["status"] == "finished");
    CHECK(ab["extension"][0]["valueString"] == "kept");
    json again = ab;
    CHECK(MergeEncounter(again, kiosk_b) == MergeResult::kUnchanged);
    CHECK(MergeEncounter(again, kiosk_a) == MergeResult::kUnchanged);

    json ba = BuildEncounter(kiosk_b);
    ba["id"] = "e1";
    CHECK(MergeEncounter(ba, kiosk_a) == MergeResult::kChanged);
    CHECK(ba["period"] == ab["period"]);
    CHECK(ba["status"] == ab["status"]);

    // A check-out time is only ever filled in, never moved.
    json closed = ab;
    CHECK(MergeEncounter(closed, Facts(At(11, 0), At(8, 58))) == MergeResult::kUnchanged);
    CHECK(closed["period"]["end"] == FormatDateTimeUtc(At(9, 50)));
    // Cancelled on the server: left alone.
    json cancelled = ab;
    cancelled["status"] = "cancelled";
    CHECK(MergeEncounter(cancelled, kiosk_b) == MergeResult::kClosedOnServer);
}

TEST_CASE("provenance and referral payloads round-trip into R4 resources") {
    store::ManualChangeFact p{"abc",   "Practitioner/prac-2", "check-in", "forgot card", "lobby-1",
                              At(9, 3)};
    auto back = store::ParseManualChangePayload(store::ManualChangePayload(p));
    REQUIRE(back.ok());
    CHECK(back->agent_ref == "Practitioner/prac-2");
    CHECK(back->recorded == At(9, 3));
    json prov = BuildProvenance(back.value(), "enc-1");
    CHECK(prov["target"][0]["reference"] == "Encounter/enc-1");
    CHECK(prov["reason"][0]["text"] == "forgot card");
    CHECK(ProvenanceSearch(p, "enc-1") ==
          "target=Encounter%2Fenc-1&agent=Practitioner%2Fprac-2&recorded=2026-01-07T17%3A03%3A00Z");
    CHECK_FALSE(store::ParseManualChangePayload("{\"recorded\": \"2026-01-07T17:03:00Z\"}").ok());
    CHECK_FALSE(store::ParseManualChangePayload("not json").ok());

    store::ReferralFact r{"uuid-1",
                          "Patient/pat-1",
                          "Practitioner/prac-7",
                          "Organization/org-1",
                          "",
                          "food",
                          "",
                          At(9, 0),
                          "ref-9",
                          "",
                          "Eastside Pantry"};
    auto rb = store::ParseReferralPayload(store::ReferralPayload(r));
    REQUIRE(rb.ok());
    json sr = BuildServiceRequest(rb.value());
    CHECK(sr["status"] == "active");
    CHECK(sr["intent"] == "order");
    CHECK(sr["category"][0]["coding"][0]["code"] == "food-insecurity");
    CHECK(sr["identifier"][0]["value"] == "uuid-1");
    CHECK(sr["requisition"]["value"] == "ref-9");  // the print-out its requests share
    CHECK(sr["requester"]["reference"] == "Practitioner/prac-7");
    REQUIRE(sr["performer"].size() == 2);
    CHECK(sr["performer"][0]["reference"] == "Organization/org-1");
    CHECK(sr["performer"][1]["display"] == "Eastside Pantry");  // a service known by name only
    CHECK_FALSE(sr["performer"][1].contains("reference"));
    r.patient_ref = "RelatedPerson/rel-1";
    CHECK_FALSE(store::ParseReferralPayload(store::ReferralPayload(r)).ok());
}

TEST_CASE("transport setup: unreadable files and empty tokens are named; plain http is refused") {
    kiosk::test::TempDir dir;
    TransportOptions o;
    o.ca_file = (dir.path() / "missing-ca.pem").string();
    auto t = HttpTransport::Create(o);
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().log.find("server.ca_file") != std::string::npos);

    TransportOptions tok;
    tok.token_file = (dir.path() / "token").string();
    std::ofstream(tok.token_file) << "  \n";
    t = HttpTransport::Create(tok);
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().log.find("is empty") != std::string::npos);
    std::ofstream(tok.token_file) << "two words\n";
    CHECK_FALSE(HttpTransport::Create(tok).ok());

    TransportOptions plain;
    auto https_only = HttpTransport::Create(plain);
    REQUIRE(https_only.ok());
    auto sent =
        https_only.value()->Send(HttpRequest{"GET", "http://127.0.0.1:1/fhir/R4/metadata", {}, {}});
    REQUIRE_FALSE(sent.ok());
    CHECK(sent.error().code == ErrorCode::kConfig);
    CHECK(sent.error().log.find("only https://") != std::string::npos);

    TransportOptions slow;
    slow.connect_timeout = std::chrono::seconds{30};
    CHECK_FALSE(HttpTransport::Create(slow).ok());  // at most 10 s
}

TEST_CASE("pull cursors: server time, one second and the overlap back; broken types stay put") {
    Cursors c;
    c.old["Patient"] = At(9, 0);
    CHECK(c.Since("Patient", std::chrono::seconds{120}) ==
          "&_lastUpdated=gt" + QueryValue(FormatDateTimeUtc(At(8, 58) - Seconds{1})));
    CHECK(c.Since("Appointment", std::chrono::seconds{120}).empty());  // no cursor: everything
    c.Saw("Patient", At(9, 5));
    c.Saw("Patient", At(9, 4));  // the earliest first page of the round wins
    c.Saw("Appointment", At(9, 4));
    c.Saw("Location", std::nullopt);  // no server time: cannot move
    c.Saw("Encounter", At(9, 4));
    c.broken.insert("Encounter");
    const auto rows = c.ToStore("sync.cursor.");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0] == std::pair<std::string, std::string>{"sync.cursor.Appointment",
                                                         FormatDateTimeUtc(At(9, 4))});
    CHECK(rows[1] ==
          std::pair<std::string, std::string>{"sync.cursor.Patient", FormatDateTimeUtc(At(9, 4))});
    CHECK(Chunks({"a", "b", "c"}, 2) == std::vector<std::vector<std::string>>{{"a", "b"}, {"c"}});
    CHECK(JoinQuery({"Patient/a", "Patient/b"}) == "Patient%2Fa,Patient%2Fb");
}

TEST_CASE("next links: any relative form resolves against the request, then goes to our origin") {
    const std::string base = "https://fhir.clinic.example/fhir/R4";
    const std::string page = base + "/Patient?_count=20&_offset=20";
    auto follow = [&](const std::string& link, const std::string& request = {}) {
        auto r = FollowLink(base, request.empty() ? page : request, link);
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().log));
        return r.value();
    };
    const std::string want = base + "/Patient?_count=20&_offset=40";
    CHECK(follow("https://fhir.clinic.example/fhir/R4/Patient?_count=20&_offset=40") == want);
    CHECK(follow("/fhir/R4/Patient?_count=20&_offset=40") == want);
    CHECK(follow("Patient?_count=20&_offset=40") == want);
    CHECK(follow("?_count=20&_offset=40") == want);
    // For POST Type/_search the request is read as its GET form, Type?...
    CHECK(follow("Patient?_count=20&_offset=40", base + "/Patient") == want);
    // Another host, its scheme, port, user name and password, a fragment, a different case:
    // the path and query are kept, everything else is ours.
    CHECK(follow("HTTP://kiosk:secret@FHIR-internal.invalid:8444/fhir/R4/Patient?_count=20&"
                 "_offset=40#frag") == want);
    CHECK(follow("//elsewhere.example/fhir/R4/Patient?_count=20&_offset=40") == want);

    const std::string v6 = "https://[::1]:8443/fhir/R4";
    auto r = FollowLink(v6, v6 + "/Patient?_count=2", "https://127.0.0.1:9/fhir/R4/Patient?x=1");
    REQUIRE(r.ok());
    CHECK(r.value() == "https://[::1]:8443/fhir/R4/Patient?x=1");
    CHECK_FALSE(FollowLink(base, page, "http://[bad").ok());
}

TEST_CASE("host names for messages never carry the userinfo") {
    CHECK(HostOf("https://kiosk:secret@fhir.example:8443/fhir/R4") == "fhir.example:8443");
    CHECK(HostOf("https://fhir.example/fhir/R4") == "fhir.example");
    CHECK(HostOf("https://[::1]:8443/x") == "[::1]:8443");
    CHECK(HostNameOf("https://[::1]:8443/x") == "::1");
    CHECK(HostNameOf("https://user@Fhir.Example:1/") == "Fhir.Example");
    // What cutting at "://", "@" and ":" got wrong: a scheme in capitals, an "@" in the path,
    // a ":" inside the password, an IPv6 literal without a port.
    CHECK(HostOf("HTTPS://fhir.example/fhir/R4") == "fhir.example");
    CHECK(HostOf("https://fhir.example/fhir/R4/Patient?email=a@b.example") == "fhir.example");
    CHECK(HostOf("https://kiosk:se:cret@fhir.example/x") == "fhir.example");
    CHECK(HostOf("https://[2001:db8::1]/fhir") == "[2001:db8::1]");
    CHECK(HostNameOf("https://[2001:db8::1]/fhir") == "2001:db8::1");
}
