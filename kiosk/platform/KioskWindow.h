// The SDL2 window, the OpenGL context, the ImGui backends and the event-driven main loop.
// It sleeps in SDL_WaitEventTimeout until input or the model's next deadline, so an idle kiosk
// uses close to no CPU; after anything happens it draws a few frames for ImGui to settle.
#pragma once

#include <filesystem>
#include <optional>

#include "kiosk/app/AppModel.h"
#include "kiosk/core/Result.h"
#include "kiosk/platform/ScanInput.h"
#include "kiosk/scan/CameraScanner.h"

namespace kiosk::platform {

struct WindowOptions {
    std::optional<std::pair<int, int>> windowed;  ///< size for development; full screen if empty
    std::filesystem::path fonts_dir;
    ScanOptions scan;                                     ///< camera and wedge-device scans
    const scan::CameraScanner* preview_camera = nullptr;  ///< set: preview on the welcome screen
};

/// Starts SDL's video. main calls it before any other thread starts: SDL's start-up may fork
/// (D-Bus autolaunch), and a fork while another thread holds an allocator lock leaves the child
/// hung (seen under AddressSanitizer: the kiosk never drew its first frame). Idempotent.
Status StartDisplay();

/// Runs the kiosk until the window is closed or the process is asked to stop (SIGTERM).
Status RunKioskWindow(AppModel& model, const WindowOptions& options);

}  // namespace kiosk::platform
