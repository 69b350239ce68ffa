// V4L2 capture. Every ioctl goes through v4l2_ioctl (libv4l2 emulates formats the camera lacks)
// and is retried on EINTR. Errors say which device, what failed and what a person can check.
#include "kiosk/scan/V4l2FrameSource.h"

#include <fcntl.h>
#include <libv4l2.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace kiosk::scan {
namespace {

constexpr unsigned kBufferCount = 4;

int Xioctl(int fd, unsigned long request, void* arg) {
    int r = 0;
    do {
        r = v4l2_ioctl(fd, request, arg);
    } while (r == -1 && errno == EINTR);
    return r;
}

std::string FourCc(std::uint32_t f) {
    std::string s;
    for (int i = 0; i < 4; ++i) {
        const char c = static_cast<char>((f >> (8 * i)) & 0xff);
        s.push_back(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return s;
}

bool Gone(int err) {
    return err == ENODEV || err == ENXIO || err == EIO || err == EBADF;
}

}  // namespace

Status V4l2FrameSource::Fail(ErrorCode code, const std::string& what, int err) {
    const std::string why = err != 0 ? std::string(": ") + std::strerror(err) : std::string();
    Close();
    return MakeError(code, "camera " + m_options.device + ": " + what + why);
}

Status V4l2FrameSource::Open() {
    Close();
    struct stat st {};
    if (::stat(m_options.device.c_str(), &st) != 0) {
        const int err = errno;
        if (err == ENOENT) {
            return MakeError(ErrorCode::kNotFound,
                             "camera " + m_options.device +
                                 " not found (is it plugged in? `v4l2-ctl --list-devices` "
                                 "lists cameras; [scanner] camera_device names one)");
        }
        return Fail(ErrorCode::kInternal, "cannot look at the device", err);
    }
    if (!S_ISCHR(st.st_mode)) {
        return MakeError(ErrorCode::kConfig, "camera " + m_options.device +
                                                 " is not a video device (not a character device)");
    }
    m_fd = v4l2_open(m_options.device.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (m_fd < 0) {
        const int err = errno;
        m_fd = -1;
        if (err == EACCES || err == EPERM) {
            return Fail(ErrorCode::kConfig,
                        "permission denied (add the kiosk user to the 'video' group)", 0);
        }
        if (err == ENOTTY || err == EINVAL) {
            return Fail(ErrorCode::kConfig, "is not a V4L2 video device", err);
        }
        return Fail(err == ENOENT || err == ENODEV ? ErrorCode::kNotFound : ErrorCode::kInternal,
                    "cannot open", err);
    }
    v4l2_capability cap{};
    if (Xioctl(m_fd, VIDIOC_QUERYCAP, &cap) != 0) {
        return Fail(ErrorCode::kConfig, "is not a V4L2 video device", errno);
    }
    const std::uint32_t caps =
        (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
    if (!(caps & V4L2_CAP_VIDEO_CAPTURE)) {
        return Fail(ErrorCode::kConfig,
                    "cannot capture video (a metadata or output node? try another /dev/videoN)", 0);
    }
    if (!(caps & V4L2_CAP_STREAMING)) {
        return Fail(ErrorCode::kConfig, "does not support streaming I/O", 0);
    }
    if (auto s = Negotiate(); !s) {
        return s;
    }
    return StartStreaming();
}

Status V4l2FrameSource::Negotiate() {
    // GREY if the camera has it (no conversion at all); else YUV 4:2:0, which libv4l2 makes from
    // YUYV, MJPEG and the rest, and whose first plane is the grey picture.
    for (std::uint32_t want : {V4L2_PIX_FMT_GREY, V4L2_PIX_FMT_YUV420, V4L2_PIX_FMT_YUYV}) {
        v4l2_format fmt{};
        fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        fmt.fmt.pix.width = static_cast<std::uint32_t>(m_options.width);
        fmt.fmt.pix.height = static_cast<std::uint32_t>(m_options.height);
        fmt.fmt.pix.pixelformat = want;
        fmt.fmt.pix.field = V4L2_FIELD_ANY;
        if (Xioctl(m_fd, VIDIOC_S_FMT, &fmt) != 0) {
            if (errno == EBUSY) {
                return Fail(ErrorCode::kInternal, "is in use by another program", EBUSY);
            }
            continue;
        }
        if (fmt.fmt.pix.pixelformat != want) {
            continue;
        }
        m_format = want;
        m_width = static_cast<int>(fmt.fmt.pix.width);
        m_height = static_cast<int>(fmt.fmt.pix.height);
        const int min_stride = want == V4L2_PIX_FMT_YUYV ? 2 * m_width : m_width;
        m_stride = std::max(min_stride, static_cast<int>(fmt.fmt.pix.bytesperline));
        break;
    }
    if (m_format == 0 || m_width < 64 || m_height < 64) {
        return Fail(ErrorCode::kConfig, "offers no usable picture format (GREY, YUV420 or YUYV)",
                    0);
    }
    v4l2_streamparm parm{};
    parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (Xioctl(m_fd, VIDIOC_G_PARM, &parm) == 0 &&
        (parm.parm.capture.capability & V4L2_CAP_TIMEPERFRAME)) {
        parm.parm.capture.timeperframe.numerator = 1;
        parm.parm.capture.timeperframe.denominator = static_cast<std::uint32_t>(m_options.fps);
        Xioctl(m_fd, VIDIOC_S_PARM, &parm);  // a camera that keeps its own rate is fine too
    }
    const auto& tpf = parm.parm.capture.timeperframe;
    m_negotiated =
        std::to_string(m_width) + "x" + std::to_string(m_height) + " " + FourCc(m_format) +
        (tpf.numerator > 0 ? " at " + std::to_string(tpf.denominator / tpf.numerator) + " fps"
                           : "");
    return Ok{};
}

Status V4l2FrameSource::StartStreaming() {
    v4l2_requestbuffers req{};
    req.count = kBufferCount;
    req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    req.memory = V4L2_MEMORY_MMAP;
    if (Xioctl(m_fd, VIDIOC_REQBUFS, &req) != 0 || req.count < 2) {
        return Fail(ErrorCode::kInternal, "cannot get capture buffers", errno);
    }
    for (unsigned i = 0; i < req.count; ++i) {
        v4l2_buffer buf{};
        buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        buf.memory = V4L2_MEMORY_MMAP;
        buf.index = i;
        if (Xioctl(m_fd, VIDIOC_QUERYBUF, &buf) != 0) {
            return Fail(ErrorCode::kInternal, "cannot query a capture buffer", errno);
        }
        void* start =
            v4l2_mmap(nullptr, buf.length, PROT_READ | PROT_WRITE, MAP_SHARED, m_fd, buf.m.offset);
        if (start == MAP_FAILED) {
            return Fail(ErrorCode::kInternal, "cannot map a capture buffer", errno);
        }
        m_buffers.push_back(Buffer{start, buf.length});
        if (Xioctl(m_fd, VIDIOC_QBUF, &buf) != 0) {
            return Fail(ErrorCode::kInternal, "cannot queue a capture buffer", errno);
        }
    }
    v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (Xioctl(m_fd, VIDIOC_STREAMON, &type) != 0) {
        return Fail(ErrorCode::kInternal, "cannot start streaming", errno);
    }
    m_streaming = true;
    return Ok{};
}

Result<FrameWait> V4l2FrameSource::Next(GreyImage& frame, std::chrono::milliseconds timeout) {
    if (m_fd < 0 || !m_streaming) {
        return MakeError(ErrorCode::kInternal, "camera " + m_options.device + " is not open");
    }
    pollfd p{m_fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (ready < 0) {
        if (errno == EINTR) {
            return FrameWait::kTimeout;
        }
        return MakeError(ErrorCode::kInternal,
                         "camera " + m_options.device + ": poll failed: " + std::strerror(errno));
    }
    if (ready == 0) {
        return FrameWait::kTimeout;
    }
    if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) {
        return MakeError(ErrorCode::kNotFound, "camera " + m_options.device + " was disconnected");
    }
    v4l2_buffer buf{};
    buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    buf.memory = V4L2_MEMORY_MMAP;
    if (Xioctl(m_fd, VIDIOC_DQBUF, &buf) != 0) {
        const int err = errno;
        if (err == EAGAIN) {
            return FrameWait::kTimeout;
        }
        return MakeError(Gone(err) ? ErrorCode::kNotFound : ErrorCode::kInternal,
                         "camera " + m_options.device +
                             (Gone(err) ? " was disconnected" : " failed") + ": " +
                             std::strerror(err));
    }
    const bool whole =
        buf.index < m_buffers.size() && !(buf.flags & V4L2_BUF_FLAG_ERROR) &&
        buf.bytesused >=
            static_cast<std::uint32_t>(m_stride) * static_cast<std::uint32_t>(m_height - 1) +
                static_cast<std::uint32_t>(m_format == V4L2_PIX_FMT_YUYV ? 2 * m_width : m_width);
    if (whole) {
        const auto* base = static_cast<const std::uint8_t*>(m_buffers[buf.index].start);
        frame.Resize(m_width, m_height);
        for (int y = 0; y < m_height; ++y) {
            const std::uint8_t* src = base + static_cast<std::size_t>(y) * m_stride;
            std::uint8_t* dst = frame.Row(y);
            if (m_format == V4L2_PIX_FMT_YUYV) {
                for (int x = 0; x < m_width; ++x) {
                    dst[x] = src[2 * x];
                }
            } else {
                std::memcpy(dst, src, static_cast<std::size_t>(m_width));
            }
        }
    }
    if (Xioctl(m_fd, VIDIOC_QBUF, &buf) != 0) {
        const int err = errno;
        return MakeError(
            Gone(err) ? ErrorCode::kNotFound : ErrorCode::kInternal,
            "camera " + m_options.device + ": cannot requeue a buffer: " + std::strerror(err));
    }
    return whole ? FrameWait::kFrame : FrameWait::kTimeout;  // a torn frame is skipped, not decoded
}

void V4l2FrameSource::Close() {
    if (m_fd >= 0 && m_streaming) {
        v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        Xioctl(m_fd, VIDIOC_STREAMOFF, &type);
    }
    m_streaming = false;
    for (const Buffer& b : m_buffers) {
        v4l2_munmap(b.start, b.length);
    }
    m_buffers.clear();
    if (m_fd >= 0) {
        v4l2_close(m_fd);
        m_fd = -1;
    }
    m_format = 0;
}

}  // namespace kiosk::scan
