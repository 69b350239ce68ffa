// The printer's state for status screens, read on a thread of its own every few seconds:
// PrintSpooler::CheckQueue may block on CUPS, and the main thread never waits on it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "kiosk/print/PrintSpooler.h"

namespace kiosk::print {

class QueueWatch {
  public:
    QueueWatch(const PrintSpooler& spooler, std::chrono::seconds every);
    ~QueueWatch();  ///< stops the thread
    QueueWatch(const QueueWatch&) = delete;
    QueueWatch& operator=(const QueueWatch&) = delete;

    /// The latest check; nullopt until the first one has answered.
    std::optional<PrintStatus> Latest() const;

  private:
    void Run();

    const PrintSpooler& m_spooler;
    const std::chrono::seconds m_every;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::optional<PrintStatus> m_latest;
    std::thread m_thread;  ///< last: starts after every member above exists
};

}  // namespace kiosk::print
