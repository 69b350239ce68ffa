// A search: one snapshot of the resource table, the index rebuilt if the generation moved, the
// matches found in memory, and only the top rows read back, with distance and open state.
#include "kiosk/directory/ResourceSearch.h"

#include <malloc.h>

#include "kiosk/core/GeoDistance.h"
#include "kiosk/directory/DirectoryIndex.h"
#include "kiosk/store/ResourceSnapshot.h"

namespace kiosk::directory {

ResourceSearch::ResourceSearch(store::Store& store)
    : m_store(store), m_scratch(std::make_unique<DirectoryScratch>()) {}

ResourceSearch::~ResourceSearch() = default;

Result<store::ResourceResults> ResourceSearch::Find(const store::ResourceQuery& query,
                                                    const store::ResourceContext& context) {
    store::ResourceResults results;
    auto read = m_store.Directory().ReadResources([&](store::ResourceSnapshot& snapshot) -> Status {
        // Another connection (the sync thread's) may have changed the directory since the
        // index was built; the generation is bumped by triggers in the same transaction.
        const long long generation = snapshot.Generation();
        bool built = false;
        if (!m_index || m_index->Generation() != generation) {
            m_index.reset();  // free the old one before building the new
            m_index = DirectoryIndex::Build(snapshot, generation);
            built = true;
            // The build's working memory (word pairs, name keys: tens of MB at 50,000
            // resources) is free now; hand it back to the system instead of keeping it resident.
            malloc_trim(0);
        }
        const DirectoryMatches found = m_index->Find(query, context, snapshot.Words(), *m_scratch);
        if (built && !snapshot.Own()) {
            // Built from the caller's writes, which may roll back, after which the same
            // generation number can come back with other rows: not kept.
            m_index.reset();
        }

        results.total = found.total;
        results.corrections = found.corrections;
        std::vector<long long> nums;
        nums.reserve(found.top.size());
        for (const auto& match : found.top) {
            nums.push_back(match.num);
        }
        auto rows = snapshot.ByNum(nums);
        for (size_t i = 0; i < rows.size(); ++i) {
            if (!rows[i]) {
                continue;
            }
            store::ResourceHit hit;
            hit.resource = std::move(*rows[i]);
            hit.name_match = found.top[i].name_match;
            if (context.origin_lat && context.origin_lon && hit.resource.latitude) {
                hit.km = HaversineKm(*context.origin_lat, *context.origin_lon,
                                     *hit.resource.latitude, *hit.resource.longitude);
            }
            if (context.time != nullptr) {
                hit.open = hit.resource.hours.StateAt(context.now, *context.time);
            }
            results.hits.push_back(std::move(hit));
        }
        return Ok{};
    });
    if (!read) {
        return read.error();
    }
    return results;
}

}  // namespace kiosk::directory
