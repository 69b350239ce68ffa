// `kiosk doctor`: the checks a clinic's IT person runs on the kiosk box (config, data directory,
// database, outbox, audit key and chain, server and clock, camera, scanner, printer), each a plain
// DoctorCheck with what was found and what to do, and the aligned report with its exit status.
// Works beside a running kiosk: nothing is created, migrated or grabbed.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/core/Clock.h"
#include "kiosk/core/Config.h"
#include "kiosk/scan/DeviceProbe.h"
#include "kiosk/store/Records.h"

namespace kiosk::app {

enum class Verdict { kPass, kWarn, kFail, kSkip };

/// One line of the report.
struct DoctorCheck {
    std::string name;  ///< "config", "data dir", "database", ...
    Verdict verdict = Verdict::kPass;
    std::string found;  ///< what was found, one sentence
    std::string todo;   ///< what to do ("" when nothing)
};

/// The thresholds, stated once so the report and the README say the same.
struct DoctorLimits {
    std::uint64_t fail_free_bytes = 256ull << 20;  ///< under 256 MiB free: FAIL
    std::uint64_t warn_free_bytes = 2ull << 30;    ///< under 2 GiB free: WARN
    Seconds outbox_warn{3600};                     ///< oldest pending item older: WARN
    Seconds outbox_fail{24 * 3600};                ///< ... older: FAIL
    Seconds skew_warn{60};                         ///< clock off by more: WARN
    Seconds skew_fail{300};                        ///< ... by more: FAIL (TLS, check-in times)
};

const char* VerdictWord(Verdict verdict);
/// "PASS  server    text" and, when there is something to do, "          -> todo".
std::string FormatCheck(const DoctorCheck& check);
/// Every check, then a summary line.
std::string FormatReport(const std::vector<DoctorCheck>& checks);
/// 0 when nothing FAILs (WARN and SKIP allowed), else 1.
int DoctorExitCode(const std::vector<DoctorCheck>& checks);

// --- the checks (each usable alone, with temp dirs and fakes) -----------------------------
/// The config's lines and what was read of it.
struct ConfigChecks {
    std::vector<DoctorCheck> lines;  ///< one FAIL per problem (all of them), or one PASS
    ConfigRead read;                 ///< the config with the good values and the bad keys' defaults
};
/// Reads the config listing every problem; the other checks run on what was read.
ConfigChecks CheckConfig(const std::filesystem::path& file);
/// Why a check that reads settings starting with `prefix` is not run ("" when it can be): one
/// of them has a bad value, so the check would test a default the clinic did not mean (a
/// misspelt key elsewhere does not stop it).
std::string BadSetting(const ConfigRead& read, std::string_view prefix);
/// Exists, writable (a probe file created, written, fsynced, deleted), free space, permissions.
DoctorCheck CheckDataDir(const std::filesystem::path& dir, const DoctorLimits& limits = {});
/// The free-space part of CheckDataDir, for a given number of free bytes.
DoctorCheck JudgeFreeSpace(const std::filesystem::path& dir, std::uint64_t free_bytes,
                           const DoctorLimits& limits = {});
/// "database" and "outbox" lines for <dir>/kiosk.db, read-only. Without a server the outbox
/// only keeps items, so their age is no problem.
std::vector<DoctorCheck> CheckDatabase(const std::filesystem::path& dir, Instant now,
                                       bool server_configured, const DoctorLimits& limits = {});
DoctorCheck JudgeOutbox(const store::OutboxSummary& outbox, Instant now, bool server_configured,
                        const DoctorLimits& limits = {});
/// "45 s", "12 min", "3 h 5 min", "2 d 4 h".
std::string SpokenDuration(Seconds d);
/// "server", "clock" and "capability": GET [url]/metadata through the sync engine's own
/// transport, then a search for the site's Location (`site_id`), which needs the token where
/// metadata may not; the CapabilityStatement held against what the kiosk uses. With auth =
/// "smart-backend" a "token" line too: a token is got first, and its failure names the token
/// URL, key, client id or scope (the server is then not asked).
std::vector<DoctorCheck> CheckServer(const ServerConfig& server, const std::string& site_id,
                                     const Clock& clock, const DoctorLimits& limits = {});
/// The "capability" line from what the server's CapabilityStatement does not declare
/// (sync::MissingCapabilities): PASS when nothing, else a WARN listing it all.
DoctorCheck JudgeCapabilities(const std::vector<std::string>& missing);
/// "secrets": the token file, the client key and the SMART private key: FAIL when any user on the
/// box may read them or their group may change them.
DoctorCheck CheckSecretFiles(const ServerConfig& server);
/// The server's Date against the local clock (at the time the answer arrived).
DoctorCheck JudgeClockSkew(std::optional<Instant> server_date, Instant local,
                           const DoctorLimits& limits = {});
/// How a device node is named in a line.
struct DeviceNode {
    std::string path;    ///< as configured
    std::string name;    ///< the path and, for a link, what it points at
    std::string access;  ///< "owner:group mode" ("" when it cannot be read)
};
/// The configured device's node, read from the file system.
DeviceNode DescribeNode(const std::string& device);
/// The camera line from what the node answered (pure).
DoctorCheck JudgeCamera(const DeviceNode& node, const scan::CameraProbe& probe);
/// The scanner line from what the node answered (pure).
DoctorCheck JudgeScanner(const DeviceNode& node, const scan::WedgeProbe& probe);
/// "camera" and "scanner": the configured node probed (kiosk/scan) and judged; SKIP when none.
DoctorCheck CheckCamera(const std::string& device);
DoctorCheck CheckScanner(const std::string& device);
DoctorCheck CheckPrinter(const PrinterConfig& printer);

/// Every check, in report order. `data_dir` overrides the config's when not empty.
std::vector<DoctorCheck> RunDoctorChecks(const std::filesystem::path& config_file,
                                         const std::filesystem::path& data_dir, const Clock& clock,
                                         const DoctorLimits& limits = {});
/// Where `kiosk doctor` reads the config when it is not told (the installed service's file).
inline constexpr const char* kDefaultConfigFile = "/etc/iop-kiosk/kiosk.toml";
/// `kiosk doctor`: runs the checks, writes the report to `out`, returns the exit status.
int RunDoctor(const std::filesystem::path& config_file, const std::filesystem::path& data_dir,
              std::FILE* out);

}  // namespace kiosk::app
