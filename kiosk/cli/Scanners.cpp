// The scanner threads (Scanners.h): a V4L2 camera or a replay folder, and an evdev wedge.
#include "kiosk/cli/Scanners.h"

#include "kiosk/core/Log.h"
#include "kiosk/scan/ReplayFrameSource.h"
#include "kiosk/scan/V4l2FrameSource.h"

namespace kiosk::cli {

void Scanners::Start(const ScannerConfig& c, const std::string& camera_replay) {
    std::unique_ptr<scan::FrameSource> source;
    scan::CameraScannerOptions options;
    options.same_code = std::chrono::seconds(c.camera_same_code_seconds);
    options.preview = c.camera_preview;
    if (!camera_replay.empty()) {
        LogWarn("main", "camera frames are replayed from " + camera_replay +
                            " (a test switch, not a camera)");
        source = scan::ReplayFrameSource::WatchFolder(camera_replay, c.camera_fps);
    } else if (!c.camera_device.empty()) {
        source = std::make_unique<scan::V4l2FrameSource>(
            scan::V4l2Options{c.camera_device, c.camera_width, c.camera_height, c.camera_fps});
        options.stall_after = std::chrono::seconds(3);  // a camera that stops sending is reopened
    } else {
        LogInfo("main", "no camera configured ([scanner] camera_device)");
    }
    if (source) {
        camera = std::make_unique<scan::CameraScanner>(std::move(source), options, queue);
        camera->Start();
    }
    if (!c.wedge_device.empty()) {
        scan::EvdevWedgeOptions wedge_options;
        wedge_options.device = c.wedge_device;
        wedge = std::make_unique<scan::EvdevWedge>(wedge_options, queue);
        wedge->Start();
    }
}

void Scanners::Stop() {
    if (camera) {
        camera->Stop();
    }
    if (wedge) {
        wedge->Stop();
    }
}

}  // namespace kiosk::cli
