// Local days and ISO weeks in the clinic's zone, including the days DST starts and ends.
#include <doctest/doctest.h>

#include "TestSupport.h"
#include "kiosk/core/Iso8601.h"

using namespace kiosk;
using kiosk::test::At;
using kiosk::test::LosAngeles;

TEST_CASE("an unknown zone is a config error that names it") {
    auto z = ClinicTime::ForZone("Mars/Olympus_Mons");
    REQUIRE_FALSE(z.ok());
    CHECK(z.error().code == ErrorCode::kConfig);
    CHECK(z.error().log.find("Mars/Olympus_Mons") != std::string::npos);
}

TEST_CASE("days are 23 and 25 hours long on DST changes in Los Angeles") {
    const auto& tz = LosAngeles();
    // 2026-03-08: clocks go 02:00 -> 03:00. 2026-11-01: 02:00 -> 01:00.
    const Instant spring = At(12, 0, 8, 3);
    CHECK(tz.EndOfDay(spring) - tz.StartOfDay(spring) == std::chrono::hours{23});
    const Instant fall = At(12, 0, 1, 11);
    CHECK(tz.EndOfDay(fall) - tz.StartOfDay(fall) == std::chrono::hours{25});
    CHECK(FormatDateTimeUtc(tz.StartOfDay(spring)) == "2026-03-08T08:00:00Z");
}

TEST_CASE("ISO weeks start Monday 00:00 local and can be 167 or 169 hours long") {
    const auto& tz = LosAngeles();
    const Instant wed = At(10, 0, 11, 3);  // Wednesday after DST started
    CHECK(FormatDateTimeUtc(tz.StartOfIsoWeek(wed)) == "2026-03-09T07:00:00Z");
    const Instant sun = At(23, 30, 8, 3);  // Sunday, DST started that morning
    CHECK(tz.IsoWeekday(sun) == 7);
    CHECK(tz.EndOfIsoWeek(sun) - tz.StartOfIsoWeek(sun) == std::chrono::hours{167});
    const Instant nov = At(9, 0, 1, 11);  // Sunday 1 November: the week held the fall back
    CHECK(tz.EndOfIsoWeek(nov) - tz.StartOfIsoWeek(nov) == std::chrono::hours{169});
}

TEST_CASE("a wall-clock time skipped by DST maps to the moment of the change") {
    const auto& tz = LosAngeles();
    CHECK(FormatDateTimeUtc(tz.FromLocal(2026, 3, 8, 2, 30)) == "2026-03-08T10:00:00Z");
}

TEST_CASE("clock text in 12 and 24 hour styles") {
    const auto& tz = LosAngeles();
    CHECK(tz.FormatClock(At(9, 2), ClockStyle::k12Hour) == "9:02 AM");
    CHECK(tz.FormatClock(At(0, 5), ClockStyle::k12Hour) == "12:05 AM");
    CHECK(tz.FormatClock(At(12, 0), ClockStyle::k12Hour) == "12:00 PM");
    CHECK(tz.FormatClock(At(18, 30), ClockStyle::k24Hour) == "18:30");
    CHECK(tz.LocalDate(At(23, 59)) == "2026-01-07");
}
