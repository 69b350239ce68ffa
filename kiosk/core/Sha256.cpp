// SHA-256 through libsodium. sodium_init() is idempotent and thread-safe.
#include "kiosk/core/Sha256.h"

#include <sodium.h>

#include <array>
#include <cstdlib>

namespace kiosk {

std::string Sha256Hex(std::string_view data) {
    static const bool ready = sodium_init() >= 0;
    if (!ready) {
        std::abort();  // libsodium cannot run without a working RNG; nothing is safe after that
    }
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()),
                       data.size());
    std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    return std::string(hex.data(), crypto_hash_sha256_BYTES * 2);
}

}  // namespace kiosk
