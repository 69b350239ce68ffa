// The audit log's hash chain (PRIVACY.md 9). Each row's hash covers the previous row's hash and
// every field, length-prefixed so no two rows can encode alike. Triggers refuse UPDATE and
// DELETE; the chain catches what goes around them (an edited file, a dropped trigger). Since
// migration 008 the hash is HMAC-SHA256 under the audit key (kept outside the data directory),
// so an edited row cannot be given a hash that checks out; rows from before keep plain SHA-256.
#include "kiosk/store/AuditLog.h"

#include "kiosk/core/Iso8601.h"
#include "kiosk/core/Log.h"
#include "kiosk/core/Sha256.h"
#include "kiosk/store/Connection.h"

#include <map>

namespace kiosk::store {
namespace {

const std::string kGenesis(64, '0');
constexpr const char* kChainKey = "audit.chain";
constexpr const char* kKeyedFromKey = "audit.keyed_from";
constexpr const char* kSealKey = "audit.seal";

std::string RowText(const std::string& prev, long long seq, long long at, const std::string& actor,
                    const std::string& action, const std::string& subject,
                    const std::string& detail) {
    std::string buf = prev;
    for (const std::string& field :
         {std::to_string(seq), std::to_string(at), actor, action, subject, detail}) {
        buf += "|" + std::to_string(field.size()) + ":" + field;
    }
    return buf;
}

/// A keyed row: the chain's id is in the MAC too, so it cannot be swapped for another.
std::string KeyedHash(const AuditKey& key, const std::string& chain, const std::string& text) {
    return HmacSha256Hex(key, "iop-kiosk audit row|" + chain + "|" + text);
}

/// Binds the boundary and the chain's id to the key: moving the boundary breaks it.
std::string Seal(const AuditKey& key, const std::string& chain, long long keyed_from) {
    return HmacSha256Hex(key, "iop-kiosk audit seal|" + chain + "|" + std::to_string(keyed_from));
}

std::optional<std::string> MetaValue(SQLite::Database& db, const char* key) {
    SQLite::Statement q(db, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    if (q.executeStep()) {
        return q.getColumn(0).getString();
    }
    return std::nullopt;
}

/// What migration 008 and the first keyed start recorded.
struct ChainMeta {
    std::string chain;
    long long keyed_from = 0;  ///< 0: not keyed (a database before migration 008)
    std::optional<std::string> seal;
};

ChainMeta ReadChainMeta(SQLite::Database& db) {
    ChainMeta m;
    if (!db.tableExists("meta")) {
        return m;
    }
    m.chain = MetaValue(db, kChainKey).value_or("");
    try {
        m.keyed_from = std::stoll(MetaValue(db, kKeyedFromKey).value_or("0"));
    } catch (const std::exception&) {
        m.keyed_from = -1;  // not a number: reported by the check of the seal
    }
    m.seal = MetaValue(db, kSealKey);
    return m;
}

/// The chain as a whole, before its rows: keyed at all, sealed, sealed with this key.
std::string ChainProblem(SQLite::Database& db, const ChainMeta& m, const AuditKey& key) {
    if (m.keyed_from == 0 || m.chain.empty()) {
        return "this database's audit log is not keyed (schema version " +
               std::to_string(db.execAndGet("PRAGMA user_version").getInt()) +
               ", from before migration 008): its rows have plain SHA-256 hashes, which anyone "
               "who can edit the file can recompute. The kiosk keys it on its next start";
    }
    if (!m.seal) {
        return "the audit log's seal (meta audit.seal) is missing: it was removed, or no kiosk "
               "with a key has opened this database. Rows before row " +
               std::to_string(m.keyed_from) + " cannot be told from rewritten ones";
    }
    if (*m.seal != Seal(key, m.chain, m.keyed_from)) {
        return "the audit log's seal does not match this key: it is not the key this kiosk "
               "writes with, or the log's keyed boundary (row " +
               std::to_string(m.keyed_from) + ") or chain id was changed";
    }
    return {};
}

/// Checks every row: sequence, link to the row before, and its hash (plain before the
/// boundary; keyed after it, when there is a key).
void VerifyRows(SQLite::Database& db, const ChainMeta& m, const std::optional<AuditKey>& key,
                AuditVerdict& v) {
    SQLite::Statement q(db,
                        "SELECT seq, at, actor, action, subject, detail, prev_hash, hash "
                        "FROM audit ORDER BY seq");
    std::string prev = kGenesis;
    long long expected_seq = 1;
    while (q.executeStep()) {
        const long long seq = q.getColumn(0).getInt64();
        const std::string hash = q.getColumn(7).getString();
        ++v.rows;
        v.head = AuditHead{m.chain, seq, hash, AsInstant(q.getColumn(1)),
                           m.keyed_from > 0 && seq >= m.keyed_from};
        if (v.first_bad_seq) {
            continue;
        }
        const std::string text = RowText(q.getColumn(6).getString(), seq, q.getColumn(1).getInt64(),
                                         q.getColumn(2).getString(), q.getColumn(3).getString(),
                                         q.getColumn(4).getString(), q.getColumn(5).getString());
        const bool keyed = m.keyed_from > 0 && seq >= m.keyed_from;
        const bool changed =
            keyed ? (key && KeyedHash(*key, m.chain, text) != hash) : Sha256Hex(text) != hash;
        if (seq != expected_seq) {
            v.first_bad_seq = seq;
            v.why = "row " + std::to_string(expected_seq) + " is missing before row " +
                    std::to_string(seq);
        } else if (q.getColumn(6).getString() != prev) {
            v.first_bad_seq = seq;
            v.why = "row " + std::to_string(seq) + " does not follow the row before it";
        } else if (changed) {
            v.first_bad_seq = seq;
            v.why = "row " + std::to_string(seq) + " was changed after it was written" +
                    (keyed ? " (its keyed hash does not check out: changed, or rewritten "
                             "without the key)"
                           : "");
        }
        prev = hash;
        expected_seq = seq + 1;
    }
}

/// The local chain against the heads the server holds (newest per chain).
void CompareHeads(SQLite::Database& db, const std::vector<AuditHead>& heads, AuditVerdict& v) {
    std::map<std::string, AuditHead> newest;
    for (const AuditHead& h : heads) {
        auto it = newest.find(h.chain);
        if (it == newest.end() || h.seq > it->second.seq) {
            newest[h.chain] = h;
        }
    }
    const long long last = v.head ? v.head->seq : 0;
    std::string first_action;
    Instant first_at{};
    {
        SQLite::Statement q(db, "SELECT action, at FROM audit ORDER BY seq LIMIT 1");
        if (q.executeStep()) {
            first_action = q.getColumn(0).getString();
            first_at = AsInstant(q.getColumn(1));
        }
    }
    for (const auto& [chain, h] : newest) {
        const std::string sent = " (sent for the row written " + FormatDateTimeUtc(h.at) + ")";
        if (chain != v.chain) {
            const std::string other =
                "the server holds the audit log of another database of "
                "this kiosk (chain " +
                chain + ", up to row " + std::to_string(h.seq) + sent + ")";
            if (first_action == "database-recovered" || first_action == "database-missing") {
                v.notes.push_back(other + "; this database's log starts anew at " +
                                  FormatDateTimeUtc(first_at) + " with '" + first_action +
                                  "', so that log ended with the old database");
            } else {
                v.head_problems.push_back(other +
                                          ", and this log does not start with a "
                                          "recovery: kiosk.db may have been replaced");
            }
            continue;
        }
        if (last < h.seq) {
            v.head_problems.push_back(
                "TRUNCATED: the server holds this log's head at row " + std::to_string(h.seq) +
                sent + ", but the log here ends at row " + std::to_string(last) + ": rows " +
                std::to_string(last + 1) + " to " + std::to_string(h.seq) + " were removed");
            continue;
        }
        SQLite::Statement q(db, "SELECT hash FROM audit WHERE seq = ?");
        q.bind(1, static_cast<int64_t>(h.seq));
        if (!q.executeStep()) {
            v.head_problems.push_back("row " + std::to_string(h.seq) +
                                      ", whose head the server holds" + sent + ", is missing here");
        } else if (q.getColumn(0).getString() != h.hash) {
            v.head_problems.push_back("row " + std::to_string(h.seq) +
                                      " differs from the head "
                                      "the server holds" +
                                      sent + ": the log was rewritten from there back");
        }
    }
}

AuditVerdict VerifyChain(SQLite::Database& db, const std::optional<AuditKey>& key,
                         const std::vector<AuditHead>& heads) {
    AuditVerdict v;
    const ChainMeta m = ReadChainMeta(db);
    v.chain = m.chain;
    v.keyed_from = m.keyed_from;
    if (key) {
        v.problem = ChainProblem(db, m, *key);
        v.keyed_checked = m.keyed_from > 0;
    }
    VerifyRows(db, m, key, v);
    CompareHeads(db, heads, v);
    return v;
}

}  // namespace

AuditLog::AuditLog(Connection& connection, std::optional<AuditKey> key)
    : m_db(connection), m_key(key) {}

Status AuditLog::Prepare() {
    const ChainMeta m = ReadChainMeta(m_db.db);
    m_chain = m.chain;
    m_keyed_from = m.keyed_from;
    if (!m_key) {
        return Ok{};
    }
    const std::string seal = Seal(*m_key, m.chain, m.keyed_from);
    if (m.seal) {
        if (*m.seal != seal) {
            return MakeError(ErrorCode::kConfig,
                             "the audit log of " + m_db.file.string() +
                                 " was sealed with another audit key than this one");
        }
        return Ok{};
    }
    // First start with a key after migration 008: seal the boundary, unless keyed rows exist
    // already (then the seal was removed; `kiosk audit verify` says so, and it is not renewed).
    // A seal removed together with a boundary moved past every keyed row would be renewed
    // here; the heads on the server (sync/AuditHeadSender.h) are what catches that.
    SQLite::Statement keyed(m_db.db, "SELECT count(*) FROM audit WHERE seq >= ?");
    keyed.bind(1, static_cast<int64_t>(m.keyed_from));
    keyed.executeStep();
    if (keyed.getColumn(0).getInt64() > 0 || m.keyed_from <= 0) {
        LogError("store", "the audit log of " + m_db.file.string() +
                              " has lost its seal (meta audit.seal): run 'kiosk audit verify'");
        return Ok{};
    }
    SQLite::Transaction tx(m_db.db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(m_db.db, "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)");
    q.bind(1, kSealKey);
    q.bind(2, seal);
    q.exec();
    tx.commit();
    return Ok{};
}

Status AuditLog::Append(WriteTx&, const AuditEntry& e) {
    return Guard("write audit log", [&]() -> Status {
        SQLite::Database& db = m_db.db;
        if (!m_key) {
            return MakeError(ErrorCode::kConfig,
                             "the audit log cannot be written: this connection to " +
                                 m_db.file.string() + " was opened without the audit key");
        }
        long long seq = 1;
        std::string prev = kGenesis;
        SQLite::Statement last(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
        if (last.executeStep()) {
            seq = last.getColumn(0).getInt64() + 1;
            prev = last.getColumn(1).getString();
        }
        const long long at = Epoch(e.at);
        SQLite::Statement q(
            db,
            "INSERT INTO audit (seq, at, actor, action, subject, detail, prev_hash, "
            "hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        q.bind(1, static_cast<int64_t>(seq));
        q.bind(2, static_cast<int64_t>(at));
        q.bind(3, e.actor);
        q.bind(4, e.action);
        q.bind(5, e.subject);
        q.bind(6, e.detail);
        q.bind(7, prev);
        q.bind(8, KeyedHash(*m_key, m_chain,
                            RowText(prev, seq, at, e.actor, e.action, e.subject, e.detail)));
        q.exec();
        return Ok{};
    });
}

Result<AuditVerdict> AuditLog::Verify() {
    return Guard("verify audit log",
                 [&]() -> Result<AuditVerdict> { return VerifyChain(m_db.db, m_key, {}); });
}

Result<std::optional<AuditHead>> AuditLog::LatestHead() {
    return Guard("read the audit log's head", [&]() -> Result<std::optional<AuditHead>> {
        SQLite::Statement q(m_db.db, "SELECT seq, hash, at FROM audit ORDER BY seq DESC LIMIT 1");
        if (!q.executeStep()) {
            return std::optional<AuditHead>();
        }
        const long long seq = q.getColumn(0).getInt64();
        const long long keyed_from = m_keyed_from;
        return std::optional<AuditHead>(AuditHead{m_chain, seq, q.getColumn(1).getString(),
                                                  AsInstant(q.getColumn(2)),
                                                  keyed_from > 0 && seq >= keyed_from});
    });
}

Result<AuditVerdict> VerifyAuditFile(const std::filesystem::path& file,
                                     const std::optional<AuditKey>& key,
                                     const std::vector<AuditHead>& server_heads) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        return MakeError(ErrorCode::kNotFound, file.string() + " does not exist");
    }
    return Guard("check the audit log of " + file.string(), [&]() -> Result<AuditVerdict> {
        SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
        db.setBusyTimeout(5000);
        if (!db.tableExists("audit")) {
            return MakeError(ErrorCode::kStorage,
                             file.string() + " has no audit table: it is not a kiosk database");
        }
        return VerifyChain(db, key, server_heads);
    });
}

}  // namespace kiosk::store
