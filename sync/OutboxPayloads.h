// The FHIR resources the outbox's facts become when sent (kiosk/store/OutboxFacts.h): a manual
// change becomes a Provenance on the Encounter, a referral a ServiceRequest. The app queues the
// facts (store.Outbox().EnqueueProvenance / EnqueueReferral); only the sync engine builds
// FHIR. Depends on core and store only.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "kiosk/core/Clock.h"
#include "kiosk/core/Result.h"
#include "kiosk/store/OutboxFacts.h"

namespace kiosk::sync {

inline constexpr std::string_view kReferralSystem = "urn:iop-kiosk:referral";
inline constexpr std::string_view kDeviceSystem = "urn:iop-kiosk:device";

/// The Provenance for the Encounter with server id `encounter_id`.
nlohmann::json BuildProvenance(const store::ManualChangeFact& p, const std::string& encounter_id);
/// Its conditional-create key: Provenance has no identifier in R4, so target + agent + recorded.
std::string ProvenanceSearch(const store::ManualChangeFact& p, const std::string& encounter_id);

nlohmann::json BuildServiceRequest(const store::ReferralFact& r);
std::string ReferralSearch(const std::string& referral_id);

}  // namespace kiosk::sync
