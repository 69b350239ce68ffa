// Time as the kiosk sees it: a Clock interface so every rule can be driven by a fake clock.
// Instants are whole UTC seconds; local (clinic) time lives in ClinicTime.
#pragma once

#include <atomic>
#include <chrono>

namespace kiosk {

using Instant = std::chrono::sys_seconds;
using Seconds = std::chrono::seconds;
using Minutes = std::chrono::minutes;

class Clock {
public:
    virtual ~Clock() = default;
    virtual Instant Now() const = 0;
    /// A wait of `clock_ms` on this clock, in real milliseconds: the same, but for a test clock
    /// that runs faster (ScaledClock).
    virtual int RealMilliseconds(int clock_ms) const { return clock_ms; }
};

class SystemClock final : public Clock {
public:
    Instant Now() const override {
        return std::chrono::floor<Seconds>(std::chrono::system_clock::now());
    }
};

/// A clock tests move by hand. Safe to read from another thread.
class FakeClock final : public Clock {
public:
    explicit FakeClock(Instant start) : m_now(start.time_since_epoch().count()) {}
    Instant Now() const override { return Instant{Seconds{m_now.load()}}; }
    void Set(Instant t) { m_now = t.time_since_epoch().count(); }
    void Advance(Seconds d) { m_now += d.count(); }

private:
    std::atomic<long long> m_now;
};

}  // namespace kiosk
