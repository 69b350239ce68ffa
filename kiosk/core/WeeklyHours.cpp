// Clip each attendance to its session, the week and now, then merge overlaps before summing.
#include "kiosk/core/WeeklyHours.h"

#include <algorithm>

namespace kiosk {

Seconds AttendedInWeek(const std::vector<AttendedSession>& sessions, Instant week_start,
                       Instant week_end, Instant now) {
    std::vector<std::pair<Instant, Instant>> spans;
    for (const auto& s : sessions) {
        const Instant out = s.checked_out.value_or(std::min(now, s.session_end));
        const Instant from = std::max({s.checked_in, s.session_start, week_start});
        const Instant to = std::min({out, s.session_end, week_end, now});
        if (from < to) {
            spans.emplace_back(from, to);
        }
    }
    std::sort(spans.begin(), spans.end());
    Seconds total{0};
    Instant covered_to{};
    for (const auto& [from, to] : spans) {
        const Instant start = std::max(from, covered_to);
        if (to > start) {
            total += to - start;
            covered_to = to;
        }
    }
    return total;
}

}  // namespace kiosk
