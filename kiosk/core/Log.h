// Levelled log lines to stderr (journald keeps them). Callers pass text already made safe:
// never a raw token, and participant names only at debug level (PRIVACY.md). As a last guard,
// every line is scrubbed of anything shaped like a card token or a bearer credential.
#pragma once

#include <string>
#include <string_view>

namespace kiosk {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void SetLogLevel(LogLevel level);
void Log(LogLevel level, std::string_view area, std::string_view message);

inline void LogInfo(std::string_view area, std::string_view m) {
    Log(LogLevel::kInfo, area, m);
}
inline void LogWarn(std::string_view area, std::string_view m) {
    Log(LogLevel::kWarn, area, m);
}
inline void LogError(std::string_view area, std::string_view m) {
    Log(LogLevel::kError, area, m);
}
inline void LogDebug(std::string_view area, std::string_view m) {
    Log(LogLevel::kDebug, area, m);
}

/// Reads "debug", "info", "warn" or "error" into `level`; false for anything else.
bool ParseLogLevel(std::string_view text, LogLevel& level);

/// The line as written, without the newline. Under journald (`journald` true) it starts with
/// the syslog priority ("<3>" error ... "<7>" debug) so `journalctl -p warning` works, and drops
/// the "kiosk <level>" words journald shows anyway; elsewhere "kiosk <level> [area] message".
std::string FormatLogLine(LogLevel level, std::string_view area, std::string_view message,
                          bool journald);

/// Replaces what looks like a card token ("K1." and 12+ token characters) or a credential after
/// "Bearer " / "token=" with a marker, so a mistake elsewhere never puts a secret in the journal.
std::string ScrubSecrets(std::string_view text);

}  // namespace kiosk
