// `kiosk sync --once --config FILE [--data-dir DIR]`: one round with the clinic server (push
// the outbox, then pull), for scripts and first installs. Exits non-zero with the reason when
// the round fails.
#pragma once

#include <string>

#include "kiosk/cli/Command.h"

namespace kiosk::cli {

class SyncCommand : public Command {
  public:
    void Declare(CLI::App& cli) override;
    int Run() override;

  private:
    std::string m_config;
    std::string m_data_dir;
    bool m_once = false;
};

}  // namespace kiosk::cli
