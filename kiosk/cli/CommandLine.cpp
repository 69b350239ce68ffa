// The dispatcher (CommandLine.h). Subcommands are declared in the order `kiosk --help` lists
// them and tried in a fixed order of their own; the log level applies to `sync` and the window
// only, as it always has.
#include "kiosk/cli/CommandLine.h"

#include <CLI/CLI.hpp>

#include <cstdio>

#include "kiosk/cli/AuditCommand.h"
#include "kiosk/cli/CardCommand.h"
#include "kiosk/cli/CardsCommand.h"
#include "kiosk/cli/DecodeCommand.h"
#include "kiosk/cli/DoctorCommand.h"
#include "kiosk/cli/KioskOptions.h"
#include "kiosk/cli/KioskStartup.h"
#include "kiosk/cli/ResourcesCommand.h"
#include "kiosk/cli/StaffCommand.h"
#include "kiosk/cli/SyncCommand.h"

namespace kiosk::cli {

int RunCommandLine(int argc, char** argv) {
    CLI::App cli{
        "IOP clinic lobby kiosk: participants check in to their group sessions by scanning their "
        "card."};
    cli.set_version_flag("--version", PROJECT_VERSION);
    KioskOptions kiosk;
    DeclareKioskOptions(cli, kiosk);
    CardsCommand cards(kiosk);
    CardCommand card;
    StaffCommand staff;
    DecodeCommand decode;
    SyncCommand sync;
    ResourcesCommand resources;
    AuditCommand audit;
    DoctorCommand doctor;
    for (Command* command : std::initializer_list<Command*>{&cards, &card, &staff, &decode, &sync,
                                                            &resources, &audit, &doctor}) {
        command->Declare(cli);
    }
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version print and exit 0; every other parse error is a usage error: 2,
        // whatever CLI11's own code for it (README, docs/OPERATIONS.md).
        return cli.exit(e) == 0 ? 0 : kUsageError;
    }
    for (Command* command : std::initializer_list<Command*>{&doctor, &decode, &audit, &cards, &card,
                                                            &staff, &resources}) {
        if (command->Chosen()) {
            return command->Run();
        }
    }
    SetLogLevel(kiosk.Level());
    if (sync.Chosen()) {
        return sync.Run();
    }
    if (!kiosk.demo && kiosk.config_file.empty()) {
        std::fprintf(stderr,
                     "kiosk: say --demo to try the built-in demo clinic, or --config FILE.\n%s",
                     cli.help().c_str());
        return kUsageError;
    }
    return KioskStartup(kiosk).Run();
}

}  // namespace kiosk::cli
