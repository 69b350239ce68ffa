// What the kiosk needs a FHIR server to support, in one place: every search parameter it sends
// (with the element each one searches, which SearchCheck verifies answers against), the types it
// creates conditionally (If-None-Exist) and those it updates with If-Match. SearchCheck refuses a
// parameter that is not listed here, so the list cannot fall behind the searches the kiosk sends;
// `kiosk doctor` holds the server's CapabilityStatement against it (MissingCapabilities).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace kiosk::sync {

/// A search parameter the kiosk sends. An empty type: FHIR's parameters common to every
/// resource (_id, _tag), which a server need not declare per type.
struct SearchNeed {
    std::string type;
    std::string name;
    std::string kind;               ///< "id", "identifier", "coding", "ref" or "date"
    std::vector<std::string> path;  ///< the element searched, from the resource's root
};

const std::vector<SearchNeed>& NeededSearches();
/// The parameter `name` of a `type` search, its type's own or a common one; null if the kiosk
/// never sends it.
const SearchNeed* FindSearchNeed(const std::string& type, const std::string& name);
/// Types the kiosk creates with If-None-Exist (each one's identifier search makes it exactly once).
const std::vector<std::string>& ConditionalCreateTypes();
/// Types the kiosk updates with If-Match (versioned updates).
const std::vector<std::string>& VersionedUpdateTypes();

/// What `statement` (a CapabilityStatement) does not declare of the above, one phrase each
/// ("Appointment search by 'date'", "conditional create of Encounter", "If-Match updates of
/// Encounter"); empty when it declares everything.
std::vector<std::string> MissingCapabilities(const nlohmann::json& statement);

}  // namespace kiosk::sync
