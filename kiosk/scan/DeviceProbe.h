// What a camera or scanner node answers when asked what it is, without streaming from it or
// grabbing it (so it works beside a running kiosk): V4L2's VIDIOC_QUERYCAP and whether another
// program streams, evdev's EVIOCGNAME. `kiosk doctor` judges the answers (kiosk/app).
#pragma once

#include <string>

namespace kiosk::scan {

struct CameraProbe {
    int open_error = 0;      ///< errno of open(2); 0 when the node opened
    int query_error = 0;     ///< errno of VIDIOC_QUERYCAP; 0 when it answered
    bool capture = false;    ///< a (single- or multi-planar) video capture device
    std::string card;        ///< the device's own name, e.g. "HD Webcam C615"
    std::string driver;      ///< e.g. "uvcvideo"
    bool streaming = false;  ///< another program streams from it (asking for 0 buffers: EBUSY)
};

/// Opens `device` read-write and non-blocking, asks its capabilities and closes it.
CameraProbe ProbeCamera(const std::string& device);

struct WedgeProbe {
    int open_error = 0;  ///< errno of open(2); 0 when the node opened
    int name_error = 0;  ///< errno of EVIOCGNAME; 0 when it answered
    std::string name;    ///< the input device's name, e.g. "Honeywell Scanner"
};

/// Opens `device` read-only and non-blocking (never grabbed), asks its name and closes it.
WedgeProbe ProbeWedge(const std::string& device);

}  // namespace kiosk::scan
