// Replays pictures as if a camera took them, through the same camera thread and decoder: from
// memory (unit tests), from a list of files, or from a folder that it keeps watching for new
// files in name order (the e2e test "holds up a card" by dropping frames into the folder).
// A test tool, not a camera: `kiosk --camera-replay DIR` is its only use outside tests.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kiosk/scan/FrameSource.h"

namespace kiosk::scan {

class ReplayFrameSource final : public FrameSource {
  public:
    /// Frames in memory, played once at `fps` (0: as fast as they are asked for).
    ReplayFrameSource(std::vector<GreyImage> frames, double fps);
    /// Every PNG/JPEG/PGM in `folder`, in name order, at `fps`; then files that appear later,
    /// until Close(). Unreadable files are skipped with a warning.
    static std::unique_ptr<ReplayFrameSource> WatchFolder(std::filesystem::path folder, double fps);

    Status Open() override;
    Result<FrameWait> Next(GreyImage& frame, std::chrono::milliseconds timeout) override;
    void Close() override;
    std::string Describe() const override;

  private:
    ReplayFrameSource(std::filesystem::path folder, double fps);
    bool NextFileFrame(GreyImage& frame);

    std::vector<GreyImage> m_frames;
    std::size_t m_index = 0;
    std::filesystem::path m_folder;  ///< empty: memory frames
    std::string m_last_name;         ///< the last file played, in name order
    double m_fps;
    std::chrono::steady_clock::time_point m_next_due{};
    bool m_open = false;
};

}  // namespace kiosk::scan
