// `kiosk doctor --config FILE [--data-dir DIR]`: checks this kiosk box, one line per check
// (kiosk/app's Doctor); exit status 1 when one fails, 2 without --config.
#pragma once

#include <string>

#include "kiosk/cli/Command.h"

namespace kiosk::cli {

class DoctorCommand : public Command {
  public:
    void Declare(CLI::App& cli) override;
    int Run() override;

  private:
    std::string m_config;
    std::string m_data_dir;
};

}  // namespace kiosk::cli
