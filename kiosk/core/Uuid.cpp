// Version 4 UUIDs from libsodium's random bytes.
#include "kiosk/core/Uuid.h"

#include <sodium.h>

#include <array>
#include <cstdint>
#include <cstdlib>

namespace kiosk {

std::string NewUuid() {
    if (sodium_init() < 0) {
        std::abort();  // no source of randomness: nothing the kiosk makes could be unique
    }
    std::array<std::uint8_t, 16> b{};
    randombytes_buf(b.data(), b.size());
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            out += '-';
        }
        out += kHex[b[i] >> 4];
        out += kHex[b[i] & 0x0f];
    }
    return out;
}

}  // namespace kiosk
