// The attendance and attendance_change tables (001, 003): check-ins, check-outs and the manual
// changes staff made, read for check-in, rosters and the sync engine.
#include "kiosk/store/AttendanceLog.h"

#include "kiosk/store/Connection.h"

namespace kiosk::store {
namespace {

constexpr const char* kAttendanceColumns =
    "a.identifier, a.session_id, a.person_ref, a.checked_in_at, a.checked_out_at, a.source, "
    "a.recorded_by";

}  // namespace

Result<std::vector<AttendanceRow>> AttendanceLog::ForPerson(const std::string& person_ref,
                                                            Instant from, Instant to) {
    return Guard("read attendance", [&]() -> Result<std::vector<AttendanceRow>> {
        SQLite::Statement q(m_db.db,
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

Result<std::vector<AttendanceRow>> AttendanceLog::InWindow(Instant from, Instant to) {
    return Guard("read attendance", [&]() -> Result<std::vector<AttendanceRow>> {
        SQLite::Statement q(
            m_db.db,
            "SELECT a.identifier, a.session_id, a.person_ref, a.checked_in_at, "
            "a.checked_out_at, a.source, a.recorded_by FROM attendance a "
            "JOIN session s ON s.id = a.session_id "
            "WHERE s.start_at >= ? AND s.start_at < ? ORDER BY s.start_at, a.person_ref");
        q.bind(1, static_cast<int64_t>(Epoch(from)));
        q.bind(2, static_cast<int64_t>(Epoch(to)));
        std::vector<AttendanceRow> out;
        while (q.executeStep()) {
            out.push_back(ReadAttendance(q));
        }
        return out;
    });
}

Result<std::optional<AttendanceRow>> AttendanceLog::ByIdentifier(const std::string& identifier) {
    return Guard("read attendance", [&]() -> Result<std::optional<AttendanceRow>> {
        SQLite::Statement q(
            m_db.db,
            "SELECT identifier, session_id, person_ref, checked_in_at, checked_out_at, "
            "source, recorded_by FROM attendance WHERE identifier = ?");
        q.bind(1, identifier);
        if (!q.executeStep()) {
            return std::optional<AttendanceRow>();
        }
        return std::optional<AttendanceRow>(ReadAttendance(q));
    });
}

Result<std::vector<std::pair<AttendanceRow, Instant>>> AttendanceLog::OpenPastEnd(Instant now) {
    using Rows = std::vector<std::pair<AttendanceRow, Instant>>;
    return Guard("read open check-ins", [&]() -> Result<Rows> {
        SQLite::Statement q(
            m_db.db, std::string("SELECT ") + kAttendanceColumns +
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

Status AttendanceLog::Insert(WriteTx&, const AttendanceRow& row) {
    return Guard("save check-in", [&]() -> Status {
        SQLite::Statement q(m_db.db,
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

Status AttendanceLog::CheckOut(WriteTx&, const std::string& identifier, Instant at) {
    return Guard("save check-out", [&]() -> Status {
        SQLite::Statement q(m_db.db,
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

Status AttendanceLog::RecordChange(WriteTx&, const AttendanceChange& c) {
    return Guard("save manual change", [&]() -> Status {
        SQLite::Statement q(m_db.db,
                            "INSERT INTO attendance_change (identifier, session_id, person_ref, "
                            "activity, reason_code, reason_text, staff_ref, kiosk_id, at, "
                            "withdrawn_check_in) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        q.bind(1, c.identifier);
        q.bind(2, c.session_id);
        q.bind(3, c.person_ref);
        q.bind(4, c.activity);
        q.bind(5, c.reason_code);
        q.bind(6, c.reason_text);
        q.bind(7, c.staff_ref);
        q.bind(8, c.kiosk_id);
        q.bind(9, static_cast<int64_t>(Epoch(c.at)));
        BindTime(q, 10, c.withdrawn_check_in);
        q.exec();
        return Ok{};
    });
}

Result<std::vector<AttendanceChange>> AttendanceLog::Changes(const std::string& identifier) {
    return Guard("read manual changes", [&]() -> Result<std::vector<AttendanceChange>> {
        SQLite::Statement q(m_db.db,
                            "SELECT identifier, session_id, person_ref, activity, reason_code, "
                            "reason_text, staff_ref, kiosk_id, at, withdrawn_check_in "
                            "FROM attendance_change WHERE identifier = ? ORDER BY seq");
        q.bind(1, identifier);
        std::vector<AttendanceChange> out;
        while (q.executeStep()) {
            out.push_back(AttendanceChange{
                q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString(),
                q.getColumn(6).getString(), q.getColumn(7).getString(), AsInstant(q.getColumn(8)),
                AsOptInstant(q.getColumn(9))});
        }
        return out;
    });
}

Result<std::optional<Instant>> AttendanceLog::WithdrawnCheckIn(const std::string& identifier) {
    return Guard("read manual changes", [&]() -> Result<std::optional<Instant>> {
        // attendance_change comes with the staff screens' migration; without it nothing was undone.
        if (!m_db.db.tableExists("attendance_change")) {
            return std::optional<Instant>();
        }
        SQLite::Statement q(m_db.db,
                            "SELECT activity, withdrawn_check_in FROM attendance_change "
                            "WHERE identifier = ? ORDER BY seq DESC LIMIT 1");
        q.bind(1, identifier);
        if (!q.executeStep() || q.getColumn(0).getString() != "undo" || q.getColumn(1).isNull()) {
            return std::optional<Instant>();
        }
        return std::optional<Instant>(AsInstant(q.getColumn(1)));
    });
}

Status AttendanceLog::WithdrawManualCheckIn(WriteTx&, const std::string& identifier,
                                            const std::string& recorded_by) {
    return Guard("undo manual check-in", [&]() -> Status {
        SQLite::Statement q(m_db.db,
                            "DELETE FROM attendance WHERE identifier = ? AND source = 'manual' "
                            "AND recorded_by = ? AND checked_out_at IS NULL");
        q.bind(1, identifier);
        q.bind(2, recorded_by);
        if (q.exec() != 1) {
            return MakeError(ErrorCode::kConflict,
                             "manual check-in " + identifier.substr(0, 12) +
                                 " is no longer open or was not recorded by " + recorded_by);
        }
        return Ok{};
    });
}

}  // namespace kiosk::store
