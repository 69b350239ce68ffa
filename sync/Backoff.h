// How long the sync thread waits after a failed round: full-jitter exponential backoff (a random
// wait between 0 and base * 2^failures, capped), so a fleet of kiosks that comes back online at
// once spreads out instead of stampeding the server. A Retry-After is a floor on top of it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace kiosk::sync {

class Backoff {
  public:
    Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, std::uint64_t seed);

    /// The wait after one more failure; never below `retry_after` (when the server sent one).
    std::chrono::milliseconds Next(std::optional<std::chrono::seconds> retry_after = std::nullopt);
    void Reset() { m_failures = 0; }
    int Failures() const { return m_failures; }
    /// The upper bound Next() draws from for the current failure count.
    std::chrono::milliseconds Ceiling() const;
    /// One outbox item's wait after its `failures`-th failure in a row (30 s doubling to 30 min).
    /// Deterministic: the round it joins is jittered already.
    static std::chrono::seconds ForItem(int failures);

  private:
    std::chrono::milliseconds m_base;
    std::chrono::milliseconds m_cap;
    int m_failures = 0;
    std::mt19937_64 m_random;
};

}  // namespace kiosk::sync
