// A TEST-ONLY clock (kiosk --test-clock START,RATE): starts at START and runs RATE times faster
// than real time, so a whole clinic day can be simulated in minutes. The app, the check-in rules
// and the sync engine all read it; waits in the window loop are scaled back to real time.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>

#include "kiosk/core/Clock.h"
#include "kiosk/core/Iso8601.h"
#include "kiosk/core/Result.h"

namespace kiosk {

class ScaledClock final : public Clock {
  public:
    static constexpr double kMaxRate = 3600.0;

    ScaledClock(Instant start, double rate)
        : m_start(start), m_rate(rate), m_origin(std::chrono::steady_clock::now()) {}

    /// Parses "START,RATE": an ISO 8601 date-time with offset and a rate in (0, 3600].
    static Result<ScaledClock> Parse(std::string_view text) {
        const auto comma = text.rfind(',');
        if (comma == std::string_view::npos) {
            return MakeError(ErrorCode::kConfig,
                             "--test-clock takes START,RATE, like 2026-11-23T07:00:00-08:00,60");
        }
        auto start = ParseDateTime(text.substr(0, comma));
        if (!start) {
            return MakeError(ErrorCode::kConfig, "--test-clock: " + start.error().log);
        }
        const std::string rate_text(text.substr(comma + 1));
        char* end = nullptr;
        const double rate = std::strtod(rate_text.c_str(), &end);
        if (rate_text.empty() || end != rate_text.c_str() + rate_text.size() ||
            !std::isfinite(rate) || rate <= 0.0 || rate > kMaxRate) {
            return MakeError(ErrorCode::kConfig,
                             "--test-clock: the rate must be a number above 0 and at most 3600");
        }
        return ScaledClock(start.value(), rate);
    }

    Instant Now() const override {
        const std::chrono::duration<double> real = std::chrono::steady_clock::now() - m_origin;
        return m_start + Seconds{static_cast<long long>(std::floor(real.count() * m_rate))};
    }

    /// Runs at the same rate as Now(), from the moment the clock was made.
    Monotonic Steady() const override {
        const std::chrono::duration<double, std::milli> real =
            std::chrono::steady_clock::now() - m_origin;
        return Monotonic{
            std::chrono::milliseconds{static_cast<long long>(std::floor(real.count() * m_rate))}};
    }

    double Rate() const { return m_rate; }

    /// A wait of `clock_ms` on this clock, in real milliseconds (rounded up).
    int RealMilliseconds(int clock_ms) const override {
        return static_cast<int>(std::ceil(std::max(0, clock_ms) / m_rate));
    }

  private:
    Instant m_start;
    double m_rate;
    std::chrono::steady_clock::time_point m_origin;
};

}  // namespace kiosk
