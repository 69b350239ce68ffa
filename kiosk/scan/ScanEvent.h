// What every scan source (camera, wedge scanner device, keyboard timing) hands the main thread:
// the payload bytes exactly as read, bounded in length, and where and when they came from.
// Standard library only.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace kiosk::scan {

/// Longest payload passed on. A QR code holds at most 2,953 bytes; anything longer is cut to
/// kMaxScanBytes + 1 bytes so it still fails the token grammar as "too long" (like a typed line).
inline constexpr std::size_t kMaxScanBytes = 4096;

enum class ScanSource { kCamera, kWedgeDevice, kKeyboard };
const char* Name(ScanSource source);

struct ScanEvent {
    std::string payload;  ///< raw bytes from a stranger: never shown, logged only escaped
    ScanSource source = ScanSource::kCamera;
    std::chrono::steady_clock::time_point seen_at{};  ///< when the frame or last key arrived
};

/// The payload unchanged when it fits; otherwise its first kMaxScanBytes + 1 bytes.
std::string BoundPayload(std::string_view bytes);

/// Bytes as one printable field (for `kiosk decode`): EscapeForLog (kiosk/core/Token.h) with
/// spaces escaped too, so a code cannot fake another field; "" for nothing.
std::string EscapeField(std::string_view bytes);

}  // namespace kiosk::scan
