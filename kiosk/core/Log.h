// Levelled log lines to stderr (journald keeps them). Callers pass text already made safe:
// never a raw token, and participant names only at debug level (PRIVACY.md).
#pragma once

#include <string_view>

namespace kiosk {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void SetLogLevel(LogLevel level);
void Log(LogLevel level, std::string_view area, std::string_view message);

inline void LogInfo(std::string_view area, std::string_view m) { Log(LogLevel::kInfo, area, m); }
inline void LogWarn(std::string_view area, std::string_view m) { Log(LogLevel::kWarn, area, m); }
inline void LogError(std::string_view area, std::string_view m) { Log(LogLevel::kError, area, m); }
inline void LogDebug(std::string_view area, std::string_view m) { Log(LogLevel::kDebug, area, m); }

}  // namespace kiosk
