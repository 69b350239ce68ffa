// The resources follow FHIR.md: Provenance with the staff member as author and the kiosk (by
// identifier) as device, ServiceRequest shaped like the SDOH Clinical Care referral (status
// active, intent order, SDOH category).
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

json Ref(const std::string& ref) {
    return json{{"reference", ref}};
}

}  // namespace

json BuildProvenance(const store::ManualChangeFact& p, const std::string& encounter_id) {
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

std::string ProvenanceSearch(const store::ManualChangeFact& p, const std::string& encounter_id) {
    return "target=" + QueryValue("Encounter/" + encounter_id) +
           "&agent=" + QueryValue(p.agent_ref) +
           "&recorded=" + QueryValue(FormatDateTimeUtc(p.recorded));
}

json BuildServiceRequest(const store::ReferralFact& r) {
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
