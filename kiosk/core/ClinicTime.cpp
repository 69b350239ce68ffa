// Zone arithmetic with Howard Hinnant's date/tz (the system tz database; GCC 12 has no
// std::chrono::tzdb). Local dates are computed as local_days, then mapped back to UTC.
#include "kiosk/core/ClinicTime.h"

#include <date/tz.h>

#include <cstdio>

namespace kiosk {
namespace {

date::local_days LocalDay(const date::time_zone* zone, Instant t) {
    return date::floor<date::days>(zone->to_local(t));
}

Instant ToInstant(const date::time_zone* zone, date::local_seconds local) {
    // choose::earliest resolves both an ambiguous time (fall back) and a skipped one (spring
    // forward, where it yields the moment of the change).
    return date::floor<Seconds>(zone->to_sys(local, date::choose::earliest));
}

}  // namespace

Result<ClinicTime> ClinicTime::ForZone(std::string_view iana_name) {
    try {
        const date::time_zone* zone = date::locate_zone(std::string(iana_name));
        return ClinicTime(zone, std::string(iana_name));
    } catch (const std::exception& e) {
        return MakeError(ErrorCode::kConfig, "unknown time zone '" + std::string(iana_name) +
                                                 "': " + e.what() +
                                                 " (is the tzdata package installed?)");
    }
}

Instant ClinicTime::StartOfDay(Instant t) const {
    return ToInstant(m_zone, date::local_seconds{LocalDay(m_zone, t)});
}

Instant ClinicTime::EndOfDay(Instant t) const {
    return ToInstant(m_zone, date::local_seconds{LocalDay(m_zone, t) + date::days{1}});
}

Instant ClinicTime::StartOfIsoWeek(Instant t) const {
    const date::local_days day = LocalDay(m_zone, t);
    const date::weekday wd{day};
    const auto back = date::days{(wd.c_encoding() + 6) % 7};  // Monday = 0 days back
    return ToInstant(m_zone, date::local_seconds{day - back});
}

Instant ClinicTime::EndOfIsoWeek(Instant t) const {
    const date::local_days day = LocalDay(m_zone, t);
    const date::weekday wd{day};
    const auto back = date::days{(wd.c_encoding() + 6) % 7};
    return ToInstant(m_zone, date::local_seconds{day - back + date::days{7}});
}

Instant ClinicTime::FromLocal(int year, unsigned month, unsigned day, int hour, int minute) const {
    const date::local_days d{date::year{year} / date::month{month} / date::day{day}};
    return ToInstant(m_zone, date::local_seconds{d} + std::chrono::hours{hour} + Minutes{minute});
}

std::string ClinicTime::FormatClock(Instant t, ClockStyle style) const {
    const auto local = m_zone->to_local(t);
    const date::hh_mm_ss<Seconds> hms{local - date::floor<date::days>(local)};
    const int h = static_cast<int>(hms.hours().count());
    const int m = static_cast<int>(hms.minutes().count());
    char buf[16];
    if (style == ClockStyle::k24Hour) {
        std::snprintf(buf, sizeof buf, "%d:%02d", h, m);
    } else {
        const int h12 = h % 12 == 0 ? 12 : h % 12;
        std::snprintf(buf, sizeof buf, "%d:%02d %s", h12, m, h < 12 ? "AM" : "PM");
    }
    return buf;
}

unsigned ClinicTime::IsoWeekday(Instant t) const {
    return date::weekday{LocalDay(m_zone, t)}.iso_encoding();
}

std::string ClinicTime::LocalDate(Instant t) const {
    const date::year_month_day ymd{LocalDay(m_zone, t)};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

}  // namespace kiosk
