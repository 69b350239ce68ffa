// The hand-over from scan threads (camera, wedge device) to the main thread: a small bounded
// queue plus a "wake" callback the platform sets to interrupt its event wait. The main thread
// never blocks on it. Standard library only.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "kiosk/scan/ScanEvent.h"

namespace kiosk::scan {

class ScanQueue {
  public:
    static constexpr std::size_t kCapacity = 16;

    /// Called (from the pushing thread) when the queue goes from empty to not empty, and by
    /// Wake(). Set it before the scanners start; clearing it waits for a call in progress.
    void SetWaker(std::function<void()> waker);

    /// Adds a scan. When full, the oldest scan is dropped: the newest scan wins (SCREENS.md 3).
    void Push(ScanEvent event);
    /// Wakes the main thread without a scan (a new preview frame, a state change to show).
    void Wake();
    /// Everything queued, oldest first.
    std::vector<ScanEvent> Drain();
    std::uint64_t Dropped() const;

  private:
    mutable std::mutex m_mutex;
    std::deque<ScanEvent> m_events;
    std::function<void()> m_waker;
    std::uint64_t m_dropped = 0;
};

}  // namespace kiosk::scan
