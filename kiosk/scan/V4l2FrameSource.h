// A V4L2 camera through libv4l2, which converts whatever the camera sends (YUYV, MJPEG...) to a
// format with a grey plane: GREY when the camera has it, else planar YUV 4:2:0 whose Y plane is
// the grey picture. mmap streaming with four buffers; a vanished device is an error from Next().
// Depends on core only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiosk/scan/FrameSource.h"

namespace kiosk::scan {

struct V4l2Options {
    std::string device = "/dev/video0";
    int width = 1280;
    int height = 720;
    int fps = 30;
};

class V4l2FrameSource final : public FrameSource {
  public:
    explicit V4l2FrameSource(V4l2Options options) : m_options(std::move(options)) {}
    ~V4l2FrameSource() override { Close(); }
    V4l2FrameSource(const V4l2FrameSource&) = delete;
    V4l2FrameSource& operator=(const V4l2FrameSource&) = delete;

    Status Open() override;
    Result<FrameWait> Next(GreyImage& frame, std::chrono::milliseconds timeout) override;
    void Close() override;
    std::string Describe() const override { return m_options.device; }

    /// After Open(): the size and format the camera agreed to ("1280x720 YU12 at 30 fps").
    std::string Negotiated() const { return m_negotiated; }

  private:
    Status Fail(ErrorCode code, const std::string& what, int err);
    Status Negotiate();
    Status StartStreaming();

    struct Buffer {
        void* start = nullptr;
        std::size_t length = 0;
    };
    V4l2Options m_options;
    int m_fd = -1;
    std::vector<Buffer> m_buffers;
    bool m_streaming = false;
    int m_width = 0;
    int m_height = 0;
    int m_stride = 0;
    std::uint32_t m_format = 0;
    std::string m_negotiated;
};

}  // namespace kiosk::scan
