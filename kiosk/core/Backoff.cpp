// Full jitter as in "Exponential Backoff And Jitter" (AWS architecture blog, 2015): of the
// schemes compared there it spreads retries best for the least total work.
#include "kiosk/core/Backoff.h"

#include <algorithm>

namespace kiosk {

Backoff::Backoff(std::chrono::milliseconds first, std::chrono::milliseconds most)
    : m_first(first), m_most(most) {}

Backoff::Backoff(std::chrono::milliseconds first, std::chrono::milliseconds most,
                 std::uint64_t seed)
    : m_first(first), m_most(most), m_random(std::in_place, seed) {}

std::chrono::milliseconds Backoff::Doubled(std::chrono::milliseconds first,
                                           std::chrono::milliseconds most, int times) {
    const int shift = std::clamp(times, 0, 30);
    const long long doubled = first.count() << shift;
    return std::chrono::milliseconds{std::min<long long>(doubled, most.count())};
}

std::chrono::milliseconds Backoff::Next(std::optional<std::chrono::milliseconds> floor) {
    auto wait = Ceiling();
    ++m_failures;
    if (m_random) {
        std::uniform_int_distribution<long long> pick(0, wait.count());
        wait = std::chrono::milliseconds{pick(*m_random)};
    }
    return floor ? std::max(wait, *floor) : wait;
}

}  // namespace kiosk
