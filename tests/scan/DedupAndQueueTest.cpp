// Pure parts of the camera path: de-duplication over time, the bounded queue and its waker,
// and payload bounding (the retry backoff is core's: tests/core/BackoffTest.cpp).
#include <doctest/doctest.h>

#include <atomic>

#include "kiosk/scan/ScanDeduplicator.h"
#include "kiosk/scan/ScanQueue.h"
#include "kiosk/scan/ScannerStatus.h"

using namespace kiosk::scan;
using std::chrono::milliseconds;

TEST_CASE(
    "dedup: consecutive frames of one code are one scan; the window runs from the last sighting") {
    ScanDeduplicator d(milliseconds(3000));
    const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    CHECK(d.OnCode("K1.aaaa", t0));
    for (int i = 1; i <= 300; ++i) {  // held up for 10 s at 30 fps: still the one scan
        CHECK_FALSE(d.OnCode("K1.aaaa", t0 + milliseconds(33 * i)));
    }
    const auto last = t0 + milliseconds(33 * 300);
    CHECK_FALSE(d.OnCode("K1.aaaa", last + milliseconds(2900)));   // taken away and back quickly
    CHECK(d.OnCode("K1.aaaa", last + milliseconds(2900 + 3001)));  // after the interval: new scan
    CHECK(d.OnCode("K1.bbbb", last + milliseconds(6000)));         // another card: at once
    CHECK(d.OnCode("K1.aaaa", last + milliseconds(6033)));         // and back: the newest wins
}

TEST_CASE("dedup: even a short interval keeps a code in view as one scan") {
    ScanDeduplicator d(milliseconds(0));
    const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    CHECK(d.OnCode("x", t0));
    CHECK_FALSE(d.OnCode("x", t0 + milliseconds(33)));
    CHECK_FALSE(d.OnCode("x", t0 + milliseconds(33 + 700)));  // a few frames missed
    CHECK(d.OnCode("x", t0 + milliseconds(33 + 700 + 800)));
}

TEST_CASE("the queue keeps the newest scans, wakes once per batch, and unhooks its waker") {
    ScanQueue q;
    std::atomic<int> wakes{0};
    q.SetWaker([&] { ++wakes; });
    q.Push(ScanEvent{"a", ScanSource::kCamera, {}});
    q.Push(ScanEvent{"b", ScanSource::kWedgeDevice, {}});
    CHECK(wakes == 1);  // the main loop drains everything on one wake
    auto got = q.Drain();
    REQUIRE(got.size() == 2);
    CHECK(got[0].payload == "a");
    CHECK(got[1].source == ScanSource::kWedgeDevice);
    for (int i = 0; i < 40; ++i) {
        q.Push(ScanEvent{std::to_string(i), ScanSource::kCamera, {}});
    }
    got = q.Drain();
    REQUIRE(got.size() == ScanQueue::kCapacity);
    CHECK(got.back().payload == "39");
    CHECK(q.Dropped() == 40 - ScanQueue::kCapacity);
    q.SetWaker({});
    q.Push(ScanEvent{"c", ScanSource::kCamera, {}});
    q.Wake();
    CHECK(wakes == 2);
}

TEST_CASE("payloads pass unchanged up to the cap and are cut one byte past it") {
    const std::string nul_and_escapes("K1.\0\x1b[2J\r\n%s%n'; DROP TABLE x;--", 33);
    CHECK(BoundPayload(nul_and_escapes) == nul_and_escapes);
    const std::string qr_max(2953, 'A');
    CHECK(BoundPayload(qr_max) == qr_max);
    const std::string huge(100000, 'B');
    CHECK(BoundPayload(huge).size() == kMaxScanBytes + 1);
}

TEST_CASE("a device's state reads as one plain line for the staff status screen") {
    ScannerStatus s;
    s.device = "/dev/video0";
    CHECK(StatusText(s) == "/dev/video0: off");
    s.state = DeviceState::kLost;
    s.detail = "camera /dev/video0 was disconnected; next try in 4 s";
    CHECK(StatusText(s) ==
          "/dev/video0: disconnected, retrying (camera /dev/video0 was disconnected; next try in 4 "
          "s)");
    s.state = DeviceState::kRunning;
    s.detail.clear();
    CHECK(StatusText(s) == "/dev/video0: working");
}
