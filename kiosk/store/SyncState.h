// What the sync engine keeps between rounds: meta values (pull cursors, the recovery notice,
// ...) and what it knows of each of the kiosk's resources on the server (migration 002).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/core/Result.h"
#include "kiosk/store/WriteTx.h"

namespace kiosk::store {

struct Connection;

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

class SyncState {
  public:
    explicit SyncState(Connection& connection) : m_db(connection) {}
    SyncState(const SyncState&) = delete;
    SyncState& operator=(const SyncState&) = delete;

    Result<std::optional<std::string>> GetMeta(const std::string& key);
    Status SetMeta(WriteTx& tx, const std::string& key, const std::string& value);
    /// Writes meta keys in one transaction of its own.
    Status SetMetaMany(const std::vector<std::pair<std::string, std::string>>& values);

    Result<std::optional<RemoteRecord>> Remote(const std::string& identifier);
    /// Replaces every field; its own transaction.
    Status SaveRemote(const RemoteRecord& record);
    /// Records versions seen in a pull; keeps each row's pushed_state. Its own transaction.
    Status NoteRemotes(const std::vector<RemoteRecord>& seen);

  private:
    Connection& m_db;
};

}  // namespace kiosk::store
