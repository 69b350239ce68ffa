// ServerNeeds: what the kiosk needs of a FHIR server, held against a CapabilityStatement; and the
// list is the one SearchCheck verifies searches by, so a parameter not on it is never sent.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "sync/SearchCheck.h"
#include "sync/ServerNeeds.h"

using namespace kiosk::sync;
using nlohmann::json;

namespace {

/// A CapabilityStatement that declares everything the kiosk needs, except `drop` ("Type:param").
json Statement(const std::string& drop = "") {
    json resources = json::array();
    auto entry = [&](const std::string& type) -> json& {
        for (json& r : resources) {
            if (r["type"] == type) {
                return r;
            }
        }
        resources.push_back({{"type", type}, {"searchParam", json::array()}});
        return resources.back();
    };
    for (const SearchNeed& need : NeededSearches()) {
        if (!need.type.empty() && need.type + ":" + need.name != drop) {
            entry(need.type)["searchParam"].push_back({{"name", need.name}, {"type", "token"}});
        }
    }
    for (const std::string& type : ConditionalCreateTypes()) {
        entry(type)["conditionalCreate"] = true;
    }
    for (const std::string& type : VersionedUpdateTypes()) {
        entry(type)["versioning"] = "versioned-update";
    }
    return {{"resourceType", "CapabilityStatement"},
            {"rest", json::array({{{"mode", "server"}, {"resource", resources}}})}};
}

}  // namespace

TEST_CASE("a server that declares every need passes; each thing it leaves out is named") {
    CHECK(MissingCapabilities(Statement()).empty());
    CHECK(MissingCapabilities(Statement("Appointment:date")) ==
          std::vector<std::string>{"Appointment search by 'date'"});

    json no_conditional = Statement();
    for (json& r : no_conditional["rest"][0]["resource"]) {
        if (r["type"] == "Encounter") {
            r["conditionalCreate"] = false;
            r["versioning"] = "versioned";  // versions, but does not honour If-Match
        }
    }
    CHECK(MissingCapabilities(no_conditional) ==
          std::vector<std::string>{"conditional create of Encounter",
                                   "If-Match updates of Encounter"});

    // A statement with no resources at all: every typed search, create and update is missing.
    const auto everything = MissingCapabilities(json{{"resourceType", "CapabilityStatement"}});
    std::size_t typed = 0;
    for (const SearchNeed& need : NeededSearches()) {
        typed += need.type.empty() ? 0 : 1;
    }
    CHECK(everything.size() ==
          typed + ConditionalCreateTypes().size() + VersionedUpdateTypes().size());
}

TEST_CASE("the needs are the searches SearchCheck lets through: nothing else is sent") {
    for (const SearchNeed& need : NeededSearches()) {
        const std::string type = need.type.empty() ? "Patient" : need.type;
        const std::string value = need.kind == "date" ? "ge2026-01-05T09:00:00Z" : "x";
        CHECK_MESSAGE(SearchCheck::For(type, need.name + "=" + value).ok(), type, " ", need.name);
    }
    CHECK_FALSE(SearchCheck::For("Appointment", "actor=Patient%2Fp").ok());  // not a need
    CHECK_FALSE(SearchCheck::For("Patient", "identifier=x").ok());           // only where listed
}
