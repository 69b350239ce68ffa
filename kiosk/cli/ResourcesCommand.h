// `kiosk resources import DIR (--data-dir D | --config FILE)`: loads an Open Referral HSDS data
// package into the kiosk's community resource directory, replacing an earlier import.
#pragma once

#include <string>

#include "kiosk/cli/Command.h"

namespace kiosk::cli {

class ResourcesCommand : public Command {
  public:
    void Declare(CLI::App& cli) override;
    int Run() override;

  private:
    std::string m_package_dir;
    std::string m_data_dir;
    std::string m_config;
};

}  // namespace kiosk::cli
