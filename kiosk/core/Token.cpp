// Strict token parsing. Length is checked before anything else so a 3 KB payload costs nothing.
#include "kiosk/core/Token.h"

#include <sodium.h>

#include <array>

#include "kiosk/core/Sha256.h"

namespace kiosk {
namespace {

bool IsBase64UrlChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

Error NotAToken(std::string why, std::string_view scanned) {
    return MakeError(ErrorCode::kInvalidInput,
                     "scan is not a kiosk token (" + why + "): " + DescribeScanForLog(scanned));
}

}  // namespace

Result<CredentialHash> ParseToken(std::string_view scanned) {
    if (scanned.size() > kTokenMaxLength) {
        return NotAToken("too long, " + std::to_string(scanned.size()) + " bytes", scanned);
    }
    if (scanned.substr(0, kTokenPrefixV1.size()) != kTokenPrefixV1) {
        return NotAToken("unknown prefix", scanned);
    }
    const std::string_view body = scanned.substr(kTokenPrefixV1.size());
    if (body.size() < kTokenMinBody) {
        return NotAToken("too short", scanned);
    }
    for (char c : body) {
        if (!IsBase64UrlChar(c)) {
            return NotAToken("byte outside the token alphabet", scanned);
        }
    }
    return CredentialHash{Sha256Hex(scanned)};
}

std::string GenerateToken() {
    if (sodium_init() < 0) {
        std::abort();  // no secure randomness: refusing beats issuing a guessable card
    }
    std::array<unsigned char, 24> random{};
    randombytes_buf(random.data(), random.size());
    std::array<char, sodium_base64_ENCODED_LEN(24, sodium_base64_VARIANT_URLSAFE_NO_PADDING)> b64{};
    sodium_bin2base64(b64.data(), b64.size(), random.data(), random.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return std::string(kTokenPrefixV1) + b64.data();
}

std::string EscapeForLog(std::string_view bytes, std::size_t max_bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    const std::size_t n = std::min(bytes.size(), max_bytes);
    out.reserve(n + 16);
    for (std::size_t i = 0; i < n; ++i) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        if (b >= 0x20 && b < 0x7f && b != '\\') {
            out.push_back(static_cast<char>(b));
        } else {
            out += "\\x";
            out.push_back(kHex[b >> 4]);
            out.push_back(kHex[b & 0xf]);
        }
    }
    if (bytes.size() > n) {
        out += "...(+" + std::to_string(bytes.size() - n) + " bytes)";
    }
    return out;
}

std::string DescribeScanForLog(std::string_view bytes) {
    constexpr std::size_t kMinSecretRun = 12;
    std::string out;
    std::size_t i = 0;
    while (i < bytes.size() && out.size() < 96) {
        std::size_t run = 0;
        while (i + run < bytes.size() && IsBase64UrlChar(bytes[i + run])) {
            ++run;
        }
        if (run >= kMinSecretRun) {
            out += "[" + std::to_string(run) + " chars]";
        } else {
            out += EscapeForLog(bytes.substr(i, std::max<std::size_t>(run, 1)), 64);
        }
        i += std::max<std::size_t>(run, 1);
    }
    if (i < bytes.size()) {
        out += "...(" + std::to_string(bytes.size()) + " bytes in all)";
    }
    return out;
}

}  // namespace kiosk
