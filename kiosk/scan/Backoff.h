// Retry delays for a device that is missing or went away: doubling from `first` up to `most`,
// back to `first` once the device works again. Pure.
#pragma once

#include <algorithm>
#include <chrono>

namespace kiosk::scan {

class Backoff {
  public:
    Backoff(std::chrono::milliseconds first, std::chrono::milliseconds most)
        : m_first(first), m_most(most), m_next(first) {}

    /// The delay before the next attempt; each call doubles the one after.
    std::chrono::milliseconds Next() {
        const auto now = m_next;
        m_next = std::min(m_most, m_next * 2);
        ++m_failures;
        return now;
    }
    void Reset() {
        m_next = m_first;
        m_failures = 0;
    }
    int Failures() const { return m_failures; }

  private:
    std::chrono::milliseconds m_first;
    std::chrono::milliseconds m_most;
    std::chrono::milliseconds m_next;
    int m_failures = 0;
};

}  // namespace kiosk::scan
