// Attended time for IOP hour targets (ASAM 2.1: 9 h a week for adults, 6 h for adolescents):
// time inside scheduled sessions between check-in and check-out, within one ISO week.
// Pure; the clinic's week boundaries come from ClinicTime.
#pragma once

#include <optional>
#include <vector>

#include "kiosk/core/Clock.h"

namespace kiosk {

struct AttendedSession {
    Instant session_start;
    Instant session_end;
    Instant checked_in;
    std::optional<Instant> checked_out;  ///< open: counts up to `now` or the session's end
};

/// Seconds attended in [week_start, week_end) as seen at `now`. Time before a session starts or
/// after it ends does not count; overlapping sessions are not counted twice.
Seconds AttendedInWeek(const std::vector<AttendedSession>& sessions, Instant week_start,
                       Instant week_end, Instant now);

}  // namespace kiosk
