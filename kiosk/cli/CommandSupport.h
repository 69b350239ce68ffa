// What the kiosk's commands share: a failure logged and turned into exit status 1, the data
// directory made owner-only, and how long each waits for the data directory's lock.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "kiosk/core/Result.h"

namespace kiosk::cli {

// How long a command waits for another command (sync --once, resources import) that has the data
// directory; beside a running kiosk it refuses at once. The kiosk itself waits a little less, so
// a restart by systemd outlasts a command that was just finishing.
inline constexpr std::chrono::seconds kCommandLockWait{30};
inline constexpr std::chrono::seconds kKioskLockWait{10};

/// Logs `what` as an error of "main" and returns exit status 1.
int Fail(const std::string& what);

/// Creates `dir` (and its parents) when missing and makes it owner-only.
Status EnsureDataDir(const std::filesystem::path& dir);

}  // namespace kiosk::cli
