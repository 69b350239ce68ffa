// Opening, migrating and transactions. Pragmas: WAL so the sync thread can read while the main
// thread writes; synchronous=FULL so a commit that returned survives a power cut.
#include "kiosk/store/Store.h"

#include "kiosk/core/Sha256.h"
#include "kiosk/store/Migrations.h"
#include "kiosk/store/StoreImpl.h"

namespace kiosk::store {

std::string AttendanceIdentifier(const std::string& session_id, const std::string& person_ref) {
    return Sha256Hex(session_id + "/" + person_ref);
}

Error StorageError(const std::string& what, const std::exception& e, int sqlite_code) {
    std::string hint;
    switch (sqlite_code & 0xff) {
        case SQLITE_FULL:
            hint = " (the disk is full: free space on the kiosk's data disk)";
            break;
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT:
            hint = " (the database file is damaged: run 'kiosk doctor')";
            break;
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
        case SQLITE_PERM:
            hint = " (check that the data directory exists and the kiosk user may write it)";
            break;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            hint = " (the database is busy: another process holds it)";
            break;
        default:
            break;
    }
    return MakeError(ErrorCode::kStorage, what + ": " + e.what() + hint,
                     "Something went wrong. Please see the front desk.");
}

Store::Store(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::Open(const std::filesystem::path& file,
                                           std::optional<AuditKey> audit_key) {
    return Guard("open database " + file.string(), [&]() -> Result<std::unique_ptr<Store>> {
        auto impl = std::make_unique<Impl>(file);
        impl->audit_key = std::move(audit_key);
        SQLite::Database& db = impl->db;
        db.setBusyTimeout(5000);
        // Reading the schema first makes a file that is not a database fail here, by name.
        db.exec("SELECT count(*) FROM sqlite_master");
        db.exec("PRAGMA journal_mode=WAL");
        db.exec("PRAGMA synchronous=FULL");
        db.exec("PRAGMA foreign_keys=ON");
        const int current = db.execAndGet("PRAGMA user_version").getInt();
        const auto& all = AllMigrations();
        if (!all.empty() && current > all.back().version) {
            return MakeError(ErrorCode::kStorage,
                             "database " + file.string() + " is at schema version " +
                                 std::to_string(current) + ", newer than this kiosk (" +
                                 std::to_string(all.back().version) + "): install the newer kiosk");
        }
        for (const auto& m : all) {
            if (m.version <= current) {
                continue;
            }
            SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
            db.exec(std::string(m.sql));
            db.exec("PRAGMA user_version=" + std::to_string(m.version));
            tx.commit();
        }
        if (auto s = PrepareAuditChain(*impl); !s) {
            return s.error();
        }
        return std::unique_ptr<Store>(new Store(std::move(impl)));
    });
}

Status Store::Transaction(const std::function<Status()>& work) {
    return Guard("transaction", [&]() -> Status {
        SQLite::Transaction tx(m_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        Status s = work();
        if (s) {
            tx.commit();
        }
        return s;  // not committed: the Transaction's destructor rolls back
    });
}

int Store::SchemaVersion() {
    try {
        return m_impl->db.execAndGet("PRAGMA user_version").getInt();
    } catch (const std::exception&) {
        return -1;
    }
}

Result<std::optional<std::string>> Store::GetMeta(const std::string& key) {
    return Guard("read meta", [&]() -> Result<std::optional<std::string>> {
        SQLite::Statement q(m_impl->db, "SELECT value FROM meta WHERE key = ?");
        q.bind(1, key);
        if (q.executeStep()) {
            return std::optional<std::string>(q.getColumn(0).getString());
        }
        return std::optional<std::string>();
    });
}

Status Store::SetMeta(const std::string& key, const std::string& value) {
    return Guard("write meta", [&]() -> Status {
        SQLite::Statement q(m_impl->db,
                            "INSERT INTO meta (key, value) VALUES (?, ?) "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        q.bind(1, key);
        q.bind(2, value);
        q.exec();
        return Ok{};
    });
}

}  // namespace kiosk::store
