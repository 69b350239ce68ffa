// A subcommand's default choice test (Command.h).
#include "kiosk/cli/Command.h"

#include <CLI/CLI.hpp>

namespace kiosk::cli {

bool Command::Chosen() const {
    return m_cmd != nullptr && m_cmd->parsed();
}

}  // namespace kiosk::cli
