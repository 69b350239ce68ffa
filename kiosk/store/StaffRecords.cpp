// staff_role, staff_pin and staff_pin_lock (migration 003), with the person row for names.
#include "kiosk/store/StaffRecords.h"

#include "kiosk/store/Connection.h"

namespace kiosk::store {

Result<std::optional<StaffAccount>> StaffRecords::AccountOf(const std::string& ref) {
    return Guard("read staff member", [&]() -> Result<std::optional<StaffAccount>> {
        SQLite::Statement q(m_db.db,
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
        SQLite::Statement roles(m_db.db,
                                "SELECT role FROM staff_role WHERE person_ref = ? ORDER BY role");
        roles.bind(1, ref);
        while (roles.executeStep()) {
            a.roles.push_back(roles.getColumn(0).getString());
        }
        return std::optional<StaffAccount>(std::move(a));
    });
}

Result<std::vector<std::string>> StaffRecords::Refs() {
    return Guard("read staff", [&]() -> Result<std::vector<std::string>> {
        SQLite::Statement q(m_db.db, "SELECT DISTINCT person_ref FROM staff_role ORDER BY 1");
        return Strings(q);
    });
}

Result<PinLock> StaffRecords::PinLockOf(const std::string& person_ref) {
    return Guard("read PIN lock", [&]() -> Result<PinLock> {
        SQLite::Statement q(
            m_db.db, "SELECT failures, locked_until FROM staff_pin_lock WHERE person_ref = ?");
        q.bind(1, person_ref);
        PinLock lock;
        if (q.executeStep()) {
            lock.failures = q.getColumn(0).getInt();
            lock.locked_until = AsOptInstant(q.getColumn(1));
        }
        return lock;
    });
}

Status StaffRecords::SetPinLock(WriteTx&, const std::string& person_ref, const PinLock& lock) {
    return Guard("save PIN lock", [&]() -> Status {
        SQLite::Statement q(m_db.db,
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

}  // namespace kiosk::store
