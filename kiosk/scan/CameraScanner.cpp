// The camera thread's loop and its state machine: Starting -> Running -> (Lost | Missing) ->
// Starting ..., with Backoff between attempts. State changes are logged once each, never per
// frame; scans are logged by size only (PRIVACY.md 12: no payload in the log).
#include "kiosk/scan/CameraScanner.h"

#include <algorithm>

#include "kiosk/core/Backoff.h"
#include "kiosk/core/Log.h"
#include "kiosk/scan/ScanDeduplicator.h"
#include "kiosk/scan/SceneChange.h"

namespace kiosk::scan {
namespace {

constexpr std::chrono::milliseconds kFrameTimeout{200};

std::string FormatSeconds(std::chrono::milliseconds d) {
    const auto tenths = d.count() / 100;
    return std::to_string(tenths / 10) + (tenths % 10 ? "." + std::to_string(tenths % 10) : "") +
           " s";
}

/// A small copy for the preview: box-averaged in both directions to at most `max_width`.
void ShrinkInto(const GreyImage& in, int max_width, GreyImage& out) {
    const int factor = std::max(1, (in.width + max_width - 1) / max_width);
    out.Resize(in.width / factor, in.height / factor);
    for (int y = 0; y < out.height; ++y) {
        for (int x = 0; x < out.width; ++x) {
            unsigned sum = 0;
            for (int dy = 0; dy < factor; ++dy) {
                const std::uint8_t* row =
                    in.Row(y * factor + dy) + static_cast<std::ptrdiff_t>(x) * factor;
                for (int dx = 0; dx < factor; ++dx) {
                    sum += row[dx];
                }
            }
            out.At(x, y) = static_cast<std::uint8_t>(sum / static_cast<unsigned>(factor * factor));
        }
    }
}

}  // namespace

CameraScanner::CameraScanner(std::unique_ptr<FrameSource> source, CameraScannerOptions options,
                             ScanQueue& queue)
    : m_source(std::move(source)), m_options(options), m_queue(queue) {
    m_status.device = m_source->Describe();
    m_status.since = std::chrono::steady_clock::now();
}

CameraScanner::~CameraScanner() {
    Stop();
}

void CameraScanner::Start() {
    if (m_thread.joinable()) {
        return;
    }
    m_stop = false;
    m_thread = std::thread([this] { Run(); });
}

void CameraScanner::Stop() {
    {
        std::lock_guard lock(m_wait_mutex);
        m_stop = true;
    }
    m_wait.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

ScannerStatus CameraScanner::Status() const {
    std::lock_guard lock(m_status_mutex);
    return m_status;
}

bool CameraScanner::CopyPreview(GreyImage& out, std::uint64_t& generation) const {
    std::lock_guard lock(m_status_mutex);
    if (m_preview_generation == generation || m_preview.Empty()) {
        return false;
    }
    out = m_preview;
    generation = m_preview_generation;
    return true;
}

void CameraScanner::SetState(DeviceState state, std::string detail) {
    ScannerStatus copy;
    {
        std::lock_guard lock(m_status_mutex);
        if (!ApplyState(m_status, state, std::move(detail))) {
            return;
        }
        copy = m_status;
    }
    LogStateChange("camera", copy, m_last_logged);
    if (m_observer) {
        m_observer(copy);
    }
    m_queue.Wake();  // the status screen may show it
}

bool CameraScanner::WaitFor(std::chrono::milliseconds d) {
    std::unique_lock lock(m_wait_mutex);
    return !m_wait.wait_for(lock, d, [this] { return m_stop.load(); });
}

void CameraScanner::PublishPreview(const GreyImage& frame,
                                   std::chrono::steady_clock::time_point now) {
    if (!m_options.preview || now - m_last_preview < m_options.preview_every) {
        return;
    }
    m_last_preview = now;
    GreyImage small;
    ShrinkInto(frame, m_options.preview_width, small);
    {
        std::lock_guard lock(m_status_mutex);
        m_preview = std::move(small);
        ++m_preview_generation;
    }
    m_queue.Wake();
}

void CameraScanner::Run() {
    Backoff backoff(m_options.retry_first, m_options.retry_most);
    QrDecoder decoder(m_options.decoder);
    ScanDeduplicator dedup(m_options.same_code);
    SceneChange scene;
    bool last_had_code = false;
    auto last_decoded = std::chrono::steady_clock::time_point{};
    GreyImage frame;
    bool was_running = false;
    while (!m_stop) {
        SetState(DeviceState::kStarting, "");
        if (kiosk::Status open = m_source->Open(); !open) {
            const auto delay = backoff.Next();
            const bool missing = open.error().code == ErrorCode::kNotFound;
            const DeviceState state =
                missing ? (was_running ? DeviceState::kLost : DeviceState::kMissing)
                        : DeviceState::kFailed;
            SetState(state, open.error().log + "; next try in " + FormatSeconds(delay));
            if (!WaitFor(delay)) {
                break;
            }
            continue;
        }
        backoff.Reset();
        if (was_running) {
            std::lock_guard lock(m_status_mutex);
            ++m_status.reconnects;
        }
        SetState(DeviceState::kRunning, "");
        was_running = true;
        auto last_frame = std::chrono::steady_clock::now();
        while (!m_stop) {
            auto next = m_source->Next(frame, kFrameTimeout);
            const auto now = std::chrono::steady_clock::now();
            if (next && next.value() == FrameWait::kTimeout) {
                if (m_options.stall_after.count() > 0 && now - last_frame > m_options.stall_after) {
                    next = MakeError(ErrorCode::kInternal,
                                     "no picture for " + FormatSeconds(m_options.stall_after));
                } else {
                    continue;
                }
            }
            if (!next) {
                m_source->Close();
                const auto delay = backoff.Next();
                SetState(DeviceState::kLost,
                         next.error().log + "; next try in " + FormatSeconds(delay));
                WaitFor(delay);
                break;
            }
            if (next.value() == FrameWait::kEnd) {
                m_source->Close();
                SetState(DeviceState::kEnded, "");
                std::unique_lock lock(m_wait_mutex);
                m_wait.wait(lock, [this] { return m_stop.load(); });
                break;
            }
            last_frame = now;
            PublishPreview(frame, now);
            // The same empty scene again (an idle lobby): no need to decode it 30 times a second.
            const bool changed = scene.Changed(frame.View());
            if (!changed && !last_had_code && now - last_decoded < m_options.unchanged_redecode) {
                std::lock_guard lock(m_status_mutex);
                ++m_status.unchanged;
                continue;
            }
            scene.Remember();
            last_decoded = now;
            const auto t0 = std::chrono::steady_clock::now();
            const auto hit = decoder.Decode(frame.View());
            last_had_code = hit.has_value();
            const double ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count();
            const bool new_scan = hit && dedup.OnCode(hit->payload, now);
            {
                std::lock_guard lock(m_status_mutex);
                ++m_status.frames;
                m_status.decode_ms =
                    m_status.frames == 1 ? ms : m_status.decode_ms * 0.95 + ms * 0.05;
                m_status.scans += new_scan ? 1 : 0;
            }
            if (new_scan) {
                LogInfo("camera", "scan read (" + std::to_string(hit->payload.size()) + " bytes" +
                                      (hit->eci ? ", with a character set tag" : "") + ")");
                m_queue.Push(ScanEvent{hit->payload, ScanSource::kCamera, now});
            }
        }
    }
    m_source->Close();
    SetState(DeviceState::kOff, "");
}

}  // namespace kiosk::scan
