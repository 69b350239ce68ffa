// `kiosk decode IMAGE...`: the QR code of image files, a line per file (kiosk/scan's
// RunDecodeCommand); exit status 1 when a file cannot be read.
#pragma once

#include <string>
#include <vector>

#include "kiosk/cli/Command.h"

namespace kiosk::cli {

class DecodeCommand : public Command {
  public:
    void Declare(CLI::App& cli) override;
    int Run() override;

  private:
    std::vector<std::string> m_files;
};

}  // namespace kiosk::cli
