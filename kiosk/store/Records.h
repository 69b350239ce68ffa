// The store's vocabulary: plain rows that the FHIR mapping fills and the app reads.
// No SQLite types here, so layers above never see the database library.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/Clock.h"
#include "kiosk/core/SessionKind.h"
#include "kiosk/store/OutboxKind.h"

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

/// An Appointment: a group session or a one-to-one appointment (SessionKind).
struct SessionRow {
    std::string id;          ///< the Appointment id
    std::string group_name;  ///< serviceType text or display; "" when it has none. Never free text
    std::string room_id;
    std::string facilitator_ref;
    Instant start;
    Instant end;
    std::string status = "booked";
    std::vector<std::string> enrolled;  ///< person refs; replaces the stored enrolment
    std::string room_name;              ///< filled in by reads, ignored by writes
    /// The Appointment's "system|code" codings (serviceCategory, serviceType, appointmentType).
    std::vector<std::string> codes{};
    /// Filled in by reads: what the store decided from codes and enrolment
    /// (SessionKindDecision.cpp).
    SessionKind kind = SessionKind::kIndividual;
    /// Filled in by reads: group_name names a person enrolled in the session, so the lobby
    /// shows its neutral label instead.
    bool name_withheld = false;
};

/// What a lobby screen may call a session: a group's name, or "" for a one-to-one, for a group
/// without a usable name and for one whose name is withheld (the lobby shows a neutral label).
inline std::string LobbyGroupName(const SessionRow& s) {
    return s.kind == SessionKind::kGroup && !s.name_withheld ? s.group_name : std::string();
}

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

/// A line of the public schedule: group, room and times only (PRIVACY.md 4, 13). Groups only.
struct ScheduleEntry {
    std::string session_id;
    std::string group_name;  ///< LobbyGroupName: "" shows as the neutral "Group session"
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

/// The newest row of an audit chain: what goes to the server (sync/AuditHeadSender.h) and what
/// `kiosk audit verify` compares with the server's copy.
struct AuditHead {
    std::string chain;  ///< the chain's id (meta audit.chain, made by migration 008)
    long long seq = 0;
    std::string hash;    ///< the row's hash (keyed: HMAC-SHA256)
    Instant at;          ///< the row's time
    bool keyed = false;  ///< the hash is keyed (HMAC-SHA256), not plain SHA-256
};

struct AuditVerdict {
    long long rows = 0;
    std::optional<long long> first_bad_seq;  ///< the first row whose chain does not hold
    std::string why;
    std::string chain;                       ///< "" before migration 008
    long long keyed_from = 0;                ///< rows from this seq on are keyed; 0 = not keyed yet
    bool keyed_checked = false;              ///< the keyed rows were checked with the key
    std::string problem;                     ///< the chain as a whole (key, seal); "" when none
    std::optional<AuditHead> head;           ///< the newest row
    std::vector<std::string> head_problems;  ///< disagreements with the server's heads
    std::vector<std::string> notes;          ///< worth saying, not a problem
    bool Holds() const { return !first_bad_seq && problem.empty() && head_problems.empty(); }
};

struct OutboxItem {
    long long seq = 0;
    /// nullopt: a kind this build does not know (a newer kiosk's); stored_kind names it.
    std::optional<OutboxKind> kind;
    std::string stored_kind;  ///< outbox.kind as stored
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
    long long blocked = 0;      ///< parked: the server refuses this kiosk these items
    long long retrying = 0;     ///< waiting out their own backoff after a failure
    std::string blocked_error;  ///< the server's words for the newest blocked item
};

/// What Store::PurgeDelivered removed.
struct PurgeReport {
    int attendance = 0;
    int changes = 0;
    int remotes = 0;
    int outbox = 0;
    int sessions = 0;     ///< with their enrolment
    int referrals = 0;    ///< with their items
    int persons = 0;      ///< with their PINs and family links
    int credentials = 0;  ///< the card credentials of those persons
    int Total() const {
        return attendance + changes + remotes + outbox + sessions + referrals + persons +
               credentials;
    }
};

/// "sha256(session id + "/" + person ref)": the Encounter identifier of FHIR.md, the same at
/// every kiosk for the same person and session.
std::string AttendanceIdentifier(const std::string& session_id, const std::string& person_ref);

}  // namespace kiosk::store
