// The card token grammar (PRIVACY.md 5 and 12): an opaque random token with a version prefix,
// parsed strictly from untrusted bytes and reduced to the SHA-256 hash the store looks up.
// Pure: no I/O, no store.
#pragma once

#include <string>
#include <string_view>

#include "kiosk/core/Result.h"

namespace kiosk {

/// Version 1 tokens: "K1." followed by 22-43 URL-safe base64 characters (128-256 bits).
inline constexpr std::string_view kTokenPrefixV1 = "K1.";
inline constexpr std::size_t kTokenMinBody = 22;
inline constexpr std::size_t kTokenMaxBody = 43;
inline constexpr std::size_t kTokenMaxLength = kTokenPrefixV1.size() + kTokenMaxBody;

/// What the store keys credentials by: lowercase hex SHA-256 of the token as printed.
struct CredentialHash {
    std::string hex;
    bool operator==(const CredentialHash&) const = default;
};

/// Parses scanned bytes as a kiosk token. Anything else (too long, wrong prefix, a byte outside
/// the alphabet, a trailing newline) is kInvalidInput; its log text is DescribeScanForLog().
Result<CredentialHash> ParseToken(std::string_view scanned);

/// A new random version-1 token (24 random bytes, 32 characters of body).
std::string GenerateToken();

/// Bytes made safe for a log line: printable ASCII kept, everything else as \xNN, cut to
/// `max_bytes` of input with a note of how much was cut.
std::string EscapeForLog(std::string_view bytes, std::size_t max_bytes = 64);

/// Like EscapeForLog, but every run of 12 or more token-alphabet characters is replaced by
/// "[N chars]", so a near-miss token (say, with a stray newline) never reaches a log whole.
std::string DescribeScanForLog(std::string_view bytes);

}  // namespace kiosk
