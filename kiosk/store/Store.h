// The kiosk's local SQLite store: opening and migrating the file, transactions, and the parts
// that read and write it, one per kind of data (clinic cache, attendance, outbox, sync state,
// staff, directory, referrals, audit). SQLite errors become Result values; nothing throws out.
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
#include "kiosk/store/AttendanceLog.h"
#include "kiosk/store/AuditLog.h"
#include "kiosk/store/ClinicCache.h"
#include "kiosk/store/OutboxQueue.h"
#include "kiosk/store/Records.h"
#include "kiosk/store/ReferralBook.h"
#include "kiosk/store/ResourceDirectory.h"
#include "kiosk/store/StaffRecords.h"
#include "kiosk/store/SyncState.h"
#include "kiosk/store/WriteTx.h"

namespace kiosk::store {

class ResourceSnapshot;

class Store {
  public:
    /// Opens (creating if needed) the database file, sets WAL and synchronous=FULL and brings
    /// the schema to the newest migration. `audit_key` (kiosk/core/AuditKey.h) keys the audit
    /// chain: without it Audit().Append fails, so every process that writes audit rows passes
    /// it. A key other than the one the chain was sealed with is refused (kConfig).
    static Result<std::unique_ptr<Store>> Open(const std::filesystem::path& file,
                                               std::optional<AuditKey> audit_key = std::nullopt);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    /// The database file this store opened (its folder is the kiosk's data directory;
    /// StoreRecovery.h has the start-up checks for a damaged, missing or full one).
    const std::filesystem::path& File() const;
    int SchemaVersion();

    /// Runs `work` in one BEGIN IMMEDIATE transaction; commits only if it returns ok. The
    /// WriteTx it passes is what the parts' writes take, so they cannot run outside one.
    Status Transaction(const std::function<Status(WriteTx&)>& work);

    // --- the parts, by what they hold (each over this store's one connection) -----------------
    ClinicCache& Clinic() { return m_clinic; }
    AttendanceLog& Attendance() { return m_attendance; }
    OutboxQueue& Outbox() { return m_outbox; }
    SyncState& Sync() { return m_sync; }
    StaffRecords& Staff() { return m_staff; }
    ResourceDirectory& Directory() { return m_directory; }
    ReferralBook& Referrals() { return m_referrals; }
    AuditLog& Audit() { return m_audit; }

    /// PRIVACY.md 11 and 16: removes what the week from `before` on does not need, once nothing
    /// about it waits in the outbox: attendance of sessions that started before `before` (with
    /// its manual changes, server copies and delivered outbox items), those sessions and their
    /// enrolment, referrals made before it, and the people, credentials, PINs and family links
    /// nothing kept names (staff who hold a role here are kept). Its own transaction.
    Result<PurgeReport> PurgeDelivered(Instant before);

  private:
    Store(std::unique_ptr<Connection> connection, std::optional<AuditKey> audit_key);
    std::unique_ptr<Connection> m_connection;  // first: the parts below use it to the end
    ClinicCache m_clinic;
    AttendanceLog m_attendance;
    OutboxQueue m_outbox;
    SyncState m_sync;
    StaffRecords m_staff;
    ResourceDirectory m_directory;
    ReferralBook m_referrals;
    AuditLog m_audit;
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

}  // namespace kiosk::store
