// The log: what reaches stderr at each level, the journald form, and the last-guard scrubbing of
// card tokens and bearer credentials (PRIVACY.md 11, issue 7: never a raw token in the journal).
#include <doctest/doctest.h>

#include <string>

#include "TestSupport.h"
#include "kiosk/core/Log.h"
#include "kiosk/core/Token.h"

using namespace kiosk;
using kiosk::test::CaptureStderr;

TEST_CASE("lines below the level are dropped; the rest carry level and area") {
    const std::string out = CaptureStderr([] {
        SetLogLevel(LogLevel::kInfo);
        LogDebug("scan", "debug detail");
        LogInfo("sync", "sent 3 items");
        LogWarn("sync", "server answered 503");
        SetLogLevel(LogLevel::kError);
        LogWarn("sync", "not shown");
        LogError("store", "disk full");
        SetLogLevel(LogLevel::kInfo);
    });
    CHECK(out ==
          "kiosk info [sync] sent 3 items\n"
          "kiosk warn [sync] server answered 503\n"
          "kiosk error [store] disk full\n");
}

TEST_CASE("under journald a line starts with its syslog priority") {
    CHECK(FormatLogLine(LogLevel::kError, "store", "disk full", true) == "<3>[store] disk full");
    CHECK(FormatLogLine(LogLevel::kWarn, "sync", "x", true) == "<4>[sync] x");
    CHECK(FormatLogLine(LogLevel::kInfo, "sync", "x", true) == "<6>[sync] x");
    CHECK(FormatLogLine(LogLevel::kDebug, "scan", "x", true) == "<7>[scan] x");
    CHECK(FormatLogLine(LogLevel::kInfo, "sync", "x", false) == "kiosk info [sync] x");
}

TEST_CASE("one message is one line") {
    CHECK(FormatLogLine(LogLevel::kWarn, "sync", "first\nsecond\r\nthird", false) ==
          "kiosk warn [sync] first second  third");
}

TEST_CASE("a card token or a bearer credential never reaches the log whole") {
    const std::string token = GenerateToken();
    const std::string line =
        FormatLogLine(LogLevel::kError, "checkin", "oops, scanned " + token + " twice", false);
    CHECK(line.find(token) == std::string::npos);
    CHECK(line.find(token.substr(3, 12)) == std::string::npos);
    CHECK(line == "kiosk error [checkin] oops, scanned K1.[redacted] twice");

    CHECK(ScrubSecrets("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc") ==
          "Authorization: Bearer [redacted]");
    CHECK(ScrubSecrets("GET /x?token=s3cr3tvalue99&y=1") == "GET /x?token=[redacted]&y=1");
    // Ordinary words around those markers stay readable.
    CHECK(ScrubSecrets("the bearer token file /etc/iop-kiosk/token is not readable") ==
          "the bearer token file /etc/iop-kiosk/token is not readable");
    CHECK(ScrubSecrets("K1.short is not a token") == "K1.short is not a token");
    CHECK(ScrubSecrets("sent 3 items to fhir.example.org") == "sent 3 items to fhir.example.org");
}

TEST_CASE("log levels parse from their names only") {
    LogLevel level = LogLevel::kInfo;
    CHECK(ParseLogLevel("debug", level));
    CHECK(level == LogLevel::kDebug);
    CHECK(ParseLogLevel("error", level));
    CHECK(level == LogLevel::kError);
    CHECK_FALSE(ParseLogLevel("verbose", level));
    CHECK(level == LogLevel::kError);
}
