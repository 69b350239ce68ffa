// Local time in the clinic's time zone: day and ISO-week boundaries that stay right across DST
// changes, and the clock text shown on screen. Instants stay UTC; only this class knows zones.
#pragma once

#include <string>
#include <string_view>

#include "kiosk/core/Clock.h"
#include "kiosk/core/Result.h"

namespace date {
class time_zone;
}

namespace kiosk {

enum class ClockStyle { k12Hour, k24Hour };

class ClinicTime {
  public:
    /// The zone by IANA name ("America/Los_Angeles"), from the system's tz database.
    static Result<ClinicTime> ForZone(std::string_view iana_name);

    const std::string& ZoneName() const { return m_name; }

    /// Local midnight that starts the day holding `t` (the first instant of that day).
    Instant StartOfDay(Instant t) const;
    /// Local midnight that ends that day (23, 24 or 25 hours later).
    Instant EndOfDay(Instant t) const;
    /// Monday 00:00 local of the ISO week holding `t`, and the Monday after.
    Instant StartOfIsoWeek(Instant t) const;
    Instant EndOfIsoWeek(Instant t) const;
    /// The instant of a local wall-clock time; a time skipped by DST maps to the change itself.
    Instant FromLocal(int year, unsigned month, unsigned day, int hour, int minute) const;

    /// "9:02 AM" or "9:02".
    std::string FormatClock(Instant t, ClockStyle style) const;
    /// ISO weekday of `t` in the clinic, 1 = Monday .. 7 = Sunday.
    unsigned IsoWeekday(Instant t) const;
    /// "YYYY-MM-DD" local date.
    std::string LocalDate(Instant t) const;

  private:
    ClinicTime(const date::time_zone* zone, std::string name)
        : m_zone(zone), m_name(std::move(name)) {}
    const date::time_zone* m_zone;
    std::string m_name;
};

}  // namespace kiosk
