// The camera (V4L2) and wedge scanner (evdev) probes (DeviceProbe.h): one open, one or two
// ioctls, one close.
#include "kiosk/scan/DeviceProbe.h"

#include <fcntl.h>
#include <linux/input.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace kiosk::scan {

CameraProbe ProbeCamera(const std::string& device) {
    CameraProbe probe;
    const int fd = ::open(device.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        probe.open_error = errno;
        return probe;
    }
    v4l2_capability cap{};
    if (::ioctl(fd, VIDIOC_QUERYCAP, &cap) != 0) {
        probe.query_error = errno;
        ::close(fd);
        return probe;
    }
    const std::uint32_t caps =
        (cap.capabilities & V4L2_CAP_DEVICE_CAPS) != 0 ? cap.device_caps : cap.capabilities;
    probe.card = reinterpret_cast<const char*>(cap.card);
    probe.driver = reinterpret_cast<const char*>(cap.driver);
    probe.capture = (caps & (V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_VIDEO_CAPTURE_MPLANE)) != 0;
    if (probe.capture) {
        // Asking for zero buffers frees nothing of ours; EBUSY means another program streams.
        v4l2_requestbuffers req{};
        req.count = 0;
        req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        req.memory = V4L2_MEMORY_MMAP;
        probe.streaming = ::ioctl(fd, VIDIOC_REQBUFS, &req) != 0 && errno == EBUSY;
    }
    ::close(fd);
    return probe;
}

WedgeProbe ProbeWedge(const std::string& device) {
    WedgeProbe probe;
    const int fd = ::open(device.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        probe.open_error = errno;
        return probe;
    }
    char text[256] = {0};
    const int got = ::ioctl(fd, EVIOCGNAME(sizeof text - 1), text);
    const int err = errno;
    ::close(fd);
    if (got < 0) {
        probe.name_error = err;
        return probe;
    }
    probe.name = text;
    return probe;
}

}  // namespace kiosk::scan
