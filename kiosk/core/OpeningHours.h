// When a community resource is open: weekly hours as local wall-clock intervals, evaluated in
// the clinic's time zone (hours past midnight, DST days), and the short "open until" words'
// facts. Pure core: no store, no text catalogue.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/ClinicTime.h"
#include "kiosk/core/Result.h"

namespace kiosk {

/// One opening on a weekday, in local minutes from that day's midnight. `close` may pass
/// 24:00 (up to 48:00) for hours that run past midnight, e.g. 22:00-02:00 is {1320, 1560}.
/// open == 0 and close == 1440 is open all day.
struct OpenInterval {
    unsigned weekday = 1;  ///< ISO: 1 = Monday .. 7 = Sunday
    int open = 0;          ///< minutes, 0..1439
    int close = 0;         ///< minutes, open < close <= 2880
    bool operator==(const OpenInterval&) const = default;
};

/// What "open now" knows at an instant.
struct OpenState {
    bool open = false;
    std::optional<Instant> changes_at;  ///< when it next closes (if open) or opens; none within a week
};

class OpeningHours {
public:
    OpeningHours() = default;
    explicit OpeningHours(std::vector<OpenInterval> intervals);

    /// "Mon-Fri 09:00-17:00; Sat 10:00-14:00; Sun 22:00-02:00" (the store's text form; also
    /// what the demo and HSDS import write). "" is no known hours. Errors name the bad part.
    static Result<OpeningHours> Parse(std::string_view text);
    std::string ToString() const;

    bool Known() const { return !m_intervals.empty(); }
    const std::vector<OpenInterval>& Intervals() const { return m_intervals; }

    /// Open at `t` in the clinic's zone: today's intervals and yesterday's that run past
    /// midnight. Wall-clock times skipped or repeated by DST follow the local clock.
    OpenState StateAt(Instant t, const ClinicTime& time) const;

    bool operator==(const OpeningHours&) const = default;

private:
    std::vector<OpenInterval> m_intervals;  ///< sorted by weekday, then open
};

}  // namespace kiosk
