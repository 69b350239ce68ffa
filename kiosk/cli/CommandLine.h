// The kiosk program's command line: the kiosk's own options, one Command per subcommand, and
// the dispatch to the one named (or to the lobby window when none is).
#pragma once

namespace kiosk::cli {

/// The exit status of a usage error: a malformed command line (CLI11's errors included) or a
/// missing option a command needs. Failures of the work itself are 1.
inline constexpr int kUsageError = 2;

/// Parses argv and runs what it names; returns the process's exit status (0 for --help and
/// --version, kUsageError for a usage error).
int RunCommandLine(int argc, char** argv);

}  // namespace kiosk::cli
