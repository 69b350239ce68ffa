// The community resource directory (migration 004): writes that keep resource_fts and the
// generation counter current (triggers do both), and single rows by id. Search reads the table
// through ResourceSnapshot (kiosk/directory/ResourceSearch keeps the in-memory index).
#include <cmath>
#include <functional>
#include <unordered_set>

#include "kiosk/store/DirectoryRows.h"
#include "kiosk/store/StoreImpl.h"

namespace kiosk::store {
namespace {

bool InTransaction(SQLite::Database& db) {
    return sqlite3_get_autocommit(db.getHandle()) == 0;
}

Status CheckRow(const ResourceRow& r) {
    if (r.id.empty()) {
        return MakeError(ErrorCode::kInvalidInput,
                         "resource without an id (name '" + r.name + "')");
    }
    if (r.latitude.has_value() != r.longitude.has_value()) {
        return MakeError(ErrorCode::kInvalidInput,
                         "resource " + r.id + ": latitude and longitude come together");
    }
    if (r.latitude && (!std::isfinite(*r.latitude) || std::abs(*r.latitude) > 90 ||
                       !std::isfinite(*r.longitude) || std::abs(*r.longitude) > 180)) {
        return MakeError(ErrorCode::kInvalidInput, "resource " + r.id + ": position out of range");
    }
    return Ok{};
}

// Row-by-row FTS5 upkeep costs about 90 us a row; rebuilding the whole index about 16 us a row
// of the table. A batch of at least this many rows, and a quarter of the table, rebuilds.
constexpr size_t kBulkRows = 2000;

bool WorthRebuilding(SQLite::Database& db, size_t changed) {
    if (changed < kBulkRows) {
        return false;
    }
    const auto existing = db.execAndGet("SELECT count(*) FROM resource").getInt64();
    return static_cast<long long>(changed) * 4 >= existing;
}

// Runs `work` with the FTS5 triggers paused (migration 004), then rebuilds resource_fts. Only
// inside a transaction of our own: on failure it rolls back, so the pause is never committed.
Status WithFtsRebuild(SQLite::Database& db, const std::function<Status()>& work) {
    db.exec("INSERT INTO meta (key, value) VALUES ('directory.bulk', '1')");
    Status s = work();
    if (!s) {
        return s;
    }
    db.exec("DELETE FROM meta WHERE key = 'directory.bulk'");
    db.exec("INSERT INTO resource_fts (resource_fts) VALUES ('rebuild')");
    return Ok{};
}

}  // namespace

Status Store::UpsertResources(const std::vector<ResourceRow>& rows) {
    for (const auto& r : rows) {
        if (auto s = CheckRow(r); !s) {
            return s;
        }
    }
    auto work = [&]() -> Status {
        SQLite::Statement q(
            m_impl->db,
            "INSERT INTO resource (id, source, name, organization, organization_ref, service_ref, "
            "description, categories, address, latitude, longitude, phone, website, hours, "
            "hours_note, languages, eligibility, cost, free, what_to_bring, updated) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
            "?18, ?19, ?20, ?21) ON CONFLICT (id) DO UPDATE SET source = ?2, name = ?3, "
            "organization = ?4, organization_ref = ?5, service_ref = ?6, description = ?7, "
            "categories = ?8, address = ?9, latitude = ?10, longitude = ?11, phone = ?12, "
            "website = ?13, hours = ?14, hours_note = ?15, languages = ?16, eligibility = ?17, "
            "cost = ?18, free = ?19, what_to_bring = ?20, updated = ?21");
        for (const auto& r : rows) {
            q.bindNoCopy(1, r.id);
            q.bindNoCopy(2, r.source);
            q.bindNoCopy(3, r.name);
            q.bindNoCopy(4, r.organization);
            q.bindNoCopy(5, r.organization_ref);
            q.bindNoCopy(6, r.service_ref);
            q.bindNoCopy(7, r.description);
            q.bind(8, StringListToJson(r.categories));
            q.bindNoCopy(9, r.address);
            if (r.latitude) {
                q.bind(10, *r.latitude);
                q.bind(11, *r.longitude);
            } else {
                q.bind(10);
                q.bind(11);
            }
            q.bindNoCopy(12, r.phone);
            q.bindNoCopy(13, r.website);
            q.bind(14, r.hours.ToString());
            q.bindNoCopy(15, r.hours_note);
            q.bind(16, StringListToJson(r.languages));
            q.bindNoCopy(17, r.eligibility);
            q.bindNoCopy(18, r.cost);
            q.bind(19, r.free ? 1 : 0);
            q.bindNoCopy(20, r.what_to_bring);
            q.bindNoCopy(21, r.updated);
            q.exec();
            q.reset();
        }
        return Ok{};
    };
    if (rows.empty()) {
        return Ok{};
    }
    return Guard("save resources", [&]() -> Status {
        SQLite::Database& db = m_impl->db;
        if (InTransaction(db)) {
            return work();
        }
        return Transaction([&]() -> Status {
            return WorthRebuilding(db, rows.size()) ? WithFtsRebuild(db, work) : work();
        });
    });
}

Status Store::RemoveResourcesNotIn(const std::string& source,
                                   const std::vector<std::string>& keep) {
    bool own_transaction = false;
    auto work = [&]() -> Status {
        const std::unordered_set<std::string> kept(keep.begin(), keep.end());
        std::vector<std::string> gone;
        SQLite::Statement ids(m_impl->db, "SELECT id FROM resource WHERE source = ?");
        ids.bind(1, source);
        while (ids.executeStep()) {
            std::string id = ids.getColumn(0).getString();
            if (!kept.contains(id)) {
                gone.push_back(std::move(id));
            }
        }
        auto remove = [&]() -> Status {
            SQLite::Statement del(m_impl->db, "DELETE FROM resource WHERE id = ?");
            for (const auto& id : gone) {
                del.bind(1, id);
                del.exec();
                del.reset();
            }
            return Ok{};
        };
        return own_transaction && WorthRebuilding(m_impl->db, gone.size())
                   ? WithFtsRebuild(m_impl->db, remove)
                   : remove();
    };
    return Guard("remove resources", [&]() -> Status {
        if (InTransaction(m_impl->db)) {
            return work();
        }
        own_transaction = true;
        return Transaction(work);
    });
}

Result<std::optional<ResourceRow>> Store::Resource(const std::string& id) {
    return Guard("read resource", [&]() -> Result<std::optional<ResourceRow>> {
        SQLite::Statement q(
            m_impl->db, std::string("SELECT ") + kResourceColumns + " FROM resource WHERE id = ?");
        q.bind(1, id);
        if (!q.executeStep()) {
            return std::optional<ResourceRow>();
        }
        return std::optional<ResourceRow>(ReadResourceRow(q));
    });
}

Result<long long> Store::ResourceCount() {
    return Guard("count resources", [&]() -> Result<long long> {
        return m_impl->db.execAndGet("SELECT count(*) FROM resource").getInt64();
    });
}

}  // namespace kiosk::store
