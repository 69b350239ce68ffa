// The camera thread: frames from a FrameSource -> QrDecoder -> ScanDeduplicator -> ScanQueue.
// It opens the device, reads until it fails or goes quiet, closes it and tries again with a
// growing delay, so an unplugged camera comes back by itself. The main thread only reads
// Status() and the optional preview; it never waits on the camera. Depends on core only.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "kiosk/scan/FrameSource.h"
#include "kiosk/scan/QrDecoder.h"
#include "kiosk/scan/ScanQueue.h"
#include "kiosk/scan/ScannerStatus.h"

namespace kiosk::scan {

struct CameraScannerOptions {
    std::chrono::milliseconds same_code{3000};  ///< the same code again within this is one scan
    std::chrono::milliseconds retry_first{500};
    std::chrono::milliseconds retry_most{10'000};
    std::chrono::milliseconds stall_after{0};  ///< no frame for this long: reopen (0: never)
    bool preview = false;                      ///< keep a small picture for the welcome screen
    int preview_width = 320;
    std::chrono::milliseconds preview_every{100};
    /// An unchanged, code-free picture is decoded again only after this long (0: every frame).
    std::chrono::milliseconds unchanged_redecode{1000};
    QrDecoder::Options decoder;
};

class CameraScanner {
  public:
    CameraScanner(std::unique_ptr<FrameSource> source, CameraScannerOptions options,
                  ScanQueue& queue);
    ~CameraScanner();
    CameraScanner(const CameraScanner&) = delete;
    CameraScanner& operator=(const CameraScanner&) = delete;

    /// Called on the camera thread at every state change (tests record them). Set before Start.
    void SetStateObserver(std::function<void(const ScannerStatus&)> observer) {
        m_observer = std::move(observer);
    }

    void Start();
    /// Stops the thread and closes the device; waits at most one frame timeout.
    void Stop();

    ScannerStatus Status() const;
    /// Copies the newest preview picture when there is one newer than `generation` (which it
    /// updates). Grey, at most preview_width wide.
    bool CopyPreview(GreyImage& out, std::uint64_t& generation) const;

  private:
    void Run();
    /// A small copy of the frame for the welcome screen, at most every preview_every.
    void PublishPreview(const GreyImage& frame, std::chrono::steady_clock::time_point now);
    void SetState(DeviceState state, std::string detail);
    /// Sleeps up to `d`; false when Stop() was called meanwhile.
    bool WaitFor(std::chrono::milliseconds d);

    std::unique_ptr<FrameSource> m_source;
    CameraScannerOptions m_options;
    ScanQueue& m_queue;
    std::function<void(const ScannerStatus&)> m_observer;

    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::mutex m_wait_mutex;
    std::condition_variable m_wait;

    mutable std::mutex m_status_mutex;
    ScannerStatus m_status;
    std::string m_last_logged;  ///< camera thread only
    GreyImage m_preview;
    std::uint64_t m_preview_generation = 0;
    std::chrono::steady_clock::time_point m_last_preview{};
};

}  // namespace kiosk::scan
