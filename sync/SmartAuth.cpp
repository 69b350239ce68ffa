// The token request is a form POST (RFC 6749 4.4, RFC 7523 2.2) with the assertion made fresh
// for each request. The token endpoint's OAuth error and error_description name what it did not
// like; Refused turns them into the [server] setting to check. Only lifetimes reach the log.
#include "sync/SmartAuth.h"

#include <curl/curl.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "kiosk/core/Log.h"
#include "sync/Url.h"

namespace kiosk::sync {
namespace {

const char* kAuthScreen = "The kiosk cannot sign in to the clinic server. Please call IT support.";

Error AuthError(std::string log) {
    return MakeError(ErrorCode::kConfig, std::move(log), kAuthScreen);
}

std::string FormValue(const std::string& text) {
    char* escaped = curl_easy_escape(nullptr, text.c_str(), static_cast<int>(text.size()));
    std::string out = escaped != nullptr ? escaped : "";
    curl_free(escaped);
    return out;
}

bool Mentions(const std::string& text, std::initializer_list<const char*> words) {
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::any_of(words.begin(), words.end(),
                       [&](const char* w) { return lower.find(w) != std::string::npos; });
}

}  // namespace

std::chrono::milliseconds RenewAfter(Seconds lifetime) {
    const std::chrono::milliseconds life = lifetime;
    return std::max(life * 4 / 5, life - std::chrono::milliseconds{60000});
}

SmartAuth::SmartAuth(const TransportOptions& options, const Clock& clock, Exchange exchange,
                     ClientAssertion assertion)
    : m_fhir_url(options.fhir_url),
      m_client_id(options.client_id),
      m_scope(options.scope.empty() ? kDefaultSmartScope : options.scope),
      m_token_url(options.token_url),
      m_allow_plain_http(options.allow_plain_http),
      m_clock(clock),
      m_exchange(std::move(exchange)),
      m_assertion(std::move(assertion)) {}

Result<std::unique_ptr<SmartAuth>> SmartAuth::Create(const TransportOptions& options,
                                                     const Clock& clock, Exchange exchange) {
    auto assertion = ClientAssertion::Load(options.private_key_file, options.key_id);
    if (!assertion) {
        return assertion.error();
    }
    return std::unique_ptr<SmartAuth>(
        new SmartAuth(options, clock, std::move(exchange), std::move(assertion.value())));
}

Result<HttpResponse> SmartAuth::Send(HttpRequest request, const Exchange& send) {
    auto token = Token();
    if (!token) {
        return token.error();
    }
    request.headers.push_back("Authorization: Bearer " + token.value());
    auto answer = send(request);
    if (!answer || answer->status != 401) {
        return answer;
    }
    LogInfo("sync", "the server refused the access token (HTTP 401): renewing it once");
    m_token.clear();
    token = Token();
    if (!token) {
        return token.error();
    }
    request.headers.back() = "Authorization: Bearer " + token.value();
    return send(request);
}

Result<std::string> SmartAuth::Token() {
    if (m_token.empty() || m_clock.Steady() >= m_renew_at) {
        if (auto renewed = Renew(); !renewed) {
            return renewed.error();
        }
    }
    return m_token;
}

Status SmartAuth::FindTokenUrl() {
    if (!m_token_url.empty()) {
        return Ok{};
    }
    std::string base = m_fhir_url;
    while (!base.empty() && base.back() == '/') {
        base.pop_back();
    }
    const std::string url = base + "/.well-known/smart-configuration";
    auto answer = m_exchange(HttpRequest{"GET", url, {"Accept: application/json"}, {}});
    if (!answer) {
        return answer.error();
    }
    const auto body = nlohmann::json::parse(answer->body, nullptr, false);
    const auto endpoint =
        body.is_object() && body.contains("token_endpoint") && body["token_endpoint"].is_string()
            ? body["token_endpoint"].get<std::string>()
            : std::string();
    if (answer->status != 200 || endpoint.empty()) {
        return AuthError("token URL: " + url + " answered HTTP " + std::to_string(answer->status) +
                         " without a token_endpoint; set [server] token_url to the server's "
                         "OAuth token URL");
    }
    const bool https = endpoint.rfind("https://", 0) == 0;
    if (!https && !(m_allow_plain_http && endpoint.rfind("http://", 0) == 0)) {
        return AuthError("token URL: " + url + " names token_endpoint " + endpoint +
                         ", which is not https://: refusing to send the kiosk's assertion there");
    }
    m_token_url = endpoint;
    return Ok{};
}

Result<Seconds> SmartAuth::Renew() {
    m_token.clear();
    if (auto found = FindTokenUrl(); !found) {
        return found.error();
    }
    auto assertion = m_assertion.Sign(m_client_id, m_token_url, m_clock.Now());
    if (!assertion) {
        return assertion.error();
    }
    const std::string form = "grant_type=client_credentials&scope=" + FormValue(m_scope) +
                             "&client_assertion_type=" +
                             FormValue("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
                             "&client_assertion=" + FormValue(assertion.value());
    const Monotonic asked = m_clock.Steady();
    auto answer = m_exchange(
        HttpRequest{"POST",
                    m_token_url,
                    {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"},
                    form});
    if (!answer) {
        return answer.error();
    }
    const auto body = nlohmann::json::parse(answer->body, nullptr, false);
    if (answer->status != 200 || !body.is_object()) {
        return Refused(answer.value());
    }
    const std::string token = body.value("access_token", "");
    const std::string type = body.value("token_type", "");
    if (token.empty() || token.find_first_of(" \t\r\n") != std::string::npos ||
        !Mentions(type, {"bearer"})) {
        return AuthError("token URL: " + m_token_url +
                         " answered 200 without a bearer access_token: is it the server's OAuth "
                         "token URL?");
    }
    const long long expires_in = body.contains("expires_in") && body["expires_in"].is_number()
                                     ? body["expires_in"].get<long long>()
                                     : 300;
    const Seconds lifetime{std::clamp(expires_in, 1LL, 86400LL)};
    m_token = token;
    m_renew_at = asked + RenewAfter(lifetime);
    ++m_renewals;
    LogInfo("sync", "token renewed, expires in " + std::to_string(lifetime.count()) + " s");
    return lifetime;
}

Error SmartAuth::Refused(const HttpResponse& response) const {
    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    const std::string error = body.is_object() ? body.value("error", "") : "";
    std::string description = body.is_object() ? body.value("error_description", "") : "";
    description = description.substr(0, 200);
    const std::string said =
        "the token endpoint " + m_token_url + " refused the kiosk (HTTP " +
        std::to_string(response.status) +
        (error.empty() ? "" : ", " + error + (description.empty() ? "" : ": " + description)) +
        "): ";
    const std::string client = "client id: check server.client_id \"" + m_client_id +
                               "\" (is this client registered on the server?)";
    const std::string key = "key: check that the public key of server.private_key_file (" +
                            m_assertion.Algorithm() + ") is the one registered for client \"" +
                            m_client_id + "\" (its JWKS" + " and kid, server.key_id)";
    if (error == "invalid_scope" || (error.empty() && Mentions(description, {"scope"}))) {
        return AuthError(said + "scope: server.scope asks for more than client \"" + m_client_id +
                         "\" may have; ask for less, or have the client allowed more");
    }
    const bool assertion_refused =
        error == "invalid_client" || error == "invalid_grant" || error == "unauthorized_client";
    if (assertion_refused && Mentions(description, {"aud"})) {
        return AuthError(said + "token URL: the assertion's aud is the token URL " + m_token_url +
                         "; set server.token_url to the URL the server expects");
    }
    if (error == "invalid_client" || error == "unauthorized_client") {
        const bool blames_key = Mentions(description, {"signature", "key", "kid", "jwk", "verif"});
        return AuthError(said + (blames_key ? key : client));
    }
    if (error == "invalid_grant") {
        return AuthError(said + key + ", and this box's clock (timedatectl status)");
    }
    return AuthError(said + "token URL: is " + m_token_url +
                     " the server's OAuth token URL (server.token_url)?");
}

}  // namespace kiosk::sync
