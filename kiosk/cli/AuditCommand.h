// `kiosk audit verify [--data-dir D] [--config FILE] [--key FILE]` and `kiosk audit init-key
// --out FILE`: the options; the work is kiosk/app's AuditCommand (PRIVACY.md 9).
#pragma once

#include <string>

#include "kiosk/cli/Command.h"

namespace kiosk::cli {

class AuditCommand : public Command {
  public:
    void Declare(CLI::App& cli) override;
    /// verify's exit status (0 ok, 1 a problem, 2 usage), else init-key's (0, 1).
    int Run() override;

  private:
    CLI::App* m_verify = nullptr;
    std::string m_data_dir;
    std::string m_config;
    std::string m_key_file;
    std::string m_key_out;
};

}  // namespace kiosk::cli
