// Payload bounding, escaping for output, and source names.
#include "kiosk/scan/ScanEvent.h"

#include "kiosk/core/Token.h"

namespace kiosk::scan {

const char* Name(ScanSource source) {
    switch (source) {
        case ScanSource::kCamera:
            return "camera";
        case ScanSource::kWedgeDevice:
            return "scanner device";
        case ScanSource::kKeyboard:
            return "keyboard scanner";
    }
    return "?";
}

std::string BoundPayload(std::string_view bytes) {
    return std::string(bytes.substr(0, kMaxScanBytes + 1));
}

std::string EscapeField(std::string_view bytes) {
    const std::string escaped = EscapeForLog(bytes, kMaxScanBytes + 1);
    std::string out;
    out.reserve(escaped.size());
    for (char c : escaped) {
        if (c == ' ') {
            out += "\\x20";
        } else {
            out.push_back(c);
        }
    }
    return out.empty() ? "\"\"" : out;
}

}  // namespace kiosk::scan
