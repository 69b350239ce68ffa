// What the staff screens read and write: sign-in facts and persisted PIN locks, the whole day's
// and week's sessions and attendance for rosters, and the record of manual changes (migration
// 003). Writes marked "in a transaction" commit with the attendance, outbox and audit rows.
#include "kiosk/store/StoreImpl.h"

namespace kiosk::store {

Result<std::optional<Store::StaffAccount>> Store::StaffAccountOf(const std::string& ref) {
    return Guard("read staff member", [&]() -> Result<std::optional<StaffAccount>> {
        SQLite::Statement q(m_impl->db,
                            "SELECT p.given, p.family, coalesce(k.verifier, '') FROM person p "
                            "LEFT JOIN staff_pin k ON k.person_ref = p.ref WHERE p.ref = ?");
        q.bind(1, ref);
        if (!q.executeStep()) {
            return std::optional<StaffAccount>();
        }
        StaffAccount a;
        a.person_ref = ref;
        a.given = q.getColumn(0).getString();
        a.family = q.getColumn(1).getString();
        a.pin_verifier = q.getColumn(2).getString();
        SQLite::Statement roles(m_impl->db,
                                "SELECT role FROM staff_role WHERE person_ref = ? ORDER BY role");
        roles.bind(1, ref);
        while (roles.executeStep()) {
            a.roles.push_back(roles.getColumn(0).getString());
        }
        return std::optional<StaffAccount>(std::move(a));
    });
}

Result<Store::PinLock> Store::PinLockOf(const std::string& person_ref) {
    return Guard("read PIN lock", [&]() -> Result<PinLock> {
        SQLite::Statement q(
            m_impl->db, "SELECT failures, locked_until FROM staff_pin_lock WHERE person_ref = ?");
        q.bind(1, person_ref);
        PinLock lock;
        if (q.executeStep()) {
            lock.failures = q.getColumn(0).getInt();
            lock.locked_until = AsOptInstant(q.getColumn(1));
        }
        return lock;
    });
}

Status Store::SetPinLock(const std::string& person_ref, const PinLock& lock) {
    return Guard("save PIN lock", [&]() -> Status {
        if (auto s = RequireTx(m_impl->db, "SetPinLock"); !s) {
            return s;
        }
        SQLite::Statement q(m_impl->db,
                            "INSERT INTO staff_pin_lock (person_ref, failures, locked_until) "
                            "VALUES (?, ?, ?) ON CONFLICT (person_ref) DO UPDATE SET "
                            "failures = excluded.failures, locked_until = excluded.locked_until");
        q.bind(1, person_ref);
        q.bind(2, lock.failures);
        BindTime(q, 3, lock.locked_until);
        q.exec();
        return Ok{};
    });
}

Result<std::vector<SessionRow>> Store::SessionsWithEnrolment(Instant from, Instant to) {
    return Guard("read sessions", [&]() -> Result<std::vector<SessionRow>> {
        SQLite::Statement q(m_impl->db, std::string("SELECT ") + kSessionColumns +
                                            " FROM session s LEFT JOIN room r ON r.id = s.room_id "
                                            "WHERE s.start_at >= ? AND s.start_at < ? "
                                            "AND s.status NOT IN ('cancelled', 'entered-in-error') "
                                            "ORDER BY s.start_at, s.group_name, s.id");
        q.bind(1, static_cast<int64_t>(Epoch(from)));
        q.bind(2, static_cast<int64_t>(Epoch(to)));
        std::vector<SessionRow> out;
        while (q.executeStep()) {
            out.push_back(ReadSession(q));
        }
        SQLite::Statement e(
            m_impl->db,
            "SELECT person_ref FROM enrolment WHERE session_id = ? ORDER BY person_ref");
        for (auto& s : out) {
            e.reset();
            e.bind(1, s.id);
            while (e.executeStep()) {
                s.enrolled.push_back(e.getColumn(0).getString());
            }
        }
        return out;
    });
}

Result<std::vector<AttendanceRow>> Store::AttendanceInWindow(Instant from, Instant to) {
    return Guard("read attendance", [&]() -> Result<std::vector<AttendanceRow>> {
        SQLite::Statement q(
            m_impl->db,
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

Result<std::vector<PersonRow>> Store::PersonsByRef(const std::vector<std::string>& refs) {
    return Guard("read persons", [&]() -> Result<std::vector<PersonRow>> {
        SQLite::Statement q(m_impl->db,
                            "SELECT ref, given, family, cohort FROM person WHERE ref = ?");
        std::vector<PersonRow> out;
        for (const auto& ref : refs) {
            q.reset();
            q.bind(1, ref);
            if (!q.executeStep()) {
                continue;
            }
            PersonRow p;
            p.ref = q.getColumn(0).getString();
            p.given = q.getColumn(1).getString();
            p.family = q.getColumn(2).getString();
            if (!q.getColumn(3).isNull()) {
                p.cohort = q.getColumn(3).getString();
            }
            out.push_back(std::move(p));
        }
        return out;
    });
}

Status Store::RecordAttendanceChange(const AttendanceChange& c) {
    return Guard("save manual change", [&]() -> Status {
        if (auto s = RequireTx(m_impl->db, "RecordAttendanceChange"); !s) {
            return s;
        }
        SQLite::Statement q(m_impl->db,
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

Result<std::vector<Store::AttendanceChange>> Store::AttendanceChanges(
    const std::string& identifier) {
    return Guard("read manual changes", [&]() -> Result<std::vector<AttendanceChange>> {
        SQLite::Statement q(m_impl->db,
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

Status Store::WithdrawManualCheckIn(const std::string& identifier, const std::string& recorded_by) {
    return Guard("undo manual check-in", [&]() -> Status {
        if (auto s = RequireTx(m_impl->db, "WithdrawManualCheckIn"); !s) {
            return s;
        }
        SQLite::Statement q(m_impl->db,
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
