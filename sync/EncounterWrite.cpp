// The merge is what makes a repeated or crossed write harmless: it is monotone (status only
// moves forward, start only earlier, end only from empty to set), so applying it twice, or in
// either order from two kiosks, gives the same Encounter.
#include "sync/EncounterWrite.h"
#include "sync/JsonText.h"

#include "kiosk/core/Iso8601.h"
#include "sync/FhirClient.h"
#include "sync/FhirMapping.h"

namespace kiosk::sync {
namespace {

using nlohmann::json;

int StatusRank(const std::string& status) {
    if (status == "arrived" || status == "triaged") {
        return 1;
    }
    if (status == "in-progress" || status == "onleave") {
        return 2;
    }
    if (status == "finished") {
        return 3;
    }
    return 0;  // planned, unknown
}

bool IsRelatedPerson(const std::string& ref) {
    return ref.rfind("RelatedPerson/", 0) == 0;
}

json Ref(const std::string& ref) {
    return json{{"reference", ref}};
}

json FamilyParticipant(const std::string& ref) {
    return json{
        {"type",
         json::array({json{{"coding", json::array({json{{"system", kParticipationTypeSystem},
                                                        {"code", "PART"},
                                                        {"display", "Participation"}}})},
                           {"text", "family member"}}})},
        {"individual", Ref(ref)}};
}

bool HasParticipant(const json& encounter, const std::string& ref) {
    for (const auto& p : encounter.value("participant", json::array())) {
        if (p.is_object() && p.contains("individual") && p["individual"].is_object() &&
            StringMember(p["individual"], "reference") == ref) {
            return true;
        }
    }
    return false;
}

bool HasIdentifier(const json& encounter, const std::string& value) {
    for (const auto& id : encounter.value("identifier", json::array())) {
        if (id.is_object() && StringMember(id, "system") == kAttendanceSystem &&
            StringMember(id, "value") == value) {
            return true;
        }
    }
    return false;
}

std::optional<Instant> TimeAt(const json& obj, const char* key) {
    if (!obj.is_object() || !obj.contains(key) || !obj[key].is_string()) {
        return std::nullopt;
    }
    auto t = ParseDateTime(obj[key].get<std::string>());
    return t ? std::optional<Instant>(t.value()) : std::nullopt;
}

}  // namespace

std::string LocalEncounterStatus(const EncounterFacts& f) {
    if (f.attendance.checked_out) {
        return "finished";
    }
    if (f.session && f.now >= f.session->start) {
        return "in-progress";
    }
    return "arrived";
}

std::string EncounterStateKey(const EncounterFacts& f) {
    const auto& a = f.attendance;
    return LocalEncounterStatus(f) + "|" + FormatDateTimeUtc(a.checked_in) + "|" +
           (a.checked_out ? FormatDateTimeUtc(*a.checked_out) : std::string());
}

json BuildEncounter(const EncounterFacts& f) {
    const auto& a = f.attendance;
    json period{{"start", FormatDateTimeUtc(a.checked_in)}};
    if (a.checked_out) {
        period["end"] = FormatDateTimeUtc(std::max(*a.checked_out, a.checked_in));
    }
    json e{
        {"resourceType", "Encounter"},
        {"identifier", json::array({json{{"system", kAttendanceSystem}, {"value", a.identifier}}})},
        {"status", LocalEncounterStatus(f)},
        {"class", json{{"system", "http://terminology.hl7.org/CodeSystem/v3-ActCode"},
                       {"code", "AMB"},
                       {"display", "ambulatory"}}},
        {"subject", Ref(f.subject_ref)},
        {"appointment", json::array({Ref("Appointment/" + a.session_id)})},
        {"period", period}};
    if (IsRelatedPerson(a.person_ref)) {
        e["participant"] = json::array({FamilyParticipant(a.person_ref)});
    }
    if (f.session && !f.session->room_id.empty()) {
        e["location"] = json::array({json{{"location", Ref("Location/" + f.session->room_id)}}});
    }
    return e;
}

MergeResult MergeEncounter(json& server, const EncounterFacts& f) {
    const std::string server_status = StringMember(server, "status");
    if (server_status == "cancelled" || server_status == "entered-in-error") {
        return MergeResult::kClosedOnServer;
    }
    const json before = server;
    const auto& a = f.attendance;
    if (!HasIdentifier(server, a.identifier)) {
        if (!server.contains("identifier") || !server["identifier"].is_array()) {
            server["identifier"] = json::array();
        }
        server["identifier"].push_back(
            json{{"system", kAttendanceSystem}, {"value", a.identifier}});
    }
    if (!server.contains("period") || !server["period"].is_object()) {
        server["period"] = json::object();
    }
    json& period = server["period"];
    const auto start = TimeAt(period, "start");
    Instant merged_start = start ? std::min(*start, a.checked_in) : a.checked_in;
    if (!start || merged_start != *start) {
        period["start"] = FormatDateTimeUtc(merged_start);
    }
    if (!TimeAt(period, "end") && a.checked_out) {
        period["end"] = FormatDateTimeUtc(std::max(*a.checked_out, merged_start));
    }
    std::string status = server_status;
    const std::string local = LocalEncounterStatus(f);
    if (StatusRank(local) > StatusRank(status)) {
        status = local;
    }
    if (period.contains("end") && StatusRank(status) < 3) {
        status = "finished";
    }
    if (status != server_status) {
        server["status"] = status;
    }
    if (!server.contains("subject")) {
        server["subject"] = Ref(f.subject_ref);
    }
    if (!server.contains("appointment")) {
        server["appointment"] = json::array({Ref("Appointment/" + a.session_id)});
    }
    if (IsRelatedPerson(a.person_ref) && !HasParticipant(server, a.person_ref)) {
        if (!server.contains("participant") || !server["participant"].is_array()) {
            server["participant"] = json::array();
        }
        server["participant"].push_back(FamilyParticipant(a.person_ref));
    }
    if (!server.contains("location") && f.session && !f.session->room_id.empty()) {
        server["location"] =
            json::array({json{{"location", Ref("Location/" + f.session->room_id)}}});
    }
    return server == before ? MergeResult::kUnchanged : MergeResult::kChanged;
}

void ReviveEncounter(json& server, const EncounterFacts& f) {
    const json fresh = BuildEncounter(f);
    server["status"] = fresh["status"];
    server["period"] = fresh["period"];
}

std::string AttendanceSearch(const std::string& identifier) {
    return "identifier=" + QueryValue(std::string(kAttendanceSystem) + "|" + identifier);
}

}  // namespace kiosk::sync
