// The numbered SQL migrations, embedded at build time from kiosk/store/migrations/.
#pragma once

#include <string_view>
#include <vector>

namespace kiosk::store {

struct Migration {
    int version;
    std::string_view name;
    std::string_view sql;
};

/// In version order; version N brings PRAGMA user_version from N-1 to N.
const std::vector<Migration>& AllMigrations();

}  // namespace kiosk::store
