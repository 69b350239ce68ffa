// The outbox kinds that carry their own content, and the FHIR resources they become:
// "provenance" (who checked someone in or out by hand, and why: a Provenance on the Encounter)
// and "referral" (a ServiceRequest). The app writes the payload with Store::EnqueueWithPayload;
// the sync engine sends it. Depends on core and store only.
//
//   store.EnqueueWithPayload("provenance", attendance_identifier, ProvenancePayload(p), now);
//   store.EnqueueWithPayload("referral", referral_uuid, ReferralPayload(r), now);
//
// Queue the provenance after the "encounter" item of the same change: items go out in order.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "kiosk/core/Clock.h"
#include "kiosk/core/Result.h"

namespace kiosk::sync {

inline constexpr std::string_view kReferralSystem = "urn:iop-kiosk:referral";
inline constexpr std::string_view kDeviceSystem = "urn:iop-kiosk:device";

struct ProvenanceRequest {
    std::string attendance_identifier;  ///< the Encounter it is about
    std::string agent_ref;              ///< "Practitioner/prac-2": who did it by hand
    std::string activity;               ///< "check-in", "check-out", "undo"
    std::string reason;                 ///< "forgot card", "phone dead", ... or free text
    std::string kiosk_id;               ///< the device it was done on
    Instant recorded;
};

struct ReferralRequest {
    std::string referral_id;    ///< a UUID made when the referral is saved (the identifier)
    std::string patient_ref;    ///< "Patient/pat-1"
    std::string requester_ref;  ///< the case manager, "Practitioner/prac-7"
    std::string performer_ref;  ///< the resource's "Organization/org-1" (may be empty)
    std::string service_ref;    ///< "HealthcareService/hs-1" (may be empty)
    std::string category;       ///< the kiosk's category: "housing", "food", "employment", ...
    std::string note;           ///< optional; never a diagnosis (PRIVACY.md 6)
    Instant authored;
    std::string requisition_id;     ///< the referral (one per print-out) its requests share
    std::string performer_display;  ///< the organization's name (all an HSDS resource has)
    std::string service_display;    ///< the service's name
};

std::string ProvenancePayload(const ProvenanceRequest& p);
Result<ProvenanceRequest> ParseProvenancePayload(const std::string& text);
/// The Provenance for the Encounter with server id `encounter_id`.
nlohmann::json BuildProvenance(const ProvenanceRequest& p, const std::string& encounter_id);
/// Its conditional-create key: Provenance has no identifier in R4, so target + agent + recorded.
std::string ProvenanceSearch(const ProvenanceRequest& p, const std::string& encounter_id);

std::string ReferralPayload(const ReferralRequest& r);
Result<ReferralRequest> ParseReferralPayload(const std::string& text);
nlohmann::json BuildServiceRequest(const ReferralRequest& r);
std::string ReferralSearch(const std::string& referral_id);

}  // namespace kiosk::sync
