// Manual check-in, check-out and undo by signed-in staff (SCREENS.md 6, issue 5.4). Each is
// recorded like a scan (attendance, "encounter" outbox row, audit row) plus who and why: an
// attendance_change row and a "provenance" outbox item per Encounter, in one transaction.
//
// For the sync engine: an undo deletes the attendance row and queues "encounter" (then
// "provenance", activity "undo") for its identifier. An "encounter" item whose row is gone and
// whose latest attendance_change is an 'undo' means: if the server has that Encounter, set it to
// entered-in-error; if not, nothing to send. A row that is there again later (the person then
// scanned for real) wins over an older undo: the Encounter goes back to arrived.
#pragma once

#include <string>
#include <vector>

#include "kiosk/core/CheckinRules.h"
#include "kiosk/core/ClinicTime.h"
#include "kiosk/store/Store.h"

namespace kiosk {

struct ManualChange {
    std::string staff_ref;  ///< the signed-in Practitioner
    std::string person_ref;
    std::string session_id;  ///< the roster it was done from
    std::string
        reason_code;  ///< "forgot-card", "phone-dead", "scanner-fault", "left-early", "other"
    std::string reason_text;  ///< the reason in words (what staff typed for "other")
};

/// The attendance identifiers one manual check-in wrote: what its undo withdraws.
struct ManualCheckIn {
    std::string person_ref;
    std::string session_id;
    std::vector<std::string> identifiers;
};

class CorrectionService {
  public:
    CorrectionService(store::Store& store, const ClinicTime& time, CheckinWindows windows,
                      std::string kiosk_id);

    /// Checks the person in to the session and to the later sessions of its block that have
    /// not ended (as a scan would), at `now`. kConflict if they are already in, or the session
    /// has ended.
    Result<ManualCheckIn> CheckIn(const ManualChange& change, Instant now);
    /// Checks the person out of the session and every open session of its block, at `now`.
    Result<int> CheckOut(const ManualChange& change, Instant now);
    /// Withdraws a manual check-in this staff member made: every row still open is deleted, an
    /// "undo" change and outbox items are written. kConflict (nothing written) if one of them has
    /// been checked out or changed meanwhile.
    Status Undo(const ManualCheckIn& done, const std::string& staff_ref, Instant now);

  private:
    Status Record(store::WriteTx& tx, const store::AttendanceRow& row, const ManualChange& change,
                  const std::string& activity, Instant now,
                  std::optional<Instant> withdrawn = std::nullopt);

    store::Store& m_store;
    const ClinicTime& m_time;
    CheckinWindows m_windows;
    std::string m_kiosk_id;
};

}  // namespace kiosk
