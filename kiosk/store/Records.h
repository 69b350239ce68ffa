// The store's vocabulary: plain rows that the FHIR mapping fills and the app reads.
// No SQLite types here, so layers above never see the database library.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/Clock.h"

namespace kiosk::store {

struct SiteRow {
    std::string id;
    std::string name;
    std::string timezone;
};

struct RoomRow {
    std::string id;
    std::string site_id;
    std::string name;
};

struct CredentialRow {
    std::string hash;  ///< lowercase hex SHA-256 of the token
    std::string person_ref;
    std::optional<Instant> valid_from;
    std::optional<Instant> valid_until;
};

/// A participant, family member or staff member. `credentials` replaces what the store had
/// for this person, so a credential removed on the server is revoked here.
struct PersonRow {
    std::string ref;  ///< "Patient/pat-1", "RelatedPerson/rel-1", "Practitioner/prac-1"
    std::string given;
    std::string family;
    std::optional<std::string> cohort;  ///< "adult" / "adolescent" for participants
    std::vector<CredentialRow> credentials;
};

/// What a FHIR page says about a staff member; a part left empty is left as stored.
struct StaffRow {
    std::string person_ref;
    std::optional<std::vector<std::string>> roles;  ///< "facilitator", "front-desk", "case-manager"
    std::optional<std::string> pin_verifier;        ///< argon2id string; "" removes it
};

struct SessionRow {
    std::string id;  ///< the Appointment id
    std::string group_name;
    std::string room_id;
    std::string facilitator_ref;
    Instant start;
    Instant end;
    std::string status = "booked";
    std::vector<std::string> enrolled;  ///< person refs; replaces the stored enrolment
    std::string room_name;              ///< filled in by reads, ignored by writes
};

struct AttendanceRow {
    std::string identifier;  ///< FHIR Encounter identifier (AttendanceIdentifier)
    std::string session_id;
    std::string person_ref;
    Instant checked_in;
    std::optional<Instant> checked_out;
    std::string source;       ///< "scan", "manual", "auto", "server"
    std::string recorded_by;  ///< kiosk id or Practitioner ref
};

/// What one FHIR bundle or pull page amounts to, applied in one transaction.
struct ClinicBatch {
    std::vector<SiteRow> sites;
    std::vector<RoomRow> rooms;
    std::vector<PersonRow> persons;
    std::vector<StaffRow> staff;
    std::vector<SessionRow> sessions;
    std::vector<AttendanceRow> attendance;  ///< from the server: never queued for sending back
    /// People whose record could not be read: every credential of theirs is removed, so a
    /// revocation the kiosk cannot read never leaves an old card working.
    std::vector<std::string> unreadable;
};

/// A line of the public schedule: group, room and times only (PRIVACY.md 4).
struct ScheduleEntry {
    std::string session_id;
    std::string group_name;
    std::string room_name;
    Instant start;
    Instant end;
};

struct AuditEntry {
    Instant at;
    std::string actor;    ///< kiosk id or Practitioner ref
    std::string action;   ///< "check-in", "check-out", "scan-refused", ...
    std::string subject;  ///< a reference or identifier, never a token or a name
    std::string detail;
};

struct AuditVerdict {
    long long rows = 0;
    std::optional<long long> first_bad_seq;  ///< the first row whose chain does not hold
    std::string why;
};

struct OutboxItem {
    long long seq = 0;
    std::string kind;
    std::string subject;
    Instant created_at;
    std::string state;
    int attempts = 0;
    std::string last_error;
    int failures = 0;      ///< failed sends in a row (its own backoff)
    bool blocked = false;  ///< the server will not take it from this kiosk (see last_error)
};

struct OutboxSummary {
    long long pending = 0;  ///< not delivered yet, blocked and retrying ones included
    long long rejected = 0;
    std::optional<Instant> oldest_pending;
    long long blocked = 0;     ///< parked: the server refuses this kiosk these items
    long long retrying = 0;    ///< waiting out their own backoff after a failure
    std::string blocked_error; ///< the server's words for the newest blocked item
};

/// What Store::PurgeDelivered removed.
struct PurgeReport {
    int attendance = 0;
    int changes = 0;
    int remotes = 0;
    int outbox = 0;
};

/// "sha256(session id + "/" + person ref)": the Encounter identifier of FHIR.md, the same at
/// every kiosk for the same person and session.
std::string AttendanceIdentifier(const std::string& session_id, const std::string& person_ref);

}  // namespace kiosk::store
