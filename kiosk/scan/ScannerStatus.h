// The state of a scanning device (camera or wedge scanner) as the staff status screen and the
// log show it: a plain state, the device, and the last problem in words (logged through core).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace kiosk::scan {

enum class DeviceState {
    kOff,       ///< not configured, or stopped
    kStarting,  ///< opening the device
    kRunning,   ///< frames or keys are arriving
    kMissing,   ///< the device is not there (unplugged or wrong path); retrying
    kLost,      ///< it was working and went away or failed; retrying
    kFailed,    ///< it is there but cannot be used (permissions, not a camera); retrying
    kEnded,     ///< a replay has played all its frames
};

/// "working", "not connected, retrying"...: words for the staff status screen.
const char* Describe(DeviceState state);

struct ScannerStatus {
    DeviceState state = DeviceState::kOff;
    std::string device;            ///< "/dev/video0", "replay of /tmp/frames"
    std::string detail;            ///< the last problem, for the log and the status screen
    std::uint64_t frames = 0;      ///< camera frames decoded, or wedge keys read
    std::uint64_t scans = 0;       ///< scans passed on
    std::uint64_t unchanged = 0;   ///< camera: frames not decoded because nothing moved
    std::uint64_t reconnects = 0;  ///< times it came back after being lost
    double decode_ms = 0;          ///< camera: recent average decode time per frame
    std::chrono::steady_clock::time_point since{};  ///< when the state last changed
};

/// Moves `status` to `state` with `detail` (under its owner's lock); false when it was there
/// already, so nothing is logged or announced twice.
bool ApplyState(ScannerStatus& status, DeviceState state, std::string detail);

/// Logs a state change under `tag`: a problem once (a device away for hours is retried often;
/// the repeats go to debug), "starting" never. `last_logged` is the owner's memory of it.
void LogStateChange(const char* tag, const ScannerStatus& status, std::string& last_logged);

/// One line for the staff status screen and logs: "/dev/video0: disconnected, retrying (...)".
std::string StatusText(const ScannerStatus& status);

}  // namespace kiosk::scan
