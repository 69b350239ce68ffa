// The community resource directory (migration 004): resources from the clinic server and from
// HSDS imports, kept searchable (words, prefixes, small typos, filters), and the raw FHIR
// directory resources the server sent (migration 002).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/Result.h"
#include "kiosk/store/ResourceRecords.h"
#include "kiosk/store/WriteTx.h"

namespace kiosk::store {

struct Connection;
struct DirectoryCache;  // DirectoryIndex.h: the search's in-memory index

/// A HealthcareService, Organization or Location of the resource directory, as sent.
struct DirectoryResource {
    std::string type;
    std::string id;
    std::string last_updated;
    std::string json;
};

class ResourceDirectory {
  public:
    explicit ResourceDirectory(Connection& connection);
    ~ResourceDirectory();
    ResourceDirectory(const ResourceDirectory&) = delete;
    ResourceDirectory& operator=(const ResourceDirectory&) = delete;

    /// Inserts or replaces resources by id and indexes them for search, in a transaction of its
    /// own (a large batch rebuilds the full-text index at once) or in the caller's. kInvalidInput,
    /// and nothing saved, for a row without an id or with half a position or one out of range.
    Status Upsert(const std::vector<ResourceRow>& rows);
    Status Upsert(WriteTx& tx, const std::vector<ResourceRow>& rows);
    /// Removes the resources of `source` whose ids are not in `keep` (after a full pull/import),
    /// in a transaction of its own or in the caller's.
    Status RemoveNotIn(const std::string& source, const std::vector<std::string>& keep);
    Status RemoveNotIn(WriteTx& tx, const std::string& source,
                       const std::vector<std::string>& keep);
    Result<std::optional<ResourceRow>> Resource(const std::string& id);
    Result<long long> Count();
    /// Ranked search (ResourceQuery says how). Ranking: every word in the name or organization
    /// first, then open now, then nearer, then by name. Sees changes any connection committed.
    /// The first search after a change rebuilds an in-memory index (about a second for 100,000
    /// resources; see resource_search_bench).
    Result<ResourceResults> Search(const ResourceQuery& query, const ResourceContext& context);

    /// The raw server copies, upserted by (type, id) in a transaction of their own.
    Status SaveServerCopies(const std::vector<DirectoryResource>& rows);
    Result<std::vector<std::string>> ServerCopyIds(const std::string& type);

  private:
    Connection& m_db;
    /// Built by the first search; destroyed before the connection (its tokenizer came from the
    /// connection's FTS5).
    std::unique_ptr<DirectoryCache> m_cache;
};

}  // namespace kiosk::store
