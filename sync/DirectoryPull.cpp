// The community resource directory (FHIR.md): every HealthcareService, and the Organizations
// and Locations they name, kept verbatim in directory_resource for the resource search (issue 6)
// to index. Public data, so the whole type is paged; deltas by _lastUpdated as for the clinic.
#include <set>

#include "sync/ClinicPuller.h"
#include "sync/PullCursors.h"

namespace kiosk::sync {
namespace {

using nlohmann::json;

constexpr int kDirectoryPage = 1000;
constexpr size_t kDirectoryFlush = 1000;

std::string RefId(const json& holder, const std::string& type) {
    if (!holder.is_object()) {
        return {};
    }
    const std::string ref = holder.value("reference", "");
    const std::string prefix = type + "/";
    if (ref.rfind(prefix, 0) != 0 || ref.find('/', prefix.size()) != std::string::npos) {
        return {};
    }
    return ref.substr(prefix.size());
}

std::string LastUpdated(const json& r) {
    if (r.contains("meta") && r["meta"].is_object()) {
        return r["meta"].value("lastUpdated", "");
    }
    return {};
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

    std::vector<store::Store::DirectoryResource> rows;
    auto flush = [&]() -> Status {
        auto s = m_store.SaveDirectory(rows);
        rows.clear();
        return s;
    };
    std::set<std::string> orgs, locations;
    Status failed = Ok{};
    auto keep = [&](const std::string& type, const json& r) {
        ++report.resources;
        ++report.directory_resources;
        const std::string id = r.value("id", "");
        if (r.value("resourceType", "") != type || id.empty()) {
            report.problems.push_back(type + ": a resource without id or of another type");
            cursors.broken.insert(type);
            return;
        }
        rows.push_back({type, id, LastUpdated(r), r.dump()});
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
    auto on_service = [&](const json& r) {
        keep("HealthcareService", r);
        if (auto org = RefId(r.value("providedBy", json::object()), "Organization"); !org.empty()) {
            orgs.insert(org);
        }
        for (const auto& loc : r.value("location", json::array())) {
            if (auto id = RefId(loc, "Location"); !id.empty()) {
                locations.insert(id);
            }
        }
    };
    if (auto s = search("HealthcareService", page + since("HealthcareService"), on_service); !s) {
        return s;
    }
    for (const auto& [type, wanted] : {std::pair{std::string("Organization"), &orgs},
                                       std::pair{std::string("Location"), &locations}}) {
        auto have = m_store.DirectoryIds(type);
        if (!have) {
            return have.error();
        }
        const std::set<std::string> known(have->begin(), have->end());
        std::vector<std::string> missing;
        for (const auto& id : *wanted) {
            if (known.count(id) == 0) {
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
        if (!since(type).empty() && !known.empty()) {
            // Changes to the ones already held; others of that type are none of the kiosk's
            // business.
            auto s = search(type, page + since(type), [&, t = type](const json& r) {
                if (known.count(r.value("id", "")) != 0) {
                    keep(t, r);
                }
            });
            if (!s) {
                return s;
            }
        }
    }
    return m_store.SetMetaMany(cursors.ToStore(prefix));
}

}  // namespace kiosk::sync
