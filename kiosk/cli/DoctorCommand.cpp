// `kiosk doctor`: its options, and the report written to stdout.
#include "kiosk/cli/DoctorCommand.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

#include "kiosk/app/Doctor.h"

namespace kiosk::cli {

void DoctorCommand::Declare(CLI::App& cli) {
    m_cmd = cli.add_subcommand(
        "doctor", "check this kiosk box: one line per check; exit status 1 when one fails");
    m_cmd->add_option(
        "--config", m_config,
        std::string("the kiosk's configuration file (default ") + app::kDefaultConfigFile + ")");
    m_cmd->add_option("--data-dir", m_data_dir, "overrides the config's data_dir");
}

int DoctorCommand::Run() {
    return app::RunDoctor(m_config.empty() ? app::kDefaultConfigFile : m_config, m_data_dir,
                          stdout);
}

}  // namespace kiosk::cli
