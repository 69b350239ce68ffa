// `kiosk audit verify` and `kiosk audit init-key`: their options, handed to kiosk/app.
#include "kiosk/cli/AuditCommand.h"

#include <CLI/CLI.hpp>

#include <cstdio>

#include "kiosk/app/AuditCommand.h"

namespace kiosk::cli {

void AuditCommand::Declare(CLI::App& cli) {
    m_cmd = cli.add_subcommand("audit", "check the kiosk's audit log");
    m_verify = m_cmd->add_subcommand(
        "verify",
        "check the audit log's keyed hash chain (read-only) and name the row that breaks it; "
        "with --config also against the heads the server holds (a shortened log); exit 0 ok, "
        "1 a problem, 2 usage");
    m_verify->add_option("--data-dir", m_data_dir,
                         "the kiosk's data directory (holds kiosk.db; default: the config's)");
    m_verify->add_option("--config", m_config, "the kiosk's config: its key and server")
        ->check(CLI::ExistingFile);
    m_verify->add_option("--key", m_key_file, "the audit key file (overrides the config's)");
    auto* init_key = m_cmd->add_subcommand(
        "init-key", "write a new audit key (32 random bytes, mode 0640; never overwrites)");
    init_key->add_option("--out", m_key_out, "where, e.g. /etc/iop-kiosk/audit.key")->required();
    m_cmd->require_subcommand(1);  // so `audit` is chosen only with verify or init-key
}

int AuditCommand::Run() {
    if (m_verify->parsed()) {
        return app::RunAuditVerify({m_data_dir, m_config, m_key_file}, stdout, stderr);
    }
    return app::RunAuditInitKey(m_key_out, stdout, stderr);
}

}  // namespace kiosk::cli
