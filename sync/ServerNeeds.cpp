// The kiosk's needs of a FHIR server (ServerNeeds.h): the searches of ClinicPuller,
// DirectoryPull, OutboxPusher (EncounterWrite, OutboxPayloads) and AuditHeadSender, with the
// element each searches (FHIR R4's search parameter definitions, reduced to what the kiosk sends),
// and the conditional creates and If-Match updates of OutboxPusher and AuditHeadSender.
#include "sync/ServerNeeds.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace kiosk::sync {

using nlohmann::json;

const std::vector<SearchNeed>& NeededSearches() {
    static const std::vector<SearchNeed> needs{
        {"", "_id", "id", {}},
        {"", "_tag", "coding", {"meta", "tag"}},
        {"Location", "partof", "ref", {"partOf"}},
        {"Appointment", "location", "ref", {"participant", "actor"}},
        {"Appointment", "date", "date", {"start"}},
        {"PractitionerRole", "location", "ref", {"location"}},
        {"HealthcareService", "location", "ref", {"location"}},
        {"HealthcareService", "organization", "ref", {"providedBy"}},
        {"Encounter", "appointment", "ref", {"appointment"}},
        {"Encounter", "identifier", "identifier", {"identifier"}},
        {"Provenance", "target", "ref", {"target"}},
        {"Provenance", "agent", "ref", {"agent", "who"}},
        {"Provenance", "recorded", "date", {"recorded"}},
        {"ServiceRequest", "identifier", "identifier", {"identifier"}},
    };
    return needs;
}

const SearchNeed* FindSearchNeed(const std::string& type, const std::string& name) {
    const auto& needs = NeededSearches();
    for (const std::string& of : {type, std::string()}) {
        const auto it = std::find_if(needs.begin(), needs.end(), [&](const SearchNeed& n) {
            return n.type == of && n.name == name;
        });
        if (it != needs.end()) {
            return &*it;
        }
    }
    return nullptr;
}

const std::vector<std::string>& ConditionalCreateTypes() {
    static const std::vector<std::string> types{"AuditEvent", "Encounter", "Provenance",
                                                "ServiceRequest"};
    return types;
}

const std::vector<std::string>& VersionedUpdateTypes() {
    // Encounters (check-ins merged with the server's copy); Patients and Practitioners (a card
    // or badge issued or revoked, a PIN set: CredentialWrite.cpp).
    static const std::vector<std::string> types{"Encounter", "Patient", "Practitioner"};
    return types;
}

namespace {

/// The array `key` of `node`, or null (never a copy: entries are returned by address).
const json* ArrayAt(const json& node, const char* key) {
    if (!node.is_object()) {
        return nullptr;
    }
    const auto it = node.find(key);
    return it != node.end() && it->is_array() ? &*it : nullptr;
}

/// The statement's entry for `type` in its server rest block, or null.
const json* ResourceEntry(const json& statement, const std::string& type) {
    const json* rests = ArrayAt(statement, "rest");
    if (rests == nullptr) {
        return nullptr;
    }
    for (const json& rest : *rests) {
        const json* resources = ArrayAt(rest, "resource");
        if (resources == nullptr || rest.value("mode", "server") != "server") {
            continue;
        }
        for (const json& resource : *resources) {
            if (resource.is_object() && resource.value("type", "") == type) {
                return &resource;
            }
        }
    }
    return nullptr;
}

bool DeclaresParam(const json* entry, const std::string& name) {
    if (entry == nullptr) {
        return false;
    }
    const json* params = ArrayAt(*entry, "searchParam");
    return params != nullptr && std::any_of(params->begin(), params->end(), [&](const json& p) {
               return p.is_object() && p.value("name", "") == name;
           });
}

}  // namespace

std::vector<std::string> MissingCapabilities(const json& statement) {
    std::vector<std::string> missing;
    for (const SearchNeed& need : NeededSearches()) {
        if (!need.type.empty() && !DeclaresParam(ResourceEntry(statement, need.type), need.name)) {
            missing.push_back(need.type + " search by '" + need.name + "'");
        }
    }
    for (const std::string& type : ConditionalCreateTypes()) {
        const json* entry = ResourceEntry(statement, type);
        if (entry == nullptr || !entry->value("conditionalCreate", false)) {
            missing.push_back("conditional create of " + type);
        }
    }
    for (const std::string& type : VersionedUpdateTypes()) {
        const json* entry = ResourceEntry(statement, type);
        if (entry == nullptr || entry->value("versioning", "") != "versioned-update") {
            missing.push_back("If-Match updates of " + type);
        }
    }
    return missing;
}

}  // namespace kiosk::sync
