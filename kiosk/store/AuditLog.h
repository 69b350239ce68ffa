// The audit log (PRIVACY.md 9): a hash chain of who did what, keyed since migration 008 with
// the audit key kept outside the data directory. Rows are appended in the transaction of what
// they record; the chain can be checked here, or read-only from a file (VerifyAuditFile).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/AuditKey.h"
#include "kiosk/core/Result.h"
#include "kiosk/store/Records.h"
#include "kiosk/store/WriteTx.h"

namespace kiosk::store {

struct Connection;

class AuditLog {
  public:
    AuditLog(Connection& connection, std::optional<AuditKey> key);
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;

    /// Appends a row; kConfig when the store was opened without the audit key.
    Status Append(WriteTx& tx, const AuditEntry& entry);
    /// Checks the chain with this store's key (keyed rows only for linkage without one).
    Result<AuditVerdict> Verify();
    /// The newest audit row; nullopt when the log is empty.
    Result<std::optional<AuditHead>> LatestHead();

  private:
    friend class Store;
    /// After the migrations: reads the chain's id and boundary and, with a key, checks or
    /// writes the seal. kConfig when the chain was sealed with another key.
    Status Prepare();

    Connection& m_db;
    std::optional<AuditKey> m_key;
    std::string m_chain;         ///< the chain's id (migration 008)
    long long m_keyed_from = 0;  ///< the first keyed seq; 0: not keyed
};

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
