// A damaged or vanished database at start, and a disk that fills up: detection (quick_check, a
// marker file beside kiosk.db), setting a damaged file aside, salvaging its unsent outbox into
// the new file with the same identifiers, and the words an operator reads about all of it.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/AuditKey.h"
#include "kiosk/core/Result.h"
#include "kiosk/store/Records.h"

namespace kiosk::store {

class Store;

/// One unsent outbox item read back from a damaged file: same kind and subject (the attendance
/// identifier or payload key the server deduplicates on), so it is still delivered once.
struct SalvagedItem {
    std::string kind;
    std::string subject;
    std::string payload;  ///< "" for encounter items (built from the attendance row)
    Instant created_at;
    std::optional<AttendanceRow> attendance;  ///< encounter items: the row they send
};

struct RecoveryReport {
    enum class Kind { kNone, kCorrupt, kMissing };
    Kind kind = Kind::kNone;
    std::filesystem::path set_aside;        ///< kiosk.db.corrupt-<UTC stamp>; empty when missing
    std::string why;                        ///< what showed the damage (quick_check's first lines)
    std::vector<SalvagedItem> items;        ///< unsent items recovered, to be queued again
    long long unreadable = 0;               ///< unsent items seen but not readable
    bool outbox_partly_unreadable = false;  ///< parts of the outbox could not even be listed
    /// The line for the log, the audit detail and the staff status page.
    std::string Notice() const;
};

/// Call before Store::Open. A missing kiosk.db where the marker says there was one, or a file
/// that fails to open as a database or fails `PRAGMA quick_check`, is reported loudly; a damaged
/// file (with its -wal and -shm) is renamed aside and its unsent outbox read into the report.
/// An error only when the file cannot be set aside (then the kiosk must not start over it).
Result<RecoveryReport> CheckDatabase(const std::filesystem::path& file, Instant now);

/// Call after Store::Open with CheckDatabase's report: queues the salvaged items again (with
/// their attendance rows), writes an audit row and the status notice, and the marker file.
Status FinishRecovery(Store& store, const RecoveryReport& report, Instant now);

/// CheckDatabase, Store::Open and FinishRecovery in one (the kiosk and `kiosk sync --once`).
/// `audit_key` as for Store::Open (the recovery writes an audit row).
Result<std::unique_ptr<Store>> OpenWithRecovery(const std::filesystem::path& file, Instant now,
                                                const std::optional<AuditKey>& audit_key,
                                                RecoveryReport* report = nullptr);

/// For `kiosk sync --once`: OpenWithRecovery, then the standing recovery notice ("" if none).
Result<std::string> ReportStoreAtSync(const std::filesystem::path& file, Instant now,
                                      const std::optional<AuditKey>& audit_key);

/// The recovery notice the staff status page shows, until staff acknowledge it or it expires
/// (kRecoveryNoticeFor after the recovery). nullopt when there is none.
Result<std::optional<std::string>> RecoveryNotice(Store& store, Instant now);
Status AcknowledgeRecoveryNotice(Store& store);
inline constexpr Seconds kRecoveryNoticeFor{7 * 24 * 3600};

/// The marker beside kiosk.db that says a database existed here.
std::filesystem::path MarkerFile(const std::filesystem::path& file);

/// PRIVACY.md 16: the copies of a damaged or orphaned `file` set aside at start
/// (<file>.corrupt-<UTC time>[-N][-wal|-shm], <file>.orphan-...) whose time is more than `keep`
/// before `now` are removed, each with a log line naming it. Files it did not name itself are
/// left alone. Returns the files removed.
std::vector<std::filesystem::path> RemoveExpiredSetAside(const std::filesystem::path& file,
                                                         Instant now, Seconds keep);

// --- a full or failing disk -----------------------------------------------------------------
/// True when `e` is a storage error caused by a full disk or an I/O error.
bool IsDiskProblem(const Error& e);
/// For the log and the staff status page: "The disk holding DIR is full (N MB free): ...".
std::string DescribeDiskProblem(const Error& e, const std::filesystem::path& db_file);
/// The process-wide latest storage problem of the check-in path (empty when the last write
/// worked); the staff status page shows it. Thread-safe.
void NoteStorageProblem(const std::string& text);
void ClearStorageProblem();
std::string StorageProblem();

}  // namespace kiosk::store
