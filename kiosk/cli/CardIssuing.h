// Cards and badges issued from the command line (`kiosk card`, `kiosk staff badge`), talking to
// the clinic's FHIR server directly: the people are read first (a clear error when the server
// cannot be reached or has no such person), the PDF is written (and printed), then each
// person's credential identifiers change on the server the way the kiosk's outbox changes them
// (sync/CredentialWrite.h). Tokens go on the cards only, never to a log or the terminal.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kiosk/core/Config.h"
#include "sync/FhirClient.h"
#include "sync/HttpTransport.h"

namespace kiosk::cli {

/// The config's [server], for a command: its transport and a FHIR client over it.
struct ServerLink {
    KioskConfig config;
    std::unique_ptr<sync::HttpTransport> transport;
    std::unique_ptr<sync::FhirClient> client;
};
/// Loads `config_file` and prepares the link; `command` ("kiosk card") starts the errors.
Result<ServerLink> ConnectToServer(const std::filesystem::path& config_file,
                                   const std::string& command);
/// An error of the link, reworded when the server could not be reached at all.
std::string ServerError(const ServerLink& link, const Error& error);

struct CardRun {
    std::string command;              ///< "kiosk card issue", for messages
    std::vector<std::string> people;  ///< Patient/ID or Practitioner/ID, each once
    std::filesystem::path out;        ///< the PDF; "" with `print`: a temporary file
    bool print = false;               ///< on the config's [printer] queue
    std::string paper;                ///< "" = the config's [printer] paper
};

/// Issues one new card per person; returns the exit status (0, or 1 with the reason logged).
int IssueCards(ServerLink& link, const CardRun& run);
/// Ends every credential of `person` on the server; the exit status.
int RevokeCards(ServerLink& link, const std::string& person, const std::string& reason);

}  // namespace kiosk::cli
