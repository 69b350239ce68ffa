// `kiosk audit init-key` (the audit key, made once at install) and `kiosk audit verify` (the
// audit log's keyed chain, read-only, and held against the heads the server holds), plus the
// doctor's "audit" line. PRIVACY.md 9. Reads files and the server; never writes kiosk.db.
#pragma once

#include <cstdio>
#include <filesystem>

#include "kiosk/app/Doctor.h"
#include "kiosk/core/Config.h"

namespace kiosk::app {

/// Writes a new key to `out` (mode 0640, never over an existing file). 0, 1 on failure.
int RunAuditInitKey(const std::filesystem::path& out, std::FILE* stdout_file,
                    std::FILE* stderr_file);

struct AuditVerifyRequest {
    std::filesystem::path data_dir;     ///< holds kiosk.db; the config's when empty
    std::filesystem::path config_file;  ///< the key ([audit] key_file) and the server
    std::filesystem::path key_file;     ///< the key, overriding the config's; no server then
};

/// 0 when the chain holds (and agrees with the server's heads), 1 on a problem (named), 2 for
/// a usage error: no database, no key, neither --config nor --key.
int RunAuditVerify(const AuditVerifyRequest& request, std::FILE* stdout_file,
                   std::FILE* stderr_file);

/// The doctor's "audit" line: the key file is there, readable, outside the data directory, and
/// the chain in <data_dir>/kiosk.db holds with it (read-only).
DoctorCheck CheckAudit(const KioskConfig& config, const std::filesystem::path& data_dir);

}  // namespace kiosk::app
