// Read-only health of a kiosk database for `kiosk doctor`: integrity, schema version and the
// outbox, read beside a running kiosk (WAL) without creating, migrating or writing anything.
#include <system_error>

#include "kiosk/store/Connection.h"
#include "kiosk/store/Migrations.h"
#include "kiosk/store/Store.h"

namespace kiosk::store {

Result<DatabaseHealth> CheckDatabaseHealth(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        return MakeError(ErrorCode::kNotFound, file.string() + " does not exist");
    }
    return Guard("check " + file.string(), [&]() -> Result<DatabaseHealth> {
        SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
        db.setBusyTimeout(5000);  // a kiosk checkpointing the WAL holds it only briefly
        DatabaseHealth health;
        health.newest_version = AllMigrations().empty() ? 0 : AllMigrations().back().version;
        {
            SQLite::Statement q(db, "PRAGMA integrity_check(20)");
            while (q.executeStep()) {
                const std::string line = q.getColumn(0).getString();
                if (line != "ok") {
                    health.problems.push_back(line);
                }
            }
        }
        health.schema_version = db.execAndGet("PRAGMA user_version").getInt();
        if (db.tableExists("outbox")) {
            health.outbox = ReadOutboxSummary(db, health.schema_version >= 6);
        }
        return health;
    });
}

}  // namespace kiosk::store
