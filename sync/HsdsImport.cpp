// The HSDS import reads each table once, in dependency order (taxonomy terms, organizations,
// locations, services, then the tables that point at them), keeping only the parts a resource
// row needs, then writes rows in batches and removes "hsds" rows the package no longer has.
// HSDS 3.0 and the older layouts differ in file and column names more than in meaning, so one
// reader takes both: each table lists the names it may go by.
#include "sync/HsdsImport.h"

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
#include "sync/DirectoryMapping.h"
#include "sync/HsdsCsv.h"

namespace kiosk::sync {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Bits = std::uint16_t;  ///< bit i = kResourceCategories[i]
static_assert(kResourceCategories.size() <= 16);

Bits ToBits(const std::vector<std::string>& codes) {
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

std::vector<std::string> FromBits(Bits bits) {
    std::vector<std::string> out;
    for (size_t i = 0; i < kResourceCategories.size(); ++i) {
        if ((bits & (1u << i)) != 0) {
            out.emplace_back(kResourceCategories[i]);
        }
    }
    return out;
}

std::string Lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

void Append(std::string& out, std::string_view part, std::string_view separator) {
    if (part.empty()) {
        return;
    }
    if (!out.empty()) {
        out += separator;
    }
    out += part;
}

void AppendUnique(std::vector<std::string>& list, const std::string& value) {
    if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end()) {
        list.push_back(value);
    }
}

/// A value quoted for a report line: one line, at most 60 bytes (not cutting a UTF-8 character).
std::string Quote(std::string_view value) {
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

std::string Clock(int minutes) {
    char text[8];
    std::snprintf(text, sizeof text, "%02d:%02d", (minutes / 60) % 24, minutes % 60);
    return text;
}

std::optional<double> ParseNumber(std::string_view text) {
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
unsigned Weekday(std::string_view text) {
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

std::string Ordinal(int n) {
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

const std::map<std::string_view, TableNames>& Tables() {
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

Status Importer::ReadPackage() {
    const fs::path package = m_dir / "datapackage.json";
    std::error_code ec;
    if (!fs::is_directory(m_dir, ec)) {
        return MakeError(ErrorCode::kNotFound, m_dir.string() + " is not a folder");
    }
    std::string version;
    if (fs::exists(package, ec)) {
        std::ifstream in(package, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        json doc = json::parse(text.str(), nullptr, false);
        if (doc.is_discarded() || !doc.is_object()) {
            m_report.notes.push_back({"datapackage.json", 0,
                                      "not valid JSON; the HSDS version and file names were taken "
                                      "from the files present"});
        } else {
            if (doc.contains("version") && doc["version"].is_string()) {
                version = doc["version"].get<std::string>();
            }
            if (version.empty() && doc.contains("profile") && doc["profile"].is_string() &&
                doc["profile"].get<std::string>().find("3.") != std::string::npos) {
                version = "3";
            }
            for (const auto& r : doc.value("resources", json::array())) {
                if (!r.is_object() || !r.contains("name") || !r["name"].is_string()) {
                    continue;
                }
                json path = r.value("path", json());
                if (path.is_array() && !path.empty()) {
                    path = path[0];
                }
                if (!path.is_string()) {
                    continue;
                }
                const fs::path rel(path.get<std::string>());
                bool inside = !rel.is_absolute();
                for (const auto& part : rel) {
                    inside = inside && part != "..";
                }
                if (!inside) {
                    m_report.notes.push_back({"datapackage.json", 0,
                                              "resource " + Quote(r["name"].get<std::string>()) +
                                                  " points outside the folder; ignored"});
                    continue;
                }
                m_declared[Lower(r["name"].get<std::string>())] = m_dir / rel;
            }
        }
    }
    if (!version.empty()) {
        m_report.version = version[0] == '3' ? "3.0" : "2.0";
        m_report.version_from = "datapackage.json";
    } else {
        // The older layouts have files 3.0 dropped; 3.0 has its own.
        bool legacy = false;
        for (auto t : {"physical_address", "regular_schedule", "service_taxonomy",
                       "service_attribute", "holiday_schedule"}) {
            legacy = legacy || FileFor(t).has_value();
        }
        m_report.version = legacy ? "2.0" : "3.0";
        m_report.version_from = "the files present";
    }
    return Ok{};
}

std::optional<fs::path> Importer::FileFor(std::string_view table) const {
    const auto& names = Tables().at(table);
    std::error_code ec;
    for (auto name : names.resources) {
        if (auto it = m_declared.find(std::string(name));
            it != m_declared.end() && fs::is_regular_file(it->second, ec)) {
            return it->second;
        }
    }
    for (auto file : names.files) {
        if (fs::is_regular_file(m_dir / file, ec)) {
            return m_dir / file;
        }
    }
    return std::nullopt;
}

Status Importer::ForEach(std::string_view table, bool required,
                         const std::vector<std::string_view>& columns, const RowFn& on_row) {
    auto path = FileFor(table);
    const std::string expected(Tables().at(table).files[0]);
    if (!path) {
        if (required) {
            return MakeError(ErrorCode::kNotFound,
                             expected + " is missing from " + m_dir.string() +
                                 ": an HSDS package needs organizations.csv and services.csv");
        }
        return Ok{};
    }
    auto file = CsvFile::Open(*path);
    if (!file) {
        if (required || file.error().code != ErrorCode::kInvalidInput) {
            return file.error();
        }
        m_report.notes.push_back({path->filename().string(), 0, file.error().log + "; left out"});
        return Ok{};
    }
    CsvFile& f = *file.value();
    for (auto c : columns) {
        if (f.Column(c) < 0) {
            const std::string why = f.Name() + " has no '" + std::string(c) + "' column";
            if (required) {
                return MakeError(ErrorCode::kInvalidInput, why);
            }
            m_report.notes.push_back({f.Name(), 1, why + "; the file was left out"});
            return Ok{};
        }
    }
    long long rows = 0;
    CsvRecord r;
    while (f.Next(r)) {
        ++rows;
        // Extra fields are a shifted row, unless they are empty (a trailing comma).
        while (r.fields.size() > f.Header().size() && r.fields.back().empty()) {
            r.fields.pop_back();
        }
        if (r.fields.size() > f.Header().size()) {
            Skip(f, r,
                 "has " + std::to_string(r.fields.size()) + " fields but the header has " +
                     std::to_string(f.Header().size()));
            continue;
        }
        on_row(f, r);
    }
    if (!f.ReadError().empty()) {
        return MakeError(ErrorCode::kStorage, f.Name() + ": " + f.ReadError());
    }
    m_report.tables.emplace_back(f.Name(), rows);
    return Ok{};
}

std::string Importer::IdOf(const CsvFile& f, const CsvRecord& r, int column,
                           std::unordered_map<std::string, long>& seen) {
    std::string id(r.Field(column));
    if (id.empty()) {
        Skip(f, r, "no id");
        return {};
    }
    auto [it, fresh] = seen.emplace(id, r.line);
    if (!fresh) {
        Skip(f, r,
             "duplicate id " + Quote(id) + " (first on line " + std::to_string(it->second) + ")");
        return {};
    }
    return id;
}

Status Importer::ReadTerms() {
    const bool modern = FileFor("taxonomy_term").has_value();
    if (!modern && !FileFor("taxonomy")) {
        return Ok{};
    }
    std::unordered_map<std::string, long> seen;
    return ForEach(modern ? "taxonomy_term" : "taxonomy", false, {"id"},
                   [&](const CsvFile& f, const CsvRecord& r) {
                       const std::string id = IdOf(f, r, f.Column("id"), seen);
                       if (id.empty()) {
                           return;
                       }
                       Term t;
                       t.code = r.Field(f.Column("code"));
                       t.name = r.Field(f.Column("name"));
                       if (t.name.empty()) {
                           t.name = r.Field(f.Column("term"));
                       }
                       t.parent = r.Field(f.Column("parent_id"));
                       t.taxonomy = r.Field(f.Column("taxonomy"));
                       if (t.taxonomy.empty()) {
                           t.taxonomy = r.Field(f.Column("vocabulary"));
                       }
                       if (t.code.empty()) {
                           t.code = id;  // 2.x terms are often keyed by their code
                       }
                       m_terms.emplace(id, std::move(t));
                   });
}

Bits Importer::TermBits(const std::string& id, int depth) {
    auto it = m_terms.find(id);
    if (it == m_terms.end() || depth > 16) {
        return 0;
    }
    Term& t = it->second;
    if (t.state == 2 || t.state == 1) {
        return t.bits;
    }
    t.state = 1;
    const std::string system = Lower(t.taxonomy).find("iop-kiosk") != std::string::npos
                                   ? std::string(kResourceCategorySystem)
                                   : t.taxonomy;
    Bits bits = ToBits(CategoriesForCode(system, t.code));
    if (auto c = ResourceCategoryCode(t.code)) {
        bits = static_cast<Bits>(bits | ToBits({std::string(*c)}));
    }
    bits = static_cast<Bits>(bits | ToBits(CategoriesForWords(t.name)));
    if (bits == 0 && !t.parent.empty() && t.parent != id) {
        bits = TermBits(t.parent, depth + 1);  // "Food Pantries" under "Food"
    }
    t.bits = bits;
    t.state = 2;
    return bits;
}

Status Importer::ReadOrganizations() {
    std::unordered_map<std::string, long> seen;
    return ForEach("organization", true, {"id"}, [&](const CsvFile& f, const CsvRecord& r) {
        const std::string id = IdOf(f, r, f.Column("id"), seen);
        if (id.empty()) {
            return;
        }
        Org o;
        o.name = r.Field(f.Column("name"));
        o.website = WebsiteUrl(r.Field(f.Column("website")));
        if (o.website.empty()) {
            o.website = WebsiteUrl(r.Field(f.Column("url")));
        }
        m_orgs.emplace(id, std::move(o));
    });
}

Status Importer::ReadLocations() {
    std::unordered_map<std::string, long> seen;
    auto s = ForEach("location", false, {"id"}, [&](const CsvFile& f, const CsvRecord& r) {
        const std::string id = IdOf(f, r, f.Column("id"), seen);
        if (id.empty()) {
            return;
        }
        Location loc;
        const auto lat_text = r.Field(f.Column("latitude"));
        const auto lon_text = r.Field(f.Column("longitude"));
        auto lat = ParseNumber(lat_text);
        auto lon = ParseNumber(lon_text);
        if (lat && lon && std::abs(*lat) <= 90 && std::abs(*lon) <= 180 &&
            !(*lat == 0 && *lon == 0)) {
            loc.latitude = lat;
            loc.longitude = lon;
        } else if (!lat_text.empty() || !lon_text.empty()) {
            Note(f, r,
                 "location " + Quote(id) + ": bad coordinates " +
                     Quote(std::string(lat_text) + "," + std::string(lon_text)) +
                     "; kept without a map position");
        }
        m_locations.emplace(id, std::move(loc));
    });
    if (!s) {
        return s;
    }
    // The street address: 3.0 addresses (physical first, never virtual), 2.x physical_addresses.
    const bool modern = FileFor("address").has_value();
    return ForEach(modern ? "address" : "physical_address", false, {"location_id"},
                   [&](const CsvFile& f, const CsvRecord& r) {
                       const std::string location_id(r.Field(f.Column("location_id")));
                       auto it = m_locations.find(location_id);
                       if (it == m_locations.end()) {
                           Skip(f, r,
                                location_id.empty() ? "names no location"
                                                    : "unknown location " + Quote(location_id));
                           return;
                       }
                       const std::string type = Lower(r.Field(f.Column("address_type")));
                       if (type == "virtual") {
                           return;
                       }
                       const int rank = type == "physical" ? 0 : type.empty() ? 1 : 2;
                       std::string line;
                       for (auto c : {"address_1", "address_2", "address_3", "address_4"}) {
                           Append(line, r.Field(f.Column(c)), ", ");
                       }
                       std::string city(r.Field(f.Column("city")));
                       std::string region(r.Field(f.Column("state_province")));
                       if (region.empty()) {
                           region = r.Field(f.Column("region"));
                       }
                       Append(region, r.Field(f.Column("postal_code")), " ");
                       Append(line, city, ", ");
                       Append(line, region, ", ");
                       if (!line.empty() && rank < it->second.address_rank) {
                           it->second.address = line;
                           it->second.address_rank = rank;
                       }
                   });
}

Status Importer::ReadServices() {
    std::unordered_map<std::string, long> seen;
    return ForEach("service", true, {"id"}, [&](const CsvFile& f, const CsvRecord& r) {
        std::string id = IdOf(f, r, f.Column("id"), seen);
        if (id.empty()) {
            return;
        }
        Service s;
        s.id = std::move(id);
        s.line = r.line;
        s.name = r.Field(f.Column("name"));
        if (s.name.empty()) {
            s.name = r.Field(f.Column("alternate_name"));
        }
        if (s.name.empty()) {
            Skip(f, r, "service " + Quote(s.id) + " has no name");
            return;
        }
        s.status = Lower(r.Field(f.Column("status")));
        if (s.status == "inactive" || s.status == "defunct") {
            Skip(f, r, "service " + Quote(s.id) + " is " + s.status);
            return;
        }
        s.org_id = r.Field(f.Column("organization_id"));
        if (!s.org_id.empty() && m_orgs.count(s.org_id) == 0) {
            Note(f, r,
                 "service " + Quote(s.id) + ": unknown organization " + Quote(s.org_id) +
                     "; kept without an organization name");
        }
        s.description = r.Field(f.Column("description"));
        if (auto how = r.Field(f.Column("application_process")); !how.empty()) {
            Append(s.description, "How to apply: " + std::string(how), "\n\n");
        }
        s.url = WebsiteUrl(r.Field(f.Column("url")));
        s.fees = r.Field(f.Column("fees_description"));
        if (s.fees.empty()) {
            s.fees = r.Field(f.Column("fees"));
        }
        s.eligibility = r.Field(f.Column("eligibility_description"));
        const auto min_age = ParseNumber(r.Field(f.Column("minimum_age")));
        const auto max_age = ParseNumber(r.Field(f.Column("maximum_age")));
        auto age = [](double a) { return std::to_string(static_cast<long>(a)); };
        if (min_age && max_age) {
            Append(s.eligibility, "Ages " + age(*min_age) + "-" + age(*max_age), "\n");
        } else if (min_age) {
            Append(s.eligibility, "Ages " + age(*min_age) + " and up", "\n");
        } else if (max_age) {
            Append(s.eligibility, "Ages up to " + age(*max_age), "\n");
        }
        if (auto t = ParseDateTime(r.Field(f.Column("last_modified"))); t) {
            s.updated = FormatDateTimeUtc(t.value());
        } else if (auto d = r.Field(f.Column("last_modified")); d.size() == 10 && ParseDate(d)) {
            s.updated = std::string(d) + "T00:00:00Z";
        }
        const size_t index = m_services.size();
        m_service_index.emplace(s.id, index);
        m_services.push_back(std::move(s));
        // HSDS 1.x lists taxonomy ids in the service row itself.
        if (auto ids = r.Field(f.Column("taxonomy_ids")); !ids.empty()) {
            size_t start = 0;
            while (start < ids.size()) {
                size_t end = ids.find(',', start);
                if (end == std::string_view::npos) {
                    end = ids.size();
                }
                std::string term(ids.substr(start, end - start));
                term.erase(0, term.find_first_not_of(' '));
                term.erase(term.find_last_not_of(' ') + 1);
                if (!term.empty()) {
                    AddTerm(f, r, term, &m_services[index], nullptr);
                }
                start = end + 1;
            }
        }
    });
}

Status Importer::ReadServicesAtLocations() {
    std::unordered_map<std::string, long> seen;
    std::unordered_map<std::string, long> pairs;
    return ForEach(
        "service_at_location", false, {"service_id", "location_id"},
        [&](const CsvFile& f, const CsvRecord& r) {
            std::string id(r.Field(f.Column("id")));
            ServiceAtLocation sal;
            sal.service_id = r.Field(f.Column("service_id"));
            sal.location_id = r.Field(f.Column("location_id"));
            sal.description = r.Field(f.Column("description"));
            sal.line = r.line;
            auto service = m_service_index.find(sal.service_id);
            if (service == m_service_index.end()) {
                Skip(f, r,
                     sal.service_id.empty() ? "names no service"
                                            : "unknown service " + Quote(sal.service_id));
                return;
            }
            if (m_locations.count(sal.location_id) == 0) {
                Skip(f, r,
                     sal.location_id.empty() ? "names no location"
                                             : "unknown location " + Quote(sal.location_id));
                return;
            }
            if (auto [it, fresh] = pairs.emplace(sal.service_id + "\n" + sal.location_id, r.line);
                !fresh) {
                Skip(f, r,
                     "service " + Quote(sal.service_id) + " at location " + Quote(sal.location_id) +
                         " again (first on line " + std::to_string(it->second) + ")");
                return;
            }
            if (!id.empty()) {
                if (auto [it, fresh] = seen.emplace(id, r.line); !fresh) {
                    Skip(f, r,
                         "duplicate id " + Quote(id) + " (first on line " +
                             std::to_string(it->second) + ")");
                    return;
                }
            }
            sal.id = id;
            m_services[service->second].sals.push_back(m_sals.size());
            if (!id.empty()) {
                m_sal_index.emplace(id, m_sals.size());
            }
            m_sals.push_back(std::move(sal));
        });
}

void Importer::AddTerm(const CsvFile& f, const CsvRecord& r, const std::string& term_id,
                       Service* service, ServiceAtLocation* sal) {
    if (m_terms.count(term_id) == 0) {
        Skip(f, r, "unknown taxonomy term " + Quote(term_id));
        return;
    }
    const Bits bits = TermBits(term_id);
    if (service != nullptr) {
        service->bits = static_cast<Bits>(service->bits | bits);
        AppendUnique(service->term_names,
                     m_terms[term_id].name.empty() ? m_terms[term_id].code : m_terms[term_id].name);
    }
    if (sal != nullptr) {
        sal->bits = static_cast<Bits>(sal->bits | bits);
    }
}

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

Status Importer::ReadSchedules() {
    auto hours_of = [](Target& t) -> Hours* {
        return t.sal        ? &t.sal->hours
               : t.service  ? &t.service->hours
               : t.location ? &t.location->hours
                            : nullptr;
    };
    auto times = [&](const CsvFile& f, const CsvRecord& r, std::optional<int>& open,
                     std::optional<int>& close) -> bool {
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
            Skip(f, r,
                 std::string(open ? "opens_at without closes_at" : "closes_at without opens_at"));
            return false;
        }
        return true;
    };
    // HSDS 3.0 and 2.0.1: iCalendar-like rows (freq, byday, opens_at, closes_at).
    auto s = ForEach("schedule", false, {}, [&](const CsvFile& f, const CsvRecord& r) {
        Target t;
        if (!Resolve(f, r, r.Field(f.Column("service_at_location_id")),
                     r.Field(f.Column("service_id")), r.Field(f.Column("location_id")), {}, t)) {
            return;
        }
        if (!Valid(r.Field(f.Column("valid_from")), r.Field(f.Column("valid_to")))) {
            Note(f, r,
                 "valid only from " + Quote(r.Field(f.Column("valid_from"))) + " to " +
                     Quote(r.Field(f.Column("valid_to"))) + "; left out");
            return;
        }
        std::optional<int> open, close;
        if (!times(f, r, open, close)) {
            return;
        }
        Hours& hours = *hours_of(t);
        const std::string description(r.Field(f.Column("description")));
        const std::string freq = Lower(r.Field(f.Column("freq")));
        const std::string byday(r.Field(f.Column("byday")));
        std::vector<unsigned> days;
        std::vector<std::string> monthly;  // "1st Monday"
        bool bad_day = false;
        size_t start = 0;
        while (start < byday.size()) {
            size_t end = byday.find(',', start);
            if (end == std::string::npos) {
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
            while (digits < token.size() &&
                   (std::isdigit(static_cast<unsigned char>(token[digits])) ||
                    token[digits] == '-' || token[digits] == '+')) {
                ++digits;
            }
            const unsigned day = Weekday(token.substr(digits));
            if (day == 0) {
                bad_day = true;
                break;
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
        if (bad_day) {
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
                    const auto ymd = date::year_month_day{date::year{d->year},
                                                          date::month{d->month}, date::day{d->day}};
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
            Append(hours.note,
                   "Every " + std::to_string(static_cast<long>(*interval)) + " weeks: " + when +
                       " " + Clock(*open) + "-" + Clock(*close),
                   "; ");
            Append(hours.note, description, "; ");
            return;
        }
        AddWeekly(hours, days, *open, *close);
        Append(hours.note, description, "; ");
    });
    if (!s) {
        return s;
    }
    // HSDS 1.x / 2.0: one row per weekday.
    s = ForEach("regular_schedule", false, {"weekday"}, [&](const CsvFile& f, const CsvRecord& r) {
        Target t;
        if (!Resolve(f, r, r.Field(f.Column("service_at_location_id")),
                     r.Field(f.Column("service_id")), r.Field(f.Column("location_id")), {}, t)) {
            return;
        }
        const unsigned day = Weekday(r.Field(f.Column("weekday")));
        if (day == 0) {
            Skip(f, r, "bad weekday " + Quote(r.Field(f.Column("weekday"))));
            return;
        }
        std::optional<int> open, close;
        if (!times(f, r, open, close)) {
            return;
        }
        if (!open) {
            Skip(f, r, "no opening times (opens_at, closes_at)");
            return;
        }
        AddWeekly(*hours_of(t), {day}, *open, *close);
    });
    if (!s) {
        return s;
    }
    return ForEach("holiday_schedule", false, {}, [&](const CsvFile& f, const CsvRecord& r) {
        Target t;
        if (!Resolve(f, r, r.Field(f.Column("service_at_location_id")),
                     r.Field(f.Column("service_id")), r.Field(f.Column("location_id")), {}, t)) {
            return;
        }
        const std::string from(r.Field(f.Column("start_date")));
        const std::string to(r.Field(f.Column("end_date")));
        if (!to.empty() && to.substr(0, 10) < m_today) {
            return;  // a past holiday says nothing any more
        }
        std::optional<int> open, close;
        if (!times(f, r, open, close)) {
            return;
        }
        const std::string closed = Lower(r.Field(f.Column("closed")));
        std::string when = from.empty() ? to : to.empty() || to == from ? from : from + " to " + to;
        if (when.empty()) {
            Skip(f, r, "a holiday without dates (start_date, end_date)");
            return;
        }
        if (closed == "true" || closed == "1" || closed == "yes" || !open) {
            Append(hours_of(t)->note, "Closed " + when, "; ");
        } else {
            Append(hours_of(t)->note, when + ": " + Clock(*open) + "-" + Clock(*close), "; ");
        }
    });
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

Status Importer::Write(store::Store& store) {
    std::vector<store::ResourceRow> batch;
    std::vector<std::string> keep;
    auto flush = [&]() -> Status {
        if (batch.empty()) {
            return Ok{};
        }
        auto s = store.UpsertResources(batch);
        m_report.imported += static_cast<long long>(batch.size());
        batch.clear();
        return s;
    };
    const std::string services_file =
        FileFor("service") ? FileFor("service")->filename().string() : "services.csv";
    for (const Service& s : m_services) {
        const Org* org = nullptr;
        if (auto it = m_orgs.find(s.org_id); it != m_orgs.end()) {
            org = &it->second;
        }
        std::vector<const ServiceAtLocation*> places;
        for (size_t i : s.sals) {
            places.push_back(&m_sals[i]);
        }
        if (places.empty()) {
            places.push_back(nullptr);
        }
        bool any = false;
        for (const ServiceAtLocation* sal : places) {
            Bits bits = static_cast<Bits>(s.bits | (sal ? sal->bits : 0));
            if (bits == 0) {
                bits = ToBits(CategoriesForWords(s.name));
            }
            if (bits == 0) {
                continue;
            }
            const Location* loc = sal ? &m_locations.at(sal->location_id) : nullptr;
            store::ResourceRow row;
            row.id = std::string(kHsdsSource) + ":" + s.id + (sal ? "@" + sal->location_id : "");
            row.source = std::string(kHsdsSource);
            row.name = s.name;
            row.organization = org ? org->name : "";
            row.description = s.description;
            if (sal) {
                Append(row.description, sal->description, "\n\n");
            }
            row.categories = FromBits(bits);
            if (loc) {
                row.address = loc->address;
                row.latitude = loc->latitude;
                row.longitude = loc->longitude;
            }
            for (const Phone* p : {sal ? &sal->phone : nullptr, &s.phone,
                                   loc ? &loc->phone : nullptr, org ? &org->phone : nullptr}) {
                if (p != nullptr && row.phone.empty()) {
                    row.phone = p->number;
                }
            }
            row.website = !s.url.empty() ? s.url : org ? org->website : "";
            for (const Hours* h :
                 {sal ? &sal->hours : nullptr, &s.hours, loc ? &loc->hours : nullptr}) {
                if (h != nullptr && !h->Empty()) {
                    row.hours = OpeningHours(MergeIntervals(h->intervals));
                    row.hours_note = h->note;
                    break;
                }
            }
            if (s.status == "temporarily closed") {
                row.hours_note =
                    "Temporarily closed" + (row.hours_note.empty() ? "" : "; " + row.hours_note);
            }
            row.languages = s.languages;
            if (loc) {
                for (const auto& l : loc->languages) {
                    AppendUnique(row.languages, l);
                }
            }
            row.eligibility = s.eligibility;
            for (const auto& c : s.costs) {
                Append(row.cost, c, "; ");
            }
            if (row.cost.empty()) {
                row.cost = s.fees;
            }
            row.free = s.any_cost_option ? !s.any_charge : CostReadsFree(s.fees);
            row.what_to_bring = s.what_to_bring;
            row.updated = s.updated;
            keep.push_back(row.id);
            batch.push_back(std::move(row));
            any = true;
            if (batch.size() >= std::max<size_t>(1, m_options.batch)) {
                if (auto st = flush(); !st) {
                    return st;
                }
            }
        }
        if (any) {
            ++m_report.services;
        } else {
            std::string terms;
            for (const auto& t : s.term_names) {
                Append(terms, t, ", ");
            }
            m_report.skipped.push_back({services_file, s.line,
                                        "service " + Quote(s.id) +
                                            " has no category the kiosk knows (" +
                                            (terms.empty() ? std::string("no taxonomy terms")
                                                           : "taxonomy: " + Quote(terms)) +
                                            ")"});
        }
    }
    if (keep.empty()) {
        return Ok{};  // nothing usable: the directory stays as it was (applied = false)
    }
    if (auto st = flush(); !st) {
        return st;
    }
    auto before = store.ResourceCount();
    if (!before) {
        return before.error();
    }
    if (auto st = store.RemoveResourcesNotIn(std::string(kHsdsSource), keep); !st) {
        return st;
    }
    auto after = store.ResourceCount();
    if (!after) {
        return after.error();
    }
    m_report.removed = before.value() - after.value();
    m_report.applied = true;
    return Ok{};
}

Status Importer::Run(store::Store& store) {
    for (auto step :
         {&Importer::ReadPackage, &Importer::ReadTerms, &Importer::ReadOrganizations,
          &Importer::ReadLocations, &Importer::ReadServices, &Importer::ReadServicesAtLocations,
          &Importer::ReadAttributes, &Importer::ReadPhones, &Importer::ReadSchedules,
          &Importer::ReadLanguages, &Importer::ReadCosts, &Importer::ReadDocuments}) {
        if (auto s = (this->*step)(); !s) {
            return s;
        }
    }
    auto s = Write(store);
    std::stable_sort(m_report.skipped.begin(), m_report.skipped.end(),
                     [](const HsdsIssue& a, const HsdsIssue& b) {
                         return std::tie(a.file, a.line) < std::tie(b.file, b.line);
                     });
    return s;
}

/// Report text is printed on a terminal: control bytes from the files are shown as \xNN.
std::string Printable(std::string_view text) {
    std::string out;
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02X", c);
            out += hex;
        } else {
            out += ch;
        }
    }
    return out;
}

}  // namespace

Result<HsdsReport> ImportHsds(const fs::path& dir, store::Store& store,
                              const HsdsOptions& options) {
    HsdsReport report;
    Importer importer(dir, options, report);
    if (auto s = importer.Run(store); !s) {
        return s.error();
    }
    return report;
}

void PrintHsdsReport(const HsdsReport& report, const fs::path& dir, std::FILE* out,
                     size_t max_lines) {
    std::fprintf(out, "Read an Open Referral HSDS %s package from %s (version from %s).\n",
                 report.version.c_str(), Printable(dir.string()).c_str(),
                 report.version_from.c_str());
    for (const auto& [file, rows] : report.tables) {
        std::fprintf(out, "  %-32s %8lld rows\n", Printable(file).c_str(), rows);
    }
    if (report.applied) {
        std::fprintf(
            out,
            "Imported %lld resources from %lld services; removed %lld resources an earlier "
            "import had that this package no longer has.\n",
            report.imported, report.services, report.removed);
    } else {
        std::fprintf(out,
                     "Nothing was imported: no service in the package could be used. The resource "
                     "directory was left as it was.\n");
    }
    auto list = [&](const std::vector<HsdsIssue>& issues, const char* title) {
        if (issues.empty()) {
            return;
        }
        std::fprintf(out, "%s (%zu):\n", title, issues.size());
        for (size_t i = 0; i < issues.size() && i < max_lines; ++i) {
            const auto& issue = issues[i];
            if (issue.line > 0) {
                std::fprintf(out, "  %s line %ld: %s\n", Printable(issue.file).c_str(), issue.line,
                             Printable(issue.what).c_str());
            } else {
                std::fprintf(out, "  %s: %s\n",
                             Printable(issue.file.empty() ? "package" : issue.file).c_str(),
                             Printable(issue.what).c_str());
            }
        }
        if (issues.size() > max_lines) {
            std::fprintf(out, "  ... and %zu more\n", issues.size() - max_lines);
        }
    };
    list(report.skipped, "Rows left out");
    list(report.notes, "Rows kept without some part");
}

int RunResourcesImport(const std::string& dir, const std::string& data_dir, std::FILE* out) {
    const fs::path db = fs::path(data_dir) / "kiosk.db";
    std::error_code ec;
    if (!fs::is_directory(data_dir, ec)) {
        std::fprintf(out,
                     "kiosk resources import: %s is not a folder (is --data-dir the kiosk's data "
                     "directory?)\n",
                     Printable(data_dir).c_str());
        return 2;
    }
    auto store = store::Store::Open(db);
    if (!store) {
        std::fprintf(out, "kiosk resources import: cannot open %s: %s\n", db.c_str(),
                     Printable(store.error().log).c_str());
        return 2;
    }
    auto report = ImportHsds(dir, *store.value());
    if (!report) {
        std::fprintf(out, "kiosk resources import: %s\nNothing was changed.\n",
                     Printable(report.error().log).c_str());
        return 1;
    }
    PrintHsdsReport(report.value(), dir, out);
    if (auto total = store.value()->ResourceCount(); total) {
        std::fprintf(out, "The resource directory now holds %lld resources.\n", total.value());
    }
    return report->applied ? 0 : 1;
}

}  // namespace kiosk::sync
