// Words for device states.
#include "kiosk/scan/ScannerStatus.h"

#include "kiosk/core/Log.h"

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

bool ApplyState(ScannerStatus& status, DeviceState state, std::string detail) {
    if (status.state == state && status.detail == detail) {
        return false;
    }
    status.state = state;
    status.detail = std::move(detail);
    status.since = std::chrono::steady_clock::now();
    return true;
}

void LogStateChange(const char* tag, const ScannerStatus& status, std::string& last_logged) {
    if (status.state == DeviceState::kStarting) {
        return;
    }
    const std::string line = StatusText(status);
    const std::string problem = line.substr(0, line.find("; next try in"));
    if (problem == last_logged) {
        LogDebug(tag, line);
    } else if (status.state == DeviceState::kMissing || status.state == DeviceState::kLost ||
               status.state == DeviceState::kFailed) {
        LogWarn(tag, line);
    } else {
        LogInfo(tag, line);
    }
    last_logged = problem;
}

}  // namespace kiosk::scan
