// kiosk: the lobby check-in program. Parses the command line, finds config, data and assets,
// opens the store (seeding the demo clinic when asked), then runs the window.
#include <date/tz.h>
#include <sys/stat.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <map>

#include "kiosk/app/AppModel.h"
#include "kiosk/app/AuditCommand.h"
#include "kiosk/app/DemoClinic.h"
#include "kiosk/app/Doctor.h"
#include "kiosk/core/Iso8601.h"
#include "kiosk/core/Log.h"
#include "kiosk/core/ScaledClock.h"
#include "kiosk/platform/AssetPaths.h"
#include "kiosk/platform/KioskWindow.h"
#include "kiosk/print/CardSheet.h"
#include "kiosk/print/PrintSpooler.h"
#include "kiosk/print/QueueWatch.h"
#include "kiosk/print/ReferralSheet.h"
#include "kiosk/scan/CameraScanner.h"
#include "kiosk/scan/DecodeCommand.h"
#include "kiosk/scan/EvdevWedge.h"
#include "kiosk/scan/ReplayFrameSource.h"
#include "kiosk/scan/V4l2FrameSource.h"
#include "kiosk/store/DataDirLock.h"
#include "kiosk/store/StoreRecovery.h"
#include "sync/HsdsImport.h"
#include "sync/SyncEngine.h"

namespace fs = std::filesystem;
using namespace kiosk;

namespace {

constexpr auto kDemoFreshFor = std::chrono::hours{8};
// How long a command waits for another command (sync --once, resources import) that has the data
// directory; beside a running kiosk it refuses at once. The kiosk itself waits a little less, so
// a restart by systemd outlasts a command that was just finishing.
constexpr std::chrono::seconds kCommandLockWait{30};
constexpr std::chrono::seconds kKioskLockWait{10};

int Fail(const std::string& what) {
    LogError("main", what);
    return 1;
}

Result<std::pair<int, int>> ParseSize(const std::string& text) {
    int w = 0, h = 0;
    char x = 0;
    if (std::sscanf(text.c_str(), "%d%c%d", &w, &x, &h) != 3 || (x != 'x' && x != 'X') || w < 320 ||
        h < 240 || w > 7680 || h > 4320) {
        return MakeError(ErrorCode::kConfig, "--windowed takes WIDTHxHEIGHT, like 1280x800");
    }
    return std::make_pair(w, h);
}

Status EnsureDataDir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return MakeError(ErrorCode::kStorage,
                         "cannot create data directory " + dir.string() + ": " + ec.message());
    }
    ::chmod(dir.c_str(), 0700);  // attendance is health information: owner only
    return Ok{};
}

/// The demo keeps its check-ins across restarts for a few hours; after that its clinic is laid
/// out anew around the present, within the clinic's day (it ends at `day_end`).
Result<std::unique_ptr<store::Store>> OpenDemoStore(const fs::path& db,
                                                    const platform::AssetPaths& assets,
                                                    const KioskConfig& config, Instant now,
                                                    Instant day_end, const AuditKey& key) {
    if (fs::exists(db)) {
        auto existing = store::Store::Open(db, key);
        if (existing) {
            auto seeded = existing.value()->GetMeta("demo_seeded_at");
            if (seeded && seeded.value()) {
                auto at = ParseDateTime(*seeded.value());
                if (at && now - at.value() < kDemoFreshFor && now >= at.value()) {
                    LogInfo("main", "demo clinic from " + *seeded.value() + " reused (" +
                                        db.string() + ")");
                    return existing;
                }
            }
        }
        LogInfo("main", "demo clinic is stale or unreadable: laying it out anew around now");
        for (const char* suffix : {"", "-wal", "-shm"}) {
            fs::remove(db.string() + suffix);
        }
    }
    auto fresh = store::Store::Open(db, key);
    if (!fresh) {
        return fresh.error();
    }
    if (auto s = SeedDemoClinic(*fresh.value(), assets.assets / "demo" / "clinic.json",
                                config.site_location_id, now, day_end);
        !s) {
        return s.error();
    }
    LogInfo("main", "demo clinic loaded into " + db.string());
    return fresh;
}

/// kiosk cards: a printable PDF sheet of QR cards; the demo's cards when no list is given.
int PrintCards(const std::string& csv, const std::string& out, const std::string& paper_name,
               const std::string& assets_dir) {
    auto paper = print::ParsePaperSize(paper_name);
    if (!paper) {
        return Fail(paper.error().log);
    }
    fs::path list = csv;
    const bool demo = csv.empty();
    if (demo) {
        auto assets = platform::FindAssets(assets_dir);
        if (!assets) {
            return Fail(assets.error().log);
        }
        list = assets->assets / "demo" / "cards.csv";
    }
    auto cards = print::ReadCardsCsv(list);
    if (!cards) {
        return Fail(cards.error().log);
    }
    if (auto s = print::WriteCardSheetPdf(cards.value(), out, paper.value(), demo); !s) {
        return Fail(s.error().log);
    }
    std::printf("%zu cards written to %s\n", cards->size(), out.c_str());
    return 0;
}

/// kiosk sync --once: one round with the clinic server (push the outbox, then pull), for
/// scripts and first installs. Exits non-zero with the reason when the round fails.
int SyncOnce(const std::string& config_file, const std::string& data_dir) {
    auto config = LoadConfig(config_file);
    if (!config) {
        return Fail(config.error().log);
    }
    KioskConfig& cfg = config.value();
    if (cfg.server.url.empty()) {
        return Fail("kiosk sync: " + config_file +
                    " has no [server] url: there is no server to sync with");
    }
    if (!data_dir.empty()) {
        cfg.data_dir = data_dir;
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
    const sync::RoundReport& r = round.value();
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
    return 0;
}

/// The camera and wedge-scanner threads of [scanner], or a test replay folder. A missing device
/// is logged and retried by its thread, never fatal: the kiosk still takes scans from a scanner
/// typing into the window.
struct Scanners {
    scan::ScanQueue queue;
    std::unique_ptr<scan::CameraScanner> camera;
    std::unique_ptr<scan::EvdevWedge> wedge;

    void Start(const ScannerConfig& c, const std::string& camera_replay) {
        std::unique_ptr<scan::FrameSource> source;
        scan::CameraScannerOptions options;
        options.same_code = std::chrono::seconds(c.camera_same_code_seconds);
        options.preview = c.camera_preview;
        if (!camera_replay.empty()) {
            LogWarn("main", "camera frames are replayed from " + camera_replay +
                                " (a test switch, not a camera)");
            source = scan::ReplayFrameSource::WatchFolder(camera_replay, c.camera_fps);
        } else if (!c.camera_device.empty()) {
            source = std::make_unique<scan::V4l2FrameSource>(
                scan::V4l2Options{c.camera_device, c.camera_width, c.camera_height, c.camera_fps});
            options.stall_after =
                std::chrono::seconds(3);  // a camera that stops sending is reopened
        } else {
            LogInfo("main", "no camera configured ([scanner] camera_device)");
        }
        if (source) {
            camera = std::make_unique<scan::CameraScanner>(std::move(source), options, queue);
            camera->Start();
        }
        if (!c.wedge_device.empty()) {
            scan::EvdevWedgeOptions wedge_options;
            wedge_options.device = c.wedge_device;
            wedge = std::make_unique<scan::EvdevWedge>(wedge_options, queue);
            wedge->Start();
        }
    }
    void Stop() {
        if (camera) {
            camera->Stop();
        }
        if (wedge) {
            wedge->Stop();
        }
    }
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{
        "IOP clinic lobby kiosk: participants check in to their group sessions by scanning their "
        "card."};
    cli.set_version_flag("--version", PROJECT_VERSION);
    bool demo = false;
    std::string config_file, data_dir, windowed, assets_dir, log_level = "info";
    auto* demo_opt =
        cli.add_flag("--demo", demo, "run on the built-in demo clinic (offline, no server)");
    cli.add_option("--config", config_file,
                   "configuration file (TOML), see config/kiosk.example.toml")
        ->check(CLI::ExistingFile)
        ->excludes(demo_opt);
    cli.add_option("--data-dir", data_dir, "where the local database lives (overrides the config)");
    cli.add_option("--windowed", windowed,
                   "run in a window of this size instead of full screen, e.g. 1280x800");
    cli.add_option("--assets", assets_dir,
                   "folder with the kiosk's fonts, catalogues and demo clinic");
    std::string printer_queue, print_server;
    cli.add_option("--printer", printer_queue,
                   "CUPS queue for referrals (overrides [printer] queue; also with --demo)");
    cli.add_option(
        "--print-server", print_server,
        "CUPS server for referrals: host:port or a socket path (overrides [printer] server)");
    cli.add_option("--log-level", log_level, "debug, info, warn or error")
        ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
    auto* cards_cmd = cli.add_subcommand("cards", "write a printable PDF sheet of QR cards");
    std::string cards_csv, cards_out, cards_paper = "letter";
    cards_cmd
        ->add_option("--csv", cards_csv,
                     "card list with columns role,name,token (default: the demo's cards)")
        ->check(CLI::ExistingFile);
    cards_cmd->add_option("--out", cards_out, "the PDF to write")->required();
    cards_cmd->add_option("--paper", cards_paper, "letter or a4");
    auto* decode_cmd = cli.add_subcommand(
        "decode",
        "read the QR code of image files (PNG, JPEG, PGM): a line per file with the text and "
        "whether it is a valid kiosk token; exit status 1 when a file cannot be read");
    std::vector<std::string> decode_files;
    decode_cmd->add_option("IMAGE", decode_files, "image files")->required();
    std::string camera_replay;
    cli.add_option(
           "--camera-replay", camera_replay,
           "TEST ONLY: instead of a camera, decode the pictures in this folder in name order, and "
           "those added later")
        ->group("Testing")
        ->check(CLI::ExistingDirectory);
    std::string test_clock_text;
    cli.add_option(
           "--test-clock", test_clock_text,
           "TEST ONLY: the kiosk's clock starts at START (ISO 8601 with offset) and runs RATE "
           "times faster, e.g. 2026-11-23T07:00:00-08:00,60")
        ->group("Testing");
    auto* sync_cmd =
        cli.add_subcommand("sync", "exchange with the clinic's FHIR server once, then exit");
    std::string sync_config, sync_data_dir;
    bool sync_once = false;
    sync_cmd->add_flag("--once", sync_once, "one round: send the outbox, then pull")->required();
    sync_cmd
        ->add_option("--config", sync_config, "configuration file (TOML) with a [server] section")
        ->required()
        ->check(CLI::ExistingFile);
    sync_cmd->add_option("--data-dir", sync_data_dir,
                         "where the local database lives (overrides the config)");
    auto* resources_cmd = cli.add_subcommand("resources", "the community resource directory");
    auto* import_cmd = resources_cmd->add_subcommand(
        "import",
        "load an Open Referral HSDS data package (3.0 or 2.0.1: CSV files + datapackage.json) "
        "into the kiosk's directory, replacing an earlier import");
    std::string import_dir, import_data_dir, import_config;
    import_cmd->add_option("DIR", import_dir, "the data package folder")
        ->required()
        ->check(CLI::ExistingDirectory);
    import_cmd->add_option("--data-dir", import_data_dir,
                           "the kiosk's data directory (holds kiosk.db)");
    import_cmd
        ->add_option("--config", import_config, "configuration file naming the data directory")
        ->check(CLI::ExistingFile);
    resources_cmd->require_subcommand(1);
    auto* audit_cmd = cli.add_subcommand("audit", "check the kiosk's audit log");
    auto* verify_cmd = audit_cmd->add_subcommand(
        "verify",
        "check the audit log's keyed hash chain (read-only) and name the row that breaks it; "
        "with --config also against the heads the server holds (a shortened log); exit 0 ok, "
        "1 a problem, 2 usage");
    std::string audit_data_dir, audit_config, audit_key_file, key_out;
    verify_cmd->add_option("--data-dir", audit_data_dir,
                           "the kiosk's data directory (holds kiosk.db; default: the config's)");
    verify_cmd->add_option("--config", audit_config, "the kiosk's config: its key and server")
        ->check(CLI::ExistingFile);
    verify_cmd->add_option("--key", audit_key_file, "the audit key file (overrides the config's)");
    auto* init_key_cmd = audit_cmd->add_subcommand(
        "init-key", "write a new audit key (32 random bytes, mode 0640; never overwrites)");
    init_key_cmd->add_option("--out", key_out, "where, e.g. /etc/iop-kiosk/audit.key")->required();
    audit_cmd->require_subcommand(1);
    auto* doctor_cmd = cli.add_subcommand(
        "doctor", "check this kiosk box: one line per check; exit status 1 when one fails");
    std::string doctor_config, doctor_data_dir;
    doctor_cmd->add_option("--config", doctor_config, "the kiosk's configuration file (required)");
    doctor_cmd->add_option("--data-dir", doctor_data_dir, "overrides the config's data_dir");
    CLI11_PARSE(cli, argc, argv);
    if (*doctor_cmd && doctor_config.empty()) {  // usage errors exit 2, failed checks 1
        std::fprintf(stderr, "kiosk doctor: say --config FILE\n");
        return 2;
    }
    if (*doctor_cmd) {
        return app::RunDoctor(doctor_config, doctor_data_dir, stdout);
    }
    if (*decode_cmd) {
        return scan::RunDecodeCommand(decode_files, stdout);
    }
    if (*verify_cmd) {
        return app::RunAuditVerify({audit_data_dir, audit_config, audit_key_file}, stdout, stderr);
    }
    if (*init_key_cmd) {
        return app::RunAuditInitKey(key_out, stdout, stderr);
    }
    if (*cards_cmd) {
        return PrintCards(cards_csv, cards_out, cards_paper, assets_dir);
    }
    if (*import_cmd) {
        std::string dir = import_data_dir;
        if (dir.empty() && !import_config.empty()) {
            auto c = LoadConfig(import_config);
            if (!c) {
                return Fail(c.error().log);
            }
            dir = c->data_dir.string();
        }
        if (dir.empty()) {
            std::fprintf(stderr,
                         "kiosk resources import: say --data-dir DIR or --config FILE (which kiosk "
                         "database to fill)\n");
            return 2;
        }
        if (auto s = EnsureDataDir(dir); !s) {
            return Fail(s.error().log);
        }
        auto lock = store::DataDirLock::Acquire(dir, "kiosk resources import", kCommandLockWait);
        if (!lock) {
            return Fail("kiosk resources import: " + lock.error().log);
        }
        return sync::RunResourcesImport(import_dir, dir, stdout);
    }

    SetLogLevel(log_level == "debug"   ? LogLevel::kDebug
                : log_level == "warn"  ? LogLevel::kWarn
                : log_level == "error" ? LogLevel::kError
                                       : LogLevel::kInfo);
    if (*sync_cmd) {
        return SyncOnce(sync_config, sync_data_dir);
    }
    if (!demo && config_file.empty()) {
        std::fprintf(stderr,
                     "kiosk: say --demo to try the built-in demo clinic, or --config FILE.\n%s",
                     cli.help().c_str());
        return 2;
    }
    auto assets = platform::FindAssets(assets_dir);
    if (!assets) {
        return Fail(assets.error().log);
    }
    Result<KioskConfig> config =
        demo ? LoadConfig(assets->assets / "demo" / "kiosk.toml") : LoadConfig(config_file);
    if (!config) {
        return Fail(config.error().log);
    }
    KioskConfig& cfg = config.value();
    if (demo) {
        try {  // the demo shows the visitor's own clock
            cfg.timezone = std::string(date::current_zone()->name());
        } catch (const std::exception&) {
        }
        cfg.data_dir = platform::DefaultDemoDataDir();
    }
    if (!data_dir.empty()) {
        cfg.data_dir = data_dir;
    }
    if (!printer_queue.empty()) {
        cfg.printer.queue = printer_queue;
    }
    if (!print_server.empty()) {
        cfg.printer.server = print_server;
    }
    SystemClock system_clock;
    std::unique_ptr<ScaledClock> test_clock;
    if (!test_clock_text.empty()) {
        auto parsed = ScaledClock::Parse(test_clock_text);
        if (!parsed) {
            return Fail(parsed.error().log);
        }
        test_clock = std::make_unique<ScaledClock>(parsed.value());
        LogWarn("main", "test clock: starts at " + FormatDateTimeUtc(test_clock->Now()) +
                            ", runs " + std::to_string(test_clock->Rate()) + "x (a test switch)");
    }
    // The demo is laid out, and the database checked, on the same clock the app runs on.
    const Clock& clock = test_clock ? static_cast<const Clock&>(*test_clock) : system_clock;
    auto clinic_time = ClinicTime::ForZone(cfg.timezone);
    if (!clinic_time) {
        return Fail(cfg.source.string() + ": clinic.timezone: " + clinic_time.error().log);
    }
    // The audit log's key (PRIVACY.md 9): the configured file, or the demo's own (made on its
    // first run) beside its config, never in the data directory.
    auto audit_key = demo ? LoadOrCreateAuditKey(platform::DefaultDemoKeyFile())
                          : LoadAuditKeyOutside(cfg.audit.key_file, cfg.data_dir);
    if (!audit_key) {
        return Fail(audit_key.error().log);
    }
    if (auto s = EnsureDataDir(cfg.data_dir); !s) {
        return Fail(s.error().log);
    }
    // Held until the process ends: nothing else writes this data directory meanwhile.
    auto lock = store::DataDirLock::Acquire(cfg.data_dir, store::DataDirLock::kKioskWindow,
                                            kKioskLockWait);
    if (!lock) {
        return Fail(lock.error().log);
    }
    const fs::path db = cfg.data_dir / "kiosk.db";
    // A damaged kiosk.db is set aside (its unsent outbox salvaged), a vanished one reported.
    auto recovery = store::CheckDatabase(db, clock.Now());
    if (!recovery) {
        return Fail(recovery.error().log);
    }
    auto store = demo ? OpenDemoStore(db, assets.value(), cfg, clock.Now(),
                                      clinic_time.value().EndOfDay(clock.Now()), audit_key.value())
                      : store::Store::Open(db, audit_key.value());
    if (store) {
        (void)store::FinishRecovery(*store.value(), recovery.value(), clock.Now());
    }
    if (!store) {
        return Fail(store.error().log);
    }
    // Groups and one-to-one appointments as the config tells them apart (PRIVACY.md 13). A
    // failure (a full disk, say) leaves the stored sessions as they were decided before.
    if (auto s = store.value()->UseSessionKindRules(cfg.session_kinds); !s) {
        LogError("main", "deciding the stored sessions' kinds failed: " + s.error().log);
    }
    std::map<std::string, Catalog> catalogs;
    for (const auto& lang : cfg.languages) {
        auto c = Catalog::LoadMo(assets->i18n / (lang + ".mo"), lang);
        if (!c) {
            return Fail(c.error().log);
        }
        catalogs.emplace(lang, std::move(c).value());
    }
    LogInfo("main", "kiosk " + cfg.kiosk_id + " starting; data in " + cfg.data_dir.string() +
                        "; time zone " + cfg.timezone + "; assets in " + assets->assets.string() +
                        " (translations in " + assets->i18n.string() + ")");

    // The display first, before any thread starts (platform::StartDisplay says why).
    if (auto s = platform::StartDisplay(); !s) {
        return Fail(s.error().log);
    }
    // The sync thread has its own connection to the same database; the window never waits on it.
    sync::SyncStatusBoard sync_board;
    std::unique_ptr<sync::SyncEngine> sync_engine;
    if (!demo && !cfg.server.url.empty()) {
        sync::SyncOptions sync_options = sync::SyncOptions::FromConfig(cfg);
        sync_options.audit_key = audit_key.value();
        sync_engine =
            std::make_unique<sync::SyncEngine>(cfg, db, clock, sync_board, std::move(sync_options));
        if (auto s = sync_engine->Start(); !s) {
            return Fail(s.error().log);
        }
    }
    // Camera and wedge-scanner threads; their scans wait in the queue until the window drains it.
    Scanners scanners;
    scanners.Start(cfg.scanner, camera_replay);
    // Referrals print through CUPS on the spooler's thread; with no queue they are saved only.
    if (auto s = print::AddPrintFonts(assets->assets / "fonts"); !s) {
        LogWarn("main", "printed pages use the system's fonts: " + s.error().log);
    }
    std::unique_ptr<print::PrintSpooler> spooler;
    std::unique_ptr<print::QueueWatch> printer_watch;  // the status page's printer line
    if (!cfg.printer.queue.empty()) {
        print::PrintOptions print_options;
        print_options.queue = cfg.printer.queue;
        print_options.server = cfg.printer.server;
        print_options.timeout_seconds = cfg.printer.timeout_seconds;
        print_options.media = print::MediaKeyword(
            cfg.printer.paper == "a4" ? print::PaperSize::kA4 : print::PaperSize::kLetter);
        spooler = std::make_unique<print::PrintSpooler>(print_options);
        printer_watch = std::make_unique<print::QueueWatch>(*spooler, std::chrono::seconds(10));
    } else {
        LogInfo("main",
                "no printer configured ([printer] queue): referrals are saved, not printed");
    }
    StaffEnvironment staff_env;  // what the staff screens' kiosk status page shows
    staff_env.version = PROJECT_VERSION;
    if (sync_engine) {
        staff_env.sync_status = [&sync_board] { return sync_board.Read(); };
    }
    staff_env.printing.spool_dir = cfg.data_dir / "spool";
    staff_env.printing.queue_name = cfg.printer.queue;
    if (spooler) {
        staff_env.printing.submit = [&spooler](const fs::path& pdf, const std::string& title) {
            return spooler->Submit(pdf, title);
        };
        staff_env.printing.status = [&spooler](long ticket) { return spooler->Status(ticket); };
        staff_env.printer_status = [&printer_watch] { return printer_watch->Latest(); };
    }
    if (scanners.camera) {
        staff_env.camera_status = [cam = scanners.camera.get()] { return cam->Status(); };
    }
    if (scanners.wedge) {
        staff_env.scanner_status = [wedge = scanners.wedge.get()] { return wedge->Status(); };
    }
    OutboxWake wake_sync;  // after a commit the sync thread pushes at once
    if (sync_engine) {
        wake_sync = [engine = sync_engine.get()] { engine->Nudge(); };
    }
    AppModel model(cfg, clock, clinic_time.value(), *store.value(), std::move(catalogs),
                   std::move(staff_env), std::move(wake_sync));
    platform::WindowOptions options;
    options.fonts_dir = assets->assets / "fonts";
    if (!windowed.empty()) {
        auto size = ParseSize(windowed);
        if (!size) {
            return Fail(size.error().log);
        }
        options.windowed = size.value();
    }
    options.scan.queue = &scanners.queue;
    if (scanners.camera && cfg.scanner.camera_preview) {
        options.preview_camera = scanners.camera.get();
    }
    const Status ran = platform::RunKioskWindow(model, options);
    scanners.Stop();
    if (sync_engine) {
        sync_engine->Stop();
    }
    if (!ran) {
        return Fail(ran.error().log);
    }
    return 0;
}
