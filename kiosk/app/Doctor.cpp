// `kiosk doctor`'s report: the line format, the summary and exit status, the config check and
// the order the checks run in. The checks themselves live in DoctorChecks.cpp (files, database,
// devices, printer), DoctorServer.cpp (server and clock) and AuditCommand.cpp (audit).
#include "kiosk/app/Doctor.h"

#include <algorithm>
#include <array>
#include <functional>

#include "kiosk/app/AuditCommand.h"

namespace kiosk::app {
namespace {

constexpr std::size_t kVerdictWidth = 6;  // "PASS  "
constexpr std::size_t kNameWidth = 10;    // "data dir  "

std::string Pad(std::string text, std::size_t width) {
    if (text.size() < width) {
        text.append(width - text.size(), ' ');
    } else {
        text += ' ';
    }
    return text;
}

DoctorCheck Skip(std::string name, std::string why) {
    return DoctorCheck{std::move(name), Verdict::kSkip, std::move(why), {}};
}

}  // namespace

const char* VerdictWord(Verdict verdict) {
    switch (verdict) {
        case Verdict::kPass:
            return "PASS";
        case Verdict::kWarn:
            return "WARN";
        case Verdict::kFail:
            return "FAIL";
        case Verdict::kSkip:
            return "SKIP";
    }
    return "?";
}

std::string FormatCheck(const DoctorCheck& check) {
    std::string line = Pad(VerdictWord(check.verdict), kVerdictWidth) +
                       Pad(check.name, kNameWidth) + check.found + "\n";
    if (!check.todo.empty()) {
        line += std::string(kVerdictWidth + kNameWidth, ' ') + "-> " + check.todo + "\n";
    }
    return line;
}

std::string FormatReport(const std::vector<DoctorCheck>& checks) {
    std::string text;
    std::array<int, 4> counts{};
    for (const DoctorCheck& check : checks) {
        text += FormatCheck(check);
        ++counts[static_cast<std::size_t>(check.verdict)];
    }
    const int pass = counts[0], warn = counts[1], fail = counts[2], skip = counts[3];
    text += std::to_string(checks.size()) + " checks: " + std::to_string(pass) + " passed, " +
            std::to_string(warn) + (warn == 1 ? " warning, " : " warnings, ") +
            std::to_string(fail) + " failed, " + std::to_string(skip) + " skipped. ";
    if (fail > 0) {
        text += "Fix the FAIL lines above, then run kiosk doctor again.\n";
    } else if (warn > 0) {
        text += "The kiosk can run; look at the WARN lines when you can.\n";
    } else {
        text += "All is well.\n";
    }
    return text;
}

int DoctorExitCode(const std::vector<DoctorCheck>& checks) {
    const bool failed = std::any_of(checks.begin(), checks.end(), [](const DoctorCheck& c) {
        return c.verdict == Verdict::kFail;
    });
    return failed ? 1 : 0;
}

ConfigChecks CheckConfig(const std::filesystem::path& file) {
    ConfigChecks result{{}, ReadConfigFile(file)};
    const ConfigRead& read = result.read;
    for (const ConfigProblem& problem : read.problems) {
        result.lines.push_back(DoctorCheck{
            "config", Verdict::kFail, problem.message,
            "correct " + file.string() + " (config/kiosk.example.toml explains every key)"});
    }
    if (read.problems.empty() && read.config) {
        std::string found = file.string() + " is valid";
        found += read.config->server.url.empty() ? " (no server: the kiosk stays local)"
                                                 : " (server " + read.config->server.url + ")";
        result.lines.push_back(DoctorCheck{"config", Verdict::kPass, found, {}});
    }
    return result;
}

std::string BadSetting(const ConfigRead& read, std::string_view prefix) {
    for (const ConfigProblem& problem : read.problems) {
        if (!problem.unknown && problem.key.compare(0, prefix.size(), prefix) == 0) {
            return "not checked: '" + problem.key + "' has a bad value (see the config lines)";
        }
    }
    return {};
}

namespace {

/// `check()`, or a SKIP line saying why when a setting it reads is bad.
DoctorCheck Unless(const std::string& why_not, const char* name,
                   const std::function<DoctorCheck()>& check) {
    return why_not.empty() ? check() : Skip(name, why_not);
}

}  // namespace

std::vector<DoctorCheck> RunDoctorChecks(const std::filesystem::path& config_file,
                                         const std::filesystem::path& data_dir, const Clock& clock,
                                         const DoctorLimits& limits) {
    auto [checks, read] = CheckConfig(config_file);
    const std::optional<KioskConfig>& config = read.config;
    const std::string no_config = "not checked: the config could not be read";

    std::filesystem::path dir = data_dir;
    std::string dir_bad = data_dir.empty() ? BadSetting(read, "kiosk.data_dir") : std::string();
    if (dir.empty() && config && dir_bad.empty()) {
        dir = config->data_dir;
    }
    if (dir.empty()) {
        const std::string why = dir_bad.empty() ? no_config : dir_bad;
        for (const char* name : {"data dir", "database", "outbox"}) {
            checks.push_back(Skip(name, why));
        }
    } else {
        checks.push_back(CheckDataDir(dir, limits));
        for (DoctorCheck& c :
             CheckDatabase(dir, clock.Now(), config && !config->server.url.empty(), limits)) {
            checks.push_back(std::move(c));
        }
    }
    const std::string audit_bad = BadSetting(read, "audit.");
    checks.push_back(config && !dir.empty() && audit_bad.empty()
                         ? CheckAudit(*config, dir)
                         : Skip("audit", !audit_bad.empty() ? audit_bad : no_config));
    if (!config) {
        for (const char* name :
             {"secrets", "server", "clock", "capability", "camera", "scanner", "printer"}) {
            checks.push_back(Skip(name, no_config));
        }
        return checks;
    }
    checks.push_back(CheckSecretFiles(config->server));
    if (const std::string bad = BadSetting(read, "server."); !bad.empty()) {
        for (const char* name : {"server", "clock", "capability"}) {
            checks.push_back(Skip(name, bad));  // nothing is sent on settings that are wrong
        }
    } else {
        for (DoctorCheck& c :
             CheckServer(config->server, config->site_location_id, clock, limits)) {
            checks.push_back(std::move(c));
        }
    }
    const ScannerConfig& scanner = config->scanner;
    checks.push_back(Unless(BadSetting(read, "scanner.camera"), "camera",
                            [&] { return CheckCamera(scanner.camera_device); }));
    checks.push_back(Unless(BadSetting(read, "scanner.wedge"), "scanner",
                            [&] { return CheckScanner(scanner.wedge_device); }));
    checks.push_back(Unless(BadSetting(read, "printer."), "printer",
                            [&] { return CheckPrinter(config->printer); }));
    return checks;
}

int RunDoctor(const std::filesystem::path& config_file, const std::filesystem::path& data_dir,
              std::FILE* out) {
    const SystemClock clock;
    const std::vector<DoctorCheck> checks = RunDoctorChecks(config_file, data_dir, clock);
    const std::string report = FormatReport(checks);
    std::fwrite(report.data(), 1, report.size(), out);
    std::fflush(out);
    return DoctorExitCode(checks);
}

}  // namespace kiosk::app
