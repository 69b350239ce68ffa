// Staff as signing in needs them: who holds a role here, their PIN verifier, and the persisted
// lock after wrong PINs (migration 003). Roles and PINs arrive with the clinic cache's pulls.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/Result.h"
#include "kiosk/store/Records.h"
#include "kiosk/store/WriteTx.h"

namespace kiosk::store {

struct Connection;

/// What signing in needs to know of a staff member (staff_role, staff_pin, person).
struct StaffAccount {
    std::string person_ref;
    std::string given;
    std::string family;
    std::vector<std::string> roles;  ///< "facilitator", "front-desk", "case-manager"
    std::string pin_verifier;        ///< argon2id string; empty when none is set
};

/// Wrong PINs since the last good one or the last lock, and the lock itself.
struct PinLock {
    int failures = 0;
    std::optional<Instant> locked_until;
};

class StaffRecords {
  public:
    explicit StaffRecords(Connection& connection) : m_db(connection) {}
    StaffRecords(const StaffRecords&) = delete;
    StaffRecords& operator=(const StaffRecords&) = delete;

    /// nullopt when the reference has no person row.
    Result<std::optional<StaffAccount>> AccountOf(const std::string& practitioner_ref);
    /// Everyone who holds a staff role here now.
    Result<std::vector<std::string>> Refs();
    Result<PinLock> PinLockOf(const std::string& person_ref);
    Status SetPinLock(WriteTx& tx, const std::string& person_ref, const PinLock& lock);

  private:
    Connection& m_db;
};

}  // namespace kiosk::store
