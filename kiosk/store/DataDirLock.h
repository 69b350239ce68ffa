// One writer per data directory: an flock(2) on <data dir>/kiosk.lock, held for as long as the
// process works there. The kiosk refuses to start beside another kiosk on the same directory;
// a command (`kiosk sync --once`, `resources import`) waits a bounded time for another command
// and refuses at once beside a running kiosk. Read-only tools (doctor, audit verify) take none.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "kiosk/core/Result.h"

namespace kiosk::store {

class DataDirLock {
  public:
    /// The name the kiosk's own window process holds the lock under.
    static constexpr const char* kKioskWindow = "kiosk";

    /// Takes the lock on `dir` for `holder` (kKioskWindow, or a command's name like "kiosk sync
    /// --once", recorded in the lock file for the messages of whoever comes next). While another
    /// command holds it, waits up to `wait`; while a kiosk window holds it, fails at once. The
    /// error names the holder (pid) and what to do.
    static Result<std::unique_ptr<DataDirLock>> Acquire(const std::filesystem::path& dir,
                                                        const std::string& holder,
                                                        std::chrono::milliseconds wait);
    ~DataDirLock();
    DataDirLock(const DataDirLock&) = delete;
    DataDirLock& operator=(const DataDirLock&) = delete;

  private:
    explicit DataDirLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

}  // namespace kiosk::store
