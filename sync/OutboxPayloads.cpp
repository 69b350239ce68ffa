// Payloads are small JSON objects with UTC times; the resources follow FHIR.md: Provenance with
// the staff member as author and the kiosk (by identifier) as device, ServiceRequest shaped like
// the SDOH Clinical Care referral (status active, intent order, SDOH category).
#include "sync/OutboxPayloads.h"

#include "kiosk/core/Iso8601.h"
#include "sync/FhirClient.h"

namespace kiosk::sync {
namespace {

using nlohmann::json;

constexpr std::string_view kSdohSystem =
    "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes";
constexpr std::string_view kProvenanceAgentSystem =
    "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

std::string SdohCode(const std::string& category) {
    if (category == "housing" || category == "shelter") {
        return "housing-instability";
    }
    if (category == "food") {
        return "food-insecurity";
    }
    if (category == "employment" || category == "jobs") {
        return "employment-status";
    }
    if (category == "transportation") {
        return "transportation-insecurity";
    }
    if (category == "financial" || category == "income" || category == "benefits") {
        return "financial-insecurity";
    }
    if (category == "utilities") {
        return "utility-insecurity";
    }
    if (category == "education") {
        return "educational-attainment";
    }
    return "sdoh-category-unspecified";
}

Result<json> ParseObject(const std::string& text, const char* kind) {
    json j = json::parse(text, nullptr, false);
    if (!j.is_object()) {
        return MakeError(ErrorCode::kInvalidInput,
                         std::string("the ") + kind + " payload is not a JSON object");
    }
    return j;
}

/// A string member, or "" when it is absent or not a string (value() would throw on a number).
std::string Text(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<Instant> TimeField(const json& j, const char* key, const char* kind) {
    auto t = ParseDateTime(Text(j, key));
    if (!t) {
        return MakeError(ErrorCode::kInvalidInput, std::string("the ") + kind + " payload's " +
                                                       key +
                                                       " is not a date-time: " + t.error().log);
    }
    return t.value();
}

json Ref(const std::string& ref) {
    return json{{"reference", ref}};
}

}  // namespace

std::string ProvenancePayload(const ProvenanceRequest& p) {
    return json{{"attendance", p.attendance_identifier},
                {"agent", p.agent_ref},
                {"activity", p.activity},
                {"reason", p.reason},
                {"kiosk", p.kiosk_id},
                {"recorded", FormatDateTimeUtc(p.recorded)}}
        .dump();
}

Result<ProvenanceRequest> ParseProvenancePayload(const std::string& text) {
    auto j = ParseObject(text, "provenance");
    if (!j) {
        return j.error();
    }
    auto at = TimeField(j.value(), "recorded", "provenance");
    if (!at) {
        return at.error();
    }
    const json& o = j.value();
    ProvenanceRequest p{Text(o, "attendance"), Text(o, "agent"), Text(o, "activity"),
                        Text(o, "reason"),     Text(o, "kiosk"), at.value()};
    if (p.attendance_identifier.empty() || p.agent_ref.empty()) {
        return MakeError(ErrorCode::kInvalidInput,
                         "the provenance payload names no attendance or no agent");
    }
    return p;
}

json BuildProvenance(const ProvenanceRequest& p, const std::string& encounter_id) {
    json agents = json::array();
    agents.push_back(
        json{{"type", json{{"coding", json::array({json{{"system", kProvenanceAgentSystem},
                                                        {"code", "author"}}})}}},
             {"who", Ref(p.agent_ref)}});
    if (!p.kiosk_id.empty()) {
        agents.push_back(json{
            {"type", json{{"coding", json::array({json{{"system", kProvenanceAgentSystem},
                                                       {"code", "enterer"}}})}}},
            {"who", json{{"identifier", json{{"system", kDeviceSystem}, {"value", p.kiosk_id}}},
                         {"display", "kiosk " + p.kiosk_id}}}});
    }
    json prov{
        {"resourceType", "Provenance"},
        {"target", json::array({Ref("Encounter/" + encounter_id)})},
        {"recorded", FormatDateTimeUtc(p.recorded)},
        {"activity", json{{"text", p.activity.empty() ? "manual change" : "manual " + p.activity}}},
        {"agent", agents}};
    if (!p.reason.empty()) {
        prov["reason"] = json::array({json{{"text", p.reason}}});
    }
    return prov;
}

std::string ProvenanceSearch(const ProvenanceRequest& p, const std::string& encounter_id) {
    return "target=" + QueryValue("Encounter/" + encounter_id) +
           "&agent=" + QueryValue(p.agent_ref) +
           "&recorded=" + QueryValue(FormatDateTimeUtc(p.recorded));
}

std::string ReferralPayload(const ReferralRequest& r) {
    return json{{"referral", r.referral_id},
                {"patient", r.patient_ref},
                {"requester", r.requester_ref},
                {"performer", r.performer_ref},
                {"service", r.service_ref},
                {"category", r.category},
                {"note", r.note},
                {"authored", FormatDateTimeUtc(r.authored)},
                {"requisition", r.requisition_id},
                {"performer_display", r.performer_display},
                {"service_display", r.service_display}}
        .dump();
}

Result<ReferralRequest> ParseReferralPayload(const std::string& text) {
    auto j = ParseObject(text, "referral");
    if (!j) {
        return j.error();
    }
    auto at = TimeField(j.value(), "authored", "referral");
    if (!at) {
        return at.error();
    }
    const json& o = j.value();
    ReferralRequest r{Text(o, "referral"),       Text(o, "patient"),
                      Text(o, "requester"),      Text(o, "performer"),
                      Text(o, "service"),        Text(o, "category"),
                      Text(o, "note"),           at.value(),
                      Text(o, "requisition"),    Text(o, "performer_display"),
                      Text(o, "service_display")};
    if (r.referral_id.empty() || r.patient_ref.rfind("Patient/", 0) != 0) {
        return MakeError(
            ErrorCode::kInvalidInput,
            "the referral payload needs a referral id and a Patient (a ServiceRequest's "
            "subject cannot be a family member)");
    }
    return r;
}

json BuildServiceRequest(const ReferralRequest& r) {
    json category = json::array();
    category.push_back(json{
        {"coding", json::array({json{{"system", kSdohSystem}, {"code", SdohCode(r.category)}}})},
        {"text", r.category}});
    json sr{
        {"resourceType", "ServiceRequest"},
        {"identifier", json::array({json{{"system", kReferralSystem}, {"value", r.referral_id}}})},
        {"status", "active"},
        {"intent", "order"},
        {"category", category},
        {"subject", Ref(r.patient_ref)},
        {"authoredOn", FormatDateTimeUtc(r.authored)}};
    if (!r.requester_ref.empty()) {
        sr["requester"] = Ref(r.requester_ref);
    }
    if (!r.requisition_id.empty()) {
        sr["requisition"] = json{{"system", kReferralSystem}, {"value", r.requisition_id}};
    }
    json performers = json::array();
    const std::pair<const std::string&, const std::string&> parties[] = {
        {r.performer_ref, r.performer_display}, {r.service_ref, r.service_display}};
    for (const auto& [ref, display] : parties) {
        json who = ref.empty() ? json::object() : Ref(ref);
        if (!display.empty()) {
            who["display"] = display;
        }
        if (!who.empty()) {
            performers.push_back(who);
        }
    }
    if (!performers.empty()) {
        sr["performer"] = performers;
    }
    if (!r.note.empty()) {
        sr["note"] = json::array({json{{"text", r.note}}});
    }
    return sr;
}

std::string ReferralSearch(const std::string& referral_id) {
    return "identifier=" + QueryValue(std::string(kReferralSystem) + "|" + referral_id);
}

}  // namespace kiosk::sync
