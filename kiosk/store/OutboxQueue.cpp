// The outbox table (001, 002, 006): typed queueing, the reads the pusher and the status page
// need, and sending progress.
#include "kiosk/store/OutboxQueue.h"

#include "kiosk/store/Connection.h"

namespace kiosk::store {
namespace {

OutboxItem ReadOutboxItem(SQLite::Statement& q) {
    OutboxItem item;
    item.seq = q.getColumn(0).getInt64();
    item.stored_kind = q.getColumn(1).getString();
    if (auto kind = ParseOutboxKind(item.stored_kind)) {
        item.kind = kind.value();
    }
    item.subject = q.getColumn(2).getString();
    item.created_at = AsInstant(q.getColumn(3));
    item.state = q.getColumn(4).getString();
    item.attempts = q.getColumn(5).getInt();
    item.last_error = q.getColumn(6).getString();
    item.failures = q.getColumn(7).getInt();
    item.blocked = q.getColumn(8).getInt() != 0;
    return item;
}

Result<std::vector<OutboxItem>> ReadItems(SQLite::Statement& q) {
    std::vector<OutboxItem> out;
    while (q.executeStep()) {
        out.push_back(ReadOutboxItem(q));
    }
    return out;
}

}  // namespace

Status OutboxQueue::EnqueueEncounter(WriteTx& tx, const std::string& identifier, Instant at) {
    return Add(tx, std::string(OutboxKindName(OutboxKind::kEncounter)), identifier, {}, at);
}

Status OutboxQueue::EnqueueProvenance(WriteTx& tx, const ManualChangeFact& fact, Instant at) {
    return Add(tx, std::string(OutboxKindName(OutboxKind::kProvenance)), fact.attendance_identifier,
               ManualChangePayload(fact), at);
}

Status OutboxQueue::EnqueueReferral(WriteTx& tx, const ReferralFact& fact, Instant at) {
    return Add(tx, std::string(OutboxKindName(OutboxKind::kReferral)), fact.referral_id,
               ReferralPayload(fact), at);
}

Status OutboxQueue::EnqueueCredential(WriteTx& tx, const CredentialFact& fact) {
    return Add(tx, std::string(OutboxKindName(OutboxKind::kCredential)), fact.person_ref,
               CredentialPayload(fact), fact.at);
}

Status OutboxQueue::Add(WriteTx&, const std::string& stored_kind, const std::string& subject,
                        const std::string& payload, Instant at) {
    return Guard("queue for the server", [&]() -> Status {
        SQLite::Statement q(
            m_db.db, "INSERT INTO outbox (kind, subject, created_at, payload) VALUES (?, ?, ?, ?)");
        q.bind(1, stored_kind);
        q.bind(2, subject);
        BindTime(q, 3, at);
        if (payload.empty()) {
            q.bind(4);
        } else {
            q.bind(4, payload);
        }
        q.exec();
        return Ok{};
    });
}

Result<std::vector<OutboxItem>> OutboxQueue::Items(const std::string& state, int limit) {
    return Guard("read outbox", [&]() -> Result<std::vector<OutboxItem>> {
        SQLite::Statement q(m_db.db, std::string("SELECT ") + kOutboxColumns +
                                         " FROM outbox WHERE state = ? ORDER BY seq LIMIT ?");
        q.bind(1, state);
        q.bind(2, limit);
        return ReadItems(q);
    });
}

Result<OutboxSummary> OutboxQueue::Summary() {
    return Guard("read outbox",
                 [&]() -> Result<OutboxSummary> { return ReadOutboxSummary(m_db.db); });
}

Result<long long> OutboxQueue::HighWater() {
    return Guard("read outbox", [&]() -> Result<long long> {
        return static_cast<long long>(
            m_db.db.execAndGet("SELECT coalesce(max(seq), 0) FROM outbox").getInt64());
    });
}

Result<std::vector<OutboxItem>> OutboxQueue::Due(Instant now, long long after, int limit) {
    return Guard("read outbox", [&]() -> Result<std::vector<OutboxItem>> {
        SQLite::Statement q(m_db.db, std::string("SELECT ") + kOutboxColumns +
                                         " FROM outbox WHERE state = 'pending' AND "
                                         "next_try_at <= ? AND seq > ? ORDER BY seq LIMIT ?");
        BindTime(q, 1, now);
        q.bind(2, static_cast<int64_t>(after));
        q.bind(3, limit);
        return ReadItems(q);
    });
}

Result<bool> OutboxQueue::PendingFor(OutboxKind kind, const std::string& subject) {
    return Guard("read outbox", [&]() -> Result<bool> {
        SQLite::Statement q(m_db.db,
                            "SELECT 1 FROM outbox WHERE state = 'pending' AND kind = ? AND "
                            "subject = ? LIMIT 1");
        q.bind(1, std::string(OutboxKindName(kind)));
        q.bind(2, subject);
        return q.executeStep();
    });
}

Result<std::string> OutboxQueue::Payload(long long seq) {
    return Guard("read outbox", [&]() -> Result<std::string> {
        SQLite::Statement q(m_db.db, "SELECT coalesce(payload, '') FROM outbox WHERE seq = ?");
        q.bind(1, static_cast<int64_t>(seq));
        return q.executeStep() ? q.getColumn(0).getString() : std::string();
    });
}

Result<ManualChangeFact> OutboxQueue::ManualChangeOf(long long seq) {
    auto payload = Payload(seq);
    if (!payload) {
        return payload.error();
    }
    return ParseManualChangePayload(payload.value());
}

Result<ReferralFact> OutboxQueue::ReferralOf(long long seq) {
    auto payload = Payload(seq);
    if (!payload) {
        return payload.error();
    }
    return ParseReferralPayload(payload.value());
}

Result<CredentialFact> OutboxQueue::CredentialOf(long long seq) {
    auto payload = Payload(seq);
    if (!payload) {
        return payload.error();
    }
    return ParseCredentialPayload(payload.value());
}

Status OutboxQueue::MarkAttempted(const std::vector<long long>& seqs) {
    return m_db.Transaction([&](WriteTx&) -> Status {
        SQLite::Statement q(m_db.db, "UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?");
        for (long long seq : seqs) {
            q.bind(1, static_cast<int64_t>(seq));
            q.exec();
            q.reset();
        }
        return Ok{};
    });
}

Status OutboxQueue::MarkDelivered(const std::vector<long long>& seqs, Instant at) {
    if (seqs.empty()) {
        return Ok{};
    }
    return m_db.Transaction([&](WriteTx&) -> Status {
        SQLite::Statement q(
            m_db.db,
            "UPDATE outbox SET state = 'delivered', delivered_at = ?, last_error = NULL, "
            "blocked = 0, failures = 0 WHERE seq = ? AND state = 'pending'");
        for (long long seq : seqs) {
            BindTime(q, 1, at);
            q.bind(2, static_cast<int64_t>(seq));
            q.exec();
            q.reset();
        }
        return Ok{};
    });
}

Status OutboxQueue::NoteFailure(long long seq, const std::string& error, Instant next_try,
                                bool blocked) {
    return m_db.Transaction([&](WriteTx&) -> Status {
        SQLite::Statement q(m_db.db,
                            "UPDATE outbox SET last_error = ?, next_try_at = ?, "
                            "failures = failures + 1, blocked = ? WHERE seq = ?");
        q.bind(1, error);
        BindTime(q, 2, next_try);
        q.bind(3, blocked ? 1 : 0);
        q.bind(4, static_cast<int64_t>(seq));
        q.exec();
        return Ok{};
    });
}

Status OutboxQueue::MarkRejected(WriteTx&, long long seq, const std::string& error) {
    return Guard("mark outbox item refused", [&]() -> Status {
        SQLite::Statement q(m_db.db,
                            "UPDATE outbox SET state = 'rejected', last_error = ?, blocked = 0 "
                            "WHERE seq = ? AND state = 'pending'");
        q.bind(1, error);
        q.bind(2, static_cast<int64_t>(seq));
        q.exec();
        return Ok{};
    });
}

}  // namespace kiosk::store
