// The sync thread: its own SQLite connection, a round = push the outbox, then pull; on the
// configured interval, at once when woken after a local change (Nudge(): the app calls it after
// a commit), and after failures on a full-jitter backoff that honours Retry-After. Publishes a
// SyncStatus after every round; between push and pull it sends the audit log's head
// (AuditHeadSender.h). Also runs one round on the caller's thread (`kiosk sync --once`).
// Depends on core and store only.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "kiosk/core/AuditKey.h"
#include "kiosk/core/Config.h"
#include "sync/AuditHeadSender.h"
#include "sync/ClinicPuller.h"
#include "sync/FhirClient.h"
#include "sync/HttpTransport.h"
#include "sync/OutboxPusher.h"
#include "sync/SyncStatus.h"

namespace kiosk::sync {

struct SyncOptions {
    std::chrono::seconds interval{30};
    TransportOptions transport;
    FhirClientOptions client;
    PullOptions pull;
    std::chrono::milliseconds backoff_base{2000};
    std::chrono::milliseconds backoff_cap{std::chrono::minutes{5}};
    /// The audit log's key: the engine's own connection writes audit rows (refused items).
    /// Not set by FromConfig: the caller loads it (kiosk/core/AuditKey.h).
    std::optional<AuditKey> audit_key;
    /// The audit log's head goes to the server at most this often ([audit] head_interval_minutes).
    Minutes audit_head_every{15};

    static SyncOptions FromConfig(const KioskConfig& config);
};

/// What one round did.
struct RoundReport {
    PushReport push;
    PullReport pull;
    bool pulled = false;
    long long audit_head = 0;  ///< the audit row whose head went to the server this round, or 0
    long long requests = 0;
    std::chrono::milliseconds took{0};
};

class SyncEngine {
  public:
    /// `db_file` is the kiosk's database; the engine opens its own connection to it.
    SyncEngine(const KioskConfig& config, std::filesystem::path db_file, const Clock& clock,
               SyncStatusBoard& board, SyncOptions options);
    ~SyncEngine();
    SyncEngine(const SyncEngine&) = delete;
    SyncEngine& operator=(const SyncEngine&) = delete;

    /// Opens the store and starts the thread. Fails only if the database cannot be opened;
    /// server problems show in the status and are retried.
    Status Start();
    /// Stops the thread: a transfer in flight is abandoned within about a second.
    void Stop();
    /// Thread-safe and cheap: something may have been recorded. The thread reads the outbox's
    /// newest seq and, if it grew, pushes at once (unless backing off).
    void Nudge();

    /// One round (push, then pull) on the calling thread; not while the thread runs.
    Result<RoundReport> RunOnce();

  private:
    Status Open();
    /// Opens the engine's own connection (once), with the config's session-kind rules.
    Status OpenStore();
    /// `all_now`: every pending item, whatever its own backoff (RunOnce).
    Result<RoundReport> Round(bool pull, bool all_now);
    Result<RoundReport> RoundUnguarded(bool pull, bool all_now);
    void Loop();
    bool Sleep(std::chrono::milliseconds d);
    void PublishLocal(bool round_done, const Result<RoundReport>* round);

    KioskConfig m_config;
    std::filesystem::path m_db_file;
    const Clock& m_clock;
    SyncStatusBoard& m_board;
    SyncOptions m_options;
    AuditHeadSender m_heads;

    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<HttpTransport> m_transport;
    std::unique_ptr<FhirClient> m_client;
    std::optional<ClinicTime> m_time;

    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_nudged = false;
    std::atomic<bool> m_stop{false};

    SyncStatus m_status;  ///< the sync thread's copy, published to m_board
};

}  // namespace kiosk::sync
