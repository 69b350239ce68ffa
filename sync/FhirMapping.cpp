// Reading FHIR JSON tolerantly (unknown fields, extensions and missing optional parts are fine)
// and strictly (a missing start time or a bad date is an error naming the resource).
#include "sync/FhirMapping.h"

#include <nlohmann/json.hpp>

#include <date/date.h>

#include <algorithm>

#include "kiosk/core/Iso8601.h"
#include "kiosk/core/SessionKind.h"

namespace kiosk::sync {
namespace {

using nlohmann::json;

const json* Field(const json& obj, const char* key) {
    if (!obj.is_object()) {
        return nullptr;
    }
    auto it = obj.find(key);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
}

std::string Str(const json& obj, const char* key) {
    const json* f = Field(obj, key);
    return f != nullptr && f->is_string() ? f->get<std::string>() : std::string();
}

Error Broken(const std::string& who, const std::string& why) {
    return MakeError(ErrorCode::kInvalidInput, who + ": " + why);
}

/// "Location/room-1" -> ("Location", "room-1"); relative references only, with both parts
/// ("Patient/" names nobody).
std::pair<std::string, std::string> SplitReference(const json& ref_holder) {
    const std::string ref = Str(ref_holder, "reference");
    const auto slash = ref.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == ref.size() ||
        ref.find('/', slash + 1) != std::string::npos) {
        return {};
    }
    return {ref.substr(0, slash), ref.substr(slash + 1)};
}

/// The name to show: the first official/usual name, else the first name.
std::pair<std::string, std::string> GivenFamily(const json& r) {
    const json* names = Field(r, "name");
    if (names == nullptr || !names->is_array() || names->empty()) {
        return {};
    }
    const json* pick = &(*names)[0];
    for (const auto& n : *names) {
        const std::string use = Str(n, "use");
        if (use == "official" || use == "usual") {
            pick = &n;
            break;
        }
    }
    std::string given;
    if (const json* g = Field(*pick, "given");
        g != nullptr && g->is_array() && !g->empty() && (*g)[0].is_string()) {
        given = (*g)[0].get<std::string>();
    }
    return {given, Str(*pick, "family")};
}

const ClinicTime& ZoneOf(const MappingContext& ctx) {
    static const ClinicTime kUtc = ClinicTime::ForZone("UTC").value();
    return ctx.time != nullptr ? *ctx.time : kUtc;
}

/// A FHIR date or dateTime member (partial dates allowed, FHIR R4 2.24.0.12) as the span it
/// names; nullopt when absent.
Result<std::optional<TimeSpan>> OptSpan(const json& obj, const char* key, const std::string& who,
                                        const MappingContext& ctx) {
    const std::string text = Str(obj, key);
    if (text.empty()) {
        return std::optional<TimeSpan>();
    }
    auto span = ParseFhirSpan(text, ZoneOf(ctx));
    if (!span) {
        return Broken(who, std::string(key) + " " + span.error().log);
    }
    return std::optional<TimeSpan>(span.value());
}

Result<std::optional<Instant>> OptDateTime(const json& obj, const char* key,
                                           const std::string& who) {
    const std::string text = Str(obj, key);
    if (text.empty()) {
        return std::optional<Instant>();
    }
    auto t = ParseDateTime(text);
    if (!t) {
        return Broken(who, std::string(key) + " " + t.error().log);
    }
    return std::optional<Instant>(t.value());
}

Result<std::vector<store::CredentialRow>> Credentials(const json& r, const std::string& ref,
                                                      const MappingContext& ctx) {
    std::vector<store::CredentialRow> out;
    const json* ids = Field(r, "identifier");
    if (ids == nullptr || !ids->is_array()) {
        return out;
    }
    for (const auto& id : *ids) {
        if (Str(id, "system") != kCredentialSystem) {
            continue;
        }
        store::CredentialRow c;
        c.hash = Str(id, "value");
        if (c.hash.size() != 64 ||
            c.hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
            return Broken(ref, "credential identifier is not a lowercase hex SHA-256");
        }
        c.person_ref = ref;
        if (const json* period = Field(id, "period")) {
            // Valid from the first instant of the start and through the last of the end:
            // "end": "2026-06-30" works all that day and stops at the clinic's midnight.
            auto from = OptSpan(*period, "start", ref + " credential period", ctx);
            auto until = OptSpan(*period, "end", ref + " credential period", ctx);
            if (!from) {
                return from.error();
            }
            if (!until) {
                return until.error();
            }
            if (from.value()) {
                c.valid_from = from.value()->begin;
            }
            if (until.value()) {
                c.valid_until = until.value()->end;
            }
        }
        out.push_back(std::move(c));
    }
    return out;
}

std::string Cohort(const json& r, const MappingContext& ctx) {
    auto born = ParseDate(Str(r, "birthDate"));
    if (!born) {
        return "adult";  // unknown age: the adult target is the stricter one
    }
    const date::year_month_day today{date::floor<date::days>(ctx.now)};
    int age = static_cast<int>(today.year()) - born->year;
    if (static_cast<unsigned>(today.month()) < born->month ||
        (static_cast<unsigned>(today.month()) == born->month &&
         static_cast<unsigned>(today.day()) < born->day)) {
        --age;
    }
    return age < 18 ? "adolescent" : "adult";
}

Status MapPersonFields(const json& r, const std::string& type, const std::string& ref,
                       const MappingContext& ctx, store::ClinicBatch& batch);

/// Revocation fails closed: a person whose record cannot be read loses every card at this
/// kiosk until the server sends a record it can read.
Status MapPerson(const json& r, const std::string& type, const std::string& ref,
                 const MappingContext& ctx, store::ClinicBatch& batch) {
    auto s = MapPersonFields(r, type, ref, ctx, batch);
    if (!s) {
        batch.unreadable.push_back(ref);
        return MakeError(s.error().code, s.error().log +
                                             " (its cards no longer work at this kiosk until the "
                                             "record is fixed on the server)");
    }
    return s;
}

Status MapPersonFields(const json& r, const std::string& type, const std::string& ref,
                       const MappingContext& ctx, store::ClinicBatch& batch) {
    store::PersonRow p;
    p.ref = ref;
    std::tie(p.given, p.family) = GivenFamily(r);
    if (p.given.empty() && p.family.empty()) {
        return Broken(ref, "has no name");
    }
    if (type == "Patient") {
        p.cohort = Cohort(r, ctx);
    }
    auto creds = Credentials(r, ref, ctx);
    if (!creds) {
        return creds.error();
    }
    p.credentials = std::move(creds).value();
    if (type == "Practitioner") {
        store::StaffRow s;
        s.person_ref = ref;
        s.pin_verifier = std::string();
        if (const json* exts = Field(r, "extension"); exts != nullptr && exts->is_array()) {
            for (const auto& e : *exts) {
                if (Str(e, "url") == kPinExtension) {
                    s.pin_verifier = Str(e, "valueString");
                }
            }
        }
        batch.staff.push_back(std::move(s));
    }
    batch.persons.push_back(std::move(p));
    return Ok{};
}

Status MapLocation(const json& r, const std::string& id, const MappingContext& ctx,
                   store::ClinicBatch& batch) {
    const std::string name = Str(r, "name");
    if (id == ctx.site_id) {
        store::SiteRow site{id, name, ""};
        if (const json* exts = Field(r, "extension"); exts != nullptr && exts->is_array()) {
            for (const auto& e : *exts) {
                if (Str(e, "url") == kTimezoneExtension) {
                    site.timezone = Str(e, "valueCode");
                }
            }
        }
        batch.sites.push_back(std::move(site));
        return Ok{};
    }
    const json* part_of = Field(r, "partOf");
    if (part_of != nullptr &&
        SplitReference(*part_of) == std::pair<std::string, std::string>{"Location", ctx.site_id}) {
        if (name.empty()) {
            return Broken("Location/" + id, "room has no name");
        }
        batch.rooms.push_back(store::RoomRow{id, ctx.site_id, name});
    }
    return Ok{};
}

Status MapPractitionerRole(const json& r, const std::string& id, store::ClinicBatch& batch) {
    const json* prac = Field(r, "practitioner");
    const auto [type, prac_id] =
        prac != nullptr ? SplitReference(*prac) : std::pair<std::string, std::string>{};
    if (type != "Practitioner") {
        return Broken("PractitionerRole/" + id, "practitioner reference is missing");
    }
    const std::string ref = "Practitioner/" + prac_id;
    const json* active = Field(r, "active");
    const bool is_active = active == nullptr || (active->is_boolean() && active->get<bool>());
    std::vector<std::string> roles;
    if (const json* codes = Field(r, "code"); is_active && codes != nullptr && codes->is_array()) {
        for (const auto& cc : *codes) {
            const json* codings = Field(cc, "coding");
            if (codings == nullptr || !codings->is_array()) {
                continue;
            }
            for (const auto& c : *codings) {
                const std::string code = Str(c, "code");
                if (Str(c, "system") == kRoleSystem &&
                    (code == "facilitator" || code == "front-desk" || code == "case-manager")) {
                    roles.push_back(code);
                }
            }
        }
    }
    for (auto& s : batch.staff) {
        if (s.person_ref == ref) {
            if (!s.roles) {
                s.roles.emplace();
            }
            s.roles->insert(s.roles->end(), roles.begin(), roles.end());
            return Ok{};
        }
    }
    batch.staff.push_back(store::StaffRow{ref, roles, std::nullopt});
    return Ok{};
}

/// The list at `key`, or an empty one.
const json& List(const json& obj, const char* key) {
    static const json kNone = json::array();
    const json* f = Field(obj, key);
    return f != nullptr && f->is_array() ? *f : kNone;
}

/// `text` with control characters as spaces and outer spaces trimmed.
std::string Tidy(std::string text) {
    std::replace_if(
        text.begin(), text.end(),
        [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }, ' ');
    const auto first = text.find_first_not_of(' ');
    return first == std::string::npos ? std::string()
                                      : text.substr(first, text.find_last_not_of(' ') - first + 1);
}

/// The name a group goes by: a serviceType's text, else a serviceType coding's display. Nothing
/// else: description, comment, patientInstruction and the rest are free text that may name a
/// person or a diagnosis, and never reach a lobby screen (PRIVACY.md 13).
std::string ServiceName(const json& r) {
    for (const auto& type : List(r, "serviceType")) {
        if (std::string text = Tidy(Str(type, "text")); !text.empty()) {
            return text;
        }
    }
    for (const auto& type : List(r, "serviceType")) {
        for (const auto& coding : List(type, "coding")) {
            if (std::string display = Tidy(Str(coding, "display")); !display.empty()) {
                return display;
            }
        }
    }
    return {};
}

/// "system|code" of every coding of serviceCategory, serviceType and appointmentType: what the
/// config's [sessions] codes are matched against.
std::vector<std::string> SessionCodes(const json& r) {
    std::vector<std::string> out;
    auto add = [&](const json& codeable) {
        for (const auto& coding : List(codeable, "coding")) {
            const std::string code = Str(coding, "system") + "|" + Str(coding, "code");
            if (IsSystemCode(code) && std::find(out.begin(), out.end(), code) == out.end()) {
                out.push_back(code);
            }
        }
    };
    for (const char* key : {"serviceCategory", "serviceType"}) {
        for (const auto& codeable : List(r, key)) {
            add(codeable);
        }
    }
    if (const json* type = Field(r, "appointmentType")) {
        add(*type);
    }
    return out;
}

Status MapAppointment(const json& r, const std::string& id, store::ClinicBatch& batch) {
    const std::string who = "Appointment/" + id;
    store::SessionRow s;
    s.id = id;
    s.status = Str(r, "status");
    auto start = OptDateTime(r, "start", who);
    auto end = OptDateTime(r, "end", who);
    if (!start) {
        return start.error();
    }
    if (!end) {
        return end.error();
    }
    if (!start.value() || !end.value()) {
        return Broken(who, "start and end are required for a session");
    }
    s.start = *start.value();
    s.end = *end.value();
    if (s.end <= s.start) {
        return Broken(who, "ends before it starts");
    }
    // Without a name a group is still a group: the lobby shows it as "Group session".
    s.group_name = ServiceName(r);
    s.codes = SessionCodes(r);
    if (const json* parts = Field(r, "participant"); parts != nullptr && parts->is_array()) {
        for (const auto& p : *parts) {
            const json* actor = Field(p, "actor");
            if (actor == nullptr || Str(p, "status") == "declined") {
                continue;
            }
            const auto [type, actor_id] = SplitReference(*actor);
            if (type == "Location") {
                s.room_id = actor_id;
            } else if (type == "Practitioner" && s.facilitator_ref.empty()) {
                s.facilitator_ref = type + "/" + actor_id;
            } else if (type == "Patient" || type == "RelatedPerson") {
                s.enrolled.push_back(type + "/" + actor_id);
            }
        }
    }
    batch.sessions.push_back(std::move(s));
    return Ok{};
}

Status MapEncounter(const json& r, const std::string& id, const MappingContext& ctx,
                    store::ClinicBatch& batch) {
    const std::string who = "Encounter/" + id;
    const std::string status = Str(r, "status");
    if (status == "cancelled" || status == "entered-in-error" || status == "planned") {
        return Ok{};
    }
    const json* appts = Field(r, "appointment");
    const json* subject = Field(r, "subject");
    if (appts == nullptr || !appts->is_array() || appts->empty() || subject == nullptr) {
        return Ok{};  // not a group-session attendance: none of the kiosk's business
    }
    const auto [appt_type, appt_id] = SplitReference((*appts)[0]);
    const auto [subj_type, subj_id] = SplitReference(*subject);
    if (appt_type != "Appointment" || subj_type.empty()) {
        return Broken(who, "appointment or subject reference is not readable");
    }
    // Whose attendance it is. Usually the subject; but a family member's Encounter has the
    // patient as subject (R4 allows no RelatedPerson there) and the RelatedPerson as
    // participant (EncounterWrite.h). The kiosk's identifier, sha256(appointment id + "/" +
    // person ref), tells which of them it was recorded for; without one it is the subject's.
    std::string person_ref = subj_type + "/" + subj_id;
    std::string own_identifier;
    if (const json* ids = Field(r, "identifier"); ids != nullptr && ids->is_array()) {
        for (const auto& ident : *ids) {
            if (Str(ident, "system") == kAttendanceSystem) {
                own_identifier = Str(ident, "value");
            }
        }
    }
    if (!own_identifier.empty() &&
        own_identifier != store::AttendanceIdentifier(appt_id, person_ref)) {
        if (const json* parts = Field(r, "participant"); parts != nullptr && parts->is_array()) {
            for (const auto& p : *parts) {
                const json* individual = Field(p, "individual");
                const auto [type, pid] = individual != nullptr
                                             ? SplitReference(*individual)
                                             : std::pair<std::string, std::string>{};
                if (type == "RelatedPerson" &&
                    store::AttendanceIdentifier(appt_id, type + "/" + pid) == own_identifier) {
                    person_ref = type + "/" + pid;
                }
            }
        }
    }
    const json* period = Field(r, "period");
    if (period == nullptr) {
        return Broken(who, "has no period");
    }
    // A date without a time ("2026-06-30", from another system) says the day, not the hours:
    // both ends read as the first instant they name, so such a visit counts no hours rather
    // than a whole day.
    auto start = OptSpan(*period, "start", who, ctx);
    auto end = OptSpan(*period, "end", who, ctx);
    if (!start) {
        return start.error();
    }
    if (!end) {
        return end.error();
    }
    if (!start.value()) {
        return Broken(who, "period.start is missing");
    }
    store::AttendanceRow a;
    a.session_id = appt_id;
    a.person_ref = person_ref;
    a.identifier = store::AttendanceIdentifier(a.session_id, a.person_ref);
    a.checked_in = start.value()->begin;
    if (end.value()) {
        a.checked_out = std::max(end.value()->begin, a.checked_in);
    }
    a.source = "server";
    a.recorded_by = "server";
    batch.attendance.push_back(std::move(a));
    return Ok{};
}

}  // namespace

Status MapResource(const json& resource, const MappingContext& ctx, store::ClinicBatch& batch) {
    if (!resource.is_object()) {
        return Broken("resource", "is not a JSON object");
    }
    const std::string type = Str(resource, "resourceType");
    const std::string id = Str(resource, "id");
    if (type.empty() || id.empty()) {
        return Broken(type.empty() ? "resource" : type, "has no resourceType or id");
    }
    try {
        if (type == "Patient" || type == "RelatedPerson" || type == "Practitioner") {
            return MapPerson(resource, type, type + "/" + id, ctx, batch);
        }
        if (type == "Location") {
            return MapLocation(resource, id, ctx, batch);
        }
        if (type == "PractitionerRole") {
            return MapPractitionerRole(resource, id, batch);
        }
        if (type == "Appointment") {
            return MapAppointment(resource, id, batch);
        }
        if (type == "Encounter") {
            return MapEncounter(resource, id, ctx, batch);
        }
    } catch (const json::exception& e) {
        return Broken(type + "/" + id, std::string("unexpected shape: ") + e.what());
    }
    return Ok{};
}

std::optional<std::pair<std::string, std::string>> RelatedPatientLink(const json& resource) {
    if (Str(resource, "resourceType") != "RelatedPerson" || Str(resource, "id").empty()) {
        return std::nullopt;
    }
    const json* patient = Field(resource, "patient");
    const auto [type, id] =
        patient != nullptr ? SplitReference(*patient) : std::pair<std::string, std::string>{};
    if (type != "Patient") {
        return std::nullopt;
    }
    return std::make_pair("RelatedPerson/" + Str(resource, "id"), "Patient/" + id);
}

Result<store::ClinicBatch> MapBundle(const json& bundle, const MappingContext& ctx) {
    if (Str(bundle, "resourceType") != "Bundle") {
        return Broken("Bundle", "the document is not a FHIR Bundle");
    }
    store::ClinicBatch batch;
    const json* entries = Field(bundle, "entry");
    if (entries == nullptr) {
        return batch;
    }
    if (!entries->is_array()) {
        return Broken("Bundle", "entry is not a list");
    }
    for (const auto& e : *entries) {
        const json* res = Field(e, "resource");
        if (res == nullptr) {
            continue;
        }
        if (auto s = MapResource(*res, ctx, batch); !s) {
            return s.error();
        }
    }
    return batch;
}

Result<store::ClinicBatch> MapBundleText(std::string_view json_text, const MappingContext& ctx) {
    json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
        return Broken("Bundle", "is not valid JSON (truncated or garbled)");
    }
    return MapBundle(doc, ctx);
}

}  // namespace kiosk::sync
