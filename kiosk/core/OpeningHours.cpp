// Weekly opening hours: the text form, and "open now" on the clinic's wall clock. Zone
// arithmetic uses Howard Hinnant's date/tz directly (ClinicTime has no wall-clock accessor);
// nothing here knows the store or the screens.
#include "kiosk/core/OpeningHours.h"

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

namespace kiosk {
namespace {

constexpr int kMinutesPerDay = 1440;
constexpr std::array<std::string_view, 7> kDayNames{"Mon", "Tue", "Wed", "Thu",
                                                    "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kFullDayNames{
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

bool Valid(const OpenInterval& iv) {
    return iv.weekday >= 1 && iv.weekday <= 7 && iv.open >= 0 && iv.open < kMinutesPerDay &&
           iv.close > iv.open && iv.close <= 2 * kMinutesPerDay;
}

unsigned NextDay(unsigned weekday) {
    return weekday % 7 + 1;
}
unsigned PreviousDay(unsigned weekday) {
    return (weekday + 5) % 7 + 1;
}

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// A tiny cursor over the text form; every error says which part was wrong.
class HoursParser {
  public:
    explicit HoursParser(std::string_view text) : m_text(text) {}

    Result<std::vector<OpenInterval>> Run() {
        std::vector<OpenInterval> out;
        size_t start = 0;
        while (start <= m_text.size()) {
            size_t end = m_text.find(';', start);
            if (end == std::string_view::npos) {
                end = m_text.size();
            }
            const std::string_view group = Trim(m_text.substr(start, end - start));
            if (!group.empty()) {
                if (auto s = ParseGroup(group, out); !s) {
                    return s.error();
                }
            }
            start = end + 1;
        }
        return out;
    }

  private:
    static std::string_view Trim(std::string_view s) {
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
            s.remove_prefix(1);
        }
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
            s.remove_suffix(1);
        }
        return s;
    }

    static Error Bad(std::string_view what, std::string_view group) {
        return MakeError(ErrorCode::kInvalidInput, "opening hours: " + std::string(what) + " in '" +
                                                       std::string(group) + "'");
    }

    static std::optional<unsigned> DayNumber(std::string_view word) {
        const std::string w = Lower(word);
        for (unsigned i = 0; i < 7; ++i) {
            if (w == Lower(kDayNames[i]) || w == kFullDayNames[i]) {
                return i + 1;
            }
        }
        return std::nullopt;
    }

    // "Mon-Fri", "Mon,Wed", "Daily", "Fri-Mon": the set of weekdays the group's times apply to.
    static Result<std::array<bool, 8>> ParseDays(std::string_view days, std::string_view group) {
        std::array<bool, 8> on{};
        size_t start = 0;
        while (start <= days.size()) {
            size_t end = days.find(',', start);
            if (end == std::string_view::npos) {
                end = days.size();
            }
            const std::string_view item = Trim(days.substr(start, end - start));
            if (Lower(item) == "daily") {
                on.fill(true);
            } else {
                const size_t dash = item.find('-');
                const auto first = DayNumber(Trim(item.substr(0, dash)));
                if (!first) {
                    return Bad("'" + std::string(item) + "' is not a day", group);
                }
                unsigned last = *first;
                if (dash != std::string_view::npos) {
                    const auto to = DayNumber(Trim(item.substr(dash + 1)));
                    if (!to) {
                        return Bad("'" + std::string(item) + "' is not a range of days", group);
                    }
                    last = *to;
                }
                for (unsigned d = *first;; d = NextDay(d)) {
                    on[d] = true;
                    if (d == last) {
                        break;
                    }
                }
            }
            start = end + 1;
        }
        return on;
    }

    // "9:00", "09:00", "24:00" (as an end only); minutes since midnight.
    static std::optional<int> ParseTime(std::string_view t, bool is_end) {
        const size_t colon = t.find(':');
        if (colon == std::string_view::npos || colon == 0 || colon > 2 || t.size() != colon + 3) {
            return std::nullopt;
        }
        int h = 0;
        for (size_t i = 0; i < colon; ++i) {
            if (!std::isdigit(static_cast<unsigned char>(t[i]))) {
                return std::nullopt;
            }
            h = h * 10 + (t[i] - '0');
        }
        if (!std::isdigit(static_cast<unsigned char>(t[colon + 1])) ||
            !std::isdigit(static_cast<unsigned char>(t[colon + 2]))) {
            return std::nullopt;
        }
        const int m = (t[colon + 1] - '0') * 10 + (t[colon + 2] - '0');
        if (m > 59 || h > 24 || (h == 24 && (m != 0 || !is_end))) {
            return std::nullopt;
        }
        return h * 60 + m;
    }

    Status ParseGroup(std::string_view group, std::vector<OpenInterval>& out) {
        // The days end where the first digit starts (or the word "closed").
        size_t split = 0;
        while (split < group.size() && !std::isdigit(static_cast<unsigned char>(group[split]))) {
            ++split;
        }
        std::string_view days = Trim(group.substr(0, split));
        std::string_view times = Trim(group.substr(split));
        bool closed = false;
        if (times.empty()) {
            const std::string lower = Lower(days);
            const size_t at = lower.rfind("closed");
            if (at == std::string::npos || at + 6 != lower.size()) {
                return Bad("no times", group);
            }
            closed = true;
            days = Trim(days.substr(0, at));
        }
        if (days.empty()) {
            return Bad("no days", group);
        }
        auto on = ParseDays(days, group);
        if (!on) {
            return on.error();
        }
        if (closed) {
            return Ok{};
        }
        size_t start = 0;
        while (start <= times.size()) {
            size_t end = times.find(',', start);
            if (end == std::string_view::npos) {
                end = times.size();
            }
            const std::string_view range = Trim(times.substr(start, end - start));
            const size_t dash = range.find('-');
            if (dash == std::string_view::npos) {
                return Bad("'" + std::string(range) + "' is not a time range like 09:00-17:00",
                           group);
            }
            const auto open = ParseTime(Trim(range.substr(0, dash)), false);
            const auto close = ParseTime(Trim(range.substr(dash + 1)), true);
            if (!open || !close) {
                return Bad("'" + std::string(range) + "' is not a time range like 09:00-17:00",
                           group);
            }
            if (*open == *close) {
                return Bad("'" + std::string(range) + "' is empty", group);
            }
            // An end before the start is on the next day.
            const int close_min = *close < *open ? *close + kMinutesPerDay : *close;
            for (unsigned d = 1; d <= 7; ++d) {
                if (on.value()[d]) {
                    out.push_back({d, *open, close_min});
                }
            }
            start = end + 1;
        }
        return Ok{};
    }

    std::string_view m_text;
};

std::string HhMm(int minutes) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
    return buf;
}

// "Mon-Fri", "Sat,Sun", "Mon,Wed-Fri", "Daily".
std::string DaysText(const std::array<bool, 8>& on) {
    if (std::all_of(on.begin() + 1, on.end(), [](bool b) { return b; })) {
        return "Daily";
    }
    std::string out;
    unsigned d = 1;
    while (d <= 7) {
        if (!on[d]) {
            ++d;
            continue;
        }
        unsigned last = d;
        while (last + 1 <= 7 && on[last + 1]) {
            ++last;
        }
        if (!out.empty()) {
            out += ',';
        }
        out += kDayNames[d - 1];
        if (last >= d + 2) {
            out += '-';
            out += kDayNames[last - 1];
        } else if (last == d + 1) {
            out += ',';
            out += kDayNames[last - 1];
        }
        d = last + 1;
    }
    return out;
}

const date::time_zone* Zone(const ClinicTime& time) {
    // ClinicTime::ForZone already found this name, so the lookup cannot fail here.
    return date::locate_zone(time.ZoneName());
}

WeekClock ClockOf(const date::time_zone* zone, Instant t) {
    const auto local = zone->to_local(t);
    const auto day = date::floor<date::days>(local);
    return {date::weekday{day}.iso_encoding(), static_cast<int>((local - day).count())};
}

}  // namespace

OpeningHours::OpeningHours(std::vector<OpenInterval> intervals) {
    std::vector<OpenInterval> split;
    for (const auto& iv : intervals) {
        if (!Valid(iv)) {
            continue;
        }
        if (iv.close - iv.open >= kMinutesPerDay && iv.close > kMinutesPerDay) {
            // 24 hours or more: the text form cannot say it in one range, so it becomes the rest
            // of the day plus the next morning.
            split.push_back({iv.weekday, iv.open, kMinutesPerDay});
            split.push_back({NextDay(iv.weekday), 0, iv.close - kMinutesPerDay});
        } else {
            split.push_back(iv);
        }
    }
    std::sort(split.begin(), split.end(), [](const OpenInterval& a, const OpenInterval& b) {
        return a.weekday != b.weekday ? a.weekday < b.weekday
                                      : (a.open != b.open ? a.open < b.open : a.close < b.close);
    });
    for (const auto& iv : split) {
        if (!m_intervals.empty() && m_intervals.back().weekday == iv.weekday &&
            iv.open <= m_intervals.back().close) {
            m_intervals.back().close = std::max(m_intervals.back().close, iv.close);
        } else {
            m_intervals.push_back(iv);
        }
    }
}

Result<OpeningHours> OpeningHours::Parse(std::string_view text) {
    auto intervals = HoursParser(text).Run();
    if (!intervals) {
        return intervals.error();
    }
    return OpeningHours(std::move(intervals).value());
}

std::string OpeningHours::ToString() const {
    // Each day's intervals as text, then days with the same text grouped, in first-day order.
    std::array<std::string, 8> per_day;
    for (const auto& iv : m_intervals) {
        std::string& s = per_day[iv.weekday];
        if (!s.empty()) {
            s += ',';
        }
        s += HhMm(iv.open) + "-" +
             HhMm(iv.close > kMinutesPerDay ? iv.close - kMinutesPerDay : iv.close);
    }
    std::string out;
    std::array<bool, 8> done{};
    for (unsigned d = 1; d <= 7; ++d) {
        if (done[d] || per_day[d].empty()) {
            continue;
        }
        std::array<bool, 8> same{};
        for (unsigned e = d; e <= 7; ++e) {
            if (per_day[e] == per_day[d]) {
                same[e] = true;
                done[e] = true;
            }
        }
        if (!out.empty()) {
            out += "; ";
        }
        out += DaysText(same) + " " + per_day[d];
    }
    return out;
}

WeekClock OpeningHours::LocalClock(Instant t, const ClinicTime& time) {
    return ClockOf(Zone(time), t);
}

bool OpeningHours::OpenAt(WeekClock at) const {
    const unsigned yesterday = PreviousDay(at.weekday);
    for (const auto& iv : m_intervals) {
        if (iv.weekday == at.weekday && iv.open * 60 <= at.second && at.second < iv.close * 60) {
            return true;
        }
        // Yesterday's hours that run past midnight.
        if (iv.weekday == yesterday && at.second < (iv.close - kMinutesPerDay) * 60) {
            return true;
        }
    }
    return false;
}

OpenState OpeningHours::StateAt(Instant t, const ClinicTime& time) const {
    const date::time_zone* zone = Zone(time);
    OpenState state;
    state.open = OpenAt(ClockOf(zone, t));
    if (m_intervals.empty()) {
        return state;
    }
    const Instant horizon = t + date::days{7};
    std::vector<Instant> candidates;
    const auto today = date::floor<date::days>(zone->to_local(t));
    const auto info = zone->get_info(t);
    if (info.end > horizon) {
        // No clock change this week (nearly always): local time is t + offset throughout, so
        // the state can only flip at an interval's end on the wall clock.
        const date::local_seconds now_local{t.time_since_epoch() + info.offset};
        std::vector<date::local_seconds> walls;
        for (auto day = today - date::days{1}; day <= today + date::days{8}; day += date::days{1}) {
            const unsigned weekday = date::weekday{day}.iso_encoding();
            for (const auto& iv : m_intervals) {
                if (iv.weekday != weekday) {
                    continue;
                }
                for (int minute : {iv.open, iv.close}) {
                    const date::local_seconds wall{day + Minutes{minute}};
                    if (wall > now_local && wall - now_local <= date::days{7}) {
                        walls.push_back(wall);
                    }
                }
            }
        }
        std::sort(walls.begin(), walls.end());
        for (const auto wall : walls) {
            const auto day = date::floor<date::days>(wall);
            if (OpenAt({date::weekday{day}.iso_encoding(),
                        static_cast<int>((wall - day).count())}) != state.open) {
                state.changes_at = Instant{wall.time_since_epoch() - info.offset};
                break;
            }
        }
        return state;
    } else {
        // The state can only change where the wall clock crosses an interval's end (at either
        // instant that wall time has on a fall-back night; a skipped one maps to the change)
        // or where the clock itself jumps. Try those instants in order; the first that flips.
        for (auto day = today - date::days{1}; day <= today + date::days{8}; day += date::days{1}) {
            const unsigned weekday = date::weekday{day}.iso_encoding();
            for (const auto& iv : m_intervals) {
                if (iv.weekday != weekday) {
                    continue;
                }
                for (int minute : {iv.open, iv.close}) {
                    const date::local_seconds wall{day + Minutes{minute}};
                    for (auto choose : {date::choose::earliest, date::choose::latest}) {
                        const Instant at = date::floor<Seconds>(zone->to_sys(wall, choose));
                        if (at > t && at <= horizon) {
                            candidates.push_back(at);
                        }
                    }
                }
            }
        }
        for (auto next = info; next.end <= horizon; next = zone->get_info(next.end)) {
            candidates.push_back(date::floor<Seconds>(next.end));
        }
    }
    std::sort(candidates.begin(), candidates.end());
    for (Instant at : candidates) {
        if (OpenAt(ClockOf(zone, at)) != state.open) {
            state.changes_at = at;
            break;
        }
    }
    return state;
}

}  // namespace kiosk
