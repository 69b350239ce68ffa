// `kiosk decode`: its options; the decoding and the lines are kiosk/scan's DecodeCommand.
#include "kiosk/cli/DecodeCommand.h"

#include <CLI/CLI.hpp>

#include <cstdio>

#include "kiosk/scan/DecodeCommand.h"

namespace kiosk::cli {

void DecodeCommand::Declare(CLI::App& cli) {
    m_cmd = cli.add_subcommand(
        "decode",
        "read the QR code of image files (PNG, JPEG, PGM): a line per file with the text and "
        "whether it is a valid kiosk token; exit status 1 when a file cannot be read");
    m_cmd->add_option("IMAGE", m_files, "image files")->required();
}

int DecodeCommand::Run() {
    return scan::RunDecodeCommand(m_files, stdout);
}

}  // namespace kiosk::cli
