// Time as the kiosk sees it: a Clock interface so every rule can be driven by a fake clock.
// Instants are whole UTC seconds on the wall clock; local (clinic) time lives in ClinicTime.
// Timeouts (a result on screen, the staff idle lock) run on the clock's monotonic reading, which
// a wall clock stepped back or forward (NTP, an operator) does not move.
#pragma once

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

}  // namespace kiosk
