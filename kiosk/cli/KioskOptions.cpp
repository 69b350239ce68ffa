// The kiosk's own command-line options (KioskOptions.h).
#include "kiosk/cli/KioskOptions.h"

#include <CLI/CLI.hpp>

namespace kiosk::cli {

LogLevel KioskOptions::Level() const {
    return log_level == "debug"   ? LogLevel::kDebug
           : log_level == "warn"  ? LogLevel::kWarn
           : log_level == "error" ? LogLevel::kError
                                  : LogLevel::kInfo;
}

void DeclareKioskOptions(CLI::App& cli, KioskOptions& o) {
    auto* demo_opt =
        cli.add_flag("--demo", o.demo, "run on the built-in demo clinic (offline, no server)");
    cli.add_option("--config", o.config_file,
                   "configuration file (TOML), see config/kiosk.example.toml")
        ->check(CLI::ExistingFile)
        ->excludes(demo_opt);
    cli.add_option("--data-dir", o.data_dir,
                   "where the local database lives (overrides the config)");
    cli.add_option("--windowed", o.windowed,
                   "run in a window of this size instead of full screen, e.g. 1280x800");
    cli.add_option("--assets", o.assets_dir,
                   "folder with the kiosk's fonts, catalogues and demo clinic");
    cli.add_option("--printer", o.printer_queue,
                   "CUPS queue for referrals (overrides [printer] queue; also with --demo)");
    cli.add_option(
        "--print-server", o.print_server,
        "CUPS server for referrals: host:port or a socket path (overrides [printer] server)");
    cli.add_option("--log-level", o.log_level, "debug, info, warn or error")
        ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
    cli.add_option(
           "--camera-replay", o.camera_replay,
           "TEST ONLY: instead of a camera, decode the pictures in this folder in name order, and "
           "those added later")
        ->group("Testing")
        ->check(CLI::ExistingDirectory);
    cli.add_option(
           "--test-clock", o.test_clock_text,
           "TEST ONLY: the kiosk's clock starts at START (ISO 8601 with offset) and runs RATE "
           "times faster, e.g. 2026-11-23T07:00:00-08:00,60")
        ->group("Testing");
}

}  // namespace kiosk::cli
