// The meta table and sync_remote (migration 002).
#include "kiosk/store/SyncState.h"

#include "kiosk/store/Connection.h"

namespace kiosk::store {

Result<std::optional<std::string>> SyncState::GetMeta(const std::string& key) {
    return Guard("read meta", [&]() -> Result<std::optional<std::string>> {
        SQLite::Statement q(m_db.db, "SELECT value FROM meta WHERE key = ?");
        q.bind(1, key);
        if (q.executeStep()) {
            return std::optional<std::string>(q.getColumn(0).getString());
        }
        return std::optional<std::string>();
    });
}

Status SyncState::SetMeta(WriteTx&, const std::string& key, const std::string& value) {
    return Guard("write meta", [&]() -> Status {
        SQLite::Statement q(m_db.db,
                            "INSERT INTO meta (key, value) VALUES (?, ?) "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        q.bind(1, key);
        q.bind(2, value);
        q.exec();
        return Ok{};
    });
}

Status SyncState::SetMetaMany(const std::vector<std::pair<std::string, std::string>>& values) {
    return m_db.Transaction([&](WriteTx& tx) -> Status {
        for (const auto& [key, value] : values) {
            if (auto s = SetMeta(tx, key, value); !s) {
                return s;
            }
        }
        return Ok{};
    });
}

Result<std::optional<RemoteRecord>> SyncState::Remote(const std::string& identifier) {
    return Guard("read sync record", [&]() -> Result<std::optional<RemoteRecord>> {
        SQLite::Statement q(m_db.db,
                            "SELECT identifier, resource_type, server_id, version_id, server_json, "
                            "pushed_state FROM sync_remote WHERE identifier = ?");
        q.bind(1, identifier);
        if (!q.executeStep()) {
            return std::optional<RemoteRecord>();
        }
        return std::optional<RemoteRecord>(RemoteRecord{
            q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
            q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString()});
    });
}

Status SyncState::SaveRemote(const RemoteRecord& r) {
    return m_db.Transaction([&](WriteTx&) -> Status {
        SQLite::Statement q(
            m_db.db,
            "INSERT INTO sync_remote (identifier, resource_type, server_id, version_id, "
            "server_json, pushed_state) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (identifier) DO UPDATE SET resource_type = excluded.resource_type, "
            "server_id = excluded.server_id, version_id = excluded.version_id, "
            "server_json = excluded.server_json, pushed_state = excluded.pushed_state");
        q.bind(1, r.identifier);
        q.bind(2, r.resource_type);
        q.bind(3, r.server_id);
        q.bind(4, r.version_id);
        q.bind(5, r.server_json);
        q.bind(6, r.pushed_state);
        q.exec();
        return Ok{};
    });
}

Status SyncState::NoteRemotes(const std::vector<RemoteRecord>& seen) {
    if (seen.empty()) {
        return Ok{};
    }
    return m_db.Transaction([&](WriteTx&) -> Status {
        SQLite::Statement q(
            m_db.db,
            "INSERT INTO sync_remote (identifier, resource_type, server_id, version_id, "
            "server_json) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (identifier) DO UPDATE SET resource_type = excluded.resource_type, "
            "server_id = excluded.server_id, version_id = excluded.version_id, "
            "server_json = excluded.server_json");
        for (const auto& r : seen) {
            q.bind(1, r.identifier);
            q.bind(2, r.resource_type);
            q.bind(3, r.server_id);
            q.bind(4, r.version_id);
            q.bind(5, r.server_json);
            q.exec();
            q.reset();
        }
        return Ok{};
    });
}

}  // namespace kiosk::store
