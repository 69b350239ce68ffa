// `kiosk doctor`'s server, clock, capability and token checks: with SMART, a token got first (its
// failure names the token URL, key, client id or scope); GET [server] url/metadata through the
// sync engine's own HttpTransport (same CA file, pins, client certificate, token and proxy), its
// failure told apart in words, then a search for the site's Location, which (unlike the
// CapabilityStatement, served to anyone by most servers) needs the token; the server's Date held
// against the local clock; the CapabilityStatement held against what the kiosk uses
// (sync/ServerNeeds.h). Never prints the token.
#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>

#include "kiosk/app/Doctor.h"
#include "sync/FhirClient.h"
#include "sync/HttpTransport.h"
#include "sync/ServerNeeds.h"
#include "sync/SmartAuth.h"

namespace kiosk::app {
namespace {

DoctorCheck Server(Verdict verdict, std::string found, std::string todo = {}) {
    return DoctorCheck{"server", verdict, std::move(found), std::move(todo)};
}

DoctorCheck ClockNotChecked(const std::string& why) {
    return DoctorCheck{"clock", Verdict::kSkip, "not checked: " + why, {}};
}

/// True when the server refuses a connection without a client certificate ("certificate
/// required"): one more GET with the same settings minus the certificate.
bool CertificateRequired(const ServerConfig& server) {
    ServerConfig bare = server;
    bare.client_cert.clear();
    bare.client_key.clear();
    sync::TransportOptions options = sync::TransportOptions::FromConfig(bare);
    options.connect_timeout = std::chrono::seconds{5};
    options.total_timeout = std::chrono::seconds{20};
    auto transport = sync::HttpTransport::Create(options);
    if (!transport) {
        return false;
    }
    auto answer = transport.value()->Send(sync::HttpRequest{"GET", server.url, {}, {}});
    return !answer && transport.value()->LastFailure() == sync::SendFailure::kClientSetup;
}

/// What the transport's failure means for the person at the terminal.
DoctorCheck SendFailed(const ServerConfig& server, sync::SendFailure kind, const Error& error) {
    const std::string& log = error.log;
    switch (kind) {
        case sync::SendFailure::kTrust:
            if (log.find("pinned_public_keys") != std::string::npos) {
                return Server(Verdict::kFail, "pin mismatch: " + log,
                              "if the server's key changed on purpose, put its new pin in "
                              "[server] pinned_public_keys (openssl x509 -pubkey -noout -in "
                              "server.crt | openssl pkey -pubin -outform der | openssl dgst "
                              "-sha256 -binary | base64)");
            }
            return Server(Verdict::kFail, "TLS verification failed: " + log,
                          server.ca_file.empty()
                              ? "set [server] ca_file to the clinic's CA certificate (PEM)"
                              : "check that [server] ca_file " + server.ca_file +
                                    " is the CA that signed the server's certificate");
        case sync::SendFailure::kClientSetup:
            if (server.client_cert.empty() &&
                log.find("refused the kiosk's client certificate") != std::string::npos) {
                return Server(
                    Verdict::kFail,
                    "the server asks for a client certificate and none is configured: " + log,
                    "set [server] client_cert and client_key to the kiosk's certificate "
                    "and key (PEM), signed by a CA the server trusts");
            }
            return Server(Verdict::kFail, "client certificate refused or unusable: " + log,
                          "check [server] client_cert and client_key: a matching PEM pair, "
                          "readable by the kiosk user, signed by a CA the server trusts");
        case sync::SendFailure::kStopped:
        case sync::SendFailure::kNotSent:
        case sync::SendFailure::kAmbiguous:
            break;
    }
    // With TLS 1.3 a server refuses a client certificate after the handshake: the kiosk sees
    // the connection reset, an alert or an empty reply on its first read. Asking once more
    // without a certificate tells that apart from a server that just hangs up.
    const bool cut = log.find("reset by peer") != std::string::npos ||
                     log.find("alert") != std::string::npos ||
                     log.find("Empty reply") != std::string::npos;
    if (cut && !server.client_cert.empty() && CertificateRequired(server)) {
        return Server(Verdict::kFail,
                      "client certificate refused: the server requires one and closed the "
                      "connection on the kiosk's (" +
                          log + ")",
                      "check [server] client_cert and client_key: signed by a CA the server "
                      "trusts, not expired (openssl x509 -noout -issuer -enddate -in " +
                          server.client_cert + ")");
    }
    return Server(Verdict::kFail, "cannot reach " + sync::HostOf(server.url) + ": " + log,
                  "check the network cable or Wi-Fi, DNS (getent hosts " +
                      sync::HostNameOf(server.url) + ") and that the server is up" +
                      (server.proxy.empty() ? "" : ", and the proxy (server.proxy)"));
}

std::string TrustWords(const ServerConfig& server) {
    std::string words;
    if (server.url.rfind("http://", 0) == 0) {
        words = "plain http: a test setting, nothing verified";
    } else {
        words =
            server.ca_file.empty() ? "TLS verified by the system's CAs" : "TLS verified by ca_file";
        if (!server.pinned_public_keys.empty()) {
            words += ", pin ok";
        }
    }
    if (!server.client_cert.empty()) {
        words += ", client certificate accepted";
    }
    if (!server.token_file.empty()) {
        words += ", token accepted";
    }
    if (server.auth == ServerAuth::kSmartBackend) {
        words += ", SMART token accepted";
    }
    return words;
}

/// What to change for a token the server would not give: the setting the error names.
std::string TokenTodo(const Error& error, const ServerConfig& server) {
    const std::string& log = error.log;
    if (error.code == ErrorCode::kNetwork) {
        return "check the network and that the token URL's host is up";
    }
    if (log.rfind("server.private_key_file", 0) == 0) {
        return "fix [server] private_key_file " + server.private_key_file +
               ": a PEM RSA (2048+ bits) or EC P-384 key, mode 0640 or tighter";
    }
    if (log.find("): scope:") != std::string::npos) {
        return "ask for less in [server] scope, or have the server's administrator allow client " +
               server.client_id + " the kiosk's scopes (docs/COMPATIBILITY.md)";
    }
    if (log.find("): client id:") != std::string::npos) {
        return "check [server] client_id against the client registered on the server";
    }
    if (log.find("): key:") != std::string::npos) {
        return "register the public key (openssl pkey -in " + server.private_key_file +
               " -pubout) for client " + server.client_id +
               (server.key_id.empty() ? std::string()
                                      : " with kid \"" + server.key_id + "\" ([server] key_id)");
    }
    return "set [server] token_url to the server's OAuth token endpoint (its "
           ".well-known/smart-configuration names it as token_endpoint)";
}

/// The SMART token line: a fresh token now, or which setting keeps the kiosk from one.
DoctorCheck CheckToken(sync::SmartAuth& smart, const ServerConfig& server) {
    auto lifetime = smart.Renew();
    if (!lifetime) {
        return {"token", Verdict::kFail, lifetime.error().log, TokenTodo(lifetime.error(), server)};
    }
    return {"token",
            Verdict::kPass,
            "client " + server.client_id + " got a token from " + smart.TokenUrl() + ", good for " +
                SpokenDuration(lifetime.value()),
            {}};
}

}  // namespace

DoctorCheck JudgeClockSkew(std::optional<Instant> server_date, Instant local,
                           const DoctorLimits& limits) {
    if (!server_date) {
        return {"clock", Verdict::kWarn,
                "the server sent no readable Date header: the clock was not compared",
                "check the clock by hand: timedatectl status"};
    }
    const Seconds skew = *server_date - local;  // > 0: this box is behind
    const Seconds size = skew < Seconds{0} ? -skew : skew;
    if (size <= Seconds{2}) {
        return {"clock", Verdict::kPass, "agrees with the server's Date within 2 s", {}};
    }
    const std::string words = std::string("this box's clock is ") + SpokenDuration(size) +
                              (skew > Seconds{0} ? " behind" : " ahead of") + " the server's";
    const std::string todo =
        "turn on time sync: timedatectl set-ntp true (systemd-timesyncd or chrony), and check "
        "timedatectl status";
    if (size > limits.skew_fail) {
        return {"clock", Verdict::kFail,
                words + " (over " + SpokenDuration(limits.skew_fail) +
                    "): check-in times and certificates go wrong",
                todo};
    }
    if (size > limits.skew_warn) {
        return {"clock", Verdict::kWarn, words + " (over " + SpokenDuration(limits.skew_warn) + ")",
                todo};
    }
    return {
        "clock", Verdict::kPass, words + " (within " + SpokenDuration(limits.skew_warn) + ")", {}};
}

/// The line for a 401 or 403 from `url`: the token is missing or not accepted.
DoctorCheck Refused(const ServerConfig& server, const std::string& url, long status) {
    if (server.auth == ServerAuth::kSmartBackend) {
        return Server(Verdict::kFail,
                      url + " refused the kiosk (HTTP " + std::to_string(status) +
                          "): the SMART token was not accepted for this request",
                      "have the server's administrator allow client " + server.client_id +
                          " the kiosk's scopes (at least system/Location.rs; see "
                          "docs/COMPATIBILITY.md), and check [server] scope");
    }
    return Server(Verdict::kFail,
                  url + " refused the kiosk (HTTP " + std::to_string(status) +
                      (server.token_file.empty() ? "): it wants a bearer token"
                                                 : "): the token was not accepted"),
                  server.token_file.empty()
                      ? "ask the server's administrator for a token and name its file in "
                        "[server] token_file"
                      : "put a valid token in [server] token_file " + server.token_file +
                            " (one line, nothing else), one that may read this site's data");
}

/// A search as the pull makes it, for the site's own Location: nullopt when the server answers
/// with a Bundle holding it; else the failing (or, for a missing site, warning) line.
std::optional<DoctorCheck> CheckSiteSearch(sync::HttpTransport& transport,
                                           const ServerConfig& server, const std::string& base,
                                           const std::string& site_id) {
    const std::string url = base + "/Location?_id=" + sync::QueryValue(site_id) + "&_count=1";
    auto answer = transport.Send(sync::HttpRequest{"GET", url, {}, {}});
    if (!answer) {
        return SendFailed(server, transport.LastFailure(), answer.error());
    }
    if (answer->status == 401 || answer->status == 403) {
        return Refused(server, url, answer->status);
    }
    const nlohmann::json body = nlohmann::json::parse(answer->body, nullptr, false);
    if (answer->status < 200 || answer->status > 299 || !body.is_object() ||
        body.value("resourceType", "") != "Bundle") {
        return Server(Verdict::kFail,
                      url + " answered HTTP " + std::to_string(answer->status) +
                          ", not with a search Bundle: the kiosk pulls with such searches",
                      "ask the server's administrator whether the kiosk may search Location, "
                      "Appointment and the other types it pulls (see the README)");
    }
    const auto entries = body.value("entry", nlohmann::json::array());
    if (!entries.is_array() || entries.empty()) {
        return Server(Verdict::kWarn,
                      "the server knows no Location " + site_id +
                          ": the kiosk would have no sessions to check in to",
                      "check [clinic] site_location_id against the server's Location ids");
    }
    return std::nullopt;
}

namespace {

/// The server and clock lines from `transport`: metadata, the site search, the Date header;
/// `statement` gets the server's CapabilityStatement when it sent an R4 one.
std::vector<DoctorCheck> AskServer(sync::HttpTransport& transport, const ServerConfig& server,
                                   const std::string& site_id, const Clock& clock,
                                   const DoctorLimits& limits, nlohmann::json& statement) {
    std::string base = server.url;
    while (!base.empty() && base.back() == '/') {
        base.pop_back();
    }
    const std::string url = base + "/metadata";
    const auto started = std::chrono::steady_clock::now();
    auto answer = transport.Send(sync::HttpRequest{"GET", url, {}, {}});
    const Instant local = clock.Now();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    if (!answer) {
        return {SendFailed(server, transport.LastFailure(), answer.error()),
                ClockNotChecked("the server did not answer")};
    }
    const sync::HttpResponse& response = answer.value();
    DoctorCheck clock_check =
        JudgeClockSkew(sync::ParseHttpDate(response.Header("date")), local, limits);
    const std::string status = "HTTP " + std::to_string(response.status);
    if (response.status == 401 || response.status == 403) {
        return {Refused(server, url, response.status), clock_check};
    }
    if (response.status < 200 || response.status > 299) {
        return {Server(Verdict::kFail, url + " answered " + status,
                       "check [server] url: it must be the FHIR base, e.g. "
                       "https://fhir.example.org/R4"),
                clock_check};
    }
    const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
    if (!body.is_object() || body.value("resourceType", "") != "CapabilityStatement") {
        return {Server(Verdict::kFail,
                       url + " answered " + status +
                           " but not as a FHIR server (no "
                           "CapabilityStatement)",
                       "check [server] url: it must be the FHIR base, e.g. "
                       "https://fhir.example.org/R4"),
                clock_check};
    }
    const std::string version = body.value("fhirVersion", "");
    if (!version.empty() && version.rfind("4.0", 0) != 0) {
        return {Server(Verdict::kFail,
                       url + " is a FHIR " + version + " server; the kiosk speaks FHIR R4 (4.0.x)",
                       "point [server] url at the server's R4 base"),
                clock_check};
    }
    statement = body;
    if (auto problem = CheckSiteSearch(transport, server, base, site_id)) {
        return {*problem, clock_check};
    }
    const std::string answered =
        server.url + " answered in " + std::to_string(ms) + " ms (" + TrustWords(server) + ")";
    if (server.url.rfind("http://", 0) == 0) {
        // Only reachable with allow_plain_http_for_tests: LoadConfig refuses http:// otherwise.
        return {Server(Verdict::kWarn, answered,
                       "use an https:// url and take allow_plain_http_for_tests out: plain http "
                       "sends check-ins and the token unencrypted"),
                clock_check};
    }
    return {Server(Verdict::kPass, answered), clock_check};
}

/// The "server" and "clock" lines, and "token" with SMART.
std::vector<DoctorCheck> ServerClockToken(const ServerConfig& server, const std::string& site_id,
                                          const Clock& clock, const DoctorLimits& limits,
                                          nlohmann::json& statement) {
    if (server.url.empty()) {
        return {
            Server(Verdict::kSkip, "no server configured ([server] url): the kiosk stays local"),
            ClockNotChecked("no server to compare with")};
    }
    sync::TransportOptions options = sync::TransportOptions::FromConfig(server);
    options.connect_timeout = std::chrono::seconds{5};
    options.stall_timeout = std::chrono::seconds{10};
    options.total_timeout = std::chrono::seconds{20};
    const bool smart = server.auth == ServerAuth::kSmartBackend;
    auto transport = sync::HttpTransport::Create(options);
    if (!transport && smart && transport.error().log.rfind("server.private_key_file", 0) == 0) {
        return {
            Server(Verdict::kSkip, "not asked: the kiosk has no token to ask with"),
            ClockNotChecked("the server was not asked"),
            {"token", Verdict::kFail, transport.error().log, TokenTodo(transport.error(), server)}};
    }
    if (!transport) {
        return {Server(Verdict::kFail, transport.error().log,
                       "fix that file or setting: the kiosk user must be able to read it"),
                ClockNotChecked("the server was not asked")};
    }
    if (!smart) {
        return AskServer(*transport.value(), server, site_id, clock, limits, statement);
    }
    DoctorCheck token = CheckToken(*transport.value()->Smart(), server);
    if (token.verdict == Verdict::kFail) {
        return {Server(Verdict::kSkip, "not asked: the kiosk has no token to ask with"),
                ClockNotChecked("the server was not asked"), token};
    }
    auto checks = AskServer(*transport.value(), server, site_id, clock, limits, statement);
    checks.push_back(token);
    return checks;
}

}  // namespace

DoctorCheck JudgeCapabilities(const std::vector<std::string>& missing) {
    if (missing.empty()) {
        return DoctorCheck{"capability",
                           Verdict::kPass,
                           "the server declares every search parameter, conditional create and "
                           "If-Match update the kiosk uses",
                           {}};
    }
    std::string list;
    for (const std::string& one : missing) {
        list += (list.empty() ? "" : "; ") + one;
    }
    return DoctorCheck{
        "capability", Verdict::kWarn,
        "the server's CapabilityStatement does not declare what the kiosk uses: " + list,
        "ask the server's vendor whether it supports these (a server may support "
        "more than it declares); docs/FHIR.md lists what the kiosk sends"};
}

std::vector<DoctorCheck> CheckServer(const ServerConfig& server, const std::string& site_id,
                                     const Clock& clock, const DoctorLimits& limits) {
    nlohmann::json statement;
    std::vector<DoctorCheck> checks = ServerClockToken(server, site_id, clock, limits, statement);
    // After "server" and "clock", before "token".
    checks.insert(checks.begin() + 2,
                  statement.is_object()
                      ? JudgeCapabilities(sync::MissingCapabilities(statement))
                      : DoctorCheck{"capability",
                                    Verdict::kSkip,
                                    "not checked: the server sent no CapabilityStatement",
                                    {}});
    return checks;
}

}  // namespace kiosk::app
