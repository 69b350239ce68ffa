// The HSDS import reads each table once, in dependency order (taxonomy terms, organizations,
// locations, services, then the tables that point at them), keeping only the parts a resource
// row needs, then writes rows in batches and removes "hsds" rows the package no longer has.
// HSDS 3.0 and the older layouts differ in file and column names more than in meaning, so one
// reader takes both: each table lists the names it may go by.
#include "kiosk/directory/HsdsImport.h"

#include <cstdio>

#include "kiosk/directory/HsdsImporter.h"

namespace kiosk::directory {
namespace hsds {

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
        auto age = [](double a) {  // clamped: "1e300" would not fit a long (undefined behaviour)
            return std::to_string(static_cast<long>(std::clamp(a, -1e6, 1e6)));
        };
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

Status Importer::Write(store::Store& store) {
    std::vector<store::ResourceRow> batch;
    std::vector<std::string> keep;
    auto flush = [&]() -> Status {
        if (batch.empty()) {
            return Ok{};
        }
        auto s = store.Directory().Upsert(batch);
        m_report.imported += static_cast<long long>(batch.size());
        batch.clear();
        return s;
    };
    const std::string services_file =
        FileFor("service") ? FileFor("service")->filename().string() : "services.csv";
    for (const Service& s : m_services) {
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
            store::ResourceRow row = RowFor(s, sal, bits);
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
            SkipUncategorized(s, services_file);
        }
    }
    if (keep.empty()) {
        return Ok{};  // nothing usable: the directory stays as it was (applied = false)
    }
    if (auto st = flush(); !st) {
        return st;
    }
    auto before = store.Directory().Count();
    if (!before) {
        return before.error();
    }
    if (auto st = store.Directory().RemoveNotIn(std::string(kHsdsSource), keep); !st) {
        return st;
    }
    auto after = store.Directory().Count();
    if (!after) {
        return after.error();
    }
    m_report.removed = before.value() - after.value();
    m_report.applied = true;
    return Ok{};
}

store::ResourceRow Importer::RowFor(const Service& s, const ServiceAtLocation* sal,
                                    Bits bits) const {
    const Org* org = nullptr;
    if (auto it = m_orgs.find(s.org_id); it != m_orgs.end()) {
        org = &it->second;
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
    for (const Phone* p : {sal ? &sal->phone : nullptr, &s.phone, loc ? &loc->phone : nullptr,
                           org ? &org->phone : nullptr}) {
        if (p != nullptr && row.phone.empty()) {
            row.phone = p->number;
        }
    }
    row.website = !s.url.empty() ? s.url : org ? org->website : "";
    for (const Hours* h : {sal ? &sal->hours : nullptr, &s.hours, loc ? &loc->hours : nullptr}) {
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
    return row;
}

void Importer::SkipUncategorized(const Service& s, const std::string& services_file) {
    std::string terms;
    for (const auto& t : s.term_names) {
        Append(terms, t, ", ");
    }
    m_report.skipped.push_back(
        {services_file, s.line,
         "service " + Quote(s.id) + " has no category the kiosk knows (" +
             (terms.empty() ? std::string("no taxonomy terms") : "taxonomy: " + Quote(terms)) +
             ")"});
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

}  // namespace hsds

namespace fs = std::filesystem;

Result<HsdsReport> ImportHsds(const fs::path& dir, store::Store& store,
                              const HsdsOptions& options) {
    HsdsReport report;
    hsds::Importer importer(dir, options, report);
    if (auto s = importer.Run(store); !s) {
        return s.error();
    }
    return report;
}

}  // namespace kiosk::directory
