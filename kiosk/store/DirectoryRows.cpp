// Row <-> ResourceRow for the resource table. Lists go through nlohmann::json so hostile text in
// a language tag or category cannot break the array; hours are stored in their canonical text.
#include "kiosk/store/DirectoryRows.h"

#include <nlohmann/json.hpp>

namespace kiosk::store {

std::string StringListToJson(const std::vector<std::string>& list) {
    // Replace, not throw, on invalid UTF-8: a damaged tag must not fail a whole import.
    return nlohmann::json(list).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> StringListFromJson(std::string_view json) {
    std::vector<std::string> out;
    const auto parsed = nlohmann::json::parse(json, nullptr, false);
    if (!parsed.is_array()) {
        return out;
    }
    for (const auto& item : parsed) {
        if (item.is_string()) {
            out.push_back(item.get<std::string>());
        }
    }
    return out;
}

ResourceRow ReadResourceRow(SQLite::Statement& q) {
    ResourceRow r;
    r.id = q.getColumn(1).getString();
    r.source = q.getColumn(2).getString();
    r.name = q.getColumn(3).getString();
    r.organization = q.getColumn(4).getString();
    r.organization_ref = q.getColumn(5).getString();
    r.service_ref = q.getColumn(6).getString();
    r.description = q.getColumn(7).getString();
    r.categories = StringListFromJson(q.getColumn(8).getString());
    r.address = q.getColumn(9).getString();
    if (!q.getColumn(10).isNull() && !q.getColumn(11).isNull()) {
        r.latitude = q.getColumn(10).getDouble();
        r.longitude = q.getColumn(11).getDouble();
    }
    r.phone = q.getColumn(12).getString();
    r.website = q.getColumn(13).getString();
    // Written by ToString(), so it parses; a hand-edited bad value reads as "hours not known".
    if (auto hours = OpeningHours::Parse(q.getColumn(14).getString())) {
        r.hours = std::move(hours).value();
    }
    r.hours_note = q.getColumn(15).getString();
    r.languages = StringListFromJson(q.getColumn(16).getString());
    r.eligibility = q.getColumn(17).getString();
    r.cost = q.getColumn(18).getString();
    r.free = q.getColumn(19).getInt() != 0;
    r.what_to_bring = q.getColumn(20).getString();
    r.updated = q.getColumn(21).getString();
    return r;
}

}  // namespace kiosk::store
