// Private to sync/, shared by the clinic and directory pulls: per-type `_lastUpdated` cursors in
// server time (FHIR.md "Pulls are deltas") and id lists cut into chunks for `_id=` searches.
// Depends on core and store only.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/core/Clock.h"
#include "kiosk/store/Store.h"

namespace kiosk::sync {

/// The cursors of one pull: the stored ones, the earliest first-page time seen per type this
/// time, and the types whose resources were partly broken (their cursor must not move, so the
/// broken ones are asked for again until they are fixed).
struct Cursors {
    std::map<std::string, Instant> old;
    std::map<std::string, Instant> seen;
    std::set<std::string> broken;
    std::set<std::string> untimed;

    /// Reads meta "<prefix><type>" for each type.
    Status Load(store::Store& store, const std::string& prefix,
                const std::vector<std::string>& types);
    void Saw(const std::string& type, std::optional<Instant> server_time);
    /// "&_lastUpdated=gt<cursor - overlap - 1 s>" for a delta of `type`; "" when it has none.
    std::string Since(const std::string& type, std::chrono::seconds overlap) const;
    /// The meta rows to write after the pull was applied.
    std::vector<std::pair<std::string, std::string>> ToStore(const std::string& prefix) const;
};

std::vector<std::vector<std::string>> Chunks(const std::vector<std::string>& all, size_t n);
/// Values joined with commas (FHIR's OR), each percent-encoded.
std::string JoinQuery(const std::vector<std::string>& values);

}  // namespace kiosk::sync
