// The test clock behind `kiosk --test-clock START,RATE` (the soak test's 60x clinic day): what it
// accepts, how fast it runs, and how its waits map back to real time.
#include <doctest/doctest.h>

#include <thread>

#include "kiosk/core/Iso8601.h"
#include "kiosk/core/ScaledClock.h"

using namespace kiosk;

TEST_CASE("--test-clock takes an ISO 8601 start with offset and a rate") {
    auto clock = ScaledClock::Parse("2026-11-23T07:00:00-08:00,60");
    REQUIRE(clock);
    CHECK(clock->Rate() == 60.0);
    const Instant start = ParseDateTime("2026-11-23T15:00:00Z").value();
    CHECK(clock->Now() >= start);
    CHECK(clock->Now() < start + Seconds{60});

    for (const char* bad : {"2026-11-23T07:00:00-08:00", "2026-11-23T07:00:00-08:00,0",
                            "2026-11-23T07:00:00-08:00,-5", "2026-11-23T07:00:00-08:00,fast",
                            "2026-11-23T07:00:00-08:00,60x", "2026-11-23T07:00:00-08:00,3601",
                            "yesterday,60", ",60"}) {
        CAPTURE(bad);
        auto parsed = ScaledClock::Parse(bad);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().log.find("--test-clock") != std::string::npos);
    }
}

TEST_CASE("the test clock runs RATE times faster than real time") {
    const Instant start = ParseDateTime("2026-11-23T15:00:00Z").value();
    ScaledClock clock(start, 3600.0);
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    const auto advanced = clock.Now() - start;
    CHECK(advanced >= Seconds{100});  // 30 ms real is 108 s here
    CHECK(advanced < Seconds{3600 * 5});
}

TEST_CASE("a wait on the test clock is that much shorter in real time") {
    ScaledClock clock(ParseDateTime("2026-11-23T15:00:00Z").value(), 60.0);
    CHECK(clock.RealMilliseconds(60'000) == 1000);
    CHECK(clock.RealMilliseconds(1) == 1);  // rounded up: never a busy loop of zero waits
    CHECK(clock.RealMilliseconds(0) == 0);
    CHECK(clock.RealMilliseconds(-5) == 0);
}
