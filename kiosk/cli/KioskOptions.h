// The options of the kiosk itself (the lobby window, run when no subcommand is named): demo or
// config, data directory, window size, assets, printer, log level and the test-only switches.
// `kiosk cards` reads --assets and `kiosk sync --once` the log level from here too.
#pragma once

#include <string>

#include "kiosk/core/Log.h"

namespace CLI {
class App;
}

namespace kiosk::cli {

struct KioskOptions {
    bool demo = false;
    std::string config_file;
    std::string data_dir;
    std::string windowed;  ///< "WIDTHxHEIGHT"; full screen when empty
    std::string assets_dir;
    std::string printer_queue;
    std::string print_server;
    std::string log_level = "info";
    std::string camera_replay;    ///< test only: a folder of pictures instead of a camera
    std::string test_clock_text;  ///< test only: "START,RATE"

    /// The --log-level word as a level (parsing admits only the four words).
    LogLevel Level() const;
};

/// Adds the kiosk's own options to the top-level command line.
void DeclareKioskOptions(CLI::App& cli, KioskOptions& options);

}  // namespace kiosk::cli
