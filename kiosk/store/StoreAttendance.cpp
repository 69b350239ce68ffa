// Attendance and the outbox. Writes here are only valid inside Store::Transaction, so a
// check-in's attendance, outbox and audit rows commit together or not at all.
#include "kiosk/store/StoreImpl.h"

namespace kiosk::store {
namespace {

constexpr const char* kAttendanceColumns =
    "a.identifier, a.session_id, a.person_ref, a.checked_in_at, a.checked_out_at, a.source, "
    "a.recorded_by";

}  // namespace

Result<std::vector<AttendanceRow>> Store::Attendance(const std::string& person_ref, Instant from,
                                                     Instant to) {
    return Guard("read attendance", [&]() -> Result<std::vector<AttendanceRow>> {
        SQLite::Statement q(m_impl->db,
                            std::string("SELECT ") + kAttendanceColumns +
                                " FROM attendance a JOIN session s ON s.id = a.session_id "
                                "WHERE a.person_ref = ? AND s.start_at >= ? AND s.start_at < ? "
                                "ORDER BY s.start_at");
        q.bind(1, person_ref);
        q.bind(2, static_cast<int64_t>(Epoch(from)));
        q.bind(3, static_cast<int64_t>(Epoch(to)));
        std::vector<AttendanceRow> out;
        while (q.executeStep()) {
            out.push_back(ReadAttendance(q));
        }
        return out;
    });
}

Status Store::InsertAttendance(const AttendanceRow& row) {
    return Guard("save check-in", [&]() -> Status {
        if (auto s = RequireTx(m_impl->db, "InsertAttendance"); !s) {
            return s;
        }
        SQLite::Statement q(m_impl->db,
                            "INSERT INTO attendance (identifier, session_id, person_ref, "
                            "checked_in_at, checked_out_at, source, recorded_by) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)");
        q.bind(1, row.identifier);
        q.bind(2, row.session_id);
        q.bind(3, row.person_ref);
        q.bind(4, static_cast<int64_t>(Epoch(row.checked_in)));
        if (row.checked_out) {
            q.bind(5, static_cast<int64_t>(Epoch(*row.checked_out)));
        } else {
            q.bind(5);
        }
        q.bind(6, row.source);
        q.bind(7, row.recorded_by);
        q.exec();
        return Ok{};
    });
}

Status Store::CheckOut(const std::string& identifier, Instant at) {
    return Guard("save check-out", [&]() -> Status {
        if (auto s = RequireTx(m_impl->db, "CheckOut"); !s) {
            return s;
        }
        SQLite::Statement q(m_impl->db,
                            "UPDATE attendance SET checked_out_at = max(?, checked_in_at) "
                            "WHERE identifier = ? AND checked_out_at IS NULL");
        q.bind(1, static_cast<int64_t>(Epoch(at)));
        q.bind(2, identifier);
        if (q.exec() != 1) {
            return MakeError(ErrorCode::kConflict, "no open check-in " + identifier.substr(0, 12));
        }
        return Ok{};
    });
}

Result<std::vector<std::pair<AttendanceRow, Instant>>> Store::OpenPastEnd(Instant now) {
    using Rows = std::vector<std::pair<AttendanceRow, Instant>>;
    return Guard("read open check-ins", [&]() -> Result<Rows> {
        SQLite::Statement q(
            m_impl->db, std::string("SELECT ") + kAttendanceColumns +
                            ", s.end_at FROM attendance a JOIN session s ON s.id = a.session_id "
                            "WHERE a.checked_out_at IS NULL AND s.end_at <= ? ORDER BY s.end_at");
        q.bind(1, static_cast<int64_t>(Epoch(now)));
        Rows out;
        while (q.executeStep()) {
            out.emplace_back(ReadAttendance(q), AsInstant(q.getColumn(7)));
        }
        return out;
    });
}

Status Store::Enqueue(const std::string& kind, const std::string& subject, Instant at) {
    return Guard("queue for the server", [&]() -> Status {
        if (auto s = RequireTx(m_impl->db, "Enqueue"); !s) {
            return s;
        }
        SQLite::Statement q(m_impl->db,
                            "INSERT INTO outbox (kind, subject, created_at) VALUES (?, ?, ?)");
        q.bind(1, kind);
        q.bind(2, subject);
        q.bind(3, static_cast<int64_t>(Epoch(at)));
        q.exec();
        return Ok{};
    });
}

Result<std::vector<OutboxItem>> Store::Outbox(const std::string& state, int limit) {
    return Guard("read outbox", [&]() -> Result<std::vector<OutboxItem>> {
        SQLite::Statement q(m_impl->db, std::string("SELECT ") + kOutboxColumns +
                                            " FROM outbox WHERE state = ? ORDER BY seq LIMIT ?");
        q.bind(1, state);
        q.bind(2, limit);
        std::vector<OutboxItem> out;
        while (q.executeStep()) {
            out.push_back(ReadOutboxItem(q));
        }
        return out;
    });
}

Result<OutboxSummary> Store::OutboxStatus() {
    return Guard("read outbox",
                 [&]() -> Result<OutboxSummary> { return ReadOutboxSummary(m_impl->db); });
}

}  // namespace kiosk::store
