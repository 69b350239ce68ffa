// Time as the kiosk sees it: a Clock interface so every rule can be driven by a fake clock.
// Instants are whole UTC seconds on the wall clock; local (clinic) time lives in ClinicTime.
// Timeouts (a result on screen, the staff idle lock) run on the clock's monotonic reading, which
// a wall clock stepped back or forward (NTP, an operator) does not move.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>

namespace kiosk {

using Instant = std::chrono::sys_seconds;
using Seconds = std::chrono::seconds;
using Minutes = std::chrono::minutes;
/// A reading of a clock that never steps (CLOCK_MONOTONIC or a test's), for timeouts only.
using Monotonic = std::chrono::time_point<std::chrono::steady_clock, std::chrono::milliseconds>;

class Clock {
  public:
    virtual ~Clock() = default;
    virtual Instant Now() const = 0;
    /// Monotonic time: only differences between readings mean anything.
    virtual Monotonic Steady() const = 0;
    /// A wait of `clock_ms` on this clock, in real milliseconds: the same, but for a test clock
    /// that runs faster (ScaledClock).
    virtual int RealMilliseconds(int clock_ms) const { return clock_ms; }
};

/// The wall-clock instant a monotonic deadline falls on, as seen now (rounded up to a second):
/// for the platform, which sleeps until an Instant.
inline Instant WallTimeOf(const Clock& clock, Monotonic deadline) {
    const auto left = std::max(deadline - clock.Steady(), std::chrono::milliseconds{0});
    return clock.Now() + std::chrono::ceil<Seconds>(left);
}

/// Whole seconds from now until a monotonic deadline, rounded up; 0 or less once it has passed.
inline Seconds SecondsUntil(const Clock& clock, Monotonic deadline) {
    return std::chrono::ceil<Seconds>(deadline - clock.Steady());
}

class SystemClock final : public Clock {
  public:
    Instant Now() const override {
        return std::chrono::floor<Seconds>(std::chrono::system_clock::now());
    }
    Monotonic Steady() const override {
        return std::chrono::time_point_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now());
    }
};

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
