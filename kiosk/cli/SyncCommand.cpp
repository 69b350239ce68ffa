// `kiosk sync --once`: takes the data directory's lock, reports a repaired or vanished database,
// runs one round of the sync engine on the system clock and prints what it did.
#include "kiosk/cli/SyncCommand.h"

#include <CLI/CLI.hpp>

#include <cstdio>

#include "kiosk/cli/CommandSupport.h"
#include "kiosk/core/AuditKey.h"
#include "kiosk/core/Config.h"
#include "kiosk/store/DataDirLock.h"
#include "kiosk/store/StoreRecovery.h"
#include "sync/SyncEngine.h"

namespace kiosk::cli {
namespace {

/// The round's one-line summary, the resources skipped and an item refused for good.
void PrintRound(const sync::RoundReport& r, const sync::SyncStatus& status) {
    std::printf(
        "kiosk sync: sent %d item(s) (%d already there), %d refused; pulled %lld resource(s)%s; "
        "%lld request(s) in %lld ms; outbox: %lld waiting, %lld refused\n",
        r.push.delivered, r.push.unchanged, r.push.rejected, r.pull.resources,
        r.pull.full ? " (full pull)" : "", r.requests, static_cast<long long>(r.took.count()),
        status.outbox_pending, status.outbox_rejected);
    for (const auto& problem : r.pull.problems) {
        std::printf("kiosk sync: skipped a resource the kiosk cannot use: %s\n", problem.c_str());
    }
    if (!status.last_rejection.empty()) {
        std::printf(
            "kiosk sync: the server refused an item for good (kept, see the audit log): %s\n",
            status.last_rejection.c_str());
    }
}

}  // namespace

void SyncCommand::Declare(CLI::App& cli) {
    m_cmd = cli.add_subcommand("sync", "exchange with the clinic's FHIR server once, then exit");
    m_cmd->add_flag("--once", m_once, "one round: send the outbox, then pull")->required();
    m_cmd->add_option("--config", m_config, "configuration file (TOML) with a [server] section")
        ->required()
        ->check(CLI::ExistingFile);
    m_cmd->add_option("--data-dir", m_data_dir,
                      "where the local database lives (overrides the config)");
}

int SyncCommand::Run() {
    auto config = LoadConfig(m_config);
    if (!config) {
        return Fail(config.error().log);
    }
    KioskConfig& cfg = config.value();
    if (cfg.server.url.empty()) {
        return Fail("kiosk sync: " + m_config +
                    " has no [server] url: there is no server to sync with");
    }
    if (!m_data_dir.empty()) {
        cfg.data_dir = m_data_dir;
    }
    auto key = LoadAuditKeyOutside(cfg.audit.key_file, cfg.data_dir);
    if (!key) {
        return Fail(key.error().log);
    }
    if (auto s = EnsureDataDir(cfg.data_dir); !s) {
        return Fail(s.error().log);
    }
    auto lock = store::DataDirLock::Acquire(cfg.data_dir, "kiosk sync --once", kCommandLockWait);
    if (!lock) {
        return Fail("kiosk sync: " + lock.error().log);
    }
    SystemClock clock;
    sync::SyncStatusBoard board;
    if (auto notice = store::ReportStoreAtSync(cfg.data_dir / "kiosk.db", clock.Now(), key.value());
        !notice) {
        return Fail(notice.error().log);
    } else if (!notice.value().empty()) {
        std::printf("kiosk sync: %s\n", notice.value().c_str());
    }
    sync::SyncOptions options = sync::SyncOptions::FromConfig(cfg);
    options.audit_key = key.value();
    sync::SyncEngine engine(cfg, cfg.data_dir / "kiosk.db", clock, board, options);
    auto round = engine.RunOnce();
    const sync::SyncStatus status = board.Read();
    if (!round) {
        std::fprintf(
            stderr, "kiosk sync: failed: %s\n(%lld item(s) wait in the outbox; nothing was lost)\n",
            round.error().log.c_str(), status.outbox_pending);
        return 1;
    }
    PrintRound(round.value(), status);
    return 0;
}

}  // namespace kiosk::cli
