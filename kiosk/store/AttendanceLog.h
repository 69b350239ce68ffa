// Attendance: who checked in to which session and when, the check-outs, and the record of
// manual changes staff made (migration 003). Writes take the WriteTx of the change, so a
// check-in's attendance, outbox and audit rows commit together or not at all.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/core/Result.h"
#include "kiosk/store/Records.h"
#include "kiosk/store/WriteTx.h"

namespace kiosk::store {

struct Connection;

/// A manual check-in, check-out or undo (migration 003, table attendance_change).
struct AttendanceChange {
    std::string identifier;  ///< the attendance (Encounter) identifier
    std::string session_id;
    std::string person_ref;
    std::string activity;     ///< "check-in", "check-out", "undo"
    std::string reason_code;  ///< "forgot-card", "phone-dead", "scanner-fault", "left-early",
                              ///< "other", "mistake"
    std::string reason_text;  ///< the reason in words
    std::string staff_ref;
    std::string kiosk_id;
    Instant at;
    std::optional<Instant> withdrawn_check_in;  ///< undo: the check-in time withdrawn
};

class AttendanceLog {
  public:
    explicit AttendanceLog(Connection& connection) : m_db(connection) {}
    AttendanceLog(const AttendanceLog&) = delete;
    AttendanceLog& operator=(const AttendanceLog&) = delete;

    /// The person's attendance in sessions that start in [from, to).
    Result<std::vector<AttendanceRow>> ForPerson(const std::string& person_ref, Instant from,
                                                 Instant to);
    /// Every attendance row of the sessions starting in [from, to).
    Result<std::vector<AttendanceRow>> InWindow(Instant from, Instant to);
    Result<std::optional<AttendanceRow>> ByIdentifier(const std::string& identifier);
    /// Open check-ins whose session ended at or before `now`, with that end time.
    Result<std::vector<std::pair<AttendanceRow, Instant>>> OpenPastEnd(Instant now);
    Status Insert(WriteTx& tx, const AttendanceRow& row);
    /// kConflict when there is no open check-in `identifier`.
    Status CheckOut(WriteTx& tx, const std::string& identifier, Instant at);

    // --- manual changes (staff screens) --------------------------------------------------------
    Status RecordChange(WriteTx& tx, const AttendanceChange& change);
    Result<std::vector<AttendanceChange>> Changes(const std::string& identifier);
    /// When the newest manual change of this attendance is an undo, the check-in time it
    /// withdrew; nullopt otherwise.
    Result<std::optional<Instant>> WithdrawnCheckIn(const std::string& identifier);
    /// Deletes a manual check-in that is still open and was recorded by `recorded_by`; kConflict
    /// (and nothing deleted) otherwise.
    Status WithdrawManualCheckIn(WriteTx& tx, const std::string& identifier,
                                 const std::string& recorded_by);

  private:
    Connection& m_db;
};

}  // namespace kiosk::store
