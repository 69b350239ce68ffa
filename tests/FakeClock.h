// The clock the tests move by hand (kiosk/core/Clock.h is the interface the kiosk reads).
#pragma once

#include <algorithm>
#include <atomic>

#include "kiosk/core/Clock.h"

namespace kiosk {

/// A clock tests move by hand. Safe to read from another thread. Advance() and a Set() forward
/// are time passing (both readings move); StepWall() and a Set() backward only move the wall
/// clock, as a clock correction does.
class FakeClock final : public Clock {
  public:
    explicit FakeClock(Instant start) : m_now(start.time_since_epoch().count()) {}
    Instant Now() const override { return Instant{Seconds{m_now.load()}}; }
    Monotonic Steady() const override {
        return Monotonic{std::chrono::milliseconds{m_steady_ms.load()}};
    }
    void Set(Instant t) {
        const long long to = t.time_since_epoch().count();
        m_steady_ms += std::max(0LL, to - m_now.load()) * 1000;
        m_now = to;
    }
    void Advance(Seconds d) { Set(Now() + d); }
    void StepWall(Seconds d) { m_now += d.count(); }

  private:
    std::atomic<long long> m_now;
    std::atomic<long long> m_steady_ms{0};
};

}  // namespace kiosk
