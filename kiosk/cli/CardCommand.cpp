// `kiosk card issue` and `kiosk card revoke` (CardCommand.h).
#include "kiosk/cli/CardCommand.h"

#include <CLI/CLI.hpp>

#include "kiosk/cli/CardIssuing.h"
#include "kiosk/cli/CommandLine.h"
#include "kiosk/cli/CommandSupport.h"
#include "kiosk/print/CardSheet.h"

namespace kiosk::cli {

void CardCommand::Declare(CLI::App& cli) {
    m_cmd = cli.add_subcommand("card", "issue or revoke participants' cards on the clinic server");
    m_cmd->require_subcommand(1);
    m_issue = m_cmd->add_subcommand(
        "issue", "new cards (earlier ones stop working) as a PDF or on the printer");
    m_issue->add_option("--config", m_config, "configuration file (TOML) with a [server] section")
        ->required()
        ->check(CLI::ExistingFile);
    auto* person = m_issue->add_option("--person", m_person, "the person, Patient/ID");
    auto* csv = m_issue
                    ->add_option("--csv", m_csv,
                                 "a list of people: a CSV with a 'person' column (Patient/ID)")
                    ->check(CLI::ExistingFile);
    person->excludes(csv);
    auto* out = m_issue->add_option("--out", m_out, "the PDF of the cards to write");
    auto* print = m_issue->add_flag("--print", m_print, "print on the config's [printer] queue");
    out->excludes(print);
    m_issue->add_option("--paper", m_paper, "letter or a4 (default: the config's [printer])");
    m_revoke = m_cmd->add_subcommand("revoke", "end every card of a person (a lost card)");
    m_revoke->add_option("--config", m_config, "configuration file (TOML) with a [server] section")
        ->required()
        ->check(CLI::ExistingFile);
    m_revoke->add_option("--person", m_person, "the person, Patient/ID")->required();
    m_revoke->add_option("--reason", m_reason, "why (lost, stolen, ...)")->required();
}

int CardCommand::Run() {
    const bool issue = m_issue->parsed();
    // Usage errors exit 2, as CLI11's own do (CommandLine.h).
    if (issue && m_person.empty() == m_csv.empty()) {
        Fail("kiosk card issue: say --person REF or --csv FILE");
        return kUsageError;
    }
    if (issue && m_out.empty() == !m_print) {
        Fail("kiosk card issue: say --out PDF or --print");
        return kUsageError;
    }
    if (issue && !m_csv.empty() && m_print) {
        Fail("kiosk card issue: a --csv list goes to --out PDF (print the file after)");
        return kUsageError;
    }
    auto link = ConnectToServer(m_config, issue ? "kiosk card issue" : "kiosk card revoke");
    if (!link) {
        return Fail(link.error().log);
    }
    if (!issue) {
        return RevokeCards(link.value(), m_person, m_reason);
    }
    CardRun run{"kiosk card issue", {m_person}, m_out, m_print, m_paper};
    if (!m_csv.empty()) {
        auto people = print::ReadPeopleCsv(m_csv);
        if (!people) {
            return Fail("kiosk card issue: " + people.error().log);
        }
        run.people = std::move(people).value();
    }
    return IssueCards(link.value(), run);
}

}  // namespace kiosk::cli
