// FHIR R4 resources -> the store's rows (FHIR.md): Location, Patient, RelatedPerson,
// Practitioner, PractitionerRole, Appointment, Encounter. The one mapping used by the demo
// bundle and by pulls from the clinic server. Depends on core and store only.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/ClinicTime.h"
#include "kiosk/core/Result.h"
#include "kiosk/store/Records.h"

namespace kiosk::sync {

inline constexpr std::string_view kCredentialSystem = "urn:iop-kiosk:credential-sha256";
inline constexpr std::string_view kAttendanceSystem = "urn:iop-kiosk:attendance";
inline constexpr std::string_view kPinExtension = "urn:iop-kiosk:pin-argon2id";
inline constexpr std::string_view kRoleSystem = "urn:iop-kiosk:role";
inline constexpr std::string_view kTimezoneExtension =
    "http://hl7.org/fhir/StructureDefinition/timezone";

struct MappingContext {
    std::string site_id;  ///< the kiosk's site Location id
    Instant now;          ///< for ages (adult / adolescent)
    /// The clinic's zone, for FHIR dates without a time ("2026-06-30" is that local day);
    /// nullptr reads them in UTC.
    const ClinicTime* time = nullptr;
};

/// Adds one resource to `batch`. Resource types the kiosk does not use are skipped; a resource
/// it uses but cannot read is an error naming it ("Appointment/appt-7: start is missing"). A
/// person who cannot be read is also added to `batch.unreadable`: revocation fails closed, so
/// their cards stop working until the record is fixed.
Status MapResource(const nlohmann::json& resource, const MappingContext& ctx,
                   store::ClinicBatch& batch);

/// A RelatedPerson's patient: ("RelatedPerson/id", "Patient/x"), or nullopt for anything else.
/// The push needs it: a family member's Encounter has the patient as subject (EncounterWrite.h).
std::optional<std::pair<std::string, std::string>> RelatedPatientLink(
    const nlohmann::json& resource);

/// Every entry of a Bundle (any type). Stops at the first broken resource.
Result<store::ClinicBatch> MapBundle(const nlohmann::json& bundle, const MappingContext& ctx);
Result<store::ClinicBatch> MapBundleText(std::string_view json_text, const MappingContext& ctx);

}  // namespace kiosk::sync
