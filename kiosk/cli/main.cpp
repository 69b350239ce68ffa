// kiosk: the lobby check-in program. Everything it does is a command of kiosk/cli: the lobby
// window by default, or a subcommand (cards, decode, sync, resources, audit, doctor).
#include "kiosk/cli/CommandLine.h"

int main(int argc, char** argv) {
    return kiosk::cli::RunCommandLine(argc, argv);
}
