// The loopback FHIR server (tests/fhir-server) as the sync tests use it: a fresh test PKI, the
// node process on port 0 (dies with the test), its control API, and an independent libcurl
// client that checks what the server holds, always verifying TLS against the test CA.
#pragma once

#include <nlohmann/json.hpp>

#include <sys/types.h>
#include <filesystem>
#include <string>
#include <vector>

namespace kiosk::test {

/// A throwaway PKI from make-test-pki.sh, made once per test process.
const std::filesystem::path& TestPki();

/// What a shell command prints on stdout, without the trailing newline.
std::string CommandOutput(const std::string& command);
/// A shell command's exit status and what it printed on stdout and stderr together.
struct Run {
    int code = -1;
    std::string out;
};
Run Shell(const std::string& command);
/// SHA-256 pin ("sha256//base64") of a certificate's public key, via the openssl CLI.
std::string PinOf(const std::filesystem::path& cert);

/// A node script started as a child that dies with the test (PR_SET_PDEATHSIG), and the first
/// line it printed on stdout (its "listening ..." line); its stderr goes to `err_file`.
struct SpawnedChild {
    pid_t pid = -1;
    std::string first_line;
    std::filesystem::path err_file;
};
SpawnedChild SpawnNode(const std::vector<std::string>& script_args, const std::string& log_name);
/// SIGTERM (after SIGCONT) and wait; sets `pid` to -1.
void StopChild(pid_t& pid);

/// tests/fhir-server/connect-proxy.mjs on a free loopback port: tunnels CONNECT to loopback and
/// records every request it gets.
class LoopbackProxy {
  public:
    LoopbackProxy();
    ~LoopbackProxy();
    LoopbackProxy(const LoopbackProxy&) = delete;
    LoopbackProxy& operator=(const LoopbackProxy&) = delete;

    const std::string& url() const { return m_url; }  ///< http://127.0.0.1:PORT
    /// One line per request it got: "CONNECT 127.0.0.1:8443".
    std::vector<std::string> Recorded() const;

  private:
    std::filesystem::path m_record;
    pid_t m_pid = -1;
    std::string m_url;
};

struct ServerReply {
    long status = 0;
    std::string body;
    nlohmann::json json;  ///< null when the body is not JSON
};

class FhirTestServer {
  public:
    struct Options {
        std::string cert_name = "server";  ///< server.crt / untrusted-server.crt
        std::filesystem::path seed;
        std::string require_token_file;
        bool client_ca = false;  ///< require a client certificate signed by the test CA
        int port = 0;
        /// SMART Backend Services: the clients file (smart-auth.mjs); FHIR requests then need
        /// a token from origin()/auth/token that lives `token_seconds`.
        std::filesystem::path smart_clients;
        int token_seconds = 300;
    };
    explicit FhirTestServer(Options options);
    ~FhirTestServer();
    FhirTestServer(const FhirTestServer&) = delete;
    FhirTestServer& operator=(const FhirTestServer&) = delete;

    const std::string& base() const { return m_base; }  ///< https://127.0.0.1:PORT/fhir/R4
    int port() const { return m_port; }
    const std::string& origin() const { return m_origin; }  ///< https://127.0.0.1:PORT

    /// SIGSTOP / SIGCONT: a server that hangs (connections open, nothing answers).
    void Pause();
    void Resume();

    // --- control API ---
    void Faults(const nlohmann::json& faults);  ///< replaces the fault queue
    /// Replaces the careless switches ({"ignoreSearch": ["identifier"], "ignoreIfNoneExist":
    /// true}); a reset clears them.
    void Careless(const nlohmann::json& switches);
    nlohmann::json Stats();
    void ResetStats();
    void ResetData();                            ///< wipes and reloads the seed
    long long Requests(const std::string& key);  ///< e.g. "POST Encounter"

    // --- independent checks ---
    ServerReply Get(const std::string& path_and_query);  ///< relative to base
    ServerReply Post(const std::string& type, const nlohmann::json& resource);
    ServerReply Put(const std::string& type_and_id, const nlohmann::json& resource);
    ServerReply Delete(const std::string& type_and_id);
    /// Every resource of a search (follows next links).
    std::vector<nlohmann::json> All(const std::string& type, const std::string& query);
    /// How many Encounters carry urn:iop-kiosk:attendance|identifier.
    int EncountersWith(const std::string& identifier);

  private:
    ServerReply Exchange(const std::string& method, const std::string& url, const std::string& body,
                         const std::vector<std::string>& headers);
    Options m_options;
    pid_t m_pid = -1;
    int m_port = 0;
    std::string m_base;
    std::string m_origin;
    std::string m_control_token = "sync-tests-control";
};

/// The server shared by most tests (seeded with TestClinic's bundle), started on first use.
FhirTestServer& SharedServer();

}  // namespace kiosk::test
