// What a scan means (SCREENS.md 2): check-in windows, blocks of back-to-back sessions, check-out
// after the block's last session has started, and auto check-out at a session's end
// (AttendanceLog::OpenPastEnd finds them, CheckinService::CloseEndedSessions closes them).
// Pure functions over plain data so they can be tested with any clock; no store, no I/O.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/Clock.h"

namespace kiosk {

/// The configurable windows (config section [checkin]).
struct CheckinWindows {
    Minutes opens_before{45};    ///< check-in opens this long before a session starts
    Minutes late_after{10};      ///< arriving later than start + this is "late"
    Minutes block_gap{30};       ///< sessions less than this apart form one block
    Minutes checkout_grace{15};  ///< a scan after the block's last start + this checks out
    Seconds duplicate_scan{10};  ///< the same card again within this repeats the last answer
};

/// One session a person is enrolled in.
struct SessionSlot {
    std::string id;
    Instant start;
    Instant end;
};

/// What is recorded for one person in one session.
struct AttendanceMark {
    std::string session_id;
    Instant checked_in;
    std::optional<Instant> checked_out;
};

enum class ScanAction { kCheckIn, kCheckOut, kAlreadyIn, kDenied };

/// Why a scan was refused. The lobby shows all of these the same way (PRIVACY.md 3); the log
/// and the staff screens show which one it was.
enum class DenyReason {
    kNotAToken,
    kUnknownCard,
    kRevokedCard,
    kNoSessionToday,
    kTooEarly,
    kSessionsOver,
    kAlreadyCheckedOut,
    kStaffBadge,
    kStorageFailed,
};
const char* DenyReasonText(DenyReason reason);

struct SessionCheckin {
    std::string session_id;
    bool late = false;
};

struct ScanDecision {
    ScanAction action = ScanAction::kDenied;
    std::vector<SessionCheckin> check_in;  ///< kCheckIn: every session of the block not ended
    std::vector<std::string> check_out;    ///< kCheckOut: the open sessions of the block
    Instant since{};                       ///< kAlreadyIn: earliest check-in of the block
    DenyReason reason = DenyReason::kUnknownCard;
};

/// Splits sessions (any order) into blocks: runs where each starts less than `gap` after the
/// previous one ended. Blocks and their sessions come out in start order.
std::vector<std::vector<SessionSlot>> GroupIntoBlocks(std::vector<SessionSlot> sessions,
                                                      Minutes gap);

/// Decides a scan at `now` by a person enrolled in `today` (their sessions of the local day)
/// with `marks` (what is already recorded for them today).
ScanDecision DecideScan(Instant now, const std::vector<SessionSlot>& today,
                        const std::vector<AttendanceMark>& marks, const CheckinWindows& windows);

}  // namespace kiosk
