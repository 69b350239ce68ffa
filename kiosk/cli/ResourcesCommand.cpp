// `kiosk resources import`: finds the data directory (--data-dir, or the config's), takes its
// lock and runs the HSDS import, which prints its report.
#include "kiosk/cli/ResourcesCommand.h"

#include <CLI/CLI.hpp>

#include <cstdio>

#include "kiosk/cli/CommandSupport.h"
#include "kiosk/core/Config.h"
#include "kiosk/directory/HsdsImport.h"
#include "kiosk/store/DataDirLock.h"

namespace kiosk::cli {

void ResourcesCommand::Declare(CLI::App& cli) {
    auto* resources = cli.add_subcommand("resources", "the community resource directory");
    m_cmd = resources->add_subcommand(
        "import",
        "load an Open Referral HSDS data package (3.0 or 2.0.1: CSV files + datapackage.json) "
        "into the kiosk's directory, replacing an earlier import");
    m_cmd->add_option("DIR", m_package_dir, "the data package folder")
        ->required()
        ->check(CLI::ExistingDirectory);
    m_cmd->add_option("--data-dir", m_data_dir, "the kiosk's data directory (holds kiosk.db)");
    m_cmd->add_option("--config", m_config, "configuration file naming the data directory")
        ->check(CLI::ExistingFile);
    resources->require_subcommand(1);
}

int ResourcesCommand::Run() {
    std::string dir = m_data_dir;
    if (dir.empty() && !m_config.empty()) {
        auto c = LoadConfig(m_config);
        if (!c) {
            return Fail(c.error().log);
        }
        dir = c->data_dir.string();
    }
    if (dir.empty()) {
        std::fprintf(stderr,
                     "kiosk resources import: say --data-dir DIR or --config FILE (which kiosk "
                     "database to fill)\n");
        return 2;
    }
    if (auto s = EnsureDataDir(dir); !s) {
        return Fail(s.error().log);
    }
    auto lock = store::DataDirLock::Acquire(dir, "kiosk resources import", kCommandLockWait);
    if (!lock) {
        return Fail("kiosk resources import: " + lock.error().log);
    }
    return directory::RunResourcesImport(m_package_dir, dir, stdout);
}

}  // namespace kiosk::cli
