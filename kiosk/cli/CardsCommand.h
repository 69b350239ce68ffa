// `kiosk cards --out PDF [--csv LIST] [--paper letter|a4]`: a printable PDF sheet of QR cards;
// the demo's cards (from the assets, --assets) when no list is given.
#pragma once

#include <string>

#include "kiosk/cli/Command.h"
#include "kiosk/cli/KioskOptions.h"

namespace kiosk::cli {

class CardsCommand : public Command {
  public:
    explicit CardsCommand(const KioskOptions& kiosk) : m_kiosk(kiosk) {}
    void Declare(CLI::App& cli) override;
    int Run() override;

  private:
    const KioskOptions& m_kiosk;
    std::string m_csv;
    std::string m_out;
    std::string m_paper = "letter";
};

}  // namespace kiosk::cli
