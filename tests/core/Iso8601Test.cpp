#include <doctest/doctest.h>

#include "kiosk/core/Iso8601.h"

using namespace kiosk;

TEST_CASE("FHIR dateTimes with offsets, Z and fractions") {
    CHECK(FormatDateTimeUtc(ParseDateTime("2026-01-07T09:00:00-08:00").value()) == "2026-01-07T17:00:00Z");
    CHECK(FormatDateTimeUtc(ParseDateTime("2026-01-07T17:00:00Z").value()) == "2026-01-07T17:00:00Z");
    CHECK(FormatDateTimeUtc(ParseDateTime("2026-01-07T17:00:00.123456+05:30").value()) == "2026-01-07T11:30:00Z");
    CHECK(FormatDateTimeUtc(ParseDateTime("2024-02-29T23:59:59+00:00").value()) == "2024-02-29T23:59:59Z");
}

TEST_CASE("broken dateTimes are refused with the text in the message") {
    for (const char* bad : {"", "2026-01-07", "2026-01-07T09:00:00", "2026-13-01T00:00:00Z",
                            "2026-02-30T00:00:00Z", "2026-01-07T24:00:00Z", "2026-01-07T09:00Z",
                            "2026-01-07T09:00:00+25:00", "2026-01-07T09:00:00Zjunk", "2026-01-07T09:00:00."}) {
        auto r = ParseDateTime(bad);
        CHECK_MESSAGE(!r.ok(), bad);
    }
}

TEST_CASE("FHIR dates, partial dates included") {
    CHECK(ParseDate("2009-04-30")->day == 30u);
    CHECK(ParseDate("2009")->month == 1u);
    CHECK(ParseDate("2009-04")->month == 4u);
    CHECK_FALSE(ParseDate("2009-04-31").ok());
    CHECK_FALSE(ParseDate("09-04-30").ok());
}
