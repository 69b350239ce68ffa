// The audit log's hash chain (PRIVACY.md 9). Each row's hash covers the previous row's hash and
// every field, length-prefixed so no two rows can encode alike. Triggers refuse UPDATE and
// DELETE; the chain catches what goes around them (an edited file, a dropped trigger).
#include "kiosk/core/Sha256.h"
#include "kiosk/store/StoreImpl.h"

namespace kiosk::store {
namespace {

const std::string kGenesis(64, '0');

std::string RowHash(const std::string& prev, long long seq, long long at, const std::string& actor,
                    const std::string& action, const std::string& subject,
                    const std::string& detail) {
    std::string buf = prev;
    for (const std::string& field :
         {std::to_string(seq), std::to_string(at), actor, action, subject, detail}) {
        buf += "|" + std::to_string(field.size()) + ":" + field;
    }
    return Sha256Hex(buf);
}

}  // namespace

Status Store::Audit(const AuditEntry& e) {
    return Guard("write audit log", [&]() -> Status {
        SQLite::Database& db = m_impl->db;
        if (sqlite3_get_autocommit(db.getHandle()) != 0) {
            return MakeError(ErrorCode::kInternal, "Audit called outside a transaction");
        }
        long long seq = 1;
        std::string prev = kGenesis;
        SQLite::Statement last(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
        if (last.executeStep()) {
            seq = last.getColumn(0).getInt64() + 1;
            prev = last.getColumn(1).getString();
        }
        const long long at = Epoch(e.at);
        SQLite::Statement q(db,
                            "INSERT INTO audit (seq, at, actor, action, subject, detail, prev_hash, "
                            "hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        q.bind(1, static_cast<int64_t>(seq));
        q.bind(2, static_cast<int64_t>(at));
        q.bind(3, e.actor);
        q.bind(4, e.action);
        q.bind(5, e.subject);
        q.bind(6, e.detail);
        q.bind(7, prev);
        q.bind(8, RowHash(prev, seq, at, e.actor, e.action, e.subject, e.detail));
        q.exec();
        return Ok{};
    });
}

Result<AuditVerdict> Store::VerifyAudit() {
    return Guard("verify audit log", [&]() -> Result<AuditVerdict> {
        SQLite::Statement q(m_impl->db,
                            "SELECT seq, at, actor, action, subject, detail, prev_hash, hash "
                            "FROM audit ORDER BY seq");
        AuditVerdict v;
        std::string prev = kGenesis;
        long long expected_seq = 1;
        while (q.executeStep()) {
            const long long seq = q.getColumn(0).getInt64();
            ++v.rows;
            if (v.first_bad_seq) {
                continue;
            }
            const std::string hash = q.getColumn(7).getString();
            const std::string recomputed =
                RowHash(q.getColumn(6).getString(), seq, q.getColumn(1).getInt64(),
                        q.getColumn(2).getString(), q.getColumn(3).getString(),
                        q.getColumn(4).getString(), q.getColumn(5).getString());
            if (seq != expected_seq) {
                v.first_bad_seq = seq;
                v.why = "row " + std::to_string(expected_seq) + " is missing before row " +
                        std::to_string(seq);
            } else if (q.getColumn(6).getString() != prev) {
                v.first_bad_seq = seq;
                v.why = "row " + std::to_string(seq) + " does not follow the row before it";
            } else if (recomputed != hash) {
                v.first_bad_seq = seq;
                v.why = "row " + std::to_string(seq) + " was changed after it was written";
            }
            prev = hash;
            expected_seq = seq + 1;
        }
        return v;
    });
}

}  // namespace kiosk::store
