// Waiting uses a steady clock and a condition variable, so Stop() and Nudge() take effect at
// once; between rounds the thread sleeps until the next one or a nudge, and a nudge only costs a
// read of the outbox's newest seq (microseconds of SQLite) unless the outbox grew.
// A nudge does not cut a backoff short: the check-in is safe on disk, and a fleet coming back
// online must not stampede the server.
#include "sync/SyncEngine.h"

#include <random>

#include "kiosk/core/Backoff.h"
#include "kiosk/core/Log.h"

namespace kiosk::sync {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::string Plural(long long n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

SyncOptions SyncOptions::FromConfig(const KioskConfig& config) {
    SyncOptions o;
    o.interval = std::chrono::seconds{config.server.sync_interval_seconds};
    o.transport = TransportOptions::FromConfig(config.server);
    o.client.max_pages = config.server.max_pages;
    o.pull.site_id = config.site_location_id;
    o.audit_head_every = Minutes{config.audit.head_interval_minutes};
    return o;
}

SyncEngine::SyncEngine(const KioskConfig& config, std::filesystem::path db_file, const Clock& clock,
                       SyncStatusBoard& board, SyncOptions options)
    : m_config(config),
      m_db_file(std::move(db_file)),
      m_clock(clock),
      m_board(board),
      m_options(std::move(options)),
      m_heads(AuditHeadOptions{m_config.kiosk_id, m_config.site_location_id,
                               m_options.audit_head_every}) {
    m_status.configured = !m_config.server.url.empty();
}

SyncEngine::~SyncEngine() {
    Stop();
}

Status SyncEngine::OpenStore() {
    if (m_store) {
        return Ok{};
    }
    auto store = store::Store::Open(m_db_file, m_options.audit_key);
    if (!store) {
        return store.error();
    }
    m_store = std::move(store).value();
    // Pulled sessions are decided group or one-to-one under the config's rules (PRIVACY.md 13).
    if (auto s = m_store->Clinic().UseSessionKindRules(m_config.session_kinds); !s) {
        LogError("sync", "deciding the stored sessions' kinds failed: " + s.error().log);
    }
    return Ok{};
}

Status SyncEngine::Open() {
    if (m_config.server.url.empty()) {
        return MakeError(
            ErrorCode::kConfig,
            m_config.source.string() + ": no [server] url: there is nothing to sync with");
    }
    if (!m_time) {
        auto time = ClinicTime::ForZone(m_config.timezone);
        if (!time) {
            return MakeError(ErrorCode::kConfig,
                             m_config.source.string() + ": clinic.timezone: " + time.error().log);
        }
        m_time.emplace(time.value());
    }
    if (auto s = OpenStore(); !s) {
        return s;
    }
    if (!m_transport) {
        auto transport = HttpTransport::Create(m_options.transport);
        if (!transport) {
            return transport.error();
        }
        m_transport = std::move(transport).value();
        m_transport->SetStopFlag(&m_stop);
        m_client = std::make_unique<FhirClient>(
            m_config.server.url, *m_transport,
            [this](std::chrono::milliseconds d) { return Sleep(d); }, m_options.client);
    }
    return Ok{};
}

bool SyncEngine::Sleep(std::chrono::milliseconds d) {
    std::unique_lock lock(m_mutex);
    return !m_wake.wait_for(lock, d, [this] { return m_stop.load(); });
}

// The last guard of the sync thread: an exception escaping a thread ends the whole kiosk, so
// anything thrown below (a server's JSON of an unexpected shape the mappers did not foresee)
// fails this round only; the outbox keeps its items and the next round tries again.
Result<RoundReport> SyncEngine::Round(bool pull, bool all_now) {
    try {
        return RoundUnguarded(pull, all_now);
    } catch (const std::exception& e) {
        return MakeError(ErrorCode::kNetwork,
                         std::string("the server's answer could not be used (") + e.what() +
                             "); nothing was lost, the next round tries again");
    }
}

Result<RoundReport> SyncEngine::RoundUnguarded(bool pull, bool all_now) {
    const auto started = SteadyClock::now();
    if (auto s = Open(); !s) {
        return s.error();
    }
    if (auto s = m_transport->Reload(); !s) {
        return s.error();
    }
    RoundReport report;
    const long long requests_before = m_client->Requests();
    OutboxPusher pusher(*m_store, *m_client, m_clock, m_config.kiosk_id);
    auto pushed = pusher.PushAll(&m_stop, all_now);
    report.requests = m_client->Requests() - requests_before;
    if (!pushed) {
        return pushed.error();
    }
    report.push = pushed.value();
    // The audit log's head, when it moved: never fails the round (AuditHeadSender logs why).
    if (!m_stop.load()) {
        report.audit_head = m_heads.MaybeSend(*m_store, *m_client, m_clock.Now());
    }
    if (pull && !m_stop.load()) {
        ClinicPuller puller(*m_store, *m_client, m_clock, *m_time, m_options.pull);
        auto pulled = puller.Pull();
        report.requests = m_client->Requests() - requests_before;
        if (!pulled) {
            return pulled.error();
        }
        report.pull = pulled.value();
        report.pulled = true;
    }
    report.requests = m_client->Requests() - requests_before;
    report.took =
        std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - started);
    return report;
}

void SyncEngine::PublishLocal(bool round_done, const Result<RoundReport>* round) {
    if (m_store) {
        if (auto summary = m_store->Outbox().Summary(); summary) {
            m_status.outbox_pending = summary->pending;
            m_status.outbox_rejected = summary->rejected;
            m_status.oldest_pending = summary->oldest_pending;
        }
    }
    if (round_done && round != nullptr) {
        if (round->ok()) {
            const RoundReport& r = round->value();
            m_status.online = true;
            m_status.last_success = m_clock.Now();
            m_status.last_error.clear();
            m_status.last_error_detail.clear();
            if (!r.pull.problems.empty()) {
                m_status.last_error =
                    "The server sent records the kiosk cannot use: " + r.pull.problems.front();
                if (r.pull.problems.size() > 1) {
                    m_status.last_error +=
                        " (and " + std::to_string(r.pull.problems.size() - 1) + " more)";
                }
                m_status.last_error_detail = m_status.last_error;
            }
            if (!r.push.last_rejection.empty()) {
                m_status.last_rejection = r.push.last_rejection;
            }
        } else {
            m_status.online = false;
            const Error& e = round->error();
            m_status.last_error =
                e.screen.empty() || e.code == ErrorCode::kStorage ? e.log : e.screen;
            m_status.last_error_detail = e.log;
        }
    }
    m_board.Publish(m_status);
}

Result<RoundReport> SyncEngine::RunOnce() {
    auto round = Round(true, true);
    PublishLocal(true, &round);
    return round;
}

Status SyncEngine::Start() {
    if (m_thread.joinable()) {
        return Ok{};
    }
    if (m_config.server.url.empty()) {
        return MakeError(ErrorCode::kConfig, "no server url: sync not started");
    }
    if (auto s = OpenStore(); !s) {
        return s;
    }
    m_stop = false;
    PublishLocal(false, nullptr);
    m_thread = std::thread([this] { Loop(); });
    return Ok{};
}

void SyncEngine::Stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void SyncEngine::Nudge() {
    {
        std::lock_guard lock(m_mutex);
        m_nudged = true;
    }
    m_wake.notify_all();
}

void SyncEngine::Loop() {
    std::random_device seed;
    Backoff backoff(m_options.backoff_base, m_options.backoff_cap,
                    (static_cast<std::uint64_t>(seed()) << 32) ^ seed());
    auto next_pull = SteadyClock::now();
    auto next_round = SteadyClock::now();
    long long high_water = -1;
    bool backing_off = false;
    LogInfo("sync", "sync with " + HostOf(m_config.server.url) + " every " +
                        std::to_string(m_options.interval.count()) + " s");
    while (!m_stop.load()) {
        const bool pull = SteadyClock::now() >= next_pull;
        auto round = Round(pull, false);
        if (m_stop.load()) {
            break;
        }
        if (round) {
            const RoundReport& r = round.value();
            if (backing_off) {
                LogInfo("sync", "the clinic server is reachable again");
            }
            backing_off = false;
            backoff.Reset();
            const int tried = r.push.delivered + r.push.rejected + r.push.retrying + r.push.blocked;
            if (tried > 0 || (r.pulled && r.pull.full)) {
                LogInfo("sync",
                        "sent " + Plural(r.push.delivered, "item", "items") + ", refused " +
                            std::to_string(r.push.rejected) + ", to retry " +
                            std::to_string(r.push.retrying) + ", held back " +
                            std::to_string(r.push.blocked) +
                            (r.pulled
                                 ? ", pulled " + Plural(r.pull.resources, "resource", "resources") +
                                       (r.pull.full ? " (full)" : "")
                                 : std::string()) +
                            " in " + std::to_string(r.took.count()) + " ms, " +
                            Plural(r.requests, "request", "requests"));
            }
            for (const auto& problem : r.pull.problems) {
                LogWarn("sync", "skipped a resource: " + problem);
            }
            if (pull) {
                next_pull = SteadyClock::now() + m_options.interval;
            }
            next_round = next_pull;
        } else {
            const auto hint = m_client ? m_client->RetryAfterHint() : std::nullopt;
            const auto wait = backoff.Next(hint);
            LogWarn(
                "sync",
                round.error().log + "; next try in " +
                    std::to_string(std::chrono::duration_cast<std::chrono::seconds>(wait).count()) +
                    " s");
            backing_off = true;
            next_round = SteadyClock::now() + wait;
            next_pull = next_round;
        }
        PublishLocal(true, &round);
        if (m_store) {
            if (auto hw = m_store->Outbox().HighWater(); hw) {
                high_water = hw.value();
            }
        }

        // Idle until the next round is due, a nudge that finds a new outbox row, or Stop().
        for (;;) {
            bool nudged = false;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait_until(lock, next_round, [this] { return m_stop.load() || m_nudged; });
                nudged = m_nudged;
                m_nudged = false;
            }
            if (m_stop.load() || SteadyClock::now() >= next_round) {
                break;
            }
            bool grew = false;
            if (nudged && m_store) {
                auto hw = m_store->Outbox().HighWater();
                if (hw && hw.value() != high_water) {
                    high_water = hw.value();
                    grew = true;
                    PublishLocal(false, nullptr);  // the staff screen sees the queue grow
                }
            }
            if (grew && !backing_off) {
                break;
            }
        }
    }
}

}  // namespace kiosk::sync
