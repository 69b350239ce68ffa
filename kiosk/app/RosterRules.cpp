// Reachable hours reuse AttendedInWeek on a best-case copy of the week evaluated at its end, so
// clipping to sessions and merging overlaps stay in one place (core/WeeklyHours).
#include "kiosk/app/RosterRules.h"

#include <algorithm>

#include "kiosk/core/WeeklyHours.h"

namespace kiosk {

RosterStatus StatusInSession(const SessionSlot& session, const std::optional<AttendanceMark>& mark,
                             Instant now, const RosterWindows& windows) {
    if (!mark) {
        const bool missed = now >= session.start + windows.no_show_after;
        return {missed ? RosterState::kNoShow : RosterState::kNotYet, std::nullopt};
    }
    if (mark->checked_out && *mark->checked_out < session.end) {
        return {RosterState::kCheckedOut, mark->checked_out};
    }
    const bool late = mark->checked_in > session.start + windows.late_after;
    return {late ? RosterState::kLate : RosterState::kArrived, mark->checked_in};
}

WeekProgress ProgressInWeek(const std::vector<SessionSlot>& sessions,
                            const std::vector<AttendanceMark>& marks, Instant week_start,
                            Instant week_end, Instant now, Seconds target) {
    WeekProgress p;
    p.target = target;
    std::vector<AttendedSession> actual;
    std::vector<AttendedSession> best;
    for (const auto& s : sessions) {
        auto m = std::find_if(marks.begin(), marks.end(),
                              [&](const AttendanceMark& a) { return a.session_id == s.id; });
        if (m != marks.end()) {
            actual.push_back({s.start, s.end, m->checked_in, m->checked_out});
            // Open: they may stay to the end. Closed: what they attended is all there will be.
            best.push_back({s.start, s.end, m->checked_in, m->checked_out});
        } else if (s.end > now) {
            best.push_back({s.start, s.end, std::max(s.start, now), std::nullopt});
        }
    }
    p.attended = AttendedInWeek(actual, week_start, week_end, now);
    p.reachable = AttendedInWeek(best, week_start, week_end, week_end);
    p.at_risk = target > Seconds{0} && p.reachable < target;
    return p;
}

}  // namespace kiosk
