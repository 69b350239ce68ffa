// The sync engine's reads and writes: outbox progress (attempted, delivered, rejected with an
// audit row), what the kiosk knows of its resources on the server, family members' patients,
// the windows a pull refreshes, and the raw resource directory. Schema: 002_sync.sql.
#include <set>

#include "kiosk/store/StoreImpl.h"

namespace kiosk::store {
namespace {

void BindTime(SQLite::Statement& q, int index, Instant t) {
    q.bind(index, static_cast<int64_t>(Epoch(t)));
}

}  // namespace

Status Store::EnqueueWithPayload(const std::string& kind, const std::string& subject,
                                 const std::string& payload, Instant at) {
    return Guard("queue for the server", [&]() -> Status {
        if (sqlite3_get_autocommit(m_impl->db.getHandle()) != 0) {
            return MakeError(ErrorCode::kInternal,
                             "EnqueueWithPayload called outside a transaction");
        }
        SQLite::Statement q(
            m_impl->db,
            "INSERT INTO outbox (kind, subject, created_at, payload) VALUES (?, ?, ?, ?)");
        q.bind(1, kind);
        q.bind(2, subject);
        BindTime(q, 3, at);
        q.bind(4, payload);
        q.exec();
        return Ok{};
    });
}

Result<std::string> Store::OutboxPayload(long long seq) {
    return Guard("read outbox", [&]() -> Result<std::string> {
        SQLite::Statement q(m_impl->db, "SELECT coalesce(payload, '') FROM outbox WHERE seq = ?");
        q.bind(1, static_cast<int64_t>(seq));
        return q.executeStep() ? q.getColumn(0).getString() : std::string();
    });
}

Result<long long> Store::OutboxHighWater() {
    return Guard("read outbox", [&]() -> Result<long long> {
        return static_cast<long long>(
            m_impl->db.execAndGet("SELECT coalesce(max(seq), 0) FROM outbox").getInt64());
    });
}

Status Store::MarkAttempted(const std::vector<long long>& seqs) {
    return Transaction([&]() -> Status {
        SQLite::Statement q(m_impl->db, "UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?");
        for (long long seq : seqs) {
            q.bind(1, static_cast<int64_t>(seq));
            q.exec();
            q.reset();
        }
        return Ok{};
    });
}

Status Store::MarkDelivered(const std::vector<long long>& seqs, Instant at) {
    if (seqs.empty()) {
        return Ok{};
    }
    return Transaction([&]() -> Status {
        SQLite::Statement q(
            m_impl->db,
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

Result<std::vector<OutboxItem>> Store::DueOutbox(Instant now, long long after, int limit) {
    return Guard("read outbox", [&]() -> Result<std::vector<OutboxItem>> {
        SQLite::Statement q(m_impl->db, std::string("SELECT ") + kOutboxColumns +
                                            " FROM outbox WHERE state = 'pending' AND "
                                            "next_try_at <= ? AND seq > ? ORDER BY seq LIMIT ?");
        BindTime(q, 1, now);
        q.bind(2, static_cast<int64_t>(after));
        q.bind(3, limit);
        std::vector<OutboxItem> out;
        while (q.executeStep()) {
            out.push_back(ReadOutboxItem(q));
        }
        return out;
    });
}

Status Store::NoteOutboxFailure(long long seq, const std::string& error, Instant next_try,
                                bool blocked) {
    return Transaction([&]() -> Status {
        SQLite::Statement q(m_impl->db,
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

Result<bool> Store::OutboxPendingFor(const std::string& kind, const std::string& subject) {
    return Guard("read outbox", [&]() -> Result<bool> {
        SQLite::Statement q(m_impl->db,
                            "SELECT 1 FROM outbox WHERE state = 'pending' AND kind = ? AND "
                            "subject = ? LIMIT 1");
        q.bind(1, kind);
        q.bind(2, subject);
        return q.executeStep();
    });
}

Status Store::MarkRejected(long long seq, const std::string& error, const AuditEntry& audit) {
    return Transaction([&]() -> Status {
        SQLite::Statement q(m_impl->db,
                            "UPDATE outbox SET state = 'rejected', last_error = ?, blocked = 0 "
                            "WHERE seq = ? AND state = 'pending'");
        q.bind(1, error);
        q.bind(2, static_cast<int64_t>(seq));
        q.exec();
        return Audit(audit);
    });
}

Result<std::optional<AttendanceRow>> Store::AttendanceByIdentifier(const std::string& identifier) {
    return Guard("read attendance", [&]() -> Result<std::optional<AttendanceRow>> {
        SQLite::Statement q(
            m_impl->db,
            "SELECT identifier, session_id, person_ref, checked_in_at, checked_out_at, "
            "source, recorded_by FROM attendance WHERE identifier = ?");
        q.bind(1, identifier);
        if (!q.executeStep()) {
            return std::optional<AttendanceRow>();
        }
        return std::optional<AttendanceRow>(ReadAttendance(q));
    });
}

Result<std::optional<SessionRow>> Store::SessionById(const std::string& id) {
    return Guard("read session", [&]() -> Result<std::optional<SessionRow>> {
        SQLite::Statement q(m_impl->db, std::string("SELECT ") + kSessionColumns +
                                            " FROM session s LEFT JOIN room r ON r.id = s.room_id "
                                            "WHERE s.id = ?");
        q.bind(1, id);
        if (!q.executeStep()) {
            return std::optional<SessionRow>();
        }
        SessionRow s = ReadSession(q);
        SQLite::Statement e(
            m_impl->db,
            "SELECT person_ref FROM enrolment WHERE session_id = ? ORDER BY person_ref");
        e.bind(1, id);
        s.enrolled = Strings(e);
        return std::optional<SessionRow>(std::move(s));
    });
}

Result<std::optional<Store::RemoteRecord>> Store::Remote(const std::string& identifier) {
    return Guard("read sync record", [&]() -> Result<std::optional<RemoteRecord>> {
        SQLite::Statement q(m_impl->db,
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

Status Store::SaveRemote(const RemoteRecord& r) {
    return Transaction([&]() -> Status {
        SQLite::Statement q(
            m_impl->db,
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

Status Store::NoteRemotes(const std::vector<RemoteRecord>& seen) {
    if (seen.empty()) {
        return Ok{};
    }
    return Transaction([&]() -> Status {
        SQLite::Statement q(
            m_impl->db,
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

Status Store::SaveRelatedPatients(const std::vector<std::pair<std::string, std::string>>& links) {
    if (links.empty()) {
        return Ok{};
    }
    return Transaction([&]() -> Status {
        SQLite::Statement q(m_impl->db,
                            "INSERT INTO related_person (ref, patient_ref) VALUES (?, ?) "
                            "ON CONFLICT (ref) DO UPDATE SET patient_ref = excluded.patient_ref");
        for (const auto& [ref, patient] : links) {
            q.bind(1, ref);
            q.bind(2, patient);
            q.exec();
            q.reset();
        }
        return Ok{};
    });
}

Result<std::optional<std::string>> Store::RelatedPatient(const std::string& related_ref) {
    return Guard("read family member", [&]() -> Result<std::optional<std::string>> {
        SQLite::Statement q(m_impl->db, "SELECT patient_ref FROM related_person WHERE ref = ?");
        q.bind(1, related_ref);
        if (!q.executeStep()) {
            return std::optional<std::string>();
        }
        return std::optional<std::string>(q.getColumn(0).getString());
    });
}

Result<std::vector<std::string>> Store::PersonRefsInWindow(Instant from, Instant to) {
    return Guard("read people to refresh", [&]() -> Result<std::vector<std::string>> {
        SQLite::Statement q(
            m_impl->db,
            "SELECT e.person_ref FROM enrolment e JOIN session s ON s.id = e.session_id "
            "WHERE s.start_at >= ?1 AND s.start_at < ?2 "
            "UNION SELECT facilitator_ref FROM session WHERE start_at >= ?1 AND "
            "start_at < ?2 AND coalesce(facilitator_ref, '') <> '' "
            "UNION SELECT person_ref FROM staff_role "
            "UNION SELECT person_ref FROM staff_pin ORDER BY 1");
        BindTime(q, 1, from);
        BindTime(q, 2, to);
        return Strings(q);
    });
}

Result<std::vector<std::string>> Store::SessionIdsInWindow(Instant from, Instant to) {
    return Guard("read sessions", [&]() -> Result<std::vector<std::string>> {
        SQLite::Statement q(
            m_impl->db, "SELECT id FROM session WHERE start_at >= ? AND start_at < ? ORDER BY id");
        BindTime(q, 1, from);
        BindTime(q, 2, to);
        return Strings(q);
    });
}

Result<std::vector<std::string>> Store::RoomIds(const std::string& site_id) {
    return Guard("read rooms", [&]() -> Result<std::vector<std::string>> {
        SQLite::Statement q(m_impl->db, "SELECT id FROM room WHERE site_id = ? ORDER BY id");
        q.bind(1, site_id);
        return Strings(q);
    });
}

Result<std::vector<std::string>> Store::StaffRefs() {
    return Guard("read staff", [&]() -> Result<std::vector<std::string>> {
        SQLite::Statement q(m_impl->db, "SELECT DISTINCT person_ref FROM staff_role ORDER BY 1");
        return Strings(q);
    });
}

Status Store::CancelSessionsNotIn(Instant from, Instant to, const std::vector<std::string>& seen) {
    return Transaction([&]() -> Status {
        const std::set<std::string> keep(seen.begin(), seen.end());
        SQLite::Statement q(m_impl->db,
                            "SELECT id FROM session WHERE start_at >= ? AND start_at < ? "
                            "AND status <> 'cancelled'");
        BindTime(q, 1, from);
        BindTime(q, 2, to);
        std::vector<std::string> gone;
        for (auto& id : Strings(q)) {
            if (keep.count(id) == 0) {
                gone.push_back(std::move(id));
            }
        }
        SQLite::Statement upd(m_impl->db, "UPDATE session SET status = 'cancelled' WHERE id = ?");
        for (const auto& id : gone) {
            upd.bind(1, id);
            upd.exec();
            upd.reset();
        }
        return Ok{};
    });
}

Status Store::SaveDirectory(const std::vector<DirectoryResource>& rows) {
    if (rows.empty()) {
        return Ok{};
    }
    return Transaction([&]() -> Status {
        SQLite::Statement q(m_impl->db,
                            "INSERT INTO directory_resource (type, id, last_updated, json) "
                            "VALUES (?, ?, ?, ?) ON CONFLICT (type, id) DO UPDATE SET "
                            "last_updated = excluded.last_updated, json = excluded.json");
        for (const auto& r : rows) {
            q.bind(1, r.type);
            q.bind(2, r.id);
            q.bind(3, r.last_updated);
            q.bind(4, r.json);
            q.exec();
            q.reset();
        }
        return Ok{};
    });
}

Result<std::vector<std::string>> Store::DirectoryIds(const std::string& type) {
    return Guard("read directory", [&]() -> Result<std::vector<std::string>> {
        SQLite::Statement q(m_impl->db,
                            "SELECT id FROM directory_resource WHERE type = ? ORDER BY id");
        q.bind(1, type);
        return Strings(q);
    });
}

Status Store::SetMetaMany(const std::vector<std::pair<std::string, std::string>>& values) {
    return Transaction([&]() -> Status {
        for (const auto& [key, value] : values) {
            if (auto s = SetMeta(key, value); !s) {
                return s;
            }
        }
        return Ok{};
    });
}

Result<std::optional<Instant>> Store::WithdrawnCheckIn(const std::string& identifier) {
    return Guard("read manual changes", [&]() -> Result<std::optional<Instant>> {
        // attendance_change comes with the staff screens' migration; without it nothing was undone.
        if (!m_impl->db.tableExists("attendance_change")) {
            return std::optional<Instant>();
        }
        SQLite::Statement q(m_impl->db,
                            "SELECT activity, withdrawn_check_in FROM attendance_change "
                            "WHERE identifier = ? ORDER BY seq DESC LIMIT 1");
        q.bind(1, identifier);
        if (!q.executeStep() || q.getColumn(0).getString() != "undo" || q.getColumn(1).isNull()) {
            return std::optional<Instant>();
        }
        return std::optional<Instant>(AsInstant(q.getColumn(1)));
    });
}

}  // namespace kiosk::store
