// One mutex around one fprintf per line, so lines from the main and sync threads never mix.
#include "kiosk/core/Log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace kiosk {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_mutex;
const char* Name(LogLevel l) {
    switch (l) {
        case LogLevel::kDebug: return "debug";
        case LogLevel::kInfo: return "info";
        case LogLevel::kWarn: return "warn";
        case LogLevel::kError: return "error";
    }
    return "?";
}
}  // namespace

void SetLogLevel(LogLevel level) { g_level = static_cast<int>(level); }

void Log(LogLevel level, std::string_view area, std::string_view message) {
    if (static_cast<int>(level) < g_level.load()) {
        return;
    }
    std::lock_guard lock(g_mutex);
    std::fprintf(stderr, "kiosk %s [%.*s] %.*s\n", Name(level), static_cast<int>(area.size()),
                 area.data(), static_cast<int>(message.size()), message.data());
    std::fflush(stderr);
}

}  // namespace kiosk
