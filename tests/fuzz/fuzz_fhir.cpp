// libFuzzer target: the FHIR mapping in sync/, i.e. what the kiosk does with what the clinic
// server sends. Each input is used twice:
//  1. as the bytes of a server answer: parsed as JSON (MapBundleText, as a pull does) and, when
//     it is JSON, handed to every reader below;
//  2. as the choices for a FHIR-shaped document built here (FuzzedDataProvider): resources of the
//     types the kiosk reads, with the member names the mappings look for and values of every JSON
//     type, so the mapping logic is reached, not only the JSON parser.
// Readers: the clinic mapping (MapBundle, MapResource, RelatedPatientLink), the directory mapping
// (MapDirectoryBundle, MapHealthcareService), the Encounter merge of the outbox push
// (MergeEncounter on the server's copy), the outbox payloads (Parse*Payload, Build*), and the
// server-answer helpers (OutcomeText, ParseHttpDate, ParseRetryAfter).
// Checks, besides "no crash, no exception, no UB": every mapped row has its ids and the shape the
// store expects (refs "Type/id", start < end, a tidy session name and "system|code" codes, a
// 64-hex credential, the attendance identifier recomputed, known categories in order, a position
// in range, hours that survive their text form, valid UTF-8), a bundle maps like its text, the
// merge is idempotent and monotone, and a payload survives its round trip.
#include <fuzzer/FuzzedDataProvider.h>

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/Iso8601.h"
#include "kiosk/core/ResourceCategory.h"
#include "kiosk/core/SessionKind.h"
#include "kiosk/directory/DirectoryMapping.h"
#include "sync/EncounterWrite.h"
#include "sync/FhirClient.h"
#include "sync/FhirMapping.h"
#include "sync/OutboxPayloads.h"
#include "tests/fuzz/DirectoryRowChecks.h"

using namespace kiosk;
using namespace kiosk::directory;
using namespace kiosk::sync;
using kiosk::fuzz::Require;
using kiosk::fuzz::ValidUtf8;
using nlohmann::json;

namespace {

// 2026-01-07T17:00:00Z: the mapping's "now" (ages) and the outbox facts' clock.
const Instant kNow = Instant{Seconds{1767805200}};
const MappingContext kCtx{"site-main", kNow};

/// "Type/id" with both parts present. (A resource's own id is taken as the server sent it;
/// FHIR ids never hold a '/', and one that does only makes a row nothing can refer to.)
bool Ref(const std::string& ref, std::string_view type) {
    return ref.size() > type.size() + 1 && ref.compare(0, type.size(), type) == 0 &&
           ref[type.size()] == '/';
}

/// A string member as the directory mapping reads it (surrounding white space dropped).
std::string Trimmed(const json& v) {
    if (!v.is_string()) {
        return {};
    }
    std::string s = v.get<std::string>();
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.pop_back();
    }
    size_t first = 0;
    while (first < s.size() && std::isspace(static_cast<unsigned char>(s[first]))) {
        ++first;
    }
    return s.substr(first);
}

bool LowerHex64(const std::string& s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// --- the clinic mapping ----------------------------------------------------------------------

void CheckBatch(const store::ClinicBatch& b) {
    for (const auto& s : b.sites) {
        Require(s.id == kCtx.site_id);
    }
    for (const auto& r : b.rooms) {
        Require(!r.id.empty() && r.site_id == kCtx.site_id && !r.name.empty());
    }
    for (const auto& p : b.persons) {
        const bool patient = Ref(p.ref, "Patient");
        Require(patient || Ref(p.ref, "RelatedPerson") || Ref(p.ref, "Practitioner"));
        Require(!p.given.empty() || !p.family.empty());
        Require(p.cohort.has_value() == patient);
        if (p.cohort) {
            Require(*p.cohort == "adult" || *p.cohort == "adolescent");
        }
        for (const auto& c : p.credentials) {
            Require(LowerHex64(c.hash) && c.person_ref == p.ref);
        }
    }
    for (const auto& s : b.staff) {
        Require(Ref(s.person_ref, "Practitioner"));
        if (s.roles) {
            for (const auto& r : *s.roles) {
                Require(r == "facilitator" || r == "front-desk" || r == "case-manager");
            }
        }
    }
    for (const auto& s : b.sessions) {
        Require(!s.id.empty() && s.start < s.end);
        // A name (or none) from serviceType only, tidied: no control characters or outer spaces.
        Require(s.group_name.empty() ||
                (s.group_name.front() != ' ' && s.group_name.back() != ' '));
        for (char c : s.group_name) {
            Require(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
        }
        for (const auto& code : s.codes) {
            Require(IsSystemCode(code));
        }
        Require(s.facilitator_ref.empty() || Ref(s.facilitator_ref, "Practitioner"));
        for (const auto& e : s.enrolled) {
            Require(Ref(e, "Patient") || Ref(e, "RelatedPerson"));
        }
    }
    for (const auto& a : b.attendance) {
        Require(!a.session_id.empty() && a.person_ref.find('/') != std::string::npos);
        Require(a.person_ref.front() != '/' && a.person_ref.back() != '/');
        Require(a.identifier == store::AttendanceIdentifier(a.session_id, a.person_ref));
        Require(a.source == "server");
    }
}

size_t Rows(const store::ClinicBatch& b) {
    return b.sites.size() + b.rooms.size() + b.persons.size() + b.staff.size() + b.sessions.size() +
           b.attendance.size();
}

void CheckError(const Error& e) {
    Require(e.code == ErrorCode::kInvalidInput && !e.log.empty());
}

// --- the directory mapping -------------------------------------------------------------------

void CheckResourceRow(const store::ResourceRow& r, bool input_utf8) {
    Require(r.id.rfind(kFhirResourcePrefix, 0) == 0 && r.id.size() > kFhirResourcePrefix.size());
    Require(r.source == kFhirSource && r.service_ref == r.id.substr(5));
    Require(r.organization_ref.empty() || r.organization_ref.size() > 13);
    fuzz::CheckDirectoryRow(r);
    if (!r.updated.empty()) {
        Require(r.updated.size() >= 20 && r.updated.back() == 'Z');
    }
    if (input_utf8) {
        for (const std::string* s :
             {&r.name, &r.organization, &r.description, &r.address, &r.phone, &r.website,
              &r.hours_note, &r.eligibility, &r.cost, &r.what_to_bring}) {
            Require(ValidUtf8(*s));
        }
    }
}

// --- the outbox side ---------------------------------------------------------------------------

int Rank(const std::string& status) {
    if (status == "arrived" || status == "triaged") {
        return 1;
    }
    if (status == "in-progress" || status == "onleave") {
        return 2;
    }
    return status == "finished" ? 3 : 0;
}

void CheckMerge(const json& server, const EncounterFacts& facts) {
    json merged = server;
    const MergeResult m = MergeEncounter(merged, facts);
    if (m == MergeResult::kClosedOnServer) {
        Require(merged == server);
        return;
    }
    Require((m == MergeResult::kUnchanged) == (merged == server));
    // The kiosk's identifier is there, the start is a valid time no later than the check-in, and
    // the status never goes back.
    bool has_id = false;
    for (const auto& id : merged["identifier"]) {
        has_id = has_id || (id.is_object() && id.contains("value") &&
                            id["value"] == facts.attendance.identifier);
    }
    Require(has_id);
    const json& period = merged["period"];
    Require(period.is_object() && period.contains("start") && period["start"].is_string());
    auto start = ParseDateTime(period["start"].get<std::string>());
    Require(start.ok() && start.value() <= facts.attendance.checked_in);
    if (facts.attendance.checked_out) {
        Require(period.contains("end"));
    }
    Require(merged["status"].is_string());
    Require(Rank(merged["status"].get<std::string>()) >= Rank(LocalEncounterStatus(facts)));
    // Applying the same facts again changes nothing (a repeated push is harmless).
    json twice = merged;
    Require(MergeEncounter(twice, facts) == MergeResult::kUnchanged && twice == merged);
}

EncounterFacts Facts(bool family, bool out) {
    EncounterFacts f;
    f.attendance.session_id = "appt-1";
    f.attendance.person_ref = family ? "RelatedPerson/rel-1" : "Patient/pat-1";
    f.attendance.identifier =
        store::AttendanceIdentifier(f.attendance.session_id, f.attendance.person_ref);
    f.attendance.checked_in = kNow - Minutes{20};
    if (out) {
        f.attendance.checked_out = kNow;
    }
    f.attendance.source = "scan";
    f.attendance.recorded_by = "lobby-1";
    if (!family) {
        store::SessionRow s;
        s.id = "appt-1";
        s.room_id = "room-oak";
        s.start = kNow - Minutes{10};
        s.end = kNow + Minutes{80};
        f.session = s;
    }
    f.subject_ref = "Patient/pat-1";
    f.now = kNow;
    return f;
}

bool InYears(Instant t) {
    return t >= Instant{Seconds{-62135596800}} && t < Instant{Seconds{253370764800}};  // 1..9998
}

void CheckPayloads(const std::string& text) {
    if (auto p = store::ParseManualChangePayload(text); p.ok()) {
        Require(!p->attendance_identifier.empty() && !p->agent_ref.empty());
        const json prov = BuildProvenance(p.value(), "enc-1");
        Require(prov["resourceType"] == "Provenance" && prov["agent"].is_array());
        (void)ProvenanceSearch(p.value(), "enc-1");
        if (InYears(p->recorded)) {
            auto again = store::ParseManualChangePayload(store::ManualChangePayload(p.value()));
            Require(again.ok() && again->attendance_identifier == p->attendance_identifier &&
                    again->agent_ref == p->agent_ref && again->activity == p->activity &&
                    again->reason == p->reason && again->kiosk_id == p->kiosk_id &&
                    again->recorded == p->recorded);
        }
    } else {
        CheckError(p.error());
    }
    if (auto r = store::ParseReferralPayload(text); r.ok()) {
        Require(!r->referral_id.empty() && r->patient_ref.rfind("Patient/", 0) == 0);
        const json sr = BuildServiceRequest(r.value());
        Require(sr["resourceType"] == "ServiceRequest" &&
                sr["subject"]["reference"] == r->patient_ref);
        (void)ReferralSearch(r->referral_id);
        if (InYears(r->authored)) {
            auto again = store::ParseReferralPayload(store::ReferralPayload(r.value()));
            Require(again.ok() && again->referral_id == r->referral_id &&
                    again->patient_ref == r->patient_ref && again->note == r->note &&
                    again->authored == r->authored && again->category == r->category &&
                    again->service_display == r->service_display);
        }
    } else {
        CheckError(r.error());
    }
}

// --- every reader on one document --------------------------------------------------------------

void Exercise(const json& doc, bool utf8) {
    auto bundle = MapBundle(doc, kCtx);
    if (bundle.ok()) {
        CheckBatch(bundle.value());
    } else {
        CheckError(bundle.error());
    }
    if (doc.is_object()) {
        store::ClinicBatch one;
        auto s = MapResource(doc, kCtx, one);
        if (s.ok()) {
            CheckBatch(one);
            Require(Rows(one) <= 2);  // a Practitioner is a person and a staff row
        } else {
            CheckError(s.error());
        }
    }
    if (auto link = RelatedPatientLink(doc)) {
        Require(Ref(link->first, "RelatedPerson") && Ref(link->second, "Patient"));
    }

    const DirectoryMapReport report = MapDirectoryBundle(doc);
    for (const auto& row : report.rows) {
        CheckResourceRow(row, utf8);
    }
    size_t services = 0;
    if (doc.is_object() && doc.contains("entry") && doc["entry"].is_array()) {
        for (const auto& e : doc["entry"]) {
            services += e.is_object() && e.contains("resource") && e["resource"].is_object() &&
                        Trimmed(e["resource"].value("resourceType", json())) == "HealthcareService";
        }
    }
    Require(report.rows.size() + report.skipped.size() == services);
    auto row = MapHealthcareService(doc, &doc, &doc);
    if (row.ok()) {
        CheckResourceRow(row.value(), utf8);
    } else {
        CheckError(row.error());
    }

    if (doc.is_object()) {  // the client hands the push only objects (FhirClient::Exchange)
        CheckMerge(doc, Facts(false, false));
        CheckMerge(doc, Facts(true, true));
    }
    const std::string outcome = OutcomeText(doc);
    if (!outcome.empty()) {
        Require(doc.is_object());
    }
}

// --- documents built from the input ------------------------------------------------------------

// Member names the readers look for.
// clang-format off
constexpr const char* kKeys[] = {
    "resourceType", "id", "name", "given", "family", "use", "identifier", "system", "value",
    "period", "start", "end", "birthDate", "extension", "url", "valueString", "valueCode",
    "valueMarkdown", "partOf", "reference", "practitioner", "active", "code", "coding", "display",
    "text", "status", "serviceType", "serviceCategory", "appointmentType", "description",
    "participant", "actor", "individual",
    "appointment", "subject", "patient", "entry", "resource", "fullUrl", "category", "type",
    "specialty", "program", "availableTime", "daysOfWeek", "allDay", "availableStartTime",
    "availableEndTime", "notAvailable", "during", "availabilityExceptions", "communication",
    "eligibility", "comment", "serviceProvisionCode", "telecom", "line", "city", "state",
    "postalCode", "address", "position", "latitude", "longitude", "providedBy", "location",
    "extraDetails", "meta", "lastUpdated", "versionId", "issue", "details", "diagnostics",
    "attendance", "agent", "activity", "reason", "kiosk", "recorded", "referral", "requester",
    "performer", "service", "note", "authored", "requisition"};
// clang-format on

// clang-format off
constexpr const char* kStrings[] = {
    "site-main", "room-oak", "Location/site-main", "Location/room-oak", "Patient/pat-1", "Patient/",
    "RelatedPerson/rel-1", "Practitioner/prac-1", "Practitioner/", "Appointment/appt-1",
    "Organization/org-1", "Location/loc-1", "https://fhir.example/Organization/org-1/_history/2",
    "official", "usual", "Ana", "Diaz", "urn:iop-kiosk:credential-sha256",
    "urn:iop-kiosk:attendance", "urn:iop-kiosk:pin-argon2id", "urn:iop-kiosk:role",
    "urn:iop-kiosk:resource-category", "urn:iop-kiosk:what-to-bring",
    "http://hl7.org/fhir/StructureDefinition/timezone",
    "http://terminology.hl7.org/CodeSystem/service-category",
    "http://terminology.hl7.org/CodeSystem/service-provision-conditions",
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "2026-01-07T09:00:00-08:00",
    "2026-01-07T17:00:00.250Z", "2026-01-07", "2009", "2010-02", "0000-01-01T00:00:00+14:00",
    "9999-12-31T23:59:60-14:00", "2026-02-30T00:00:00Z", "facilitator", "front-desk",
    "case-manager", "booked", "cancelled", "declined", "arrived", "in-progress", "finished",
    "entered-in-error", "planned", "housing", "food", "food-insecurity", "BD-1800", "8", "mon",
    "sat", "sun", "09:00", "17:30:00Z", "5:30 PM", "24:00", "23:59", "12:00 a.m.", "free", "disc",
    "cost", "Free", "No cost, $5 fee for copies", "phone", "url", "old", "www.example.org",
    "mailto:x@example.org", "en-US", "spa", "Español", "any",
    "What to bring: Photo ID\nProof of address", "OperationOutcome", "Food pantry", "Rent help", "",
    " ", "\xC3\xA9t\xC3\xA9", "\xE2\x80\x8B", "a/b/c"};
// clang-format on

std::string Utf8(std::string s) {
    for (auto& c : s) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            c = '?';
        }
    }
    return s;
}

json String(FuzzedDataProvider& in) {
    if (in.ConsumeIntegralInRange(0, 3) == 0) {
        return Utf8(in.ConsumeRandomLengthString(24));
    }
    return kStrings[in.ConsumeIntegralInRange<size_t>(0, std::size(kStrings) - 1)];
}

json Value(FuzzedDataProvider& in, int depth);

json Object(FuzzedDataProvider& in, int depth) {
    json obj = json::object();
    const int n = in.ConsumeIntegralInRange(0, 4);
    for (int i = 0; i < n && in.remaining_bytes() > 0; ++i) {
        obj[kKeys[in.ConsumeIntegralInRange<size_t>(0, std::size(kKeys) - 1)]] =
            Value(in, depth + 1);
    }
    return obj;
}

/// The members each resource type's reader looks at first, so most built resources reach it.
struct TypeKeys {
    const char* type;
    std::vector<const char*> keys;
};
const std::vector<TypeKeys>& Types() {
    static const std::vector<TypeKeys> kTable{
        {"Patient", {"name", "identifier", "birthDate"}},
        {"RelatedPerson", {"name", "identifier", "patient"}},
        {"Practitioner", {"name", "identifier", "extension"}},
        {"PractitionerRole", {"practitioner", "active", "code"}},
        {"Location", {"name", "partOf", "extension"}},
        {"Appointment",
         {"start", "end", "serviceType", "serviceCategory", "appointmentType", "participant",
          "status"}},
        {"Encounter", {"status", "appointment", "subject", "period", "identifier", "participant"}},
        {"HealthcareService",
         {"category", "name", "providedBy", "location", "availableTime", "notAvailable", "telecom",
          "communication", "eligibility", "serviceProvisionCode", "extraDetails", "type", "program",
          "extension", "active", "meta"}},
        {"Organization", {"name", "telecom", "address"}},
        {"OperationOutcome", {"issue"}},
        {"Bundle", {"entry"}},
    };
    return kTable;
}

json Resource(FuzzedDataProvider& in, int depth) {
    const TypeKeys& t = Types()[in.ConsumeIntegralInRange<size_t>(0, Types().size() - 1)];
    json r = json::object();
    const int own = in.ConsumeIntegralInRange(0, 4);
    for (int i = 0; i < own && in.remaining_bytes() > 0; ++i) {
        r[t.keys[in.ConsumeIntegralInRange<size_t>(0, t.keys.size() - 1)]] = Value(in, depth + 1);
    }
    r.update(Object(in, depth));
    // Now and then a resourceType that is not a string: readers must not throw on it.
    r["resourceType"] = in.ConsumeIntegralInRange(0, 15) == 0 ? Value(in, depth + 1) : json(t.type);
    if (in.ConsumeIntegralInRange(0, 7) != 0) {
        r["id"] = in.ConsumeBool() ? json(kStrings[in.ConsumeIntegralInRange(0, 1)])
                                   : json(Utf8(in.ConsumeRandomLengthString(8)));
    }
    return r;
}

json Value(FuzzedDataProvider& in, int depth) {
    switch (in.ConsumeIntegralInRange(0, depth >= 5 ? 4 : 10)) {
        case 0:
            return nullptr;
        case 1:
            return in.ConsumeBool();
        case 2:
            return in.ConsumeIntegralInRange<std::int64_t>(-1000, 100000);
        case 3:
            return in.ConsumeFloatingPoint<double>();
        case 4:
            return String(in);
        case 5:
        case 6: {
            json arr = json::array();
            const int n = in.ConsumeIntegralInRange(0, 3);
            for (int i = 0; i < n && in.remaining_bytes() > 0; ++i) {
                arr.push_back(Value(in, depth + 1));
            }
            return arr;
        }
        case 7:
            return Resource(in, depth + 1);
        case 8:
            return json{{"reference", String(in)}};  // what most members hold
        default:
            return Object(in, depth);
    }
}

json Built(FuzzedDataProvider& in) {
    if (in.ConsumeBool()) {
        return Resource(in, 0);
    }
    json bundle{{"resourceType", "Bundle"}, {"type", "searchset"}, {"entry", json::array()}};
    const int n = in.ConsumeIntegralInRange(0, 6);
    for (int i = 0; i < n && in.remaining_bytes() > 0; ++i) {
        json entry{{"resource", Resource(in, 1)}};
        if (in.ConsumeBool()) {
            entry["fullUrl"] = String(in);
        }
        bundle["entry"].push_back(std::move(entry));
    }
    return bundle;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);

    // 1. The bytes as the server's answer.
    const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
    auto mapped = MapBundleText(text, kCtx);
    if (doc.is_discarded()) {
        Require(!mapped.ok());
        CheckError(mapped.error());
    } else {
        auto direct = MapBundle(doc, kCtx);
        Require(mapped.ok() == direct.ok());
        if (mapped.ok()) {
            Require(Rows(mapped.value()) == Rows(direct.value()));
        }
        Exercise(doc, true);
    }
    CheckPayloads(text);
    if (auto at = ParseHttpDate(text)) {
        Require(ParseRetryAfter(text, *at) == std::chrono::seconds{0});
    }
    if (auto wait = ParseRetryAfter(text, kNow)) {
        Require(wait->count() >= 0);
    }

    // 2. A FHIR-shaped document built from the same bytes.
    FuzzedDataProvider in(data, size);
    const json built = Built(in);
    Exercise(built, true);
    CheckPayloads(built.dump());
    return 0;
}
