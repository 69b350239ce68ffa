// The kiosk's local SQLite store: opening and migrating the file, transactions, and every read
// and write the layers above need. SQLite errors become Result values here; nothing throws out.
// Depends on core only. One Store per thread: each opens its own connection to the same file.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/AuditKey.h"
#include "kiosk/core/Result.h"
#include "kiosk/store/Records.h"
#include "kiosk/store/ResourceRecords.h"

namespace kiosk::store {

class ResourceSnapshot;

class Store {
  public:
    /// Opens (creating if needed) the database file, sets WAL and synchronous=FULL and brings
    /// the schema to the newest migration. `audit_key` (kiosk/core/AuditKey.h) keys the audit
    /// chain: without it Audit() fails, so every process that writes audit rows passes it. A
    /// key other than the one the chain was sealed with is refused (kConfig).
    static Result<std::unique_ptr<Store>> Open(const std::filesystem::path& file,
                                               std::optional<AuditKey> audit_key = std::nullopt);
    // --- damaged, missing or full (StoreRecovery.h has the start-up checks) -----------------
    /// The database file this store opened (its folder is the kiosk's data directory).
    const std::filesystem::path& File() const;
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    /// Runs `work` in one BEGIN IMMEDIATE transaction; commits only if it returns ok. Methods
    /// marked "in a transaction" must be called from inside `work`.
    Status Transaction(const std::function<Status()>& work);

    int SchemaVersion();
    Result<std::optional<std::string>> GetMeta(const std::string& key);
    Status SetMeta(const std::string& key, const std::string& value);  ///< in a transaction

    // --- clinic cache -----------------------------------------------------------------------
    /// Upserts everything in the batch in its own transaction, and decides in it which of its
    /// sessions are groups and whether a group's name may be shown (StoreSessionKind.cpp).
    Status ApplyClinic(const ClinicBatch& batch);
    /// The rules (config [sessions]) this store decides session kinds by from now on; the
    /// defaults until called. Decides every stored session again under them, in one
    /// transaction, so a changed config takes effect at once.
    Status UseSessionKindRules(const SessionKindRules& rules);
    Result<std::optional<SiteRow>> Site(const std::string& id);
    Result<std::optional<PersonRow>> Person(const std::string& ref);
    Result<std::optional<CredentialRow>> FindCredential(const std::string& hash);
    /// Sessions (not cancelled) the person is enrolled in that start in [from, to).
    Result<std::vector<SessionRow>> EnrolledSessions(const std::string& person_ref, Instant from,
                                                     Instant to);
    /// The public schedule: group sessions (not cancelled, not one-to-one) that start in
    /// [from, to), in start order, each with the name the lobby may show (LobbyGroupName).
    Result<std::vector<ScheduleEntry>> Schedule(Instant from, Instant to);

    // --- attendance and outbox ----------------------------------------------------------------
    /// The person's attendance in sessions that start in [from, to).
    Result<std::vector<AttendanceRow>> Attendance(const std::string& person_ref, Instant from,
                                                  Instant to);
    Status InsertAttendance(const AttendanceRow& row);           ///< in a transaction
    Status CheckOut(const std::string& identifier, Instant at);  ///< in a transaction
    /// Open check-ins whose session ended at or before `now`, with that end time.
    Result<std::vector<std::pair<AttendanceRow, Instant>>> OpenPastEnd(Instant now);
    Status Enqueue(const std::string& kind, const std::string& subject, Instant at);  ///< in a tx
    Result<std::vector<OutboxItem>> Outbox(const std::string& state, int limit);
    /// PRIVACY.md 11 and 16: removes what the week from `before` on does not need, once nothing
    /// about it waits in the outbox: attendance of sessions that started before `before` (with
    /// its manual changes, server copies and delivered outbox items), those sessions and their
    /// enrolment, referrals made before it, and the people, credentials, PINs and family links
    /// nothing kept names (staff who hold a role here are kept). Its own transaction.
    Result<PurgeReport> PurgeDelivered(Instant before);
    Result<OutboxSummary> OutboxStatus();

    // --- audit log (AuditLog.cpp) --------------------------------------------------------------
    Status Audit(const AuditEntry& entry);  ///< in a transaction; needs the audit key
    /// Checks the chain with this store's key (keyed rows only for linkage without one).
    Result<AuditVerdict> VerifyAudit();
    /// The newest audit row; nullopt when the log is empty.
    Result<std::optional<AuditHead>> LatestAuditHead();

    // --- sync (StoreSync.cpp) -----------------------------------------------------------------
    /// What the sync engine knows of one resource on the server, by the kiosk's identifier for
    /// it (attendance identifier, referral UUID, provenance key).
    struct RemoteRecord {
        std::string identifier;
        std::string resource_type;
        std::string server_id;
        std::string version_id;    ///< for If-Match
        std::string server_json;   ///< the last version seen
        std::string pushed_state;  ///< what this kiosk last confirmed there; "" if nothing yet
    };
    /// A HealthcareService, Organization or Location of the resource directory, as sent.
    struct DirectoryResource {
        std::string type;
        std::string id;
        std::string last_updated;
        std::string json;
    };
    /// Queues an item that carries its own content ("provenance", "referral": a JSON payload
    /// made by sync/OutboxPayloads.h). In a transaction, like Enqueue.
    Status EnqueueWithPayload(const std::string& kind, const std::string& subject,
                              const std::string& payload, Instant at);
    Result<std::string> OutboxPayload(long long seq);  ///< "" when the item has none
    /// The newest outbox seq (0 when empty): the sync thread notices local changes by it.
    Result<long long> OutboxHighWater();
    /// Counts an attempt for each item *before* it is sent, so an item whose answer was lost (or
    /// whose kiosk crashed) is known to have maybe reached the server.
    Status MarkAttempted(const std::vector<long long>& seqs);
    Status MarkDelivered(const std::vector<long long>& seqs, Instant at);
    /// Pending items due at `now` (their own backoff over), with seq > `after`, oldest first.
    Result<std::vector<OutboxItem>> DueOutbox(Instant now, long long after, int limit);
    /// A failed send of one item: it waits until `next_try`; `blocked` parks it (shown to staff).
    Status NoteOutboxFailure(long long seq, const std::string& error, Instant next_try,
                             bool blocked);
    /// Whether an item of `kind` about `subject` is still pending.
    Result<bool> OutboxPendingFor(const std::string& kind, const std::string& subject);
    /// Refused by the server for good: kept with its error, plus `audit`, in one transaction.
    Status MarkRejected(long long seq, const std::string& error, const AuditEntry& audit);
    Result<std::optional<AttendanceRow>> AttendanceByIdentifier(const std::string& identifier);
    Result<std::optional<SessionRow>> SessionById(const std::string& id);
    Result<std::optional<RemoteRecord>> Remote(const std::string& identifier);
    Status SaveRemote(const RemoteRecord& record);  ///< replaces every field
    /// Records versions seen in a pull; keeps each row's pushed_state.
    Status NoteRemotes(const std::vector<RemoteRecord>& seen);
    /// RelatedPerson ref -> its Patient ref.
    Status SaveRelatedPatients(const std::vector<std::pair<std::string, std::string>>& links);
    Result<std::optional<std::string>> RelatedPatient(const std::string& related_ref);
    /// Everyone the sessions starting in [from, to) name, plus all staff: whom a pull refreshes.
    Result<std::vector<std::string>> PersonRefsInWindow(Instant from, Instant to);
    Result<std::vector<std::string>> SessionIdsInWindow(Instant from, Instant to);
    Result<std::vector<std::string>> RoomIds(const std::string& site_id);
    /// Everyone who holds a staff role here now.
    Result<std::vector<std::string>> StaffRefs();
    /// After a full pull: sessions starting in [from, to) that the server no longer lists there
    /// are marked cancelled (attendance is kept).
    Status CancelSessionsNotIn(Instant from, Instant to, const std::vector<std::string>& seen);
    Status SaveDirectory(const std::vector<DirectoryResource>& rows);
    Result<std::vector<std::string>> DirectoryIds(const std::string& type);
    /// Writes meta keys in one transaction.
    Status SetMetaMany(const std::vector<std::pair<std::string, std::string>>& values);
    /// When the newest manual change of this attendance is an undo (attendance_change, from the
    /// staff screens), the check-in time it withdrew; nullopt otherwise.
    Result<std::optional<Instant>> WithdrawnCheckIn(const std::string& identifier);

    // --- staff (StoreStaff.cpp) ---------------------------------------------------------------
    /// What signing in needs to know of a staff member (staff_role, staff_pin, person).
    struct StaffAccount {
        std::string person_ref;
        std::string given;
        std::string family;
        std::vector<std::string> roles;  ///< "facilitator", "front-desk", "case-manager"
        std::string pin_verifier;        ///< argon2id string; empty when none is set
    };
    /// Wrong PINs since the last good one or the last lock, and the lock itself.
    struct PinLock {
        int failures = 0;
        std::optional<Instant> locked_until;
    };
    /// A manual check-in, check-out or undo (migration 003, table attendance_change).
    struct AttendanceChange {
        std::string identifier;  ///< the attendance (Encounter) identifier
        std::string session_id;
        std::string person_ref;
        std::string activity;     ///< "check-in", "check-out", "undo"
        std::string reason_code;  ///< "forgot-card", "phone-dead", "scanner-fault", "left-early",
                                  ///< "other", "mistake"
        std::string reason_text;  ///< the reason in words
        std::string staff_ref;
        std::string kiosk_id;
        Instant at;
        std::optional<Instant> withdrawn_check_in;  ///< undo: the check-in time withdrawn
    };
    /// nullopt when the reference has no person row.
    Result<std::optional<StaffAccount>> StaffAccountOf(const std::string& practitioner_ref);
    Result<PinLock> PinLockOf(const std::string& person_ref);
    Status SetPinLock(const std::string& person_ref, const PinLock& lock);  ///< in a transaction
    /// Sessions (not cancelled) starting in [from, to) with room name and enrolment, in start
    /// order.
    Result<std::vector<SessionRow>> SessionsWithEnrolment(Instant from, Instant to);
    /// Every attendance row of the sessions starting in [from, to).
    Result<std::vector<AttendanceRow>> AttendanceInWindow(Instant from, Instant to);
    /// The persons among `refs` that the store knows (credentials left empty).
    Result<std::vector<PersonRow>> PersonsByRef(const std::vector<std::string>& refs);
    Status RecordAttendanceChange(const AttendanceChange& change);  ///< in a transaction
    Result<std::vector<AttendanceChange>> AttendanceChanges(const std::string& identifier);
    /// Deletes a manual check-in that is still open and was recorded by `recorded_by`; kConflict
    /// (and nothing deleted) otherwise. In a transaction.
    Status WithdrawManualCheckIn(const std::string& identifier, const std::string& recorded_by);

    // --- community resource directory (StoreDirectory.cpp, migration 004) ----------------------
    /// Inserts or replaces resources by id and indexes them for search, in one transaction (or
    /// in the caller's, inside Transaction). kInvalidInput, and nothing saved, for a row without
    /// an id or with half a position or one out of range.
    Status UpsertResources(const std::vector<ResourceRow>& rows);
    /// Removes the resources of `source` whose ids are not in `keep` (after a full pull/import).
    /// Like UpsertResources, in its own transaction or the caller's.
    Status RemoveResourcesNotIn(const std::string& source, const std::vector<std::string>& keep);
    Result<std::optional<ResourceRow>> Resource(const std::string& id);
    Result<long long> ResourceCount();
    /// One read of the resource table for the directory's search (kiosk/directory/
    /// ResourceSearch): `read` runs in one read snapshot, its own or the caller's transaction,
    /// and sees what any connection committed (ResourceSnapshot.h). kInternal without FTS5.
    Status ReadResources(const std::function<Status(ResourceSnapshot&)>& read);

    // --- referrals (StoreReferral.cpp, migration 005) -------------------------------------------
    /// A referral as saved: who made it for whom, and the resources in it.
    struct ReferralItem {
        std::string request_id;  ///< UUID: the ServiceRequest's identifier
        std::string resource_id;
        std::string resource_name;
        std::string category;
    };
    struct Referral {
        std::string id;  ///< UUID (the ServiceRequests' requisition)
        Instant created_at;
        std::string staff_ref;
        std::string person_ref;
        std::string kiosk_id;
        std::string language;
        std::string paper;  ///< "letter" or "a4"
        bool name_printed = false;
        std::string print_state = "saved";  ///< "saved", "printing", "printed", "failed"
        std::string print_detail;
        std::optional<Instant> printed_at;
        std::vector<ReferralItem> items;
    };
    Status InsertReferral(const Referral& referral);  ///< in a transaction
    /// Records how printing went ("printing", "printed", "failed" with the printer's words).
    Status SetReferralPrintState(const std::string& id, const std::string& state,
                                 const std::string& detail, Instant at);  ///< in a transaction
    Result<std::optional<Referral>> ReferralById(const std::string& id);
    /// Ids of the referrals in a print state ("printing": a print the kiosk did not see end).
    Result<std::vector<std::string>> ReferralsInPrintState(const std::string& state);

    struct Impl;

  private:
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// --- read-only health for `kiosk doctor` (StoreHealth.cpp) ----------------------------------
/// What `kiosk doctor` reads of a database file without changing it.
struct DatabaseHealth {
    std::vector<std::string> problems;    ///< PRAGMA integrity_check lines; empty when "ok"
    int schema_version = 0;               ///< PRAGMA user_version
    int newest_version = 0;               ///< the newest migration this build knows
    std::optional<OutboxSummary> outbox;  ///< nullopt when there is no outbox table yet
};
/// Opens `file` read-only (never creates or migrates it; safe beside a running kiosk in WAL
/// mode) and checks it. kNotFound when there is no file; kStorage when SQLite cannot read it.
Result<DatabaseHealth> CheckDatabaseHealth(const std::filesystem::path& file);

// --- read-only audit check for `kiosk audit verify` and `kiosk doctor` (AuditLog.cpp) --------
/// Opens `file` read-only (SQLITE_OPEN_READONLY: never creates, migrates or writes it; safe
/// beside a running kiosk) and checks its audit chain: with `key` the keyed rows and the seal
/// too. Each of `server_heads` (this kiosk's heads as the server holds them) is held against
/// the local chain: shorter than a head of its own chain, or another hash at that row, is a
/// head problem; a head of another chain is a problem unless this log starts with a recovery.
/// kNotFound when there is no file; kStorage when SQLite cannot read it.
Result<AuditVerdict> VerifyAuditFile(const std::filesystem::path& file,
                                     const std::optional<AuditKey>& key,
                                     const std::vector<AuditHead>& server_heads = {});

}  // namespace kiosk::store
