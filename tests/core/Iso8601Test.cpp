#include <doctest/doctest.h>

#include "kiosk/core/Iso8601.h"

using namespace kiosk;

TEST_CASE("FHIR dateTimes with offsets, Z and fractions") {
    CHECK(FormatDateTimeUtc(ParseDateTime("2026-01-07T09:00:00-08:00").value()) ==
          "2026-01-07T17:00:00Z");
    CHECK(FormatDateTimeUtc(ParseDateTime("2026-01-07T17:00:00Z").value()) ==
          "2026-01-07T17:00:00Z");
    CHECK(FormatDateTimeUtc(ParseDateTime("2026-01-07T17:00:00.123456+05:30").value()) ==
          "2026-01-07T11:30:00Z");
    CHECK(FormatDateTimeUtc(ParseDateTime("2024-02-29T23:59:59+00:00").value()) ==
          "2024-02-29T23:59:59Z");
}

TEST_CASE("broken dateTimes are refused with the text in the message") {
    for (const char* bad :
         {"", "2026-01-07", "2026-01-07T09:00:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
          "2026-01-07T24:00:00Z", "2026-01-07T09:00Z", "2026-01-07T09:00:00+25:00",
          "2026-01-07T09:00:00Zjunk", "2026-01-07T09:00:00."}) {
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

TEST_CASE("partial FHIR dates name the span the spec gives them, in the clinic's zone") {
    const auto la = ClinicTime::ForZone("America/Los_Angeles").value();
    auto day = ParseFhirSpan("2026-06-30", la);
    REQUIRE(day.ok());
    CHECK(FormatDateTimeUtc(day->begin) == "2026-06-30T07:00:00Z");  // local midnight, PDT
    CHECK(FormatDateTimeUtc(day->end) == "2026-07-01T07:00:00Z");
    auto month = ParseFhirSpan("2026-02", la);
    REQUIRE(month.ok());
    CHECK(FormatDateTimeUtc(month->begin) == "2026-02-01T08:00:00Z");  // PST
    CHECK(FormatDateTimeUtc(month->end) == "2026-03-01T08:00:00Z");
    auto year = ParseFhirSpan("2026", la);
    REQUIRE(year.ok());
    CHECK(FormatDateTimeUtc(year->begin) == "2026-01-01T08:00:00Z");
    CHECK(FormatDateTimeUtc(year->end) == "2027-01-01T08:00:00Z");
    auto dec = ParseFhirSpan("2026-12", la);  // the month after December is next year's January
    REQUIRE(dec.ok());
    CHECK(FormatDateTimeUtc(dec->end) == "2027-01-01T08:00:00Z");
    auto instant = ParseFhirSpan("2026-06-30T17:00:00Z", la);
    REQUIRE(instant.ok());
    CHECK(instant->end == instant->begin);
    // The day DST starts is 23 hours long; the span follows the local midnights.
    auto spring = ParseFhirSpan("2026-03-08", la);
    REQUIRE(spring.ok());
    CHECK(spring->end - spring->begin == std::chrono::hours{23});
    for (const char* bad : {"", "26", "2026-6", "2026-06-31", "30/06/2026", "2026-06-30T12:00:00",
                            "2026-06-30junk"}) {
        CHECK_MESSAGE(!ParseFhirSpan(bad, la).ok(), bad);
    }
}
