// The waker runs under the queue's mutex so that SetWaker({}) returning means no call into the
// platform (SDL_PushEvent) is still running: the platform can shut SDL down right after.
#include "kiosk/scan/ScanQueue.h"

namespace kiosk::scan {

void ScanQueue::SetWaker(std::function<void()> waker) {
    std::lock_guard lock(m_mutex);
    m_waker = std::move(waker);
}

void ScanQueue::Push(ScanEvent event) {
    std::lock_guard lock(m_mutex);
    const bool was_empty = m_events.empty();
    if (m_events.size() >= kCapacity) {
        m_events.pop_front();
        ++m_dropped;
    }
    m_events.push_back(std::move(event));
    if (was_empty && m_waker) {
        m_waker();
    }
}

void ScanQueue::Wake() {
    std::lock_guard lock(m_mutex);
    if (m_waker) {
        m_waker();
    }
}

std::vector<ScanEvent> ScanQueue::Drain() {
    std::lock_guard lock(m_mutex);
    std::vector<ScanEvent> out(std::make_move_iterator(m_events.begin()),
                               std::make_move_iterator(m_events.end()));
    m_events.clear();
    return out;
}

std::uint64_t ScanQueue::Dropped() const {
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

}  // namespace kiosk::scan
