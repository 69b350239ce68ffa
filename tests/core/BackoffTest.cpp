// The one Backoff: plain doubling for devices (scan/), full jitter with a Retry-After floor for
// the sync thread, and the doubling an outbox item's retry follows.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>

#include "kiosk/core/Backoff.h"

using kiosk::Backoff;
using std::chrono::milliseconds;

TEST_CASE("backoff doubles to its ceiling and starts over after a success") {
    Backoff b(milliseconds(500), milliseconds(4000));
    CHECK(b.Next() == milliseconds(500));
    CHECK(b.Next() == milliseconds(1000));
    CHECK(b.Next() == milliseconds(2000));
    CHECK(b.Next() == milliseconds(4000));
    CHECK(b.Next() == milliseconds(4000));
    CHECK(b.Failures() == 5);
    b.Reset();
    CHECK(b.Next() == milliseconds(500));
}

TEST_CASE("full-jitter backoff: random below a doubling, capped ceiling; Retry-After is a floor") {
    Backoff b(milliseconds{1000}, milliseconds{60000}, 42);
    long long ceilings[] = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000};
    for (long long ceiling : ceilings) {
        CHECK(b.Ceiling().count() == ceiling);
        const auto wait = b.Next();
        CHECK(wait.count() >= 0);
        CHECK(wait.count() <= ceiling);
    }
    b.Reset();
    CHECK(b.Ceiling().count() == 1000);
    CHECK(b.Next(std::chrono::seconds{120}) >= milliseconds{120000});

    // Spread: a fleet of 1000 kiosks failing at once does not retry at once.
    int early = 0;
    for (int k = 0; k < 1000; ++k) {
        Backoff one(milliseconds{1000}, milliseconds{60000},
                    static_cast<std::uint64_t>(k) * 7919 + 1);
        for (int i = 0; i < 5; ++i) {
            (void)one.Next();
        }
        early += one.Next().count() < 16000 ? 1 : 0;  // the 6th wait is uniform in [0, 32 s]
    }
    CHECK(early > 400);
    CHECK(early < 600);
}

TEST_CASE("a doubling is capped and never shifts out of range") {
    using std::chrono::minutes;
    using std::chrono::seconds;
    CHECK(Backoff::Doubled(seconds{30}, minutes{30}, -3) == seconds{30});
    CHECK(Backoff::Doubled(seconds{30}, minutes{30}, 0) == seconds{30});
    CHECK(Backoff::Doubled(seconds{30}, minutes{30}, 1) == seconds{60});
    CHECK(Backoff::Doubled(seconds{30}, minutes{30}, 5) == seconds{960});
    CHECK(Backoff::Doubled(seconds{30}, minutes{30}, 6) == minutes{30});
    CHECK(Backoff::Doubled(seconds{30}, minutes{30}, 1000) == minutes{30});
}
