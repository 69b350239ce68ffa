// The roster's rules (SCREENS.md 6): a person's status in one session, and their ISO week's
// attended hours against the weekly target with the at-risk mark. Pure functions over plain
// data so a fake clock drives them; no store, no text.
#pragma once

#include <optional>
#include <vector>

#include "kiosk/core/CheckinRules.h"
#include "kiosk/core/Clock.h"

namespace kiosk {

/// Sort order when sorting by status: who needs attention first.
enum class RosterState { kNoShow, kNotYet, kLate, kArrived, kCheckedOut };

struct RosterWindows {
    Minutes late_after{10};     ///< arriving later than start + this is late (config [checkin])
    Minutes no_show_after{15};  ///< nobody recorded this far into the session: no-show
};

struct RosterStatus {
    RosterState state = RosterState::kNotYet;
    std::optional<Instant> at;  ///< arrival time, or check-out time for kCheckedOut
};

/// A check-out at or after the session's end (the automatic one included) is staying to the end:
/// the person shows as arrived or late; only leaving before the end shows as checked out.
RosterStatus StatusInSession(const SessionSlot& session, const std::optional<AttendanceMark>& mark,
                             Instant now, const RosterWindows& windows);

struct WeekProgress {
    Seconds attended{0};   ///< so far this week
    Seconds reachable{0};  ///< attended plus everything the rest of the week's sessions allow
    Seconds target{0};     ///< 0: no target (family members)
    bool at_risk = false;  ///< reachable < target
};

/// `sessions` are the person's sessions of the week [week_start, week_end) and `marks` their
/// attendance in them. A session still to come (or running, not yet checked into) counts whole
/// from now; one they were checked out of counts only what was attended.
WeekProgress ProgressInWeek(const std::vector<SessionSlot>& sessions,
                            const std::vector<AttendanceMark>& marks, Instant week_start,
                            Instant week_end, Instant now, Seconds target);

}  // namespace kiosk
