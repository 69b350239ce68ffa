// Issuing and revoking cards from the command line (CardIssuing.h).
#include "kiosk/cli/CardIssuing.h"

#include <unistd.h>

#include <cstdio>
#include <thread>

#include "kiosk/cli/CommandSupport.h"
#include "kiosk/core/Log.h"
#include "kiosk/core/Token.h"
#include "kiosk/print/CardSheet.h"
#include "kiosk/print/PrintSpooler.h"
#include "sync/CredentialWrite.h"
#include "sync/SyncEngine.h"

namespace kiosk::cli {
namespace {

using nlohmann::json;

/// "Given Family" of a Patient or Practitioner, or its reference when it has no name.
std::string NameOf(const json& resource, const std::string& ref) {
    const auto names = resource.find("name");
    if (names == resource.end() || !names->is_array() || names->empty() ||
        !names->front().is_object()) {
        return ref;
    }
    const json& n = names->front();
    std::string text;
    if (auto given = n.find("given"); given != n.end() && given->is_array()) {
        for (const auto& g : *given) {
            if (g.is_string()) {
                text += (text.empty() ? "" : " ") + g.get<std::string>();
            }
        }
    }
    if (auto family = n.find("family"); family != n.end() && family->is_string()) {
        text += (text.empty() ? "" : " ") + family->get<std::string>();
    }
    return text.empty() ? ref : text;
}

/// The card for `ref`, with a fresh token and the name the server has for the person.
Result<print::Card> CardFor(ServerLink& link, const std::string& ref) {
    const auto slash = ref.find('/');
    if (slash == std::string::npos) {
        return MakeError(ErrorCode::kInvalidInput,
                         "'" + ref + "' is not a reference such as Patient/ID");
    }
    auto read = link.client->Read(ref.substr(0, slash), ref.substr(slash + 1));
    if (!read) {
        return MakeError(read.error().code, ServerError(link, read.error()));
    }
    if (!read.value()) {
        return MakeError(ErrorCode::kNotFound, "the server has no " + ref);
    }
    const bool staff = ref.rfind("Practitioner/", 0) == 0;
    return print::Card{staff ? "staff" : "participant", NameOf(read.value()->resource, ref),
                       GenerateToken()};
}

/// Prints `pdf` on the config's queue and waits for CUPS to finish it.
Status PrintPdf(const KioskConfig& config, const std::filesystem::path& pdf) {
    if (config.printer.queue.empty()) {
        return MakeError(ErrorCode::kConfig,
                         config.source.string() + " has no [printer] queue to print on");
    }
    print::PrintOptions options;
    options.queue = config.printer.queue;
    options.server = config.printer.server;
    options.timeout_seconds = config.printer.timeout_seconds;
    print::PrintSpooler spooler(options);
    const long ticket = spooler.Submit(pdf, "iop-kiosk cards");
    for (;;) {
        const print::PrintStatus status = spooler.Status(ticket);
        if (status.state == print::PrintState::kDone) {
            return Ok{};
        }
        if (status.state == print::PrintState::kFailed) {
            return MakeError(ErrorCode::kNetwork,
                             "printing on " + config.printer.queue + " failed: " + status.detail);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

}  // namespace

Result<ServerLink> ConnectToServer(const std::filesystem::path& config_file,
                                   const std::string& command) {
    auto config = LoadConfig(config_file);
    if (!config) {
        return config.error();
    }
    ServerLink link{std::move(config).value(), nullptr, nullptr};
    if (link.config.server.url.empty()) {
        return MakeError(ErrorCode::kConfig, command + ": " + config_file.string() +
                                                 " has no [server] url: there is no server to "
                                                 "write the cards to");
    }
    const sync::SyncOptions options = sync::SyncOptions::FromConfig(link.config);
    auto transport = sync::HttpTransport::Create(options.transport);
    if (!transport) {
        return MakeError(transport.error().code, command + ": " + transport.error().log);
    }
    link.transport = std::move(transport).value();
    link.client = std::make_unique<sync::FhirClient>(
        link.config.server.url, *link.transport,
        [](std::chrono::milliseconds d) {
            std::this_thread::sleep_for(d);
            return true;
        },
        options.client);
    return link;
}

std::string ServerError(const ServerLink& link, const Error& error) {
    if (error.code == ErrorCode::kNetwork && link.client->LastStatus() == 0) {
        return "cannot reach the clinic server at " + link.config.server.url + ": " + error.log;
    }
    return error.log;
}

int IssueCards(ServerLink& link, const CardRun& run) {
    auto paper = print::ParsePaperSize(run.paper.empty() ? link.config.printer.paper : run.paper);
    if (!paper) {
        return Fail(run.command + ": " + paper.error().log);
    }
    std::vector<print::Card> cards;
    for (const auto& ref : run.people) {
        auto card = CardFor(link, ref);
        if (!card) {
            return Fail(run.command + ": " + card.error().log + "; no card was issued");
        }
        cards.push_back(std::move(card).value());
    }
    const bool temporary = run.out.empty();
    const std::filesystem::path pdf =
        temporary ? std::filesystem::temp_directory_path() /
                        ("iop-kiosk-cards-" + std::to_string(::getpid()) + ".pdf")
                  : run.out;
    if (auto s = print::WriteCardSheetPdf(cards, pdf, paper.value(), false); !s) {
        return Fail(run.command + ": " + s.error().log + "; no card was issued");
    }
    if (run.print) {
        auto printed = PrintPdf(link.config, pdf);
        if (temporary) {
            std::filesystem::remove(pdf);
        }
        if (!printed) {
            return Fail(run.command + ": " + printed.error().log +
                        "; no card was issued (the earlier cards still work)");
        }
    }
    // Only now, with the cards on paper or in the file, do the earlier cards stop working.
    const Instant now = SystemClock().Now();
    int issued = 0;
    for (std::size_t i = 0; i < cards.size(); ++i) {
        auto hash = ParseToken(cards[i].token);
        if (!hash) {
            return Fail(run.command + ": " + hash.error().log);
        }
        auto written =
            sync::WriteCredential(*link.client, {run.people[i], "issue", hash->hex, now});
        if (!written) {
            return Fail(run.command + ": " + run.people[i] + ": " +
                        ServerError(link, written.error()) + "; " + std::to_string(issued) +
                        " card(s) issued before it; the cards of it and the people after it " +
                        "do not work");
        }
        ++issued;
        LogInfo("main", "card issued for " + run.people[i]);
    }
    std::printf("%s: %d card(s) issued%s%s\n", run.command.c_str(), issued,
                run.out.empty() ? "" : ", written to ", run.out.string().c_str());
    return 0;
}

int RevokeCards(ServerLink& link, const std::string& person, const std::string& reason) {
    if (reason.empty()) {
        return Fail("kiosk card revoke: say why with --reason");
    }
    auto written = sync::WriteCredential(*link.client, {person, "revoke", {}, SystemClock().Now()});
    if (!written) {
        return Fail("kiosk card revoke: " + person + ": " + ServerError(link, written.error()));
    }
    LogInfo("main", "cards revoked for " + person + " (" + reason + ")");
    std::printf("kiosk card revoke: %s: %s\n", person.c_str(),
                written->unchanged ? "had no card that still works" : "every card revoked");
    return 0;
}

}  // namespace kiosk::cli
