// Opening, migrating and transactions. Pragmas: WAL so the sync thread can read while the main
// thread writes; synchronous=FULL so a commit that returned survives a power cut.
#include "kiosk/store/Store.h"

#include "kiosk/core/Sha256.h"
#include "kiosk/store/Connection.h"
#include "kiosk/store/Migrations.h"

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

Status Connection::Transaction(const std::function<Status(WriteTx&)>& work) {
    return Guard("transaction", [&]() -> Status {
        SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
        WriteTx token;
        Status s = work(token);
        if (s) {
            tx.commit();
        }
        return s;  // not committed: the Transaction's destructor rolls back
    });
}

Store::Store(std::unique_ptr<Connection> connection, std::optional<AuditKey> audit_key)
    : m_connection(std::move(connection)),
      m_clinic(*m_connection),
      m_attendance(*m_connection),
      m_outbox(*m_connection),
      m_sync(*m_connection),
      m_staff(*m_connection),
      m_directory(*m_connection),
      m_referrals(*m_connection),
      m_audit(*m_connection, audit_key) {}

Store::~Store() = default;

const std::filesystem::path& Store::File() const {
    return m_connection->file;
}

Result<std::unique_ptr<Store>> Store::Open(const std::filesystem::path& file,
                                           std::optional<AuditKey> audit_key) {
    return Guard("open database " + file.string(), [&]() -> Result<std::unique_ptr<Store>> {
        auto connection = std::make_unique<Connection>(file);
        SQLite::Database& db = connection->db;
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
        std::unique_ptr<Store> store(new Store(std::move(connection), audit_key));
        if (auto s = store->m_audit.Prepare(); !s) {
            return s.error();
        }
        return store;
    });
}

Status Store::Transaction(const std::function<Status(WriteTx&)>& work) {
    return m_connection->Transaction(work);
}

int Store::SchemaVersion() {
    try {
        return m_connection->db.execAndGet("PRAGMA user_version").getInt();
    } catch (const std::exception&) {
        return -1;
    }
}

}  // namespace kiosk::store
