// The resource, resource_fts and directory_resource tables: writes that keep resource_fts and the
// generation counter current (triggers do both), single rows by id, and the raw server copies.
// Search reads the table through ResourceSnapshot (kiosk/directory/ResourceSearch keeps the
// in-memory index).
#include "kiosk/store/ResourceDirectory.h"

#include <cmath>
#include <functional>
#include <unordered_set>

#include "kiosk/store/Connection.h"
#include "kiosk/store/DirectoryRows.h"

namespace kiosk::store {
namespace {

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

Status CheckRows(const std::vector<ResourceRow>& rows) {
    for (const auto& r : rows) {
        if (auto s = CheckRow(r); !s) {
            return s;
        }
    }
    return Ok{};
}

Status WriteRows(SQLite::Database& db, const std::vector<ResourceRow>& rows) {
    SQLite::Statement q(
        db,
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
}

/// The ids of `source` not in `keep`.
std::vector<std::string> IdsNotIn(SQLite::Database& db, const std::string& source,
                                  const std::vector<std::string>& keep) {
    const std::unordered_set<std::string> kept(keep.begin(), keep.end());
    std::vector<std::string> gone;
    SQLite::Statement ids(db, "SELECT id FROM resource WHERE source = ?");
    ids.bind(1, source);
    while (ids.executeStep()) {
        std::string id = ids.getColumn(0).getString();
        if (!kept.contains(id)) {
            gone.push_back(std::move(id));
        }
    }
    return gone;
}

Status DeleteRows(SQLite::Database& db, const std::vector<std::string>& gone) {
    SQLite::Statement del(db, "DELETE FROM resource WHERE id = ?");
    for (const auto& id : gone) {
        del.bind(1, id);
        del.exec();
        del.reset();
    }
    return Ok{};
}

}  // namespace

ResourceDirectory::ResourceDirectory(Connection& connection) : m_db(connection) {}
ResourceDirectory::~ResourceDirectory() = default;

Status ResourceDirectory::Upsert(WriteTx&, const std::vector<ResourceRow>& rows) {
    if (auto s = CheckRows(rows); !s) {
        return s;
    }
    return Guard("save resources", [&]() -> Status { return WriteRows(m_db.db, rows); });
}

Status ResourceDirectory::Upsert(const std::vector<ResourceRow>& rows) {
    if (auto s = CheckRows(rows); !s) {
        return s;
    }
    if (rows.empty()) {
        return Ok{};
    }
    return m_db.Transaction([&](WriteTx&) -> Status {
        SQLite::Database& db = m_db.db;
        auto work = [&]() -> Status { return WriteRows(db, rows); };
        return WorthRebuilding(db, rows.size()) ? WithFtsRebuild(db, work) : work();
    });
}

Status ResourceDirectory::RemoveNotIn(WriteTx&, const std::string& source,
                                      const std::vector<std::string>& keep) {
    return Guard("remove resources",
                 [&]() -> Status { return DeleteRows(m_db.db, IdsNotIn(m_db.db, source, keep)); });
}

Status ResourceDirectory::RemoveNotIn(const std::string& source,
                                      const std::vector<std::string>& keep) {
    return m_db.Transaction([&](WriteTx&) -> Status {
        SQLite::Database& db = m_db.db;
        const std::vector<std::string> gone = IdsNotIn(db, source, keep);
        auto remove = [&]() -> Status { return DeleteRows(db, gone); };
        return WorthRebuilding(db, gone.size()) ? WithFtsRebuild(db, remove) : remove();
    });
}

Result<std::optional<ResourceRow>> ResourceDirectory::Resource(const std::string& id) {
    return Guard("read resource", [&]() -> Result<std::optional<ResourceRow>> {
        SQLite::Statement q(
            m_db.db, std::string("SELECT ") + kResourceColumns + " FROM resource WHERE id = ?");
        q.bind(1, id);
        if (!q.executeStep()) {
            return std::optional<ResourceRow>();
        }
        return std::optional<ResourceRow>(ReadResourceRow(q));
    });
}

Result<long long> ResourceDirectory::Count() {
    return Guard("count resources", [&]() -> Result<long long> {
        return m_db.db.execAndGet("SELECT count(*) FROM resource").getInt64();
    });
}

Status ResourceDirectory::SaveServerCopies(const std::vector<DirectoryResource>& rows) {
    if (rows.empty()) {
        return Ok{};
    }
    return m_db.Transaction([&](WriteTx&) -> Status {
        SQLite::Statement q(m_db.db,
                            "INSERT INTO directory_resource (type, id, last_updated, json) "
                            "VALUES (?, ?, ?, ?) ON CONFLICT (type, id) DO UPDATE SET "
                            "last_updated = excluded.last_updated, json = excluded.json");
        for (const auto& r : rows) {
            q.bind(1, r.type);
            q.bind(2, r.id);
            q.bind(3, r.last_updated);
            q.bind(4, r.json);
            q.exec();
            q.reset();
        }
        return Ok{};
    });
}

Result<std::vector<std::string>> ResourceDirectory::ServerCopyIds(const std::string& type) {
    return Guard("read directory", [&]() -> Result<std::vector<std::string>> {
        SQLite::Statement q(m_db.db,
                            "SELECT id FROM directory_resource WHERE type = ? ORDER BY id");
        q.bind(1, type);
        return Strings(q);
    });
}

}  // namespace kiosk::store
