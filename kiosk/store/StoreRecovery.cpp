// Start-up checks of kiosk.db (damaged, missing) and the words for a full disk. A damaged file
// is never opened for writing again: it is renamed aside with its -wal/-shm, read only, and what
// it still holds of the unsent outbox goes into the new file under the same identifiers.
#include "kiosk/store/StoreRecovery.h"

#include <sys/statvfs.h>

#include <ctime>
#include <fstream>
#include <mutex>
#include <set>

#include "kiosk/core/Log.h"
#include "kiosk/store/Connection.h"
#include "kiosk/store/Store.h"

namespace kiosk::store {
namespace fs = std::filesystem;

namespace {

constexpr const char* kNoticeKey = "store.recovery_notice";
constexpr const char* kNoticeUntilKey = "store.recovery_notice_until";

std::string Stamp(Instant now) {
    const std::time_t t = static_cast<std::time_t>(Epoch(now));
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%S", &tm);
    return buf;
}

/// The time of a Stamp() at the start of `text`; nullopt when it is not one.
std::optional<Instant> ParseStamp(const std::string& text) {
    std::tm tm{};
    const char* end = text.size() >= 15 ? strptime(text.c_str(), "%Y%m%dT%H%M%S", &tm) : nullptr;
    if (end == nullptr || end != text.c_str() + 15) {
        return std::nullopt;
    }
    return Instant{Seconds{timegm(&tm)}};
}

bool IsCorruptionCode(int code) {
    const int primary = code & 0xff;
    return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

/// "ok", or the first lines of what quick_check found. Checks the schema and every table the
/// kiosk writes (check-ins, outbox, audit, roster...) with their indexes, table by table; the
/// resource directory (resource, resource_fts*, resource_vocab: most of the file with a large
/// directory, rebuilt by an import or sync) is left to `kiosk doctor`'s full integrity_check,
/// which keeps this check at a few milliseconds where a whole-file one took ~0.2 s at 50,000
/// resources. A partial check does not see pages shared by two tables.
std::string QuickCheck(SQLite::Database& db) {
    db.exec("SELECT count(*) FROM sqlite_master");  // a file that is not a database fails here
    std::vector<std::string> tables{"sqlite_schema"};
    {
        SQLite::Statement list(db,
                               "SELECT name FROM sqlite_master WHERE type = 'table' "
                               "AND sql NOT LIKE 'CREATE VIRTUAL%' AND name <> 'resource' "
                               "AND name NOT LIKE 'resource^_%' ESCAPE '^'");
        while (list.executeStep()) {
            tables.push_back(list.getColumn(0).getString());
        }
    }
    std::string out;
    for (const auto& table : tables) {
        std::string quoted;
        for (char c : table) {
            quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        }
        SQLite::Statement q(db, "PRAGMA quick_check(\"" + quoted + "\")");
        while (q.executeStep()) {
            const std::string line = q.getColumn(0).getString();
            if (line != "ok") {
                out += (out.empty() ? "" : "; ") + line;
            }
        }
        if (!out.empty()) {
            return out.substr(0, 2000);
        }
    }
    return "ok";
}

/// Renames file, file-wal and file-shm to <file>.<tag>-<stamp>[-wal|-shm]; the WAL keeps
/// belonging to its database, so the set-aside copy reads as it was.
Result<fs::path> SetAside(const fs::path& file, const std::string& tag, Instant now) {
    fs::path target = file.string() + "." + tag + "-" + Stamp(now);
    for (int n = 2; fs::exists(target); ++n) {
        target = file.string() + "." + tag + "-" + Stamp(now) + "-" + std::to_string(n);
    }
    for (const char* suffix : {"", "-wal", "-shm"}) {
        const fs::path from = file.string() + suffix;
        std::error_code ec;
        if (!fs::exists(from, ec)) {
            continue;
        }
        fs::rename(from, target.string() + suffix, ec);
        if (ec) {
            return MakeError(ErrorCode::kStorage, "cannot set the damaged database aside: rename " +
                                                      from.string() + ": " + ec.message() +
                                                      " (move it away by hand, then start again)");
        }
    }
    return target;
}

std::optional<AttendanceRow> ReadAttendanceRow(SQLite::Database& db, const std::string& id) {
    static const char* kQueries[] = {
        "SELECT identifier, session_id, person_ref, checked_in_at, checked_out_at, source, "
        "recorded_by FROM attendance WHERE identifier = ?",
        "SELECT identifier, session_id, person_ref, checked_in_at, checked_out_at, source, "
        "recorded_by FROM attendance NOT INDEXED WHERE identifier = ?"};
    for (const char* sql : kQueries) {  // the second one when the index is what is damaged
        try {
            SQLite::Statement q(db, sql);
            q.bind(1, id);
            if (q.executeStep()) {
                return ReadAttendance(q);
            }
        } catch (const std::exception&) {
        }
    }
    return std::nullopt;
}

/// Reads the pending outbox of a damaged file: every seq the index or a table scan can list,
/// then each item by itself, so one bad page costs only the items on it.
void Salvage(const fs::path& damaged, RecoveryReport& report) {
    std::unique_ptr<SQLite::Database> db;
    try {
        db = std::make_unique<SQLite::Database>(damaged.string(), SQLite::OPEN_READONLY);
    } catch (const std::exception& e) {
        LogError("store", "the damaged database cannot be read at all: " + std::string(e.what()));
        report.outbox_partly_unreadable = true;
        return;
    }
    std::set<long long> seqs;
    int listed = 0;
    for (const char* sql : {"SELECT seq FROM outbox WHERE state = 'pending'",
                            "SELECT seq FROM outbox NOT INDEXED WHERE state = 'pending'"}) {
        try {
            SQLite::Statement q(*db, sql);
            while (q.executeStep()) {
                seqs.insert(q.getColumn(0).getInt64());
            }
            ++listed;
        } catch (const std::exception& e) {
            LogWarn("store", "listing the damaged outbox: " + std::string(e.what()));
            report.outbox_partly_unreadable = true;
        }
    }
    if (listed == 0) {
        report.outbox_partly_unreadable = true;
    }
    for (long long seq : seqs) {
        try {
            SQLite::Statement q(*db,
                                "SELECT kind, subject, created_at, coalesce(payload, '') "
                                "FROM outbox WHERE seq = ?");
            q.bind(1, static_cast<int64_t>(seq));
            if (!q.executeStep()) {
                ++report.unreadable;
                continue;
            }
            SalvagedItem item;
            item.kind = q.getColumn(0).getString();
            item.subject = q.getColumn(1).getString();
            item.created_at = AsInstant(q.getColumn(2));
            item.payload = q.getColumn(3).getString();
            if (item.kind == OutboxKindName(OutboxKind::kEncounter)) {
                item.attendance = ReadAttendanceRow(*db, item.subject);
                if (!item.attendance) {
                    ++report.unreadable;  // an Encounter cannot be sent without its check-in
                    continue;
                }
            }
            report.items.push_back(std::move(item));
        } catch (const std::exception&) {
            ++report.unreadable;
        }
    }
}

void WriteMarker(const fs::path& file, Instant now) {
    const fs::path marker = MarkerFile(file);
    if (fs::exists(marker)) {
        return;
    }
    std::ofstream out(marker);
    out << "kiosk.db was created here at " << Stamp(now)
        << "Z. If kiosk.db goes missing, the kiosk says so at start instead of starting over "
           "silently.\n";
    if (!out) {
        LogWarn("store", "cannot write " + marker.string());
    }
}

}  // namespace

fs::path MarkerFile(const fs::path& file) {
    return file.string() + ".expected";
}

std::vector<fs::path> RemoveExpiredSetAside(const fs::path& file, Instant now, Seconds keep) {
    std::vector<fs::path> removed;
    const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        std::optional<Instant> at;
        for (const char* tag : {".corrupt-", ".orphan-"}) {
            const std::string prefix = file.filename().string() + tag;
            if (name.rfind(prefix, 0) == 0) {
                at = ParseStamp(name.substr(prefix.size()));
            }
        }
        if (!at || now - *at <= keep || !entry.is_regular_file(ec)) {
            continue;
        }
        if (fs::remove(entry.path(), ec)) {
            LogInfo("store", "removed " + entry.path().string() + ", set aside at " + Stamp(*at) +
                                 "Z: kept " + std::to_string(keep.count() / 86400) +
                                 " days ([kiosk] damaged_db_retention_days)");
            removed.push_back(entry.path());
        } else {
            LogWarn("store", "cannot remove " + entry.path().string() + " (set aside at " +
                                 Stamp(*at) + "Z, past its retention): " + ec.message());
        }
    }
    return removed;
}

std::string RecoveryReport::Notice() const {
    switch (kind) {
        case Kind::kNone:
            return {};
        case Kind::kMissing:
            return "kiosk.db was missing at start (it existed before); a new one was made and is "
                   "filled from the server. Anything not yet sent when it disappeared is lost: "
                   "check the server for today's check-ins.";
        case Kind::kCorrupt:
            break;
    }
    std::string text = "The database was damaged and set aside as " + set_aside.string() + "; " +
                       std::to_string(items.size()) + " unsent item(s) recovered";
    if (unreadable > 0 || outbox_partly_unreadable) {
        text += ", " + std::to_string(unreadable) + " could not be read";
        if (outbox_partly_unreadable) {
            text += " and parts of the outbox could not be listed (more may be lost)";
        }
        text += ": check today's check-ins on the server against the front desk's list";
    } else {
        text += ", nothing unsent was lost";
    }
    return text + ". The clinic is filled again from the server.";
}

Result<RecoveryReport> CheckDatabase(const fs::path& file, Instant now) {
    RecoveryReport report;
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        if (fs::exists(MarkerFile(file), ec)) {
            report.kind = RecoveryReport::Kind::kMissing;
            LogError("store", "DATABASE MISSING: " + file.string() + " existed before (see " +
                                  MarkerFile(file).string() +
                                  ") and is gone; anything not yet sent when it disappeared is "
                                  "lost. Starting a new one, filled from the server.");
            // A WAL left without its database must not be replayed into the new file.
            if (fs::exists(file.string() + "-wal", ec) || fs::exists(file.string() + "-shm", ec)) {
                auto aside = SetAside(file, "orphan", now);
                if (!aside) {
                    return aside.error();
                }
            }
        }
        return report;
    }
    std::string why;
    try {
        SQLite::Database db(file.string(), SQLite::OPEN_READWRITE);
        db.setBusyTimeout(5000);
        why = QuickCheck(db);
        if (why == "ok") {
            return report;
        }
    } catch (const SQLite::Exception& e) {
        if (!IsCorruptionCode(e.getErrorCode()) && !IsCorruptionCode(e.getExtendedErrorCode())) {
            return report;  // busy, permissions...: Store::Open reports it in its own words
        }
        why = e.what();
    }
    report.kind = RecoveryReport::Kind::kCorrupt;
    report.why = why;
    auto aside = SetAside(file, "corrupt", now);
    if (!aside) {
        LogError("store",
                 "DATABASE DAMAGED: " + file.string() + ": " + why + "; " + aside.error().log);
        return aside.error();
    }
    report.set_aside = aside.value();
    LogError("store", "DATABASE DAMAGED: " + file.string() + " (" + why + ") was set aside as " +
                          report.set_aside.string() +
                          "; its unsent outbox is read back and a new database is filled from "
                          "the server");
    Salvage(report.set_aside, report);
    return report;
}

Status FinishRecovery(Store& store, const RecoveryReport& report, Instant now) {
    WriteMarker(store.File(), now);
    if (report.kind == RecoveryReport::Kind::kNone) {
        return Ok{};
    }
    const std::string notice = report.Notice();
    const Status saved = store.Transaction([&](WriteTx& tx) -> Status {
        for (const auto& item : report.items) {
            if (item.attendance) {
                auto have = store.Attendance().ByIdentifier(item.attendance->identifier);
                if (!have) {
                    return have.error();
                }
                if (!have.value()) {
                    if (auto s = store.Attendance().Insert(tx, *item.attendance); !s) {
                        return s;
                    }
                }
            }
            if (auto s =
                    store.Outbox().Add(tx, item.kind, item.subject, item.payload, item.created_at);
                !s) {
                return s;
            }
        }
        const bool missing = report.kind == RecoveryReport::Kind::kMissing;
        if (auto s = store.Audit().Append(
                tx,
                {now, "kiosk", missing ? "database-missing" : "database-recovered",
                 missing ? store.File().filename().string() : report.set_aside.filename().string(),
                 notice});
            !s) {
            return s;
        }
        if (auto s = store.Sync().SetMeta(tx, kNoticeKey, notice); !s) {
            return s;
        }
        return store.Sync().SetMeta(tx, kNoticeUntilKey,
                                    std::to_string(Epoch(now + kRecoveryNoticeFor)));
    });
    if (!saved) {
        LogError("store", "could not record the recovery in the new database: " +
                              saved.error().log + ". " + notice);
        return saved;
    }
    LogError("store", notice);
    return Ok{};
}

Result<std::unique_ptr<Store>> OpenWithRecovery(const fs::path& file, Instant now,
                                                const std::optional<AuditKey>& audit_key,
                                                RecoveryReport* report_out) {
    auto report = CheckDatabase(file, now);
    if (!report) {
        return report.error();
    }
    auto store = Store::Open(file, audit_key);
    if (!store) {
        return store.error();
    }
    if (auto s = FinishRecovery(*store.value(), report.value(), now); !s) {
        return s.error();  // the salvaged items are still in the set-aside file
    }
    if (report_out) {
        *report_out = std::move(report).value();
    }
    return store;
}

Result<std::string> ReportStoreAtSync(const fs::path& file, Instant now,
                                      const std::optional<AuditKey>& audit_key) {
    auto store = OpenWithRecovery(file, now, audit_key);
    if (!store) {
        return store.error();
    }
    auto notice = RecoveryNotice(*store.value(), now);
    if (!notice) {
        return notice.error();
    }
    return notice.value().value_or("");
}

Result<std::optional<std::string>> RecoveryNotice(Store& store, Instant now) {
    auto notice = store.Sync().GetMeta(kNoticeKey);
    if (!notice) {
        return notice.error();
    }
    if (!notice.value() || notice.value()->empty()) {
        return std::optional<std::string>();
    }
    auto until = store.Sync().GetMeta(kNoticeUntilKey);
    if (!until) {
        return until.error();
    }
    if (until.value()) {
        try {
            if (Epoch(now) >= std::stoll(*until.value())) {
                return std::optional<std::string>();
            }
        } catch (const std::exception&) {
        }
    }
    return notice;
}

Status AcknowledgeRecoveryNotice(Store& store) {
    return store.Transaction(
        [&](WriteTx& tx) -> Status { return store.Sync().SetMeta(tx, kNoticeKey, ""); });
}

// --- a full or failing disk ---------------------------------------------------------------------

bool IsDiskProblem(const Error& e) {
    return e.code == ErrorCode::kStorage && (e.log.find("disk is full") != std::string::npos ||
                                             e.log.find("disk I/O error") != std::string::npos);
}

std::string DescribeDiskProblem(const Error& e, const fs::path& db_file) {
    const fs::path dir = db_file.has_parent_path() ? db_file.parent_path() : fs::path(".");
    struct statvfs st {};
    std::string free_text = "free space unknown";
    if (::statvfs(dir.c_str(), &st) == 0) {
        const double mb =
            static_cast<double>(st.f_bavail) * static_cast<double>(st.f_frsize) / (1024.0 * 1024.0);
        char buf[48];
        std::snprintf(buf, sizeof buf, "%.1f MB free", mb);
        free_text = buf;
    }
    if (e.log.find("disk is full") != std::string::npos) {
        return "The disk holding " + dir.string() + " is full (" + free_text +
               "): free space on it (old logs, large files; never delete kiosk.db or its -wal "
               "file). Check-ins are refused until then and resume by themselves, no restart "
               "needed.";
    }
    return "The disk holding " + dir.string() + " fails to read or write (" + free_text +
           "): check the disk (dmesg, smartctl) and its free space. Check-ins are refused "
           "until it works again.";
}

namespace {
std::mutex g_problem_mutex;
std::string g_problem;
}  // namespace

void NoteStorageProblem(const std::string& text) {
    std::lock_guard<std::mutex> lock(g_problem_mutex);
    g_problem = text;
}

void ClearStorageProblem() {
    std::lock_guard<std::mutex> lock(g_problem_mutex);
    g_problem.clear();
}

std::string StorageProblem() {
    std::lock_guard<std::mutex> lock(g_problem_mutex);
    return g_problem;
}

}  // namespace kiosk::store
