// Private to sync/: the HSDS importer shared by HsdsImport.cpp (package, core tables, writing)
// and HsdsTables.cpp (the tables that point at services: attributes, phones, schedules,
// languages, costs, documents). Never included outside sync/.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <unordered_map>

#include <date/date.h>

#include "kiosk/core/Iso8601.h"
#include "kiosk/core/ResourceCategory.h"
#include "kiosk/directory/DirectoryMapping.h"
#include "kiosk/directory/DirectoryWords.h"
#include "kiosk/directory/HsdsCsv.h"
#include "kiosk/directory/HsdsImport.h"

namespace kiosk::directory::hsds {

namespace fs = std::filesystem;
using nlohmann::json;
using Bits = std::uint16_t;  ///< bit i = kResourceCategories[i]
static_assert(kResourceCategories.size() <= 16);

inline Bits ToBits(const std::vector<std::string>& codes) {
    Bits bits = 0;
    for (const auto& code : codes) {
        for (size_t i = 0; i < kResourceCategories.size(); ++i) {
            if (kResourceCategories[i] == code) {
                bits = static_cast<Bits>(bits | (1u << i));
            }
        }
    }
    return bits;
}

inline std::vector<std::string> FromBits(Bits bits) {
    std::vector<std::string> out;
    for (size_t i = 0; i < kResourceCategories.size(); ++i) {
        if ((bits & (1u << i)) != 0) {
            out.emplace_back(kResourceCategories[i]);
        }
    }
    return out;
}

using words::Lower;

inline void Append(std::string& out, std::string_view part, std::string_view separator) {
    if (part.empty()) {
        return;
    }
    if (!out.empty()) {
        out += separator;
    }
    out += part;
}

inline void AppendUnique(std::vector<std::string>& list, const std::string& value) {
    if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end()) {
        list.push_back(value);
    }
}

/// A value quoted for a report line: one line, at most 60 bytes (not cutting a UTF-8 character).
inline std::string Quote(std::string_view value) {
    std::string v(value);
    std::replace(v.begin(), v.end(), '\n', ' ');
    if (v.size() > 60) {
        size_t cut = 57;
        while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80) {
            --cut;
        }
        v = v.substr(0, cut) + "...";
    }
    return "'" + v + "'";
}

inline std::string Clock(int minutes) {
    char text[8];
    std::snprintf(text, sizeof text, "%02d:%02d", (minutes / 60) % 24, minutes % 60);
    return text;
}

inline std::optional<double> ParseNumber(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) {
        return std::nullopt;
    }
    return v;
}

/// ISO weekday from a name ("Monday", "mon", "MO"), or a number (1 = Monday .. 7 = Sunday, 0 =
/// Sunday). 0 when it is neither.
inline unsigned Weekday(std::string_view text) {
    const std::string s = Lower(text);
    static const std::array<std::string_view, 7> kNames{
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    for (unsigned i = 0; i < 7; ++i) {
        // "mo", "tue", "Thursday": two letters tell every day apart.
        if (s.size() >= 2 && kNames[i].compare(0, s.size(), s) == 0) {
            return i + 1;
        }
    }
    if (s.size() == 1 && s[0] >= '0' && s[0] <= '7') {
        return s[0] == '0' ? 7 : static_cast<unsigned>(s[0] - '0');
    }
    return 0;
}

inline std::string Ordinal(int n) {
    if (n == -1) {
        return "last";
    }
    const char* suffix = n == 1 ? "st" : n == 2 ? "nd" : n == 3 ? "rd" : "th";
    return std::to_string(n) + suffix;
}

struct Hours {
    std::vector<OpenInterval> intervals;
    std::string note;
    bool Empty() const { return intervals.empty() && note.empty(); }
};

struct Phone {
    std::string number;
    int rank = 99;  ///< lower wins: a voice line before a text line; a fax never
    void Offer(std::string_view num, std::string_view extension, std::string_view type) {
        const std::string t = Lower(type);
        if (num.empty() || t == "fax") {
            return;
        }
        const int r = (t.empty() || t == "voice" || t == "phone" || t == "work") ? 0 : 1;
        if (r < rank) {
            rank = r;
            number = std::string(num);
            if (!extension.empty()) {
                number += " ext. " + std::string(extension);
            }
        }
    }
};

struct Term {
    std::string code, name, parent, taxonomy;
    Bits bits = 0;
    int state = 0;  ///< 0 not yet resolved, 1 resolving (a parent loop), 2 done
};

struct Org {
    std::string name, website;
    Phone phone;
};

struct Location {
    std::string address;
    int address_rank = 99;
    std::optional<double> latitude, longitude;
    Hours hours;
    Phone phone;
    std::vector<std::string> languages;
};

struct Service {
    std::string id, org_id, name, description, url, fees, eligibility, updated, status;
    long line = 0;
    Bits bits = 0;
    std::vector<std::string> term_names;
    std::vector<size_t> sals;
    std::vector<std::string> costs;
    bool any_charge = false, any_cost_option = false;
    std::string what_to_bring;
    std::vector<std::string> languages;
    Phone phone;
    Hours hours;
};

struct ServiceAtLocation {
    std::string id, service_id, location_id, description;
    long line = 0;
    Bits bits = 0;
    Hours hours;
    Phone phone;
    bool usable = true;
};

/// The names a table may go by: its datapackage resource name(s) and file names.
struct TableNames {
    std::vector<std::string_view> resources;
    std::vector<std::string_view> files;
};

inline const std::map<std::string_view, TableNames>& Tables() {
    static const std::map<std::string_view, TableNames> kTables{
        {"organization",
         {{"organization", "organizations"}, {"organizations.csv", "organization.csv"}}},
        {"service", {{"service", "services"}, {"services.csv", "service.csv"}}},
        {"location", {{"location", "locations"}, {"locations.csv", "location.csv"}}},
        {"service_at_location",
         {{"service_at_location", "services_at_location", "service_at_locations"},
          {"service_at_location.csv", "services_at_location.csv", "service_at_locations.csv"}}},
        {"address", {{"address", "addresses"}, {"addresses.csv", "address.csv"}}},
        {"physical_address",
         {{"physical_address", "physical_addresses"},
          {"physical_addresses.csv", "physical_address.csv"}}},
        {"phone", {{"phone", "phones"}, {"phones.csv", "phone.csv"}}},
        {"schedule", {{"schedule", "schedules"}, {"schedules.csv", "schedule.csv"}}},
        {"regular_schedule",
         {{"regular_schedule", "regular_schedules"},
          {"regular_schedules.csv", "regular_schedule.csv"}}},
        {"holiday_schedule",
         {{"holiday_schedule", "holiday_schedules"},
          {"holiday_schedules.csv", "holiday_schedule.csv"}}},
        {"language", {{"language", "languages"}, {"languages.csv", "language.csv"}}},
        {"taxonomy_term",
         {{"taxonomy_term", "taxonomy_terms"}, {"taxonomy_terms.csv", "taxonomy_term.csv"}}},
        {"taxonomy", {{"taxonomy"}, {"taxonomy.csv"}}},  // HSDS 1.x: the terms themselves
        {"attribute", {{"attribute", "attributes"}, {"attributes.csv", "attribute.csv"}}},
        {"service_attribute",
         {{"service_attribute", "service_attributes"},
          {"service_attributes.csv", "service_attribute.csv"}}},
        {"other_attribute",
         {{"other_attribute", "other_attributes"},
          {"other_attributes.csv", "other_attribute.csv"}}},
        {"service_taxonomy",
         {{"service_taxonomy", "services_taxonomy", "service_taxonomies"},
          {"services_taxonomy.csv", "service_taxonomy.csv", "service_taxonomies.csv"}}},
        {"cost_option", {{"cost_option", "cost_options"}, {"cost_options.csv", "cost_option.csv"}}},
        {"required_document",
         {{"required_document", "required_documents"},
          {"required_documents.csv", "required_document.csv"}}},
        {"eligibility",
         {{"eligibility", "eligibilities"}, {"eligibility.csv", "eligibilities.csv"}}},
    };
    return kTables;
}

class Importer {
  public:
    Importer(fs::path dir, const HsdsOptions& options, HsdsReport& report)
        : m_dir(std::move(dir)), m_options(options), m_report(report) {
        const Instant now =
            options.now == Instant{}
                ? std::chrono::time_point_cast<Seconds>(std::chrono::system_clock::now())
                : options.now;
        m_today = FormatDateTimeUtc(now).substr(0, 10);
    }

    Status Run(store::Store& store);

  private:
    using RowFn = std::function<void(const CsvFile&, const CsvRecord&)>;

    Status ReadPackage();
    std::optional<fs::path> FileFor(std::string_view table) const;
    /// Reads every row of `table` (absent: nothing, unless required). `columns` must all be in
    /// the header; a required table without them is an error, another is left out with a note.
    Status ForEach(std::string_view table, bool required,
                   const std::vector<std::string_view>& columns, const RowFn& on_row);

    Status ReadTerms();
    Status ReadOrganizations();
    Status ReadLocations();
    Status ReadServices();
    Status ReadServicesAtLocations();
    Status ReadAttributes();
    Status ReadPhones();
    Status ReadSchedules();
    Status ReadLanguages();
    Status ReadCosts();
    Status ReadDocuments();
    Status Write(store::Store& store);
    /// The searchable row of a service at one of its places (`sal` null: it has none).
    store::ResourceRow RowFor(const Service& s, const ServiceAtLocation* sal, Bits bits) const;
    /// Reports a service none of whose rows has a category the kiosk knows.
    void SkipUncategorized(const Service& s, const std::string& services_file);

    void Skip(const CsvFile& f, const CsvRecord& r, std::string what) {
        m_report.skipped.push_back({f.Name(), r.line, std::move(what)});
    }
    void Note(const CsvFile& f, const CsvRecord& r, std::string what) {
        m_report.notes.push_back({f.Name(), r.line, std::move(what)});
    }
    /// The row's id, or a skip ("no id", "duplicate id") and "".
    std::string IdOf(const CsvFile& f, const CsvRecord& r, int column,
                     std::unordered_map<std::string, long>& seen);

    Bits TermBits(const std::string& id, int depth = 0);
    void AddTerm(const CsvFile& f, const CsvRecord& r, const std::string& term_id, Service* service,
                 ServiceAtLocation* sal);
    /// Where a row that names a service at location, a service, a location and/or an
    /// organization belongs; false (after a skip) when an id it names is unknown.
    struct Target {
        ServiceAtLocation* sal = nullptr;
        Service* service = nullptr;
        Location* location = nullptr;
        Org* org = nullptr;
    };
    bool Resolve(const CsvFile& f, const CsvRecord& r, std::string_view sal_id,
                 std::string_view service_id, std::string_view location_id, std::string_view org_id,
                 Target& target);
    /// The opening hours a schedule row adds to: its service at location, service or location.
    static Hours* HoursOf(const Target& t);
    /// opens_at and closes_at (both or neither); false (after a skip) when one is malformed.
    bool ReadTimes(const CsvFile& f, const CsvRecord& r, std::optional<int>& open,
                   std::optional<int>& close);
    void ReadScheduleRow(const CsvFile& f, const CsvRecord& r);         ///< 3.0 and 2.0.1
    void ReadRegularScheduleRow(const CsvFile& f, const CsvRecord& r);  ///< 1.x and 2.0
    void ReadHolidayScheduleRow(const CsvFile& f, const CsvRecord& r);
    bool Valid(std::string_view from, std::string_view to) const {
        return (from.size() < 10 || from.substr(0, 10) <= m_today) &&
               (to.size() < 10 || to.substr(0, 10) >= m_today);
    }
    void AddWeekly(Hours& hours, const std::vector<unsigned>& days, int open, int close) {
        for (unsigned d : days) {
            if (auto i = MakeOpenInterval(d, open, close)) {
                hours.intervals.push_back(*i);
            }
        }
    }

    fs::path m_dir;
    const HsdsOptions& m_options;
    HsdsReport& m_report;
    std::string m_today;
    std::map<std::string, fs::path> m_declared;  ///< datapackage resource name -> file

    std::unordered_map<std::string, Term> m_terms;
    std::unordered_map<std::string, Org> m_orgs;
    std::unordered_map<std::string, Location> m_locations;
    std::vector<Service> m_services;
    std::unordered_map<std::string, size_t> m_service_index;
    std::vector<ServiceAtLocation> m_sals;
    std::unordered_map<std::string, size_t> m_sal_index;
};

}  // namespace kiosk::directory::hsds
