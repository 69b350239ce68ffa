// The resource directory's words. Weekday and month names come from the catalogue, so the
// printed page reads in the language the case manager chose for it.
#include "kiosk/app/ResourceText.h"

#include <cmath>
#include <cstdio>
#include <map>

#include "kiosk/app/ResourceMessages.h"

namespace kiosk {
namespace {

std::string Day(const Catalog& t, unsigned weekday) {
    return t.Tr("day." + std::to_string(weekday));
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (const auto& p : parts) {
        out += (out.empty() ? "" : sep) + p;
    }
    return out;
}

}  // namespace

std::string CategoryList(const Catalog& t, const std::vector<std::string>& codes) {
    std::vector<std::string> names;
    for (const auto& c : codes) {
        names.push_back(t.Tr("category." + c));
    }
    return Join(names, " · ");
}

std::string LanguageList(const Catalog& t, const std::vector<std::string>& codes) {
    std::vector<std::string> names;
    for (const auto& c : codes) {
        const std::string key = "lang." + c;
        names.push_back(t.Has(key) ? t.Tr(key) : c);
    }
    return Join(names, ", ");
}

std::string MinutesClock(int minutes, ClockStyle style) {
    minutes %= 1440;
    const int h = minutes / 60;
    const int m = minutes % 60;
    char buf[16];
    if (style == ClockStyle::k24Hour) {
        std::snprintf(buf, sizeof buf, "%d:%02d", h, m);
    } else {
        std::snprintf(buf, sizeof buf, "%d:%02d %s", h % 12 == 0 ? 12 : h % 12, m,
                      h < 12 ? "AM" : "PM");
    }
    return buf;
}

std::vector<std::string> HoursLines(const Catalog& t, const OpeningHours& hours, ClockStyle style) {
    // Each day's intervals as one comparable value; runs of equal consecutive days share a line.
    std::map<unsigned, std::vector<std::pair<int, int>>> by_day;
    for (const auto& iv : hours.Intervals()) {
        by_day[iv.weekday].push_back({iv.open, iv.close});
    }
    std::vector<std::string> lines;
    unsigned d = 1;
    while (d <= 7) {
        if (!by_day.count(d)) {
            ++d;
            continue;
        }
        unsigned last = d;
        while (last < 7 && by_day.count(last + 1) && by_day[last + 1] == by_day[d]) {
            ++last;
        }
        const std::string days = last == d ? Day(t, d)
                                           : t.Format(msg::kResourcesDayRange,
                                                      {{"from", Day(t, d)}, {"to", Day(t, last)}});
        std::vector<std::string> spans;
        bool all_day = false;
        for (const auto& [open, close] : by_day[d]) {
            if (open == 0 && close >= 1440) {
                all_day = true;
                continue;
            }
            spans.push_back(t.Format(
                msg::kResourcesHoursLine,
                {{"open", MinutesClock(open, style)}, {"close", MinutesClock(close, style)}}));
        }
        lines.push_back(all_day ? t.Format(msg::kResourcesHoursAllDay, {{"days", days}})
                                : days + " " + Join(spans, ", "));
        d = last + 1;
    }
    return lines;
}

std::string OpenText(const Catalog& t, const OpeningHours& hours, const OpenState& state,
                     Instant now, const ClinicTime& time, ClockStyle style) {
    if (!hours.Known()) {
        return t.Tr(msg::kResourcesHoursUnknown);
    }
    if (state.open) {
        if (!state.changes_at) {
            return t.Tr(msg::kResourcesOpenAllDay);
        }
        return t.Format(msg::kResourcesOpenUntil,
                        {{"time", time.FormatClock(*state.changes_at, style)}});
    }
    if (!state.changes_at) {
        return t.Tr(msg::kResourcesClosed);
    }
    const std::string clock = time.FormatClock(*state.changes_at, style);
    const std::string when =
        time.LocalDate(*state.changes_at) == time.LocalDate(now)
            ? t.Format(msg::kResourcesTodayAt, {{"time", clock}})
            : t.Format(msg::kResourcesDayAt,
                       {{"day", Day(t, time.IsoWeekday(*state.changes_at))}, {"time", clock}});
    return t.Format(msg::kResourcesClosedOpens, {{"when", when}});
}

std::string DistanceText(const Catalog& t, double km, bool miles) {
    const double n = miles ? km / 1.609344 : km;
    char buf[32];
    if (n < 10) {
        std::snprintf(buf, sizeof buf, "%.1f", n);
    } else {
        std::snprintf(buf, sizeof buf, "%.0f", n);
    }
    return t.Format(miles ? msg::kResourcesDistanceMi : msg::kResourcesDistanceKm, {{"n", buf}});
}

std::string LongDate(const Catalog& t, Instant at, const ClinicTime& time) {
    const std::string iso = time.LocalDate(at);  // YYYY-MM-DD
    const int month = std::stoi(iso.substr(5, 2));
    const int day = std::stoi(iso.substr(8, 2));
    return t.Format(msg::kDateLong, {{"month", t.Tr("month." + std::to_string(month))},
                                     {"day", std::to_string(day)},
                                     {"year", iso.substr(0, 4)}});
}

}  // namespace kiosk
