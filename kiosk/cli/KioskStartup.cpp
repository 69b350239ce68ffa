// The lobby kiosk's start-up and shut-down (KioskStartup.h), step by step.
#include "kiosk/cli/KioskStartup.h"

#include <date/tz.h>

#include <cstdio>

#include "kiosk/cli/CommandSupport.h"
#include "kiosk/cli/DemoStore.h"
#include "kiosk/core/Iso8601.h"
#include "kiosk/core/Log.h"
#include "kiosk/print/ReferralSheet.h"
#include "kiosk/store/StoreRecovery.h"

namespace kiosk::cli {
namespace {

Result<std::pair<int, int>> ParseSize(const std::string& text) {
    int w = 0, h = 0;
    char x = 0;
    if (std::sscanf(text.c_str(), "%d%c%d", &w, &x, &h) != 3 || (x != 'x' && x != 'X') || w < 320 ||
        h < 240 || w > 7680 || h > 4320) {
        return MakeError(ErrorCode::kConfig, "--windowed takes WIDTHxHEIGHT, like 1280x800");
    }
    return std::make_pair(w, h);
}

}  // namespace

int KioskStartup::Run() {
    for (auto step : {&KioskStartup::LoadSettings, &KioskStartup::OpenData,
                      &KioskStartup::StartThreads, &KioskStartup::RunWindow}) {
        if (auto s = (this->*step)(); !s) {
            return Fail(s.error().log);
        }
    }
    return 0;
}

Status KioskStartup::LoadSettings() {
    auto assets = platform::FindAssets(m_options.assets_dir);
    if (!assets) {
        return assets.error();
    }
    m_assets = assets.value();
    auto config = m_options.demo ? LoadConfig(m_assets.assets / "demo" / "kiosk.toml")
                                 : LoadConfig(m_options.config_file);
    if (!config) {
        return config.error();
    }
    m_config = std::move(config).value();
    if (m_options.demo) {
        try {  // the demo shows the visitor's own clock
            m_config.timezone = std::string(date::current_zone()->name());
        } catch (const std::exception&) {
        }
        m_config.data_dir = platform::DefaultDemoDataDir();
    }
    if (!m_options.data_dir.empty()) {
        m_config.data_dir = m_options.data_dir;
    }
    if (!m_options.printer_queue.empty()) {
        m_config.printer.queue = m_options.printer_queue;
    }
    if (!m_options.print_server.empty()) {
        m_config.printer.server = m_options.print_server;
    }
    if (!m_options.test_clock_text.empty()) {
        auto parsed = ScaledClock::Parse(m_options.test_clock_text);
        if (!parsed) {
            return parsed.error();
        }
        m_test_clock = std::make_unique<ScaledClock>(parsed.value());
        m_clock = m_test_clock.get();
        LogWarn("main", "test clock: starts at " + FormatDateTimeUtc(m_test_clock->Now()) +
                            ", runs " + std::to_string(m_test_clock->Rate()) + "x (a test switch)");
    }
    auto clinic_time = ClinicTime::ForZone(m_config.timezone);
    if (!clinic_time) {
        return MakeError(
            clinic_time.error().code,
            m_config.source.string() + ": clinic.timezone: " + clinic_time.error().log);
    }
    m_clinic_time = clinic_time.value();
    return Ok{};
}

Status KioskStartup::OpenData() {
    // The audit log's key (PRIVACY.md 9): the configured file, or the demo's own (made on its
    // first run) beside its config, never in the data directory. The demo is laid out, and the
    // database checked, on the same clock the app runs on.
    auto audit_key = m_options.demo
                         ? LoadOrCreateAuditKey(platform::DefaultDemoKeyFile())
                         : LoadAuditKeyOutside(m_config.audit.key_file, m_config.data_dir);
    if (!audit_key) {
        return audit_key.error();
    }
    m_audit_key = audit_key.value();
    if (auto s = EnsureDataDir(m_config.data_dir); !s) {
        return s;
    }
    auto lock = store::DataDirLock::Acquire(m_config.data_dir, store::DataDirLock::kKioskWindow,
                                            kKioskLockWait);
    if (!lock) {
        return lock.error();
    }
    m_lock = std::move(lock).value();
    const std::filesystem::path db = m_config.data_dir / "kiosk.db";
    // A damaged kiosk.db is set aside (its unsent outbox salvaged), a vanished one reported.
    auto recovery = store::CheckDatabase(db, m_clock->Now());
    if (!recovery) {
        return recovery.error();
    }
    auto store = m_options.demo
                     ? OpenDemoStore(db, m_assets, m_config, m_clock->Now(),
                                     m_clinic_time->EndOfDay(m_clock->Now()), m_audit_key)
                     : store::Store::Open(db, m_audit_key);
    if (!store) {
        return store.error();
    }
    m_store = std::move(store).value();
    (void)store::FinishRecovery(*m_store, recovery.value(), m_clock->Now());
    // Groups and one-to-one appointments as the config tells them apart (PRIVACY.md 13). A
    // failure (a full disk, say) leaves the stored sessions as they were decided before.
    if (auto s = m_store->Clinic().UseSessionKindRules(m_config.session_kinds); !s) {
        LogError("main", "deciding the stored sessions' kinds failed: " + s.error().log);
    }
    for (const auto& lang : m_config.languages) {
        auto c = Catalog::LoadMo(m_assets.i18n / (lang + ".mo"), lang);
        if (!c) {
            return c.error();
        }
        m_catalogs.emplace(lang, std::move(c).value());
    }
    LogInfo("main", "kiosk " + m_config.kiosk_id + " starting; data in " +
                        m_config.data_dir.string() + "; time zone " + m_config.timezone +
                        "; assets in " + m_assets.assets.string() + " (translations in " +
                        m_assets.i18n.string() + ")");
    return Ok{};
}

Status KioskStartup::StartThreads() {
    // The display first, before any thread starts (platform::StartDisplay says why).
    if (auto s = platform::StartDisplay(); !s) {
        return s;
    }
    // The sync thread has its own connection to the same database; the window never waits on it.
    if (!m_options.demo && !m_config.server.url.empty()) {
        sync::SyncOptions sync_options = sync::SyncOptions::FromConfig(m_config);
        sync_options.audit_key = m_audit_key;
        m_sync_engine =
            std::make_unique<sync::SyncEngine>(m_config, m_config.data_dir / "kiosk.db", *m_clock,
                                               m_sync_board, std::move(sync_options));
        if (auto s = m_sync_engine->Start(); !s) {
            return s;
        }
    }
    // Camera and wedge-scanner threads; their scans wait in the queue until the window drains it.
    m_scanners.Start(m_config.scanner, m_options.camera_replay);
    StartPrinting();
    return Ok{};
}

void KioskStartup::StartPrinting() {
    // Referrals print through CUPS on the spooler's thread; with no queue they are saved only.
    if (auto s = print::AddPrintFonts(m_assets.assets / "fonts"); !s) {
        LogWarn("main", "printed pages use the system's fonts: " + s.error().log);
    }
    if (m_config.printer.queue.empty()) {
        LogInfo("main",
                "no printer configured ([printer] queue): referrals are saved, not printed");
        return;
    }
    print::PrintOptions print_options;
    print_options.queue = m_config.printer.queue;
    print_options.server = m_config.printer.server;
    print_options.timeout_seconds = m_config.printer.timeout_seconds;
    print_options.media = print::MediaKeyword(
        m_config.printer.paper == "a4" ? print::PaperSize::kA4 : print::PaperSize::kLetter);
    m_spooler = std::make_unique<print::PrintSpooler>(print_options);
    m_printer_watch = std::make_unique<print::QueueWatch>(*m_spooler, std::chrono::seconds(10));
}

StaffEnvironment KioskStartup::MakeStaffEnvironment() const {
    StaffEnvironment env;  // what the staff screens' kiosk status page shows
    env.version = PROJECT_VERSION;
    if (m_sync_engine) {
        env.sync_status = [board = &m_sync_board] { return board->Read(); };
    }
    env.printing.spool_dir = m_config.data_dir / "spool";
    env.printing.queue_name = m_config.printer.queue;
    if (m_spooler) {
        env.printing.submit = [spooler = m_spooler.get()](const std::filesystem::path& pdf,
                                                          const std::string& title) {
            return spooler->Submit(pdf, title);
        };
        env.printing.status = [spooler = m_spooler.get()](long ticket) {
            return spooler->Status(ticket);
        };
        env.printer_status = [watch = m_printer_watch.get()] { return watch->Latest(); };
    }
    if (m_scanners.camera) {
        env.camera_status = [cam = m_scanners.camera.get()] { return cam->Status(); };
    }
    if (m_scanners.wedge) {
        env.scanner_status = [wedge = m_scanners.wedge.get()] { return wedge->Status(); };
    }
    return env;
}

Result<platform::WindowOptions> KioskStartup::MakeWindowOptions() {
    platform::WindowOptions options;
    options.fonts_dir = m_assets.assets / "fonts";
    if (!m_options.windowed.empty()) {
        auto size = ParseSize(m_options.windowed);
        if (!size) {
            return size.error();
        }
        options.windowed = size.value();
    }
    options.scan.queue = &m_scanners.queue;
    if (m_scanners.camera && m_config.scanner.camera_preview) {
        options.preview_camera = m_scanners.camera.get();
    }
    return options;
}

Status KioskStartup::RunWindow() {
    OutboxWake wake_sync;  // after a commit the sync thread pushes at once
    if (m_sync_engine) {
        wake_sync = [engine = m_sync_engine.get()] { engine->Nudge(); };
    }
    AppModel model(m_config, *m_clock, *m_clinic_time, *m_store, std::move(m_catalogs),
                   MakeStaffEnvironment(), std::move(wake_sync));
    auto options = MakeWindowOptions();
    if (!options) {
        return options.error();
    }
    const Status ran = platform::RunKioskWindow(model, options.value());
    m_scanners.Stop();
    if (m_sync_engine) {
        m_sync_engine->Stop();
    }
    return ran;
}

}  // namespace kiosk::cli
