// Pacing: each frame is due one period after the previous one; Next() sleeps at most `timeout`
// towards it, so Stop() stays prompt. A watched folder is listed at most every 50 ms.
#include "kiosk/scan/ReplayFrameSource.h"

#include <algorithm>
#include <set>
#include <thread>

#include "kiosk/core/Log.h"
#include "kiosk/scan/ImageFile.h"

namespace kiosk::scan {
namespace {

bool IsImageName(const std::filesystem::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".pgm" || ext == ".pnm" ||
           ext == ".ppm";
}

}  // namespace

ReplayFrameSource::ReplayFrameSource(std::vector<GreyImage> frames, double fps)
    : m_frames(std::move(frames)), m_fps(fps) {}

ReplayFrameSource::ReplayFrameSource(std::filesystem::path folder, double fps)
    : m_folder(std::move(folder)), m_fps(fps) {}

std::unique_ptr<ReplayFrameSource> ReplayFrameSource::WatchFolder(std::filesystem::path folder,
                                                                  double fps) {
    return std::unique_ptr<ReplayFrameSource>(new ReplayFrameSource(std::move(folder), fps));
}

Status ReplayFrameSource::Open() {
    if (!m_folder.empty()) {
        std::error_code ec;
        if (!std::filesystem::is_directory(m_folder, ec)) {
            return MakeError(ErrorCode::kNotFound,
                             "camera replay folder " + m_folder.string() + " does not exist");
        }
    }
    m_open = true;
    m_next_due = std::chrono::steady_clock::now();
    return Ok{};
}

bool ReplayFrameSource::NextFileFrame(GreyImage& frame) {
    std::error_code ec;
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(m_folder, ec)) {
        const std::string name = entry.path().filename().string();
        if (IsImageName(entry.path()) && name > m_last_name && entry.is_regular_file(ec)) {
            names.insert(name);
        }
    }
    for (const std::string& name : names) {
        m_last_name = name;
        auto image = LoadGreyImage(m_folder / name);
        if (image) {
            frame = std::move(image).value();
            return true;
        }
        LogWarn("camera", "replay: skipped " + image.error().log);
    }
    return false;
}

Result<FrameWait> ReplayFrameSource::Next(GreyImage& frame, std::chrono::milliseconds timeout) {
    if (!m_open) {
        return MakeError(ErrorCode::kInternal, "replay is not open");
    }
    const auto now = std::chrono::steady_clock::now();
    if (m_fps > 0 && now < m_next_due) {
        const auto wait = std::min<std::chrono::steady_clock::duration>(m_next_due - now, timeout);
        std::this_thread::sleep_for(wait);
        if (std::chrono::steady_clock::now() < m_next_due) {
            return FrameWait::kTimeout;
        }
    }
    if (m_folder.empty()) {
        if (m_index >= m_frames.size()) {
            return FrameWait::kEnd;
        }
        frame = m_frames[m_index++];
    } else if (!NextFileFrame(frame)) {
        // Nothing new yet: like a camera that shows an unchanged scene, but without re-decoding.
        std::this_thread::sleep_for(
            std::min<std::chrono::milliseconds>(timeout, std::chrono::milliseconds(50)));
        return FrameWait::kTimeout;
    }
    if (m_fps > 0) {
        const auto period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::duration<double>(1.0 / m_fps));
        m_next_due = std::max(m_next_due + period, std::chrono::steady_clock::now() - period);
    }
    return FrameWait::kFrame;
}

void ReplayFrameSource::Close() {
    m_open = false;
}

std::string ReplayFrameSource::Describe() const {
    return m_folder.empty() ? "replay of " + std::to_string(m_frames.size()) + " frames"
                            : "replay of " + m_folder.string();
}

}  // namespace kiosk::scan
