// `kiosk doctor`'s report: the line format, the summary and exit status, the config check and
// the order the checks run in. The checks themselves live in DoctorChecks.cpp (files, database,
// devices, printer), DoctorServer.cpp (server and clock) and AuditCommand.cpp (audit).
#include "kiosk/app/Doctor.h"

#include <algorithm>
#include <array>

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

std::pair<DoctorCheck, std::optional<KioskConfig>> CheckConfig(const std::filesystem::path& file) {
    auto config = LoadConfig(file);
    if (!config) {
        return {DoctorCheck{
                    "config", Verdict::kFail, config.error().log,
                    "correct " + file.string() + " (config/kiosk.example.toml explains every key)"},
                std::nullopt};
    }
    std::string found = file.string() + " is valid";
    found += config->server.url.empty() ? " (no server: the kiosk stays local)"
                                        : " (server " + config->server.url + ")";
    return {DoctorCheck{"config", Verdict::kPass, found, {}}, std::move(config).value()};
}

std::vector<DoctorCheck> RunDoctorChecks(const std::filesystem::path& config_file,
                                         const std::filesystem::path& data_dir, const Clock& clock,
                                         const DoctorLimits& limits) {
    std::vector<DoctorCheck> checks;
    auto [config_check, config] = CheckConfig(config_file);
    checks.push_back(config_check);
    const std::string no_config = "not checked: the config is not valid";

    std::filesystem::path dir = data_dir;
    if (dir.empty() && config) {
        dir = config->data_dir;
    }
    if (dir.empty()) {
        checks.push_back(Skip("data dir", no_config));
        checks.push_back(Skip("database", no_config));
        checks.push_back(Skip("outbox", no_config));
    } else {
        checks.push_back(CheckDataDir(dir, limits));
        for (DoctorCheck& c :
             CheckDatabase(dir, clock.Now(), config && !config->server.url.empty(), limits)) {
            checks.push_back(std::move(c));
        }
    }
    checks.push_back(config && !dir.empty() ? CheckAudit(*config, dir) : Skip("audit", no_config));
    if (!config) {
        for (const char* name : {"secrets", "server", "clock", "camera", "scanner", "printer"}) {
            checks.push_back(Skip(name, no_config));
        }
        return checks;
    }
    checks.push_back(CheckSecretFiles(config->server));
    for (DoctorCheck& c : CheckServer(config->server, config->site_location_id, clock, limits)) {
        checks.push_back(std::move(c));
    }
    checks.push_back(CheckCamera(config->scanner.camera_device));
    checks.push_back(CheckScanner(config->scanner.wedge_device));
    checks.push_back(CheckPrinter(config->printer));
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
