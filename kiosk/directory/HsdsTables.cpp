// The HSDS tables that point at services and locations: attributes (taxonomy links), phones,
// schedules (3.0 RRULE-like rows and 2.0.1 weekday rows), languages, costs and required
// documents. Each adds to what Importer read from the core tables (HsdsImport.cpp).
#include "kiosk/directory/HsdsImporter.h"

namespace kiosk::directory::hsds {
namespace {

/// byday's weekdays ("MO,WE": 1, 3) and monthly days ("1MO": "1st Monday"); false when one
/// is not a day.
bool ParseByDay(std::string_view byday, std::vector<unsigned>& days,
                std::vector<std::string>& monthly) {
    size_t start = 0;
    while (start < byday.size()) {
        size_t end = byday.find(',', start);
        if (end == std::string_view::npos) {
            end = byday.size();
        }
        std::string token = Lower(byday.substr(start, end - start));
        token.erase(0, token.find_first_not_of(' '));
        token.erase(token.find_last_not_of(' ') + 1);
        start = end + 1;
        if (token.empty()) {
            continue;
        }
        size_t digits = 0;
        while (digits < token.size() && (std::isdigit(static_cast<unsigned char>(token[digits])) ||
                                         token[digits] == '-' || token[digits] == '+')) {
            ++digits;
        }
        const unsigned day = Weekday(token.substr(digits));
        if (day == 0) {
            return false;
        }
        if (digits > 0) {
            int n = 0;
            std::from_chars(token.data() + (token[0] == '+' ? 1 : 0), token.data() + digits, n);
            static const std::array<std::string_view, 7> kDay{
                "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
            monthly.push_back(Ordinal(n) + " " + std::string(kDay[day - 1]));
        } else {
            days.push_back(day);
        }
    }
    return true;
}

}  // namespace

Status Importer::ReadAttributes() {
    // 3.0: attributes link any entity to a term; services and services at locations matter here.
    auto linked = [&](const CsvFile& f, const CsvRecord& r, std::string_view link_id,
                      std::string_view entity, const std::string& term) {
        const std::string e = Lower(entity);
        const bool any = e.empty();
        if (any || e == "service" || e == "services") {
            if (auto it = m_service_index.find(std::string(link_id)); it != m_service_index.end()) {
                AddTerm(f, r, term, &m_services[it->second], nullptr);
                return;
            }
        }
        if (any || e == "service_at_location") {
            if (auto it = m_sal_index.find(std::string(link_id)); it != m_sal_index.end()) {
                AddTerm(f, r, term, nullptr, &m_sals[it->second]);
                return;
            }
        }
        if (any || e == "service" || e == "services" || e == "service_at_location") {
            Skip(f, r, link_id.empty() ? "names no service" : "unknown service " + Quote(link_id));
        }
        // Organizations, locations and other entities carry no kiosk category.
    };
    auto s =
        ForEach("attribute", false, {"link_id", "taxonomy_term_id"},
                [&](const CsvFile& f, const CsvRecord& r) {
                    linked(f, r, r.Field(f.Column("link_id")), r.Field(f.Column("link_entity")),
                           std::string(r.Field(f.Column("taxonomy_term_id"))));
                });
    if (!s) {
        return s;
    }
    s = ForEach("service_attribute", false, {"service_id", "taxonomy_term_id"},
                [&](const CsvFile& f, const CsvRecord& r) {
                    linked(f, r, r.Field(f.Column("service_id")), "service",
                           std::string(r.Field(f.Column("taxonomy_term_id"))));
                });
    if (!s) {
        return s;
    }
    s = ForEach("other_attribute", false, {"link_id", "taxonomy_term_id"},
                [&](const CsvFile& f, const CsvRecord& r) {
                    const std::string type = Lower(r.Field(f.Column("link_type")));
                    if (type.find("service") != std::string::npos) {
                        linked(f, r, r.Field(f.Column("link_id")),
                               type == "service_at_location" ? type : "service",
                               std::string(r.Field(f.Column("taxonomy_term_id"))));
                    }
                });
    if (!s) {
        return s;
    }
    return ForEach("service_taxonomy", false, {"service_id", "taxonomy_id"},
                   [&](const CsvFile& f, const CsvRecord& r) {
                       linked(f, r, r.Field(f.Column("service_id")), "service",
                              std::string(r.Field(f.Column("taxonomy_id"))));
                   });
}

bool Importer::Resolve(const CsvFile& f, const CsvRecord& r, std::string_view sal_id,
                       std::string_view service_id, std::string_view location_id,
                       std::string_view org_id, Target& t) {
    if (!sal_id.empty()) {
        auto it = m_sal_index.find(std::string(sal_id));
        if (it == m_sal_index.end()) {
            Skip(f, r, "unknown service at location " + Quote(sal_id));
            return false;
        }
        t.sal = &m_sals[it->second];
        return true;
    }
    if (!service_id.empty()) {
        auto it = m_service_index.find(std::string(service_id));
        if (it == m_service_index.end()) {
            Skip(f, r, "unknown service " + Quote(service_id));
            return false;
        }
        t.service = &m_services[it->second];
        if (!location_id.empty()) {
            // A service and a location: that service at that location when the package has it.
            for (size_t i : t.service->sals) {
                if (m_sals[i].location_id == location_id) {
                    t.sal = &m_sals[i];
                    t.service = nullptr;
                    break;
                }
            }
        }
        return true;
    }
    if (!location_id.empty()) {
        auto it = m_locations.find(std::string(location_id));
        if (it == m_locations.end()) {
            Skip(f, r, "unknown location " + Quote(location_id));
            return false;
        }
        t.location = &it->second;
        return true;
    }
    if (!org_id.empty()) {
        auto it = m_orgs.find(std::string(org_id));
        if (it == m_orgs.end()) {
            Skip(f, r, "unknown organization " + Quote(org_id));
            return false;
        }
        t.org = &it->second;
        return true;
    }
    Skip(f, r, "names no service, location or organization");
    return false;
}

Status Importer::ReadPhones() {
    return ForEach("phone", false, {"number"}, [&](const CsvFile& f, const CsvRecord& r) {
        const auto number = r.Field(f.Column("number"));
        if (number.empty()) {
            Skip(f, r, "no number");
            return;
        }
        Target t;
        if (!Resolve(f, r, r.Field(f.Column("service_at_location_id")),
                     r.Field(f.Column("service_id")), r.Field(f.Column("location_id")),
                     r.Field(f.Column("organization_id")), t)) {
            return;
        }
        Phone* phone = t.sal        ? &t.sal->phone
                       : t.service  ? &t.service->phone
                       : t.location ? &t.location->phone
                                    : &t.org->phone;
        phone->Offer(number, r.Field(f.Column("extension")), r.Field(f.Column("type")));
    });
}

Hours* Importer::HoursOf(const Target& t) {
    return t.sal        ? &t.sal->hours
           : t.service  ? &t.service->hours
           : t.location ? &t.location->hours
                        : nullptr;
}

bool Importer::ReadTimes(const CsvFile& f, const CsvRecord& r, std::optional<int>& open,
                         std::optional<int>& close) {
    const auto open_text = r.Field(f.Column("opens_at"));
    const auto close_text = r.Field(f.Column("closes_at"));
    open = ParseClockMinutes(open_text);
    close = ParseClockMinutes(close_text);
    if ((!open_text.empty() && !open) || (open && *open >= 1440)) {
        Skip(f, r, "bad time " + Quote(open_text) + " in opens_at");
        return false;
    }
    if (!close_text.empty() && !close) {
        Skip(f, r, "bad time " + Quote(close_text) + " in closes_at");
        return false;
    }
    if (open.has_value() != close.has_value()) {
        Skip(f, r, std::string(open ? "opens_at without closes_at" : "closes_at without opens_at"));
        return false;
    }
    return true;
}

Status Importer::ReadSchedules() {
    // HSDS 3.0 and 2.0.1: iCalendar-like rows (freq, byday, opens_at, closes_at).
    auto s = ForEach("schedule", false, {},
                     [&](const CsvFile& f, const CsvRecord& r) { ReadScheduleRow(f, r); });
    if (!s) {
        return s;
    }
    // HSDS 1.x / 2.0: one row per weekday.
    s = ForEach("regular_schedule", false, {"weekday"},
                [&](const CsvFile& f, const CsvRecord& r) { ReadRegularScheduleRow(f, r); });
    if (!s) {
        return s;
    }
    return ForEach("holiday_schedule", false, {},
                   [&](const CsvFile& f, const CsvRecord& r) { ReadHolidayScheduleRow(f, r); });
}

void Importer::ReadScheduleRow(const CsvFile& f, const CsvRecord& r) {
    Target t;
    if (!Resolve(f, r, r.Field(f.Column("service_at_location_id")), r.Field(f.Column("service_id")),
                 r.Field(f.Column("location_id")), {}, t)) {
        return;
    }
    if (!Valid(r.Field(f.Column("valid_from")), r.Field(f.Column("valid_to")))) {
        Note(f, r,
             "valid only from " + Quote(r.Field(f.Column("valid_from"))) + " to " +
                 Quote(r.Field(f.Column("valid_to"))) + "; left out");
        return;
    }
    std::optional<int> open, close;
    if (!ReadTimes(f, r, open, close)) {
        return;
    }
    Hours& hours = *HoursOf(t);
    const std::string description(r.Field(f.Column("description")));
    const std::string freq = Lower(r.Field(f.Column("freq")));
    const std::string byday(r.Field(f.Column("byday")));
    std::vector<unsigned> days;
    std::vector<std::string> monthly;  // "1st Monday"
    if (!ParseByDay(byday, days, monthly)) {
        Skip(f, r, "bad day " + Quote(byday) + " in byday");
        return;
    }
    const bool monthly_rule =
        freq == "monthly" || !monthly.empty() || !r.Field(f.Column("bymonthday")).empty();
    if (!open) {
        if (description.empty()) {
            Skip(f, r, "no opening times (opens_at, closes_at) and no description");
            return;
        }
        Append(hours.note, description, "; ");
        return;
    }
    if (monthly_rule) {
        std::string when;
        for (const auto& m : monthly) {
            Append(when, m, ", ");
        }
        if (when.empty()) {
            when = "Monthly (day " + std::string(r.Field(f.Column("bymonthday"))) + ")";
        } else {
            when += " of the month";
        }
        Append(hours.note, when + " " + Clock(*open) + "-" + Clock(*close), "; ");
        Append(hours.note, description, "; ");
        return;
    }
    if (days.empty()) {
        if (freq == "weekly") {
            if (auto d = ParseDate(r.Field(f.Column("dtstart"))); d) {
                // A weekly rule without days repeats on its first day's weekday.
                const auto ymd = date::year_month_day{date::year{d->year}, date::month{d->month},
                                                      date::day{d->day}};
                days.push_back(date::weekday{date::sys_days{ymd}}.iso_encoding());
            } else {
                Skip(f, r, "a weekly schedule without days (byday) or start date (dtstart)");
                return;
            }
        } else {
            days = {1, 2, 3, 4, 5, 6, 7};  // daily, or no rule: every day
        }
    }
    const auto interval = ParseNumber(r.Field(f.Column("interval")));
    if (interval && *interval > 1 && freq == "weekly") {
        // Every other week cannot be a weekly opening: said in words instead.
        static const std::array<std::string_view, 7> kDay{"Mon", "Tue", "Wed", "Thu",
                                                          "Fri", "Sat", "Sun"};
        std::string when;
        for (unsigned d : days) {
            Append(when, kDay[d - 1], ",");
        }
        const long every = static_cast<long>(std::min(*interval, 1e6));  // "1e300" fits no long
        Append(hours.note,
               "Every " + std::to_string(every) + " weeks: " + when + " " + Clock(*open) + "-" +
                   Clock(*close),
               "; ");
        Append(hours.note, description, "; ");
        return;
    }
    AddWeekly(hours, days, *open, *close);
    Append(hours.note, description, "; ");
}

void Importer::ReadRegularScheduleRow(const CsvFile& f, const CsvRecord& r) {
    Target t;
    if (!Resolve(f, r, r.Field(f.Column("service_at_location_id")), r.Field(f.Column("service_id")),
                 r.Field(f.Column("location_id")), {}, t)) {
        return;
    }
    const unsigned day = Weekday(r.Field(f.Column("weekday")));
    if (day == 0) {
        Skip(f, r, "bad weekday " + Quote(r.Field(f.Column("weekday"))));
        return;
    }
    std::optional<int> open, close;
    if (!ReadTimes(f, r, open, close)) {
        return;
    }
    if (!open) {
        Skip(f, r, "no opening times (opens_at, closes_at)");
        return;
    }
    AddWeekly(*HoursOf(t), {day}, *open, *close);
}

void Importer::ReadHolidayScheduleRow(const CsvFile& f, const CsvRecord& r) {
    Target t;
    if (!Resolve(f, r, r.Field(f.Column("service_at_location_id")), r.Field(f.Column("service_id")),
                 r.Field(f.Column("location_id")), {}, t)) {
        return;
    }
    const std::string from(r.Field(f.Column("start_date")));
    const std::string to(r.Field(f.Column("end_date")));
    if (!to.empty() && to.substr(0, 10) < m_today) {
        return;  // a past holiday says nothing any more
    }
    std::optional<int> open, close;
    if (!ReadTimes(f, r, open, close)) {
        return;
    }
    const std::string closed = Lower(r.Field(f.Column("closed")));
    std::string when = from.empty() ? to : to.empty() || to == from ? from : from + " to " + to;
    if (when.empty()) {
        Skip(f, r, "a holiday without dates (start_date, end_date)");
        return;
    }
    if (closed == "true" || closed == "1" || closed == "yes" || !open) {
        Append(HoursOf(t)->note, "Closed " + when, "; ");
    } else {
        Append(HoursOf(t)->note, when + ": " + Clock(*open) + "-" + Clock(*close), "; ");
    }
}

Status Importer::ReadLanguages() {
    return ForEach("language", false, {}, [&](const CsvFile& f, const CsvRecord& r) {
        Target t;
        if (!Resolve(f, r, {}, r.Field(f.Column("service_id")), r.Field(f.Column("location_id")),
                     {}, t)) {
            return;
        }
        std::vector<std::string>* list =
            t.service    ? &t.service->languages
            : t.sal      ? &m_services[m_service_index[t.sal->service_id]].languages
            : t.location ? &t.location->languages
                         : nullptr;
        if (list == nullptr) {
            return;
        }
        std::string tag = LanguageTag(r.Field(f.Column("code")));
        if (!tag.empty()) {
            AppendUnique(*list, tag);
            return;
        }
        // A name, or several: "English, Spanish", "Vietnamese; Russian".
        std::string names(r.Field(f.Column("name")));
        Append(names, r.Field(f.Column("language")), ",");
        bool any = false;
        std::string unknown;
        size_t start = 0;
        while (start < names.size()) {
            size_t end = names.find_first_of(",;/", start);
            if (end == std::string::npos) {
                end = names.size();
            }
            std::string one = names.substr(start, end - start);
            start = end + 1;
            one.erase(0, one.find_first_not_of(' '));
            one.erase(one.find_last_not_of(' ') + 1);
            if (one.empty()) {
                continue;
            }
            tag = LanguageTag(one);
            if (tag.empty() || (tag.size() > 3 && tag.find('-') == std::string::npos)) {
                Append(unknown, one, ", ");
                continue;
            }
            any = true;
            AppendUnique(*list, tag);
        }
        if (!unknown.empty()) {
            Note(f, r, "unknown language " + Quote(unknown) + " left out");
        } else if (!any) {
            Skip(f, r, "no language (code, name)");
        }
    });
}

Status Importer::ReadCosts() {
    auto s =
        ForEach("cost_option", false, {"service_id"}, [&](const CsvFile& f, const CsvRecord& r) {
            Target t;
            if (!Resolve(f, r, {}, r.Field(f.Column("service_id")), {}, {}, t)) {
                return;
            }
            if (!Valid(r.Field(f.Column("valid_from")), r.Field(f.Column("valid_to")))) {
                return;  // an old or future price
            }
            Service& svc = *t.service;
            std::string text(r.Field(f.Column("option")));
            const auto amount_text = r.Field(f.Column("amount"));
            const auto amount = ParseNumber(amount_text);
            if (!amount_text.empty() && !amount) {
                Note(f, r, "bad amount " + Quote(amount_text) + "; the option kept without it");
            }
            if (amount) {
                const std::string currency = Lower(r.Field(f.Column("currency")));
                char money[48];
                if (currency.empty() || currency == "usd") {
                    std::snprintf(money, sizeof money,
                                  *amount == std::floor(*amount) ? "$%.0f" : "$%.2f", *amount);
                } else {
                    std::snprintf(money, sizeof money, "%.2f %s", *amount, Lower(currency).c_str());
                }
                Append(text, *amount == 0 ? std::string("Free") : std::string(money), ": ");
                svc.any_charge = svc.any_charge || *amount > 0;
            }
            Append(text, r.Field(f.Column("amount_description")), " ");
            svc.any_cost_option = true;
            if (!amount && !CostReadsFree(text)) {
                svc.any_charge = true;
            }
            AppendUnique(svc.costs, text);
        });
    if (!s) {
        return s;
    }
    return ForEach("eligibility", false, {"service_id"}, [&](const CsvFile& f, const CsvRecord& r) {
        Target t;
        if (!Resolve(f, r, {}, r.Field(f.Column("service_id")), {}, {}, t)) {
            return;
        }
        std::string text(r.Field(f.Column("eligibility")));
        if (text.empty()) {
            text = r.Field(f.Column("description"));
        }
        Append(t.service->eligibility, text, "\n");
    });
}

Status Importer::ReadDocuments() {
    return ForEach("required_document", false, {"service_id", "document"},
                   [&](const CsvFile& f, const CsvRecord& r) {
                       Target t;
                       if (!Resolve(f, r, {}, r.Field(f.Column("service_id")), {}, {}, t)) {
                           return;
                       }
                       Append(t.service->what_to_bring, r.Field(f.Column("document")), "; ");
                   });
}

}  // namespace kiosk::directory::hsds
