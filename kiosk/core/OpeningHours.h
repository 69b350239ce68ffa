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

/// The clinic's wall clock at one instant: what "open now" is decided by. Computed once per
/// search (OpeningHours::LocalClock), then compared with many resources' hours cheaply.
struct WeekClock {
    unsigned weekday = 1;  ///< ISO: 1 = Monday .. 7 = Sunday
    int second = 0;        ///< seconds since local midnight, 0..86399
};

/// What "open now" knows at an instant.
struct OpenState {
    bool open = false;
    /// When it next closes (if open) or opens; none within a week.
    std::optional<Instant> changes_at;
};

class OpeningHours {
  public:
    OpeningHours() = default;
    /// Normalises: sorted, overlapping intervals of one day merged, an interval of 24 hours or
    /// more split at midnight; invalid ones (weekday not 1..7, open not 0..1439, close not in
    /// (open, 2880]) are dropped, since they cannot mean anything.
    explicit OpeningHours(std::vector<OpenInterval> intervals);

    /// "Mon-Fri 09:00-17:00; Sat 10:00-14:00; Sun 22:00-02:00" (the store's text form; also
    /// what the demo and HSDS import write). "" is no known hours. Errors name the bad part.
    /// Accepted: groups split by ';'; days as Mon..Sun (or full names, any case), ranges
    /// "Fri-Mon" (wrapping), lists "Mon,Wed", "Daily"; several intervals "09:00-12:00,13:00-17:00";
    /// "Sun closed". An end before the start runs past midnight; "24:00" ends the day.
    static Result<OpeningHours> Parse(std::string_view text);
    /// The canonical text form: days with the same intervals grouped ("Mon-Fri", "Sat,Sun",
    /// "Daily"); Parse(ToString()) gives back an equal value.
    std::string ToString() const;

    bool Known() const { return !m_intervals.empty(); }
    const std::vector<OpenInterval>& Intervals() const { return m_intervals; }

    /// Open at `t` in the clinic's zone: today's intervals and yesterday's that run past
    /// midnight. Wall-clock times skipped or repeated by DST follow the local clock.
    OpenState StateAt(Instant t, const ClinicTime& time) const;

    /// The clinic's wall clock at `t`.
    static WeekClock LocalClock(Instant t, const ClinicTime& time);
    /// Open at that wall-clock moment: StateAt(t, time).open == OpenAt(LocalClock(t, time)).
    bool OpenAt(WeekClock at) const;

    bool operator==(const OpeningHours&) const = default;

  private:
    std::vector<OpenInterval> m_intervals;  ///< sorted by weekday, then open
};

}  // namespace kiosk
