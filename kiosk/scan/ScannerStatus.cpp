// Words for device states.
#include "kiosk/scan/ScannerStatus.h"

namespace kiosk::scan {

const char* Describe(DeviceState state) {
    switch (state) {
        case DeviceState::kOff:
            return "off";
        case DeviceState::kStarting:
            return "starting";
        case DeviceState::kRunning:
            return "working";
        case DeviceState::kMissing:
            return "not connected, retrying";
        case DeviceState::kLost:
            return "disconnected, retrying";
        case DeviceState::kFailed:
            return "cannot be used, retrying";
        case DeviceState::kEnded:
            return "replay finished";
    }
    return "?";
}

std::string StatusText(const ScannerStatus& status) {
    std::string line = status.device + ": " + Describe(status.state);
    if (!status.detail.empty()) {
        line += " (" + status.detail + ")";
    }
    return line;
}

}  // namespace kiosk::scan
