// ResourceDirectory::ReadResources and the snapshot it hands out: a read transaction of its own
// (unless the caller has one open), so the generation, the rows and the rows read back agree even
// while the sync thread's connection writes. The tokenizer is made once per connection and kept.
#include "kiosk/store/ResourceSnapshot.h"

#include "kiosk/store/Connection.h"
#include "kiosk/store/DirectoryRows.h"
#include "kiosk/store/ResourceDirectory.h"

namespace kiosk::store {

ResourceSnapshot::ResourceSnapshot(Connection& connection, const DirectoryTokenizer& words)
    : m_db(connection),
      m_words(words),
      m_own(sqlite3_get_autocommit(connection.db.getHandle()) != 0) {
    if (m_own) {
        m_db.db.exec("BEGIN");
    }
}

ResourceSnapshot::~ResourceSnapshot() {
    if (m_own) {
        // Nothing was written; ending a read transaction cannot lose anything.
        sqlite3_exec(m_db.db.getHandle(), "COMMIT", nullptr, nullptr, nullptr);
    }
}

long long ResourceSnapshot::Generation() {
    SQLite::Statement q(m_db.db,
                        "SELECT CAST(value AS INTEGER) FROM meta "
                        "WHERE key = 'directory.generation'");
    return q.executeStep() ? q.getColumn(0).getInt64() : -1;
}

long long ResourceSnapshot::Count() {
    return m_db.db.execAndGet("SELECT count(*) FROM resource").getInt64();
}

void ResourceSnapshot::ForEach(const std::function<void(const IndexedResource&)>& row) {
    auto view = [](const SQLite::Column& c) {
        return std::string_view(static_cast<const char*>(c.getBlob()),
                                static_cast<size_t>(c.getBytes()));
    };
    SQLite::Statement q(m_db.db,
                        "SELECT num, name, organization, categories, description, eligibility, "
                        "latitude, longitude, hours, languages, free FROM resource ORDER BY num");
    IndexedResource r;
    while (q.executeStep()) {
        r.num = q.getColumn(0).getInt64();
        r.name = view(q.getColumn(1));
        r.organization = view(q.getColumn(2));
        r.categories = view(q.getColumn(3));
        r.description = view(q.getColumn(4));
        r.eligibility = view(q.getColumn(5));
        r.latitude.reset();
        r.longitude.reset();
        if (!q.getColumn(6).isNull() && !q.getColumn(7).isNull()) {
            r.latitude = q.getColumn(6).getDouble();
            r.longitude = q.getColumn(7).getDouble();
        }
        r.hours = view(q.getColumn(8));
        r.languages = view(q.getColumn(9));
        r.free = q.getColumn(10).getInt() != 0;
        row(r);
    }
}

std::vector<std::optional<ResourceRow>> ResourceSnapshot::ByNum(
    const std::vector<long long>& nums) {
    std::vector<std::optional<ResourceRow>> rows;
    rows.reserve(nums.size());
    SQLite::Statement q(m_db.db,
                        std::string("SELECT ") + kResourceColumns + " FROM resource WHERE num = ?");
    for (long long num : nums) {
        q.bind(1, static_cast<int64_t>(num));
        rows.push_back(q.executeStep() ? std::optional<ResourceRow>(ReadResourceRow(q))
                                       : std::nullopt);
        q.reset();
    }
    return rows;
}

Status ResourceDirectory::ReadResources(const std::function<Status(ResourceSnapshot&)>& read) {
    return Guard("search resources", [&]() -> Status {
        if (!m_words) {
            auto words = DirectoryTokenizer::ForConnection(m_db.db.getHandle());
            if (!words) {
                return words.error();
            }
            m_words = std::move(words).value();
        }
        ResourceSnapshot snapshot(m_db, *m_words);
        return read(snapshot);
    });
}

}  // namespace kiosk::store
