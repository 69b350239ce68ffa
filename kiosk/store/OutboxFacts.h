// What the app tells the outbox happened, in its own words (no FHIR here): a manual change of
// an attendance, a referral, and a card issued or revoked. The outbox stores each as a small JSON
// payload (this file's format, unchanged since the payloads were introduced, so stored rows stay
// readable); the sync engine reads the fact back and builds the FHIR resource
// (sync/OutboxPayloads.h).
#pragma once

#include <string>

#include "kiosk/core/Clock.h"
#include "kiosk/core/Result.h"

namespace kiosk::store {

/// Staff checked someone in or out by hand, or undid a check-in: a Provenance on the Encounter.
struct ManualChangeFact {
    std::string attendance_identifier;  ///< the Encounter it is about
    std::string agent_ref;              ///< "Practitioner/prac-2": who did it by hand
    std::string activity;               ///< "check-in", "check-out", "undo"
    std::string reason;                 ///< "forgot card", "phone dead", ... or free text
    std::string kiosk_id;               ///< the device it was done on
    Instant recorded;
};

/// One resource of a referral: a ServiceRequest.
struct ReferralFact {
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

/// A card issued or revoked (at the Cards page or by `kiosk card`): the person's credential
/// identifiers change on the server (sync/CredentialWrite.h).
struct CredentialFact {
    std::string person_ref;  ///< "Patient/pat-1", or "Practitioner/prac-1" for a staff badge
    std::string action;      ///< "issue" or "revoke"
    std::string new_hash;    ///< issue: lowercase hex SHA-256 of the new token; revoke: ""
    Instant at;              ///< the earlier credentials' period.end
};

/// The stored payloads. Parsing checks what sending needs; kInvalidInput otherwise.
std::string ManualChangePayload(const ManualChangeFact& fact);
Result<ManualChangeFact> ParseManualChangePayload(const std::string& text);
std::string ReferralPayload(const ReferralFact& fact);
Result<ReferralFact> ParseReferralPayload(const std::string& text);
std::string CredentialPayload(const CredentialFact& fact);
Result<CredentialFact> ParseCredentialPayload(const std::string& text);

}  // namespace kiosk::store
