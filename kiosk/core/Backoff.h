// Waits between retries, doubling from `first` up to `most` after each failure and back to
// `first` after a success. Plain for a device that is missing (scan/); with full jitter (a random
// wait between 0 and that doubling ceiling) for the sync thread, so a fleet of kiosks that comes
// back online at once spreads out instead of stampeding the server. Pure; no clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace kiosk {

class Backoff {
  public:
    /// Waits exactly first, 2 * first, ... up to most.
    Backoff(std::chrono::milliseconds first, std::chrono::milliseconds most);
    /// Waits a random time in [0, Ceiling()], drawn from a generator seeded with `seed`.
    Backoff(std::chrono::milliseconds first, std::chrono::milliseconds most, std::uint64_t seed);

    /// The wait after one more failure; never below `floor` (a server's Retry-After).
    std::chrono::milliseconds Next(std::optional<std::chrono::milliseconds> floor = std::nullopt);
    void Reset() { m_failures = 0; }
    int Failures() const { return m_failures; }
    /// The most Next() can wait for the current failure count.
    std::chrono::milliseconds Ceiling() const { return Doubled(m_first, m_most, m_failures); }

    /// `first` doubled `times` times (0 to 30 count), capped at `most`.
    static std::chrono::milliseconds Doubled(std::chrono::milliseconds first,
                                             std::chrono::milliseconds most, int times);

  private:
    std::chrono::milliseconds m_first;
    std::chrono::milliseconds m_most;
    int m_failures = 0;
    std::optional<std::mt19937_64> m_random;  ///< set: full jitter
};

}  // namespace kiosk
