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

#include "kiosk/core/Result.h"
#include "kiosk/store/Records.h"

namespace kiosk::store {

class Store {
public:
    /// Opens (creating if needed) the database file, sets WAL and synchronous=FULL and brings
    /// the schema to the newest migration.
    static Result<std::unique_ptr<Store>> Open(const std::filesystem::path& file);
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
    /// Upserts everything in the batch in its own transaction.
    Status ApplyClinic(const ClinicBatch& batch);
    Result<std::optional<SiteRow>> Site(const std::string& id);
    Result<std::optional<PersonRow>> Person(const std::string& ref);
    Result<std::optional<CredentialRow>> FindCredential(const std::string& hash);
    /// Sessions (not cancelled) the person is enrolled in that start in [from, to).
    Result<std::vector<SessionRow>> EnrolledSessions(const std::string& person_ref, Instant from,
                                                     Instant to);
    /// The public schedule: sessions (not cancelled) that start in [from, to), in start order.
    Result<std::vector<ScheduleEntry>> Schedule(Instant from, Instant to);

    // --- attendance and outbox ----------------------------------------------------------------
    /// The person's attendance in sessions that start in [from, to).
    Result<std::vector<AttendanceRow>> Attendance(const std::string& person_ref, Instant from,
                                                  Instant to);
    Status InsertAttendance(const AttendanceRow& row);  ///< in a transaction
    Status CheckOut(const std::string& identifier, Instant at);  ///< in a transaction
    /// Open check-ins whose session ended at or before `now`, with that end time.
    Result<std::vector<std::pair<AttendanceRow, Instant>>> OpenPastEnd(Instant now);
    Status Enqueue(const std::string& kind, const std::string& subject, Instant at);  ///< in a tx
    Result<std::vector<OutboxItem>> Outbox(const std::string& state, int limit);
    Result<OutboxSummary> OutboxStatus();

    // --- audit log (AuditLog.cpp) --------------------------------------------------------------
    Status Audit(const AuditEntry& entry);  ///< in a transaction
    Result<AuditVerdict> VerifyAudit();

    struct Impl;

private:
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace kiosk::store
