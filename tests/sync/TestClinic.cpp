// The seed has, besides what the kiosk should pull, what it must not: an Appointment next week,
// one at another site, a PractitionerRole elsewhere, and a Patient nobody here is enrolled with.
#include "TestClinic.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "kiosk/core/Iso8601.h"
#include "kiosk/core/Sha256.h"

namespace kiosk::test {
namespace {

using nlohmann::json;

std::string Pad(int n) {
    std::string s = std::to_string(n);
    return std::string(3 - std::min<size_t>(3, s.size()), '0') + s;
}

json Ref(const std::string& r) {
    return json{{"reference", r}};
}

json Credential(const std::string& token) {
    return json{{"system", "urn:iop-kiosk:credential-sha256"}, {"value", Sha256Hex(token)}};
}

json Appointment(const std::string& id, const std::string& name, const std::string& room,
                 Instant start, const std::vector<std::string>& people) {
    json parts = json::array({json{{"actor", Ref("Location/" + room)}, {"status", "accepted"}},
                              json{{"actor", Ref("Practitioner/prac-1")}, {"status", "accepted"}}});
    for (const auto& p : people) {
        parts.push_back(json{{"actor", Ref(p)}, {"status", "accepted"}});
    }
    return json{{"resourceType", "Appointment"},
                {"id", id},
                {"status", "booked"},
                {"serviceType", json::array({json{{"text", name}}})},
                {"start", FormatDateTimeUtc(start)},
                {"end", FormatDateTimeUtc(start + Minutes{50})},
                {"participant", parts}};
}

}  // namespace

std::string TestClinic::Patient(int n) {
    return "Patient/pat-" + Pad(n);
}

const TestClinic& TestClinic::Get() {
    static const TestClinic clinic;
    return clinic;
}

TestClinic::TestClinic() {
    now = SystemClock().Now();
    week_start = LosAngeles().StartOfIsoWeek(now);
    week_end = LosAngeles().EndOfIsoWeek(now);
    auto in_week = [&](Instant t) {
        return std::clamp(t, week_start + Minutes{10}, week_end - std::chrono::hours{2});
    };
    for (int i = 0; i < 4; ++i) {
        sessions.push_back("appt-" + std::to_string(i + 1));
        starts.push_back(in_week(now + std::chrono::hours{2 * i - 3}));
    }
    family_session = "appt-family";
}

json TestClinic::Bundle() const {
    std::vector<json> r;
    r.push_back({{"resourceType", "Location"},
                 {"id", "site-main"},
                 {"name", "Test Clinic"},
                 {"extension",
                  json::array({json{{"url", "http://hl7.org/fhir/StructureDefinition/timezone"},
                                    {"valueCode", "America/Los_Angeles"}}})}});
    for (const char* room : {"room-a", "room-b"}) {
        r.push_back({{"resourceType", "Location"},
                     {"id", room},
                     {"name", std::string("Room ") + room[5]},
                     {"partOf", Ref("Location/site-main")},
                     {"extension", json::array({json{{"url", "http://vendor.example/fhir/floor"},
                                                     {"valueInteger", 2}}})}});
    }
    r.push_back({{"resourceType", "Location"}, {"id", "other-site"}, {"name", "Elsewhere"}});
    for (int p = 1; p <= 3; ++p) {
        r.push_back({{"resourceType", "Practitioner"},
                     {"id", "prac-" + std::to_string(p)},
                     {"identifier", json::array({Credential("staff-" + std::to_string(p))})},
                     {"extension",
                      json::array({json{{"url", "urn:iop-kiosk:pin-argon2id"},
                                        {"valueString", "$argon2id$v=19$m=65536,t=2,p=1$x$y"}}})},
                     {"name", json::array({json{{"given", json::array({"Staff"})},
                                                {"family", "Member" + std::to_string(p)}}})}});
    }
    const char* roles[] = {"facilitator", "front-desk", "case-manager"};
    for (int p = 1; p <= 3; ++p) {
        r.push_back(
            {{"resourceType", "PractitionerRole"},
             {"id", "role-" + std::to_string(p)},
             {"active", true},
             {"practitioner", Ref("Practitioner/prac-" + std::to_string(p))},
             {"location",
              json::array({Ref(p == 3 ? "Location/other-site" : "Location/site-main")})},
             {"code",
              json::array({json{{"coding", json::array({json{{"system", "urn:iop-kiosk:role"},
                                                             {"code", roles[p - 1]}}})}}})}});
    }
    std::vector<std::string> everyone;
    for (int n = 1; n <= kPatients + 1; ++n) {
        const std::string id = "pat-" + Pad(n);
        r.push_back(
            {{"resourceType", "Patient"},
             {"id", id},
             {"identifier", json::array({Credential("tok-" + std::to_string(n))})},
             {"name", json::array({json{{"given", json::array({"Given" + std::to_string(n)})},
                                        {"family", "Family"}}})},
             {"birthDate", n > 50 ? "2012-03-04" : "1990-05-06"}});
        if (n <= kPatients) {
            everyone.push_back("Patient/" + id);
        }
    }
    r.push_back(
        {{"resourceType", "RelatedPerson"},
         {"id", "rel-1"},
         {"patient", Ref(kFamilyPatient)},
         {"identifier", json::array({Credential("fam-1")})},
         {"name", json::array({json{{"given", json::array({"Mother"})}, {"family", "Family"}}})}});
    for (size_t i = 0; i < sessions.size(); ++i) {
        r.push_back(Appointment(sessions[i], "Group " + std::to_string(i + 1),
                                i % 2 ? "room-b" : "room-a", starts[i], everyone));
    }
    r.push_back(Appointment(family_session, "Family Therapy", "room-b", starts[1],
                            {kFamilyPatient, kFamily}));
    r.push_back(Appointment("appt-next-week", "Next Week", "room-a",
                            week_end + std::chrono::hours{30}, everyone));
    r.push_back(Appointment("appt-elsewhere", "Elsewhere", "other-site", starts[0],
                            {Patient(kPatients + 1)}));
    // Another kiosk already recorded pat-060 in the first session.
    const std::string other = Patient(kPatients);
    r.push_back({{"resourceType", "Encounter"},
                 {"id", "enc-other-kiosk"},
                 {"identifier",
                  json::array({json{{"system", "urn:iop-kiosk:attendance"},
                                    {"value", store::AttendanceIdentifier(sessions[0], other)}}})},
                 {"status", "finished"},
                 {"class", json{{"system", "http://terminology.hl7.org/CodeSystem/v3-ActCode"},
                                {"code", "AMB"}}},
                 {"subject", Ref(other)},
                 {"appointment", json::array({Ref("Appointment/" + sessions[0])})},
                 {"period", json{{"start", FormatDateTimeUtc(starts[0])},
                                 {"end", FormatDateTimeUtc(starts[0] + Minutes{50})}}}});
    // The resource directory.
    for (int i = 1; i <= 2; ++i) {
        r.push_back({{"resourceType", "Organization"},
                     {"id", "org-" + std::to_string(i)},
                     {"name", "Org " + std::to_string(i)}});
        r.push_back({{"resourceType", "Location"},
                     {"id", "dir-loc-" + std::to_string(i)},
                     {"name", "Office " + std::to_string(i)},
                     {"position", json{{"latitude", 45.5}, {"longitude", -122.6}}}});
    }
    for (int i = 1; i <= 3; ++i) {
        r.push_back({{"resourceType", "HealthcareService"},
                     {"id", "hs-" + std::to_string(i)},
                     {"name", "Service " + std::to_string(i)},
                     {"providedBy", Ref("Organization/org-" + std::to_string(i == 3 ? 2 : i))},
                     {"location",
                      json::array({Ref("Location/dir-loc-" + std::to_string(i == 3 ? 2 : i))})}});
    }
    json entries = json::array();
    for (auto& res : r) {
        entries.push_back(json{{"resource", res}});
    }
    return json{{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", entries}};
}

TestKiosk::TestKiosk(FhirTestServer& server, std::string kiosk_id, std::string server_toml,
                     std::string url) {
    m_db = m_dir.path() / "kiosk.db";
    const std::string ca = server_toml.find("ca_file") != std::string::npos
                               ? std::string()
                               : "ca_file = \"" + (TestPki() / "ca.crt").string() + "\"\n";
    const std::string toml =
        "[server]\nurl = \"" + (url.empty() ? server.base() : url) + "\"\n" + ca + server_toml +
        "\n[clinic]\nsite_location_id = \"site-main\"\ntimezone = \"America/Los_Angeles\"\n"
        "[kiosk]\nid = \"" +
        kiosk_id + "\"\ndata_dir = \"" + m_dir.path().string() + "\"\n";
    auto parsed = ParseConfig(toml, kiosk_id + ".toml");
    REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error().log));
    config = parsed.value();
    options = sync::SyncOptions::FromConfig(config);
    options.transport.connect_timeout = std::chrono::seconds{3};
    options.transport.stall_timeout = std::chrono::seconds{3};
    options.transport.total_timeout = std::chrono::seconds{60};
    options.client.max_inline_wait = std::chrono::seconds{5};
    options.backoff_base = std::chrono::milliseconds{100};
    options.backoff_cap = std::chrono::milliseconds{1000};
    options.audit_key = TestAuditKey();
    auto opened = store::Store::Open(m_db, kiosk::test::TestAuditKey());
    REQUIRE(opened.ok());
    m_store = std::move(opened).value();
}

sync::SyncEngine& TestKiosk::Engine() {
    if (!m_engine) {
        m_engine = std::make_unique<sync::SyncEngine>(config, m_db, m_clock, board, options);
    }
    return *m_engine;
}

Result<sync::RoundReport> TestKiosk::Sync() {
    return Engine().RunOnce();
}

std::string TestKiosk::CheckIn(const std::string& session, const std::string& person, Instant at) {
    const std::string id = store::AttendanceIdentifier(session, person);
    const Status s = m_store->Transaction([&](store::WriteTx& tx) -> Status {
        if (auto a = m_store->Attendance().Insert(
                tx, {id, session, person, at, std::nullopt, "scan", config.kiosk_id});
            !a) {
            return a;
        }
        if (auto e = m_store->Outbox().EnqueueEncounter(tx, id, at); !e) {
            return e;
        }
        return m_store->Audit().Append(tx, {at, config.kiosk_id, "check-in", person, session});
    });
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().log));
    return id;
}

void TestKiosk::CheckOut(const std::string& identifier, Instant at) {
    const Status s = m_store->Transaction([&](store::WriteTx& tx) -> Status {
        if (auto c = m_store->Attendance().CheckOut(tx, identifier, at); !c) {
            return c;
        }
        return m_store->Outbox().EnqueueEncounter(tx, identifier, at);
    });
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().log));
}

long long TestKiosk::Pending() {
    auto s = m_store->Outbox().Summary();
    REQUIRE(s.ok());
    return s->pending;
}

std::string TestKiosk::OutboxState(const std::string& subject) {
    std::string state;
    long long newest = -1;
    for (const char* st : {"pending", "delivered", "rejected"}) {
        auto items = m_store->Outbox().Items(st, 100000);
        REQUIRE(items.ok());
        for (const auto& i : items.value()) {
            if (i.subject == subject && i.seq > newest) {
                newest = i.seq;
                state = st;
            }
        }
    }
    return state;
}

}  // namespace kiosk::test
