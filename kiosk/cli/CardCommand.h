// `kiosk card issue --config FILE (--person REF | --csv FILE) (--out PDF | --print)` and
// `kiosk card revoke --config FILE --person REF --reason TEXT`: cards issued and revoked on the
// clinic's FHIR server directly (CardIssuing.h), for setting a clinic up in bulk. Not `kiosk
// cards`, the demo sheet (CardsCommand.h).
#pragma once

#include <string>

#include "kiosk/cli/Command.h"

namespace kiosk::cli {

class CardCommand : public Command {
  public:
    void Declare(CLI::App& cli) override;
    int Run() override;

  private:
    CLI::App* m_issue = nullptr;
    CLI::App* m_revoke = nullptr;
    std::string m_config;
    std::string m_person;
    std::string m_csv;
    std::string m_out;
    bool m_print = false;
    std::string m_paper;
    std::string m_reason;
};

}  // namespace kiosk::cli
