// A cursor is the server's time of a query's first page (taken before the search ran), so
// nothing written after it can be missed; the overlap only makes some resources come twice,
// which the idempotent upserts absorb.
#include "sync/PullCursors.h"

#include <algorithm>

#include "kiosk/core/Iso8601.h"
#include "sync/FhirClient.h"

namespace kiosk::sync {

Status Cursors::Load(store::Store& store, const std::string& prefix,
                     const std::vector<std::string>& types) {
    for (const auto& type : types) {
        auto text = store.Sync().GetMeta(prefix + type);
        if (!text) {
            return text.error();
        }
        if (text.value()) {
            if (auto t = ParseDateTime(*text.value()); t) {
                old[type] = t.value();
            }
        }
    }
    return Ok{};
}

void Cursors::Saw(const std::string& type, std::optional<Instant> server_time) {
    if (!server_time) {
        untimed.insert(type);
        return;
    }
    auto it = seen.find(type);
    if (it == seen.end() || *server_time < it->second) {
        seen[type] = *server_time;
    }
}

std::string Cursors::Since(const std::string& type, std::chrono::seconds overlap) const {
    auto it = old.find(type);
    if (it == old.end()) {
        return {};
    }
    // Cursors are whole seconds, and FHIR reads a dateTime of seconds precision as that whole
    // second, so "gt 10:00:05" may mean "after 10:00:05.999": one more second back keeps a
    // change made in the cursor's own second.
    return "&_lastUpdated=gt" + QueryValue(FormatDateTimeUtc(it->second - overlap - Seconds{1}));
}

std::vector<std::pair<std::string, std::string>> Cursors::ToStore(const std::string& prefix) const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [type, t] : seen) {
        if (broken.count(type) == 0 && untimed.count(type) == 0) {
            out.emplace_back(prefix + type, FormatDateTimeUtc(t));
        }
    }
    return out;
}

std::vector<std::vector<std::string>> Chunks(const std::vector<std::string>& all, size_t n) {
    std::vector<std::vector<std::string>> out;
    for (size_t i = 0; i < all.size(); i += n) {
        out.emplace_back(all.begin() + static_cast<long>(i),
                         all.begin() + static_cast<long>(std::min(all.size(), i + n)));
    }
    return out;
}

std::string JoinQuery(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) {
        out += (out.empty() ? "" : ",") + QueryValue(v);
    }
    return out;
}

}  // namespace kiosk::sync
