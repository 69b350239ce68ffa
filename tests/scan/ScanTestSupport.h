// Helpers for the scan tests: a scripted FrameSource (unplug and replug on cue), QR frames with
// chosen bytes, and waiting on a ScanQueue with a deadline instead of sleeping.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "FrameGen.h"
#include "kiosk/scan/FrameSource.h"
#include "kiosk/scan/ScanQueue.h"
#include "kiosk/scan/ScannerStatus.h"

namespace kiosk::scan::test {

/// A FrameSource that follows a script: Open() results, then per opening a list of frames
/// (nullopt entries are device errors, "unplugged"). Thread-safe counters for assertions.
class ScriptedSource final : public FrameSource {
  public:
    struct Opening {
        bool opens = true;              ///< false: Open() fails with kNotFound
        std::vector<GreyImage> frames;  ///< then Next() fails ("unplugged") unless `ends`
        bool ends = false;              ///< after the frames: kEnd instead of an error
    };
    explicit ScriptedSource(std::vector<Opening> script) : m_script(std::move(script)) {}

    Status Open() override;
    Result<FrameWait> Next(GreyImage& frame, std::chrono::milliseconds timeout) override;
    void Close() override;
    std::string Describe() const override { return "scripted camera"; }

    int Opens() const;
    int Closes() const;

  private:
    mutable std::mutex m_mutex;
    std::vector<Opening> m_script;
    std::size_t m_opening = 0;
    std::size_t m_frame = 0;
    bool m_open = false;
    int m_opens = 0;
    int m_closes = 0;
};

/// Waits until the queue holds at least `count` scans (or `limit` passes); returns them all.
std::vector<ScanEvent> WaitForScans(ScanQueue& queue, std::size_t count,
                                    std::chrono::milliseconds limit = std::chrono::seconds(10));

/// Waits until `status()` reports `state` (or `limit` passes); true when it did.
template <class StatusFn>
bool WaitForState(StatusFn status, kiosk::scan::DeviceState state,
                  std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (status().state == state) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
}

/// Starts `camera`, collects its scans until its replay has ended (draining as it goes, as the
/// main loop does), stops it and returns them.
template <class Camera>
std::vector<ScanEvent> RunToEnd(Camera& camera, ScanQueue& queue,
                                std::chrono::milliseconds limit = std::chrono::seconds(60)) {
    std::vector<ScanEvent> all;
    camera.Start();
    const auto until = std::chrono::steady_clock::now() + limit;
    while (camera.Status().state != kiosk::scan::DeviceState::kEnded &&
           std::chrono::steady_clock::now() < until) {
        for (auto& e : queue.Drain()) {
            all.push_back(std::move(e));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    camera.Stop();
    for (auto& e : queue.Drain()) {
        all.push_back(std::move(e));
    }
    return all;
}

/// A frame with a QR code holding exactly `bytes` (byte mode, no ECI unless `utf8_eci`), in a
/// plain scene of `width` x `height`.
GreyImage QrFrame(const std::string& bytes, int width = 1280, int height = 720,
                  double module_px = 6, bool utf8_eci = false, std::uint64_t seed = 7);

}  // namespace kiosk::scan::test
