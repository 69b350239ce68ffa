// SHA-256 as lowercase hex, the one hash the kiosk uses for credentials, identifiers and the
// audit chain (libsodium underneath).
#pragma once

#include <string>
#include <string_view>

namespace kiosk {

/// Lowercase hex SHA-256 of the bytes of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace kiosk
