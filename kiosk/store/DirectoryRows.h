// Private to kiosk/store: how a ResourceRow sits in the resource table (migration 004): the
// column list, reading one row back, and the JSON string lists. Shared by the Store methods and
// ResourceSnapshot so both read the table one way.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <string_view>
#include <vector>

#include "kiosk/store/ResourceRecords.h"
#include "kiosk/store/ResourceSnapshot.h"

namespace kiosk::store {

/// The columns ReadResourceRow expects, in its order (num first).
inline constexpr const char* kResourceColumns =
    "num, id, source, name, organization, organization_ref, service_ref, description, "
    "categories, address, latitude, longitude, phone, website, hours, hours_note, languages, "
    "eligibility, cost, free, what_to_bring, updated";

/// The row at the statement's current step (selected with kResourceColumns).
ResourceRow ReadResourceRow(SQLite::Statement& q);

/// ["a", "b"]; strings are escaped, so any text survives.
std::string StringListToJson(const std::vector<std::string>& list);
// StringListFromJson, its reverse, is public: ResourceSnapshot.h.

}  // namespace kiosk::store
