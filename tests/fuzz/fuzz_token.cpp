// libFuzzer target: the card token parser (kiosk/core/Token) on its own, unbounded by the scan
// layer. fuzz_payload reaches ParseToken too, through BoundPayload and the scanners; this target
// checks the grammar both ways: every input that parses is exactly "K1." + 22..43 URL-safe base64
// characters hashed to SHA-256 of the bytes, and every input of that shape parses. The hash is
// what the FHIR mapping accepts as a credential, and the log text never carries a token.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kiosk/core/Sha256.h"
#include "kiosk/core/Token.h"

using namespace kiosk;

namespace {

void Require(bool ok) {
    if (!ok) {
        __builtin_trap();  // libFuzzer reports the input
    }
}

bool TokenChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

/// The grammar written out independently of Token.cpp.
bool IsToken(std::string_view s) {
    if (s.size() < 3 + kTokenMinBody || s.size() > 3 + kTokenMaxBody || s.substr(0, 3) != "K1.") {
        return false;
    }
    for (char c : s.substr(3)) {
        if (!TokenChar(c)) {
            return false;
        }
    }
    return true;
}

bool Printable(std::string_view s) {
    for (unsigned char c : s) {
        if (c < 0x20 || c >= 0x7f) {
            return false;
        }
    }
    return true;
}

/// No run of 12 or more token characters taken from the input (DescribeScanForLog's promise).
/// Escapes ("\x00") are the log's own characters: they are dropped before looking.
bool NoLongRun(std::string_view s) {
    std::string plain;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x') {
            plain += ' ';
            i += 3;
        } else {
            plain += s[i];
        }
    }
    size_t run = 0;
    for (char c : plain) {
        run = TokenChar(c) ? run + 1 : 0;
        if (run >= 12) {
            return false;
        }
    }
    return true;
}

void Check(std::string_view input) {
    const auto token = ParseToken(input);
    Require(token.ok() == IsToken(input));
    if (token.ok()) {
        // The store's credential key: lowercase hex SHA-256 of the token as printed, the shape
        // sync/FhirMapping accepts for a credential identifier.
        Require(token->hex == Sha256Hex(input));
        Require(token->hex.size() == 64 &&
                token->hex.find_first_not_of("0123456789abcdef") == std::string::npos);
        Require(ParseToken(std::string(input) + "\n").ok() == false);
    } else {
        Require(token.error().code == ErrorCode::kInvalidInput);
        Require(Printable(token.error().log));
        Require(NoLongRun(token.error().log.substr(token.error().log.find("): ") + 3)));
    }
    const std::string described = DescribeScanForLog(input);
    Require(Printable(described) && NoLongRun(described));
    Require(described.size() <= 96 + 64 * 4 + 48);
    const std::string escaped = EscapeForLog(input);
    Require(Printable(escaped));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    Check(input);
    // The same bytes behind the prefix: most inputs then reach the body checks.
    if (size <= 64) {
        Check("K1." + std::string(input));
    }
    return 0;
}
