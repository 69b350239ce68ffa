// `kiosk staff badge` and `kiosk staff pin` (StaffCommand.h).
#include "kiosk/cli/StaffCommand.h"

#include <termios.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "kiosk/cli/CardIssuing.h"
#include "kiosk/cli/CommandLine.h"
#include "kiosk/cli/CommandSupport.h"
#include "kiosk/core/Log.h"
#include "kiosk/core/PinRules.h"
#include "sync/CredentialWrite.h"

namespace kiosk::cli {
namespace {

constexpr const char* kPinCommand = "kiosk staff pin";

/// One line from stdin; on a terminal with echo off, after `prompt` on stderr.
std::string ReadSecretLine(const char* prompt, bool terminal) {
    termios saved{};
    if (terminal) {
        std::fprintf(stderr, "%s", prompt);
        std::fflush(stderr);
        tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::fprintf(stderr, "\n");
    }
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    return line;
}

void AddConfigAndPractitioner(CLI::App* cmd, std::string& config, std::string& practitioner) {
    cmd->add_option("--config", config, "configuration file (TOML) with a [server] section")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--practitioner", practitioner, "the staff member, Practitioner/ID")
        ->required();
}

}  // namespace

void StaffCommand::Declare(CLI::App& cli) {
    m_cmd = cli.add_subcommand("staff", "issue staff badges and set PINs on the clinic server");
    m_cmd->require_subcommand(1);
    m_badge = m_cmd->add_subcommand(
        "badge", "a new badge (earlier ones stop working) as a PDF or on the printer");
    AddConfigAndPractitioner(m_badge, m_config, m_practitioner);
    auto* out = m_badge->add_option("--out", m_out, "the PDF of the badge to write");
    auto* print = m_badge->add_flag("--print", m_print, "print on the config's [printer] queue");
    out->excludes(print);
    m_badge->add_option("--paper", m_paper, "letter or a4 (default: the config's [printer])");
    m_pin = m_cmd->add_subcommand(
        "pin", "set a PIN (4-8 digits, not one digit repeated, not a run); asked twice, unechoed");
    AddConfigAndPractitioner(m_pin, m_config, m_practitioner);
    m_pin->add_flag("--pin-stdin", m_pin_stdin, "read the PIN from the first line of stdin");
}

int StaffCommand::Run() {
    // Usage errors exit 2, as CLI11's own do (CommandLine.h).
    if (m_practitioner.rfind("Practitioner/", 0) != 0) {
        Fail("kiosk staff: --practitioner is a Practitioner/ID reference");
        return kUsageError;
    }
    if (m_pin->parsed()) {
        return SetPin();
    }
    if (m_out.empty() == !m_print) {
        Fail("kiosk staff badge: say --out PDF or --print");
        return kUsageError;
    }
    auto link = ConnectToServer(m_config, "kiosk staff badge");
    if (!link) {
        return Fail(link.error().log);
    }
    return IssueCards(link.value(),
                      {"kiosk staff badge", {m_practitioner}, m_out, m_print, m_paper});
}

int StaffCommand::SetPin() {
    const bool terminal = !m_pin_stdin && isatty(STDIN_FILENO) == 1;
    if (!m_pin_stdin && !terminal) {
        Fail(std::string(kPinCommand) +
             ": stdin is not a terminal: type the PIN on one, or say --pin-stdin");
        return kUsageError;
    }
    const std::string pin = ReadSecretLine("New PIN: ", terminal);
    if (auto ok = CheckNewPin(pin); !ok) {
        return Fail(std::string(kPinCommand) + ": " + ok.error().log);
    }
    if (terminal && ReadSecretLine("The same PIN again: ", terminal) != pin) {
        return Fail(std::string(kPinCommand) + ": the two PINs differ; nothing was changed");
    }
    auto verifier = MakePinVerifier(pin);
    if (!verifier) {
        return Fail(std::string(kPinCommand) + ": " + verifier.error().log);
    }
    auto link = ConnectToServer(m_config, kPinCommand);
    if (!link) {
        return Fail(link.error().log);
    }
    auto written = sync::UpdateWithRetry(*link->client, m_practitioner, [&](nlohmann::json& r) {
        return sync::ApplyPinVerifier(r, verifier.value());
    });
    if (!written) {
        return Fail(std::string(kPinCommand) + ": " + m_practitioner + ": " +
                    ServerError(link.value(), written.error()) + "; nothing was changed");
    }
    LogInfo("main", "a new PIN verifier was stored for " + m_practitioner);
    std::printf("%s: %s has a new PIN (kiosks use it after their next pull)\n", kPinCommand,
                m_practitioner.c_str());
    return 0;
}

}  // namespace kiosk::cli
