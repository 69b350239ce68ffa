// A USB keyboard-wedge scanner read from its own input device (/dev/input/by-id/...-event-kbd)
// and grabbed (EVIOCGRAB) so its keystrokes reach only check-in, never the UI or a text field.
// Its own thread; reopens the device with a growing delay when unplugged. Depends on core only.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "kiosk/core/Result.h"
#include "kiosk/scan/ScanQueue.h"
#include "kiosk/scan/ScannerStatus.h"

namespace kiosk::scan {

struct EvdevWedgeOptions {
    std::string device;  ///< an evdev node, best a /dev/input/by-id link
    bool grab = true;    ///< exclusive access (off only in tests)
    std::chrono::milliseconds retry_first{500};
    std::chrono::milliseconds retry_most{10'000};
};

class EvdevWedge {
  public:
    EvdevWedge(EvdevWedgeOptions options, ScanQueue& queue);
    ~EvdevWedge();
    EvdevWedge(const EvdevWedge&) = delete;
    EvdevWedge& operator=(const EvdevWedge&) = delete;

    void SetStateObserver(std::function<void(const ScannerStatus&)> observer) {
        m_observer = std::move(observer);
    }
    void Start();
    void Stop();
    ScannerStatus Status() const;

    /// Opens and grabs `options.device`: the file descriptor, or an error that says why
    /// (missing, permissions, grabbed by another program, not an input device).
    static Result<int> OpenDevice(const EvdevWedgeOptions& options);

  private:
    void Run();
    /// Reads keys until the device goes away or Stop(); returns why it ended.
    std::string ReadLoop(int fd);
    void SetState(DeviceState state, std::string detail);
    bool WaitFor(std::chrono::milliseconds d);

    EvdevWedgeOptions m_options;
    ScanQueue& m_queue;
    std::function<void(const ScannerStatus&)> m_observer;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    int m_stop_fd = -1;  ///< an eventfd that wakes poll() on Stop()
    mutable std::mutex m_mutex;
    ScannerStatus m_status;
    std::string m_last_logged;  ///< reader thread only
};

}  // namespace kiosk::scan
