// The community resource directory (FHIR.md): every HealthcareService, and the Organizations
// and Locations they name, kept verbatim in directory_resource, then mapped into the searchable
// resource rows (DirectoryMapping.h). Public data, so the whole type is paged; deltas by
// _lastUpdated as for the clinic. A service is re-mapped when it changed or when its
// Organization or Location did; a full pull also drops rows of services the server no longer has.
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

}  // namespace

Status ClinicPuller::PullDirectory(bool full, PullReport& report) {
    const std::vector<std::string> kTypes{"HealthcareService", "Organization", "Location"};
    Cursors cursors;
    const std::string prefix = std::string(kCursorKeyPrefix) + "directory.";
    if (!full) {
        if (auto s = cursors.Load(m_store, prefix, kTypes); !s) {
            return s;
        }
    }
    auto since = [&](const std::string& type) { return cursors.Since(type, m_options.overlap); };

    std::vector<store::DirectoryResource> rows;
    auto flush = [&]() -> Status {
        auto s = m_store.Directory().SaveServerCopies(rows);
        rows.clear();
        return s;
    };
    Held services;
    std::map<std::string, Held> held{{"Organization", {}}, {"Location", {}}};
    std::map<std::string, std::set<std::string>> named{{"Organization", {}}, {"Location", {}}};
    Status failed = Ok{};
    auto keep = [&](const std::string& type, const json& r) {
        ++report.resources;
        ++report.directory_resources;
        const std::string id = StringMember(r, "id");
        if (StringMember(r, "resourceType") != type || id.empty()) {
            report.problems.push_back(type + ": a resource without id or of another type");
            cursors.broken.insert(type);
            return;
        }
        std::string text = r.dump();
        if (type == "HealthcareService") {
            services[id] = text;
            if (auto org = ReferencedId(r.value("providedBy", json::object()), "Organization");
                !org.empty()) {
                named["Organization"].insert(org);
            }
            // Only the first Location is shown (DirectoryMapping.h), but all are kept verbatim.
            for (const auto& loc : r.value("location", json::array())) {
                if (auto loc_id = ReferencedId(loc, "Location"); !loc_id.empty()) {
                    named["Location"].insert(loc_id);
                }
            }
        } else {
            held[type][id] = text;
        }
        rows.push_back({type, id, LastUpdated(r), std::move(text)});
        if (rows.size() >= kDirectoryFlush && failed) {
            failed = flush();
        }
    };
    auto search = [&](const std::string& type, const std::string& query,
                      const std::function<void(const json&)>& on) -> Status {
        auto t = m_client.Search(type, query, [&](const json& r) -> Status {
            on(r);
            return failed;
        });
        if (!t) {
            return t.error();
        }
        cursors.Saw(type, t.value());
        return flush();
    };

    const std::string page = "_count=" + std::to_string(kDirectoryPage);
    auto on_service = [&](const json& r) { keep("HealthcareService", r); };
    if (auto s = search("HealthcareService", page + since("HealthcareService"), on_service); !s) {
        return s;
    }

    // A delta: Organizations and Locations already held that changed, then the services that
    // name them (unchanged themselves, but their rows show the organization and the address).
    if (!full) {
        std::map<std::string, std::vector<std::string>> changed;
        for (const std::string type : {"Organization", "Location"}) {
            auto have = m_store.Directory().ServerCopyIds(type);
            if (!have) {
                return have.error();
            }
            const std::set<std::string> known(have->begin(), have->end());
            if (since(type).empty() || known.empty()) {
                continue;
            }
            auto s = search(type, page + since(type), [&, t = type](const json& r) {
                if (known.count(StringMember(r, "id")) != 0) {
                    keep(t, r);
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
                auto s = search("HealthcareService",
                                std::string(param) + "=" + JoinQuery(chunk) + "&" + page,
                                [&](const json& r) {
                                    if (services.count(StringMember(r, "id")) == 0) {
                                        on_service(r);
                                    }
                                });
                if (!s) {
                    return s;
                }
            }
        }
    }

    // Every Organization and Location the services in hand name and this pull does not hold yet.
    // A full pull fetches them all, so a change the delta cursors missed is caught here too.
    for (const std::string type : {"Organization", "Location"}) {
        std::vector<std::string> missing;
        for (const auto& id : named[type]) {
            if (held[type].count(id) == 0) {
                missing.push_back(id);
            }
        }
        for (const auto& chunk : Chunks(missing, static_cast<size_t>(m_options.id_chunk))) {
            if (auto s = search(type, "_id=" + JoinQuery(chunk) + "&" + page,
                                [&, t = type](const json& r) { keep(t, r); });
                !s) {
                return s;
            }
        }
    }

    if (auto s = MapDirectory(m_store, full, services, held["Organization"], held["Location"]);
        !s) {
        return s;
    }
    return m_store.Sync().SetMetaMany(cursors.ToStore(prefix));
}

}  // namespace kiosk::sync
