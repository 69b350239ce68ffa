// A subcommand of the kiosk program (`kiosk cards`, `kiosk sync --once`, ...): it declares itself
// and its options on the command line, says whether the parsed line chose it, and runs. The
// dispatcher (CommandLine.cpp) holds one of each; each lives in its own <Name>Command.cpp.
#pragma once

namespace CLI {
class App;
}

namespace kiosk::cli {

class Command {
  public:
    virtual ~Command() = default;
    /// Adds the subcommand and its options to `cli` (in the order `kiosk --help` lists them).
    virtual void Declare(CLI::App& cli) = 0;
    /// After parsing: the command line named this subcommand (`m_cmd`, unless overridden).
    virtual bool Chosen() const;
    /// Runs it; returns the process's exit status.
    virtual int Run() = 0;

  protected:
    CLI::App* m_cmd = nullptr;  ///< set by Declare: the subcommand that chooses this command
};

}  // namespace kiosk::cli
