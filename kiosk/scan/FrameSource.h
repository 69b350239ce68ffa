// Where camera frames come from: the V4L2 camera, or a replay of image files for tests and the
// e2e test. The camera thread only sees this interface, so unplug/replug and end-of-replay are
// the same code path in tests as on a kiosk. Depends on core only.
#pragma once

#include <chrono>
#include <string>

#include "kiosk/core/Result.h"
#include "kiosk/scan/GreyImage.h"

namespace kiosk::scan {

enum class FrameWait {
    kFrame,    ///< `frame` holds a new picture
    kTimeout,  ///< nothing yet; call again
    kEnd,      ///< a replay is over; a camera never ends
};

class FrameSource {
  public:
    virtual ~FrameSource() = default;
    /// Opens the device. kNotFound when it is not there (unplugged), other codes otherwise;
    /// the log text says which device and what to check.
    virtual Status Open() = 0;
    /// Waits up to `timeout` for the next frame. An error means the device is gone or broken:
    /// the caller closes it and opens it again later.
    virtual Result<FrameWait> Next(GreyImage& frame, std::chrono::milliseconds timeout) = 0;
    virtual void Close() = 0;
    /// "/dev/video0", "replay of /tmp/frames": for logs and the status screen.
    virtual std::string Describe() const = 0;
};

}  // namespace kiosk::scan
