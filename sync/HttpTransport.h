// HTTPS to the clinic server over one reused libcurl easy handle: certificate checks always on,
// a clinic CA (then only it), public-key pins, a client certificate, a bearer token from a file
// or from SMART Backend Services (SmartAuth), a proxy only when configured, bounded timeouts and
// answer sizes. Knows HTTP, not FHIR. Depends on core only; libcurl stays inside the .cpp.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/Clock.h"
#include "kiosk/core/Config.h"
#include "kiosk/core/Result.h"
#include "sync/Url.h"

struct curl_slist;  // libcurl's header list

namespace kiosk::sync {

class SmartAuth;

struct TransportOptions {
    std::string ca_file;  ///< empty: the system's CAs; else this file's CAs and no others
    std::vector<std::string> pinned_public_keys;  ///< "sha256//base64", current and backup
    std::string client_cert;
    std::string client_key;
    std::string token_file;  ///< bearer token; read at start and on Reload(), never logged
    /// kSmartBackend: every request carries a token SmartAuth gets with the fields below.
    ServerAuth auth = ServerAuth::kNone;
    std::string fhir_url;  ///< [server] url, for its .well-known/smart-configuration
    std::string client_id;
    std::string private_key_file;
    std::string key_id;
    std::string scope;             ///< "" = kDefaultSmartScope
    std::string token_url;         ///< "" = from the smart-configuration
    const Clock* clock = nullptr;  ///< token expiry; null = the system clock
    bool allow_plain_http = false;
    /// "http://host:port": every request goes through it (CONNECT). Empty: no proxy at all,
    /// whatever http_proxy, https_proxy or ALL_PROXY in the environment say.
    std::string proxy;
    std::size_t max_response_bytes = std::size_t{64} << 20;  ///< larger answers are refused
    std::chrono::seconds connect_timeout{10};                ///< at most 10 s
    std::chrono::seconds stall_timeout{30};  ///< abort when under 1 byte/s for this long
    std::chrono::seconds total_timeout{120};

    static TransportOptions FromConfig(const ServerConfig& server);
};

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::string> headers;  ///< "Name: value"
    std::string body;
};

struct HttpResponse {
    long status = 0;
    std::map<std::string, std::string> headers;  ///< names lower-cased
    std::string body;

    std::string Header(const std::string& lower_name) const;
};

/// How a request that got no HTTP answer failed.
enum class SendFailure {
    kNotSent,      ///< the request never reached the server (DNS, refused, TLS handshake)
    kAmbiguous,    ///< it was sent but the answer is missing or cut: it may have been carried out
    kTrust,        ///< the server's certificate or key is not the one configured: never sent
    kClientSetup,  ///< the kiosk's own certificate, key or token cannot be used
    kStopped,      ///< the kiosk is shutting down
};

class HttpTransport {
  public:
    /// Checks the files named in `options` (readable, token not empty) and prepares curl.
    static Result<std::unique_ptr<HttpTransport>> Create(const TransportOptions& options);
    ~HttpTransport();
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    /// Re-reads the token file (a rotated token takes effect at the next sync round).
    Status Reload();

    /// One exchange. An HTTP error status is a response, not an Error; an Error means no
    /// usable answer, and LastFailure() says which kind (kClientSetup when no token was given).
    /// With SMART, a 401 renews the token once and sends once more.
    Result<HttpResponse> Send(const HttpRequest& request);
    /// The SMART token source (for `kiosk doctor`); null unless auth is smart-backend.
    SmartAuth* Smart() { return m_smart.get(); }
    SendFailure LastFailure() const { return m_last_failure; }

    /// Makes transfers in flight give up within a second or so once `*flag` is true.
    void SetStopFlag(const std::atomic<bool>* flag) { m_stop = flag; }
    long long RequestCount() const { return m_requests; }

  private:
    explicit HttpTransport(TransportOptions options);
    /// One exchange with only the configured bearer token (if any).
    Result<HttpResponse> SendOnce(const HttpRequest& request);
    struct FreeHeaders {
        void operator()(curl_slist* list) const;
    };
    using HeaderList = std::unique_ptr<curl_slist, FreeHeaders>;

    /// The request's headers, with Accept, a Content-Type for a body and the bearer token.
    HeaderList RequestHeaders(const HttpRequest& request) const;
    /// The URL, headers, method and body of `request` on the (CURL*) handle.
    static void SetRequestOptions(void* curl, const HttpRequest& request, curl_slist* headers);
    /// Trust, proxy, size and time limits on the (CURL*) handle: the same for every request.
    void SetConnectionOptions(void* curl) const;
    /// The Error for a failed curl_easy_perform (a CURLcode), setting m_last_failure.
    Error Failed(int code, const std::string& what, const std::string& url, const char* error_text,
                 bool too_large);
    /// A failure no retry can mend (trust, the kiosk's own certificate, key or URL), setting
    /// m_last_failure; nothing for any other failure.
    std::optional<Error> SetupFailure(int code, const std::string& what, const std::string& host,
                                      const std::string& detail);

    TransportOptions m_options;
    std::string m_token;
    std::unique_ptr<SmartAuth> m_smart;
    void* m_curl = nullptr;
    const std::atomic<bool>* m_stop = nullptr;
    SendFailure m_last_failure = SendFailure::kNotSent;
    long long m_requests = 0;
};

}  // namespace kiosk::sync
