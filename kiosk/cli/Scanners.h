// The camera and wedge-scanner threads of [scanner], or a test replay folder. A missing device
// is logged and retried by its thread, never fatal: the kiosk still takes scans from a scanner
// typing into the window. Their scans wait in `queue` until the window drains it.
#pragma once

#include <memory>
#include <string>

#include "kiosk/core/Config.h"
#include "kiosk/scan/CameraScanner.h"
#include "kiosk/scan/EvdevWedge.h"
#include "kiosk/scan/ScanQueue.h"

namespace kiosk::cli {

struct Scanners {
    scan::ScanQueue queue;
    std::unique_ptr<scan::CameraScanner> camera;  ///< null: no camera configured
    std::unique_ptr<scan::EvdevWedge> wedge;      ///< null: no wedge_device configured

    /// Starts the threads `config` asks for; `camera_replay` (a folder) replaces the camera.
    void Start(const ScannerConfig& config, const std::string& camera_replay);
    void Stop();
};

}  // namespace kiosk::cli
