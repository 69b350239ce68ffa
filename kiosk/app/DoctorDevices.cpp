// `kiosk doctor`'s camera and scanner lines, judged from what the device node answered
// (scan::ProbeCamera, scan::ProbeWedge) and how it is named: no device is touched here.
#include <cerrno>
#include <cstring>

#include "kiosk/app/Doctor.h"

namespace kiosk::app {

DoctorCheck JudgeCamera(const DeviceNode& node, const scan::CameraProbe& probe) {
    const std::string& name = node.name;
    if (const int err = probe.open_error; err != 0) {
        if (err == ENOENT) {
            return {"camera", Verdict::kFail, "no camera at " + node.path,
                    "plug the camera in, or set [scanner] camera_device to one listed by "
                    "ls -l /dev/v4l/by-id/"};
        }
        if (err == EACCES || err == EPERM) {
            return {"camera", Verdict::kFail, name + ": permission denied (" + node.access + ")",
                    "add the kiosk user to group video (usermod -aG video KIOSKUSER), then restart "
                    "the kiosk"};
        }
        if (err == EBUSY) {
            return {"camera",
                    Verdict::kPass,
                    name + " is busy: in use by another program, probably the running kiosk",
                    {}};
        }
        return {"camera", Verdict::kFail, name + ": cannot open (" + std::strerror(err) + ")",
                "check the cable and dmesg"};
    }
    if (probe.query_error != 0) {
        return {"camera", Verdict::kFail,
                name + " is not a video (V4L2) device (" + std::strerror(probe.query_error) + ")",
                "set [scanner] camera_device to the camera's /dev/video node (v4l2-ctl "
                "--list-devices)"};
    }
    if (!probe.capture) {
        return {"camera", Verdict::kFail, name + " (" + probe.card + ") is not a capture device",
                "a camera often has two nodes: use the other one (v4l2-ctl --list-devices)"};
    }
    return {"camera",
            Verdict::kPass,
            name + ": " + probe.card + " (" + probe.driver + "), a capture device" +
                (probe.streaming ? "; busy streaming, probably for the running kiosk" : ""),
            {}};
}

DoctorCheck JudgeScanner(const DeviceNode& node, const scan::WedgeProbe& probe) {
    const std::string& name = node.name;
    if (const int err = probe.open_error; err != 0) {
        if (err == ENOENT) {
            return {"scanner", Verdict::kFail, "no scanner at " + node.path,
                    "plug the scanner in, or set [scanner] wedge_device to its "
                    "/dev/input/by-id/...-event-kbd link"};
        }
        if (err == EACCES || err == EPERM) {
            return {"scanner", Verdict::kFail, name + ": permission denied (" + node.access + ")",
                    "give the scanner to the kiosk user with the udev rule in "
                    "/usr/share/iop-kiosk/udev/70-iop-kiosk-scanner.rules (README, \"The "
                    "barcode scanner\"), then restart the kiosk"};
        }
        return {"scanner", Verdict::kFail, name + ": cannot open (" + std::strerror(err) + ")",
                "check the cable and dmesg"};
    }
    if (probe.name_error != 0) {
        return {"scanner", Verdict::kFail,
                name + " is not an input event device (" + std::strerror(probe.name_error) + ")",
                "set [scanner] wedge_device to the scanner's /dev/input/by-id/...-event-kbd link"};
    }
    return {"scanner", Verdict::kPass, name + ": \"" + probe.name + "\", readable", {}};
}

}  // namespace kiosk::app
