// The lobby kiosk's start-up, run when no subcommand is named: the config (the demo's or a
// file, with the command line's overrides), the clock, the audit key, the data directory's
// lock, the store and the translations; then the threads (sync engine, scanners, print
// spooler), the app model and the window. Members are declared in start-up order, so they are
// torn down in reverse.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "kiosk/app/AppModel.h"
#include "kiosk/app/Catalog.h"
#include "kiosk/cli/KioskOptions.h"
#include "kiosk/cli/Scanners.h"
#include "kiosk/core/AuditKey.h"
#include "kiosk/core/ClinicTime.h"
#include "kiosk/core/Config.h"
#include "kiosk/core/ScaledClock.h"
#include "kiosk/platform/AssetPaths.h"
#include "kiosk/platform/KioskWindow.h"
#include "kiosk/print/PrintSpooler.h"
#include "kiosk/print/QueueWatch.h"
#include "kiosk/store/DataDirLock.h"
#include "kiosk/store/Store.h"
#include "sync/SyncEngine.h"

namespace kiosk::cli {

class KioskStartup {
  public:
    explicit KioskStartup(const KioskOptions& options) : m_options(options) {}
    KioskStartup(const KioskStartup&) = delete;
    KioskStartup& operator=(const KioskStartup&) = delete;

    /// Starts everything, runs the window until it closes or the process is stopped, stops the
    /// threads. 0, or 1 with the reason logged.
    int Run();

  private:
    Status LoadSettings();  ///< assets, config and its overrides, the clock, the clinic's zone
    Status OpenData();      ///< audit key, data directory and its lock, store, translations
    Status StartThreads();  ///< sync engine, scanners, print spooler
    void StartPrinting();   ///< the spooler and its queue watch when a queue is configured
    StaffEnvironment MakeStaffEnvironment() const;
    Result<platform::WindowOptions> MakeWindowOptions();
    Status RunWindow();

    const KioskOptions& m_options;
    platform::AssetPaths m_assets;
    KioskConfig m_config;
    SystemClock m_system_clock;
    std::unique_ptr<ScaledClock> m_test_clock;
    const Clock* m_clock = &m_system_clock;  ///< the test clock when there is one
    std::optional<ClinicTime> m_clinic_time;
    AuditKey m_audit_key;
    std::unique_ptr<store::DataDirLock> m_lock;  ///< held until the process ends
    std::unique_ptr<store::Store> m_store;
    std::map<std::string, Catalog> m_catalogs;
    sync::SyncStatusBoard m_sync_board;
    std::unique_ptr<sync::SyncEngine> m_sync_engine;  ///< null: demo, or no server
    Scanners m_scanners;
    std::unique_ptr<print::PrintSpooler> m_spooler;      ///< null: no printer queue
    std::unique_ptr<print::QueueWatch> m_printer_watch;  ///< the status page's printer line
};

}  // namespace kiosk::cli
