// SMART Backend Services for the transport: the token URL (configured, or read from the server's
// .well-known/smart-configuration), the client_credentials request with a signed assertion, the
// access token cached until shortly before it expires (on an injected clock) and a 401 that
// renews once and retries once. Tokens, assertions and keys are never logged.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "kiosk/core/Clock.h"
#include "kiosk/core/Result.h"
#include "sync/ClientAssertion.h"
#include "sync/HttpTransport.h"

namespace kiosk::sync {

/// One HTTP exchange without the kiosk's Authorization header (the transport's plain send).
using Exchange = std::function<Result<HttpResponse>(const HttpRequest&)>;

class SmartAuth {
  public:
    /// Loads and checks the key (an error names server.private_key_file); asks nothing yet.
    /// `exchange` carries the discovery and token requests; `clock` outlives this.
    static Result<std::unique_ptr<SmartAuth>> Create(const TransportOptions& options,
                                                     const Clock& clock, Exchange exchange);

    /// `request` with "Authorization: Bearer <token>" through `send`. A 401 drops the token,
    /// gets a new one and sends once more; the second answer is returned whatever it is.
    Result<HttpResponse> Send(HttpRequest request, const Exchange& send);

    /// A new token now, whatever the cache holds; its lifetime from the server's expires_in.
    Result<Seconds> Renew();

    const std::string& TokenUrl() const { return m_token_url; }  ///< "" until known
    int Renewals() const { return m_renewals; }

  private:
    SmartAuth(const TransportOptions& options, const Clock& clock, Exchange exchange,
              ClientAssertion assertion);
    /// The cached token while it is fresh, else a renewed one.
    Result<std::string> Token();
    /// server.token_url, or the token_endpoint of {url}/.well-known/smart-configuration.
    Status FindTokenUrl();
    /// The error for a token endpoint's refusal: which setting is likely wrong.
    Error Refused(const HttpResponse& response) const;

    std::string m_fhir_url;
    std::string m_client_id;
    std::string m_scope;
    std::string m_token_url;
    bool m_allow_plain_http;
    const Clock& m_clock;
    Exchange m_exchange;
    ClientAssertion m_assertion;

    std::string m_token;
    Monotonic m_renew_at{};
    int m_renewals = 0;
};

/// When a token that lives `lifetime` is renewed, counted from when it came: at 80% of its
/// life, but no earlier than 60 s before it ends.
std::chrono::milliseconds RenewAfter(Seconds lifetime);

}  // namespace kiosk::sync
