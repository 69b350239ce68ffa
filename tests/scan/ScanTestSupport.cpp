// The scripted source and queue waiting used by the camera and wedge tests.
#include "ScanTestSupport.h"

#include <thread>

namespace kiosk::scan::test {

Status ScriptedSource::Open() {
    std::lock_guard lock(m_mutex);
    ++m_opens;
    if (m_opening >= m_script.size()) {
        return MakeError(ErrorCode::kNotFound, "scripted camera: gone for good");
    }
    if (!m_script[m_opening].opens) {
        ++m_opening;
        return MakeError(ErrorCode::kNotFound, "scripted camera: not plugged in");
    }
    m_open = true;
    m_frame = 0;
    return Ok{};
}

Result<FrameWait> ScriptedSource::Next(GreyImage& frame, std::chrono::milliseconds) {
    std::lock_guard lock(m_mutex);
    Opening& o = m_script[m_opening];
    if (m_frame < o.frames.size()) {
        frame = o.frames[m_frame++];
        return FrameWait::kFrame;
    }
    if (o.ends) {
        return FrameWait::kEnd;
    }
    ++m_opening;  // the next Open() follows the next part of the script
    return MakeError(ErrorCode::kNotFound, "scripted camera: unplugged");
}

void ScriptedSource::Close() {
    std::lock_guard lock(m_mutex);
    if (m_open) {
        ++m_closes;
    }
    m_open = false;
}

int ScriptedSource::Opens() const {
    std::lock_guard lock(m_mutex);
    return m_opens;
}

int ScriptedSource::Closes() const {
    std::lock_guard lock(m_mutex);
    return m_closes;
}

std::vector<ScanEvent> WaitForScans(ScanQueue& queue, std::size_t count,
                                    std::chrono::milliseconds limit) {
    std::vector<ScanEvent> all;
    const auto until = std::chrono::steady_clock::now() + limit;
    while (all.size() < count && std::chrono::steady_clock::now() < until) {
        for (auto& e : queue.Drain()) {
            all.push_back(std::move(e));
        }
        if (all.size() < count) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }
    return all;
}

GreyImage QrFrame(const std::string& bytes, int width, int height, double module_px, bool utf8_eci,
                  std::uint64_t seed) {
    SceneSpec s;
    s.width = width;
    s.height = height;
    s.text = bytes;
    s.raw_bytes = !utf8_eci;
    s.utf8_eci = utf8_eci;
    s.module_px = module_px;
    s.clutter = 8;
    s.noise_sigma = 2;
    s.blur_sigma = 0.4;
    s.seed = seed;
    s.ecc_level = bytes.size() > 2000 ? 1 : 4;  // the largest payloads only fit at level L
    return RenderScene(s);
}

}  // namespace kiosk::scan::test
