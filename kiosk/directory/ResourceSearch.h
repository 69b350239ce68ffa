// Ranked search of the community resource directory for one store's connection: keeps the
// in-memory DirectoryIndex between searches and builds it again when the directory changed,
// whichever connection changed it. Reads back only the top rows.
#pragma once

#include <memory>

#include "kiosk/core/Result.h"
#include "kiosk/store/ResourceRecords.h"
#include "kiosk/store/Store.h"

namespace kiosk::directory {

class DirectoryIndex;
struct DirectoryScratch;

class ResourceSearch {
  public:
    /// Searches `store`, which must outlive this object.
    explicit ResourceSearch(store::Store& store);
    ~ResourceSearch();
    ResourceSearch(const ResourceSearch&) = delete;
    ResourceSearch& operator=(const ResourceSearch&) = delete;

    /// Ranked search (words, prefixes, small typos, filters; ResourceQuery says how). Ranking:
    /// every word in the name or organization first, then open now, then nearer, then by name.
    /// Sees changes any connection committed. The first search after a change rebuilds the
    /// in-memory index (about a second for 100,000 resources; see resource_search_bench).
    Result<store::ResourceResults> Find(const store::ResourceQuery& query,
                                        const store::ResourceContext& context);

  private:
    store::Store& m_store;
    std::unique_ptr<DirectoryIndex> m_index;
    std::unique_ptr<DirectoryScratch> m_scratch;
};

}  // namespace kiosk::directory
