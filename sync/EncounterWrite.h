// Attendance -> FHIR R4 Encounter (FHIR.md "check-in", "check-out"): building one from the
// current attendance row and merging it into what the server already has, so repeating a push
// changes nothing and two kiosks' writes converge. Depends on core and store only.
//
// Family members: R4 allows only Patient or Group as Encounter.subject, so a RelatedPerson's
// attendance is an Encounter whose subject is the RelatedPerson's patient (RelatedPerson.patient)
// and whose participant.individual is the RelatedPerson (type PART). Its identifier is still
// sha256(appointment id + "/" + "RelatedPerson/<id>"), one per person per session, distinct from
// the patient's own. The pull maps it back by that identifier (FhirMapping's MapEncounter).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "kiosk/store/Records.h"

namespace kiosk::sync {

inline constexpr std::string_view kParticipationTypeSystem =
    "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

/// What the kiosk knows of one attendance when it builds the Encounter.
struct EncounterFacts {
    store::AttendanceRow attendance;
    std::optional<store::SessionRow> session;  ///< room and start; may be missing
    std::string subject_ref;  ///< a Patient: the person, or a family member's patient
    Instant now;              ///< arrived before the session starts, in-progress after
};

/// The Encounter for a create (no id, no meta: the server owns them).
nlohmann::json BuildEncounter(const EncounterFacts& facts);

/// "arrived" / "in-progress" / "finished".
std::string LocalEncounterStatus(const EncounterFacts& facts);

/// What the kiosk would confirm on the server: status, start and end. Equal keys need no write.
std::string EncounterStateKey(const EncounterFacts& facts);

enum class MergeResult { kUnchanged, kChanged, kClosedOnServer };

/// Merges the kiosk's facts into the server's Encounter: the later status wins (arrived <
/// in-progress < finished), the start is the earlier one, and an end is only ever filled in,
/// never moved. Everything else on the server (fields, extensions) is kept. A cancelled or
/// entered-in-error Encounter is left alone (kClosedOnServer).
MergeResult MergeEncounter(nlohmann::json& server, const EncounterFacts& facts);

/// A check-in the kiosk itself withdrew (staff undo, pushed as entered-in-error) and then
/// recorded again: status and period become the kiosk's again; everything else is kept.
void ReviveEncounter(nlohmann::json& server, const EncounterFacts& facts);

/// "identifier=urn:iop-kiosk:attendance|<id>", encoded for a query or If-None-Exist.
std::string AttendanceSearch(const std::string& identifier);

}  // namespace kiosk::sync
