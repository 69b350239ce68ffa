// The token grammar against good tokens and bytes from a stranger (PRIVACY.md 5, 12).
#include <doctest/doctest.h>

#include "kiosk/core/Sha256.h"
#include "kiosk/core/Token.h"

#include <vector>

using namespace kiosk;

TEST_CASE("a printed demo token parses to the SHA-256 of the whole string") {
    const std::string token = "K1.r-4to8Wn_Lo5tDXCXwjVygNGlvxm4gWX";
    auto parsed = ParseToken(token);
    REQUIRE(parsed.ok());
    CHECK(parsed->hex == Sha256Hex(token));
    CHECK(parsed->hex.size() == 64);
}

TEST_CASE("SHA-256 matches the standard test vector") {
    CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("generated tokens follow the grammar and carry 192 random bits") {
    const std::string a = GenerateToken();
    const std::string b = GenerateToken();
    CHECK(a.size() == 3 + 32);
    CHECK(a.rfind("K1.", 0) == 0);
    CHECK(ParseToken(a).ok());
    CHECK(a != b);
}

TEST_CASE("body length: 22 to 43 characters") {
    CHECK(ParseToken("K1." + std::string(22, 'A')).ok());
    CHECK(ParseToken("K1." + std::string(43, 'z')).ok());
    CHECK_FALSE(ParseToken("K1." + std::string(21, 'A')).ok());
    CHECK_FALSE(ParseToken("K1." + std::string(44, 'A')).ok());
}

TEST_CASE("hostile payloads are refused, never crash, and are logged escaped") {
    const std::string body(32, 'a');
    const std::vector<std::string> hostile = {
        "",
        "K1.",
        "k1." + body,         // wrong case prefix
        "K2." + body,         // unknown version
        "K1." + body + "\n",  // trailing newline
        "K1." + body + "\r\n",
        std::string("K1.") + body.substr(0, 10) + std::string(1, '\0') + body.substr(0, 20),
        "K1." + body.substr(0, 20) + "\x1b[2J",       // terminal escape
        "K1.%s%s%s%n" + body,                         // format string
        "K1.'; DROP TABLE attendance; --",            // SQL
        "K1.$(rm -rf /)" + body,                      // shell
        "K1." + body.substr(0, 20) + "\xc0\xaf",      // overlong UTF-8
        "K1." + body.substr(0, 20) + "\xe2\x80\xae",  // right-to-left override
        "\xef\xbb\xbfK1." + body,                     // byte-order mark
        "]Q1K1." + body,                              // AIM symbology prefix from a scanner
        std::string(2953, 'A'),                       // the largest QR payload
        "José Núñez, DOB 1980-01-01",
    };
    for (const auto& payload : hostile) {
        auto r = ParseToken(payload);
        CHECK_FALSE(r.ok());
        if (!r.ok()) {
            CHECK(r.error().code == ErrorCode::kInvalidInput);
            for (char c : r.error().log) {
                const auto b = static_cast<unsigned char>(c);
                CHECK((b >= 0x20 && b < 0x7f));  // nothing raw reaches a log line
            }
            CHECK(r.error().log.size() < 300);
        }
    }
}

TEST_CASE("a near-miss token never reaches the log whole") {
    const std::string token = "K1.r-4to8Wn_Lo5tDXCXwjVygNGlvxm4gWX";
    auto r = ParseToken(token + "\n");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().log.find(token.substr(3)) == std::string::npos);
    CHECK(r.error().log.find("[32 chars]") != std::string::npos);
}

TEST_CASE("EscapeForLog shows control bytes as hex and caps length") {
    CHECK(EscapeForLog("a\nb\\") == "a\\x0ab\\x5c");
    CHECK(EscapeForLog(std::string(100, 'x'), 10) == "xxxxxxxxxx...(+90 bytes)");
}
