// `kiosk staff badge --config FILE --practitioner REF (--out PDF | --print)`: a staff badge,
// issued the way `kiosk card issue` issues a card (CardIssuing.h); `kiosk staff pin --config
// FILE --practitioner REF [--pin-stdin]`: a new PIN (asked twice, not echoed, on a terminal),
// checked by the one PIN rule (kiosk/core/PinRules.h) and stored on the server only as its
// argon2id verifier, by an If-Match update of the Practitioner.
#pragma once

#include <string>

#include "kiosk/cli/Command.h"

namespace kiosk::cli {

class StaffCommand : public Command {
  public:
    void Declare(CLI::App& cli) override;
    int Run() override;

  private:
    int SetPin();

    CLI::App* m_badge = nullptr;
    CLI::App* m_pin = nullptr;
    std::string m_config;
    std::string m_practitioner;
    std::string m_out;
    bool m_print = false;
    std::string m_paper;
    bool m_pin_stdin = false;
};

}  // namespace kiosk::cli
