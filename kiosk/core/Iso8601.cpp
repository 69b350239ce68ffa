// A hand-written strict parser: date::parse accepts more than FHIR allows and reports little.
#include "kiosk/core/Iso8601.h"

#include <date/date.h>

#include <cstdio>

namespace kiosk {
namespace {

class Cursor {
  public:
    explicit Cursor(std::string_view s) : m_s(s) {}
    bool Digits(int n, int& out) {
        if (m_pos + static_cast<std::size_t>(n) > m_s.size()) {
            return false;
        }
        out = 0;
        for (int i = 0; i < n; ++i) {
            const char c = m_s[m_pos + static_cast<std::size_t>(i)];
            if (c < '0' || c > '9') {
                return false;
            }
            out = out * 10 + (c - '0');
        }
        m_pos += static_cast<std::size_t>(n);
        return true;
    }
    bool Eat(char c) {
        if (m_pos < m_s.size() && m_s[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }
    bool AtEnd() const { return m_pos == m_s.size(); }

  private:
    std::string_view m_s;
    std::size_t m_pos = 0;
};

Error Bad(std::string_view what, std::string_view text) {
    return MakeError(ErrorCode::kInvalidInput, "not a valid FHIR " + std::string(what) + ": '" +
                                                   std::string(text.substr(0, 40)) + "'");
}

bool ValidDate(int y, int m, int d) {
    return date::year_month_day{date::year{y}, date::month{static_cast<unsigned>(m)},
                                date::day{static_cast<unsigned>(d)}}
        .ok();
}

}  // namespace

Result<Instant> ParseDateTime(std::string_view text) {
    Cursor c(text);
    int y, mo, d, h, mi, s;
    if (!(c.Digits(4, y) && c.Eat('-') && c.Digits(2, mo) && c.Eat('-') && c.Digits(2, d) &&
          c.Eat('T') && c.Digits(2, h) && c.Eat(':') && c.Digits(2, mi) && c.Eat(':') &&
          c.Digits(2, s))) {
        return Bad("dateTime", text);
    }
    if (c.Eat('.')) {
        int digit;
        int count = 0;
        while (c.Digits(1, digit)) {
            ++count;
        }
        if (count == 0 || count > 9) {
            return Bad("dateTime", text);
        }
    }
    int offset_minutes = 0;
    if (c.Eat('Z')) {
    } else {
        const bool plus = c.Eat('+');
        if (!plus && !c.Eat('-')) {
            return Bad("dateTime (no time-zone offset)", text);
        }
        int oh, om;
        if (!(c.Digits(2, oh) && c.Eat(':') && c.Digits(2, om)) || oh > 14 || om > 59) {
            return Bad("dateTime", text);
        }
        offset_minutes = (plus ? 1 : -1) * (oh * 60 + om);
    }
    if (!c.AtEnd() || !ValidDate(y, mo, d) || h > 23 || mi > 59 || s > 60) {
        return Bad("dateTime", text);
    }
    const date::sys_days day{date::year{y} / mo / d};
    const Instant local =
        Instant{day} + std::chrono::hours{h} + Minutes{mi} + Seconds{std::min(s, 59)};
    return local - Minutes{offset_minutes};
}

std::string FormatDateTimeUtc(Instant t) {
    const date::sys_days day = date::floor<date::days>(t);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss<Seconds> hms{t - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

Result<CivilDate> ParseDate(std::string_view text) {
    Cursor c(text);
    int y, m = 1, d = 1, parts = 1;
    if (!c.Digits(4, y)) {
        return Bad("date", text);
    }
    if (c.Eat('-')) {
        if (!c.Digits(2, m)) {
            return Bad("date", text);
        }
        parts = 2;
        if (c.Eat('-')) {
            if (!c.Digits(2, d)) {
                return Bad("date", text);
            }
            parts = 3;
        }
    }
    if (!c.AtEnd() || !ValidDate(y, m, d)) {
        return Bad("date", text);
    }
    return CivilDate{y, static_cast<unsigned>(m), static_cast<unsigned>(d), parts};
}

Result<TimeSpan> ParseFhirSpan(std::string_view text, const ClinicTime& zone) {
    if (text.find('T') != std::string_view::npos) {
        auto t = ParseDateTime(text);
        if (!t) {
            return t.error();
        }
        return TimeSpan{t.value(), t.value()};
    }
    auto d = ParseDate(text);
    if (!d) {
        return d.error();
    }
    const date::year_month_day first{date::year{d->year}, date::month{d->month}, date::day{d->day}};
    date::year_month_day next = first;
    if (d->parts == 1) {
        next = first + date::years{1};
    } else if (d->parts == 2) {
        next = first + date::months{1};
    } else {
        next = date::year_month_day{date::sys_days{first} + date::days{1}};
    }
    auto local = [&](const date::year_month_day& ymd) {
        return zone.FromLocal(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                              static_cast<unsigned>(ymd.day()), 0, 0);
    };
    return TimeSpan{local(first), local(next)};
}

}  // namespace kiosk
