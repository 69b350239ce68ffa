// Full jitter as in "Exponential Backoff And Jitter" (AWS architecture blog, 2015): of the
// schemes compared there it spreads retries best for the least total work.
#include "sync/Backoff.h"

#include <algorithm>

namespace kiosk::sync {

Backoff::Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, std::uint64_t seed)
    : m_base(base), m_cap(cap), m_random(seed) {}

std::chrono::milliseconds Backoff::Ceiling() const {
    const int shift = std::min(m_failures, 30);
    const long long ceiling = m_base.count() << shift;
    return std::chrono::milliseconds{std::min<long long>(ceiling, m_cap.count())};
}

std::chrono::seconds Backoff::ForItem(int failures) {
    const int shift = std::clamp(failures, 0, 10);
    return std::chrono::seconds{std::min<long long>(30LL << shift, 1800)};
}

std::chrono::milliseconds Backoff::Next(std::optional<std::chrono::seconds> retry_after) {
    const auto ceiling = Ceiling();
    ++m_failures;
    std::uniform_int_distribution<long long> pick(0, ceiling.count());
    std::chrono::milliseconds wait{pick(m_random)};
    if (retry_after) {
        wait = std::max<std::chrono::milliseconds>(wait, *retry_after);
    }
    return wait;
}

}  // namespace kiosk::sync
