// What the sync engine tells the staff screens (SCREENS.md 8): a plain snapshot, published by
// the sync thread and read by the main thread without waiting.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "kiosk/core/Clock.h"

namespace kiosk::sync {

struct SyncStatus {
    bool configured = false;  ///< a server is set in the config
    bool online = false;      ///< the last exchange with the server succeeded
    std::optional<Instant> last_success;
    long long outbox_pending = 0;
    long long outbox_rejected = 0;  ///< refused for good: shown to staff, never dropped
    std::optional<Instant> oldest_pending;
    std::string last_error;         ///< plain words, empty when fine
    std::string last_error_detail;  ///< the same for IT: what failed, where and why
    std::string last_rejection;     ///< why the server last refused an item for good
};

/// The one place the snapshot lives: the sync thread writes, anyone reads a copy.
class SyncStatusBoard {
  public:
    void Publish(SyncStatus s) {
        std::lock_guard lock(m_mutex);
        m_status = std::move(s);
    }
    SyncStatus Read() const {
        std::lock_guard lock(m_mutex);
        return m_status;
    }

  private:
    mutable std::mutex m_mutex;
    SyncStatus m_status;
};

}  // namespace kiosk::sync
