// QueueWatch: CheckQueue on a timer, the answer kept under a mutex.
#include "kiosk/print/QueueWatch.h"

namespace kiosk::print {

QueueWatch::QueueWatch(const PrintSpooler& spooler, std::chrono::seconds every)
    : m_spooler(spooler), m_every(every), m_thread([this] { Run(); }) {}

QueueWatch::~QueueWatch() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

std::optional<PrintStatus> QueueWatch::Latest() const {
    std::lock_guard lock(m_mutex);
    return m_latest;
}

void QueueWatch::Run() {
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        lock.unlock();
        PrintStatus status = m_spooler.CheckQueue();
        lock.lock();
        m_latest = std::move(status);
        m_wake.wait_for(lock, m_every, [this] { return m_stop; });
    }
}

}  // namespace kiosk::print
