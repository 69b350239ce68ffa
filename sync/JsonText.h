// Reading a string member of JSON that came from a server: any member may hold anything, and
// nlohmann's value() throws on a member of another type (or on a non-object), which would end
// the sync thread. One helper for every such read in sync/.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace kiosk::sync {

/// obj[key] when obj is an object and that member is a string; "" otherwise.
inline std::string StringMember(const nlohmann::json& obj, const char* key) {
    if (!obj.is_object()) {
        return {};
    }
    const auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace kiosk::sync
