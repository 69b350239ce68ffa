// The community resource directory (FHIR.md): every HealthcareService, and the Organizations
// and Locations they name, kept verbatim in directory_resource, then mapped into the searchable
// resource rows (DirectoryMapping.h). Public data, so the whole type is paged; deltas by
// _lastUpdated as for the clinic. A service is re-mapped when it changed or when its
// Organization or Location did; a full pull also drops rows of services the server no longer has.
#include <functional>
#include <map>
#include <set>

#include "kiosk/core/Log.h"
#include "kiosk/directory/DirectoryMapping.h"
#include "sync/ClinicPuller.h"
#include "sync/JsonText.h"
#include "sync/PullCursors.h"

namespace kiosk::sync {
namespace {

using directory::ReferencedId;
using nlohmann::json;

constexpr int kDirectoryPage = 1000;
constexpr size_t kDirectoryFlush = 1000;
constexpr size_t kResourceBatch = 1000;

std::string LastUpdated(const json& r) {
    if (r.contains("meta") && r["meta"].is_object()) {
        return StringMember(r["meta"], "lastUpdated");
    }
    return {};
}

/// Resources in hand this pull, as compact JSON text (parsed again only to map: a full pull of
/// a large directory would take several times the memory as parsed objects).
using Held = std::map<std::string, std::string>;

const json* Parsed(const Held& held, const std::string& id, json& slot) {
    auto it = held.find(id);
    if (it == held.end()) {
        return nullptr;
    }
    slot = json::parse(it->second, nullptr, false);
    return slot.is_discarded() ? nullptr : &slot;
}

/// Maps the services in hand into resource rows and writes them; on a full pull removes the
/// "fhir" rows of services not among them.
Status MapDirectory(store::Store& store, bool full, const Held& services, const Held& organizations,
                    const Held& locations) {
    std::vector<store::ResourceRow> batch;
    std::vector<std::string> mapped, skipped;
    std::string example;
    for (const auto& [id, text] : services) {
        const json service = json::parse(text, nullptr, false);
        if (service.is_discarded()) {
            continue;
        }
        json org_slot, loc_slot;
        const json* org = Parsed(
            organizations,
            ReferencedId(service.value("providedBy", json::object()), "Organization"), org_slot);
        const json& locs = service.contains("location") && service["location"].is_array()
                               ? service["location"]
                               : json::array();
        const json* loc =
            locs.empty() ? nullptr : Parsed(locations, ReferencedId(locs[0], "Location"), loc_slot);
        auto row = directory::MapHealthcareService(service, org, loc);
        if (!row) {
            skipped.push_back(id);
            if (example.empty()) {
                example = row.error().log;
            }
            continue;
        }
        mapped.push_back(row->id);
        batch.push_back(std::move(row).value());
        if (batch.size() >= kResourceBatch) {
            if (auto s = store.Directory().Upsert(batch); !s) {
                return s;
            }
            batch.clear();
        }
    }
    if (auto s = store.Directory().Upsert(batch); !s) {
        return s;
    }
    if (!skipped.empty()) {
        // One line, not one per service: a real directory may hold hundreds the kiosk cannot use.
        LogInfo("sync", "directory: " + std::to_string(skipped.size()) + " of " +
                            std::to_string(services.size()) +
                            " services not shown in the search, e.g. " + example);
    }
    if (full) {
        // Whatever the server no longer has, or no longer offers in a usable form.
        return store.Directory().RemoveNotIn(std::string(directory::kFhirSource), mapped);
    }
    if (skipped.empty()) {
        return Ok{};
    }
    // A delta made some services unusable (inactive, no category any more): their old rows go,
    // every other service this kiosk holds stays.
    auto all = store.Directory().ServerCopyIds("HealthcareService");
    if (!all) {
        return all.error();
    }
    const std::set<std::string> gone(skipped.begin(), skipped.end());
    std::vector<std::string> keep;
    for (const auto& id : all.value()) {
        if (gone.count(id) == 0) {
            keep.push_back(std::string(directory::kFhirResourcePrefix) + id);
        }
    }
    return store.Directory().RemoveNotIn(std::string(directory::kFhirSource), keep);
}

/// One pull of the directory: what it has fetched so far, its cursors, and its steps.
class DirectoryRound {
  public:
    DirectoryRound(store::Store& store, FhirClient& client, const PullOptions& options,
                   PullReport& report)
        : m_store(store), m_client(client), m_options(options), m_report(report) {}

    Status LoadCursors(const std::string& prefix) {
        return m_cursors.Load(m_store, prefix, {"HealthcareService", "Organization", "Location"});
    }
    Status SaveCursors(const std::string& prefix) {
        return m_store.Sync().SetMetaMany(m_cursors.ToStore(prefix));
    }

    /// Every HealthcareService changed since the cursor (all of them on a full pull).
    Status PullServices() {
        return Search("HealthcareService", Page() + Since("HealthcareService"),
                      [&](const json& r) { Keep("HealthcareService", r); });
    }

    /// A delta: Organizations and Locations already held that changed, then the services that
    /// name them (unchanged themselves, but their rows show the organization and the address).
    Status PullChangedPlaces() {
        std::map<std::string, std::vector<std::string>> changed;
        for (const std::string type : {"Organization", "Location"}) {
            auto have = m_store.Directory().ServerCopyIds(type);
            if (!have) {
                return have.error();
            }
            const std::set<std::string> known(have->begin(), have->end());
            if (Since(type).empty() || known.empty()) {
                continue;
            }
            auto s = Search(type, Page() + Since(type), [&, t = type](const json& r) {
                if (known.count(StringMember(r, "id")) != 0) {
                    Keep(t, r);
                    changed[t].push_back(StringMember(r, "id"));
                }
            });
            if (!s) {
                return s;
            }
        }
        for (const auto& [type, param] : {std::pair{std::string("Organization"), "organization"},
                                          std::pair{std::string("Location"), "location"}}) {
            std::vector<std::string> refs;
            for (const auto& id : changed[type]) {
                refs.push_back(type + "/" + id);
            }
            for (const auto& chunk : Chunks(refs, static_cast<size_t>(m_options.id_chunk))) {
                auto s = Search("HealthcareService",
                                std::string(param) + "=" + JoinQuery(chunk) + "&" + Page(),
                                [&](const json& r) {
                                    if (m_services.count(StringMember(r, "id")) == 0) {
                                        Keep("HealthcareService", r);
                                    }
                                });
                if (!s) {
                    return s;
                }
            }
        }
        return Ok{};
    }

    /// Every Organization and Location the services in hand name and this pull does not hold
    /// yet. A full pull fetches them all, so a change the delta cursors missed is caught too.
    Status PullNamedPlaces() {
        for (const std::string type : {"Organization", "Location"}) {
            std::vector<std::string> missing;
            for (const auto& id : m_named[type]) {
                if (m_held[type].count(id) == 0) {
                    missing.push_back(id);
                }
            }
            for (const auto& chunk : Chunks(missing, static_cast<size_t>(m_options.id_chunk))) {
                if (auto s = Search(type, "_id=" + JoinQuery(chunk) + "&" + Page(),
                                    [&, t = type](const json& r) { Keep(t, r); });
                    !s) {
                    return s;
                }
            }
        }
        return Ok{};
    }

    Status Map(bool full) {
        return MapDirectory(m_store, full, m_services, m_held["Organization"], m_held["Location"]);
    }

  private:
    static std::string Page() { return "_count=" + std::to_string(kDirectoryPage); }
    std::string Since(const std::string& type) const {
        return m_cursors.Since(type, m_options.overlap);
    }

    /// One resource of a page: kept verbatim, and the places a service names noted.
    void Keep(const std::string& type, const json& r) {
        ++m_report.resources;
        ++m_report.directory_resources;
        const std::string id = StringMember(r, "id");
        if (StringMember(r, "resourceType") != type || id.empty()) {
            m_report.problems.push_back(type + ": a resource without id or of another type");
            m_cursors.broken.insert(type);
            return;
        }
        std::string text = r.dump();
        if (type == "HealthcareService") {
            m_services[id] = text;
            if (auto org = ReferencedId(r.value("providedBy", json::object()), "Organization");
                !org.empty()) {
                m_named["Organization"].insert(org);
            }
            // Only the first Location is shown (DirectoryMapping.h), but all are kept verbatim.
            for (const auto& loc : r.value("location", json::array())) {
                if (auto loc_id = ReferencedId(loc, "Location"); !loc_id.empty()) {
                    m_named["Location"].insert(loc_id);
                }
            }
        } else {
            m_held[type][id] = text;
        }
        m_rows.push_back({type, id, LastUpdated(r), std::move(text)});
        if (m_rows.size() >= kDirectoryFlush && m_failed) {
            m_failed = Flush();
        }
    }

    /// Verbatim copies written in batches, so a large directory is never held twice.
    Status Flush() {
        auto s = m_store.Directory().SaveServerCopies(m_rows);
        m_rows.clear();
        return s;
    }

    Status Search(const std::string& type, const std::string& query,
                  const std::function<void(const json&)>& on) {
        auto t = m_client.Search(type, query, [&](const json& r) -> Status {
            on(r);
            return m_failed;
        });
        if (!t) {
            return t.error();
        }
        m_cursors.Saw(type, t.value());
        return Flush();
    }

    store::Store& m_store;
    FhirClient& m_client;
    const PullOptions& m_options;
    PullReport& m_report;
    Cursors m_cursors;
    std::vector<store::DirectoryResource> m_rows;
    Held m_services;
    std::map<std::string, Held> m_held{{"Organization", {}}, {"Location", {}}};
    std::map<std::string, std::set<std::string>> m_named{{"Organization", {}}, {"Location", {}}};
    Status m_failed = Ok{};  ///< the first failed flush, which ends the search it is in
};

}  // namespace

Status ClinicPuller::PullDirectory(bool full, PullReport& report) {
    const std::string prefix = std::string(kCursorKeyPrefix) + "directory.";
    DirectoryRound round(m_store, m_client, m_options, report);
    if (!full) {
        if (auto s = round.LoadCursors(prefix); !s) {
            return s;
        }
    }
    if (auto s = round.PullServices(); !s) {
        return s;
    }
    if (!full) {
        if (auto s = round.PullChangedPlaces(); !s) {
            return s;
        }
    }
    if (auto s = round.PullNamedPlaces(); !s) {
        return s;
    }
    if (auto s = round.Map(full); !s) {
        return s;
    }
    return round.SaveCursors(prefix);
}

}  // namespace kiosk::sync
