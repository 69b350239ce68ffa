// The kiosk program's command line: the kiosk's own options, one Command per subcommand, and
// the dispatch to the one named (or to the lobby window when none is).
#pragma once

namespace kiosk::cli {

/// Parses argv and runs what it names; returns the process's exit status (CLI11's for --help,
/// --version and malformed lines, 2 for a usage error).
int RunCommandLine(int argc, char** argv);

}  // namespace kiosk::cli
