// libcurl underneath: one easy handle, reset before every request so no option leaks from one
// request to the next while its connection cache (keep-alive, TLS sessions) is kept. Peer and
// host verification are set on explicitly and never turned off; curl's error text names what
// failed and goes into the message, the Authorization header never does. What libcurl would
// otherwise take from outside the config is switched off: its compiled-in CA directory
// (/etc/ssl/certs on Debian) when a ca_file is named, and proxies from the environment.
#include "sync/HttpTransport.h"

#include <curl/curl.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

#include "sync/SmartAuth.h"

namespace kiosk::sync {
namespace {

constexpr const char* kUserAgent = "iop-kiosk-sync/0.1";

std::once_flag g_curl_init;

/// The body being received and its cap: an answer larger than the cap is cut off while it
/// arrives (a compressed answer is measured after decompression), not after.
struct Body {
    std::string* text;
    std::size_t cap;
    bool over = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
    auto* body = static_cast<Body*>(user);
    const size_t n = size * count;
    if (body->text->size() + n > body->cap) {
        body->over = true;
        return 0;  // makes curl fail with CURLE_WRITE_ERROR
    }
    body->text->append(data, n);
    return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
    auto* headers = static_cast<std::map<std::string, std::string>*>(user);
    const size_t n = size * count;
    std::string line(data, n);
    if (line.rfind("HTTP/", 0) == 0) {
        headers->clear();  // a new response (after 100 Continue, or a retried request)
        return n;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) {
        return n;
    }
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    const auto first = value.find_first_not_of(" \t");
    const auto last = value.find_last_not_of(" \t\r\n");
    value = first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
    (*headers)[name] = value;
    return n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto* stop = static_cast<const std::atomic<bool>*>(user);
    return stop != nullptr && stop->load() ? 1 : 0;
}

Status CheckReadable(const std::string& file, const std::string& key) {
    if (file.empty()) {
        return Ok{};
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return MakeError(ErrorCode::kConfig,
                         "server." + key + " " + file +
                             " cannot be read (does it exist, and may the kiosk user read it?)");
    }
    return Ok{};
}

Error Failure(ErrorCode code, std::string log, std::string screen) {
    return MakeError(code, std::move(log), std::move(screen));
}

const char* kOfflineScreen =
    "The clinic server cannot be reached. Check-ins are saved on this kiosk and will be sent "
    "later.";
const char* kSetupScreen =
    "The kiosk cannot connect securely to the clinic server. Please call IT support.";

}  // namespace

TransportOptions TransportOptions::FromConfig(const ServerConfig& server) {
    TransportOptions o;
    o.ca_file = server.ca_file;
    o.pinned_public_keys = server.pinned_public_keys;
    o.client_cert = server.client_cert;
    o.client_key = server.client_key;
    o.token_file = server.token_file;
    o.auth = server.auth;
    o.fhir_url = server.url;
    o.client_id = server.client_id;
    o.private_key_file = server.private_key_file;
    o.key_id = server.key_id;
    o.scope = server.scope;
    o.token_url = server.token_url;
    o.allow_plain_http = server.allow_plain_http_for_tests;
    o.proxy = server.proxy;
    o.max_response_bytes = static_cast<std::size_t>(server.max_response_mb) << 20;
    return o;
}

std::string HttpResponse::Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
}

HttpTransport::HttpTransport(TransportOptions options) : m_options(std::move(options)) {}

HttpTransport::~HttpTransport() {
    if (m_curl != nullptr) {
        curl_easy_cleanup(static_cast<CURL*>(m_curl));
    }
}

Result<std::unique_ptr<HttpTransport>> HttpTransport::Create(const TransportOptions& options) {
    std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    for (const auto& [file, key] :
         {std::pair{options.ca_file, "ca_file"}, std::pair{options.client_cert, "client_cert"},
          std::pair{options.client_key, "client_key"}}) {
        if (auto s = CheckReadable(file, key); !s) {
            return s.error();
        }
    }
    if (options.connect_timeout > std::chrono::seconds{10} || options.connect_timeout.count() < 1) {
        return MakeError(ErrorCode::kInternal, "connect timeout must be 1-10 s");
    }
    std::unique_ptr<HttpTransport> t(new HttpTransport(options));
    t->m_curl = curl_easy_init();
    if (t->m_curl == nullptr) {
        return MakeError(ErrorCode::kInternal, "libcurl could not make a handle");
    }
    if (auto s = t->Reload(); !s) {
        return s.error();
    }
    if (options.auth == ServerAuth::kSmartBackend) {
        static const SystemClock system_clock;
        HttpTransport* raw = t.get();
        auto smart = SmartAuth::Create(options, options.clock ? *options.clock : system_clock,
                                       [raw](const HttpRequest& r) { return raw->SendOnce(r); });
        if (!smart) {
            return smart.error();
        }
        t->m_smart = std::move(smart.value());
    }
    return t;
}

Status HttpTransport::Reload() {
    if (m_options.token_file.empty()) {
        return Ok{};
    }
    std::ifstream in(m_options.token_file, std::ios::binary);
    if (!in) {
        return MakeError(ErrorCode::kConfig,
                         "server.token_file " + m_options.token_file +
                             " cannot be read (does it exist, and may the kiosk user read it?)",
                         kSetupScreen);
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::string token = text.str();
    const auto first = token.find_first_not_of(" \t\r\n");
    const auto last = token.find_last_not_of(" \t\r\n");
    token = first == std::string::npos ? std::string() : token.substr(first, last - first + 1);
    if (token.empty()) {
        return MakeError(ErrorCode::kConfig,
                         "server.token_file " + m_options.token_file + " is empty", kSetupScreen);
    }
    if (token.find_first_of("\r\n\t ") != std::string::npos) {
        return MakeError(ErrorCode::kConfig,
                         "server.token_file " + m_options.token_file +
                             " holds more than one line or word; it must hold only the token",
                         kSetupScreen);
    }
    m_token = std::move(token);
    return Ok{};
}

void HttpTransport::FreeHeaders::operator()(curl_slist* list) const {
    curl_slist_free_all(list);
}

Result<HttpResponse> HttpTransport::Send(const HttpRequest& request) {
    if (!m_smart) {
        return SendOnce(request);
    }
    auto answer = m_smart->Send(request, [this](const HttpRequest& r) { return SendOnce(r); });
    if (!answer && answer.error().code == ErrorCode::kConfig &&
        m_last_failure == SendFailure::kNotSent) {
        m_last_failure = SendFailure::kClientSetup;  // the token endpoint answered: no token
    }
    return answer;
}

Result<HttpResponse> HttpTransport::SendOnce(const HttpRequest& request) {
    CURL* curl = static_cast<CURL*>(m_curl);
    curl_easy_reset(curl);
    ++m_requests;
    m_last_failure = SendFailure::kNotSent;
    const std::string what = request.method + " " + request.url;
    if (m_stop != nullptr && m_stop->load()) {
        m_last_failure = SendFailure::kStopped;
        return MakeError(ErrorCode::kNetwork, what + ": the kiosk is stopping");
    }

    HttpResponse response;
    char error_text[CURL_ERROR_SIZE] = {0};
    const HeaderList headers = RequestHeaders(request);
    SetConnectionOptions(curl);
    SetRequestOptions(curl, request, headers.get());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
    Body body{&response.body, m_options.max_response_bytes};
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, OnProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, m_stop);

    const CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
        return response;
    }
    return Failed(rc, what, request.url, error_text, body.over);
}

HttpTransport::HeaderList HttpTransport::RequestHeaders(const HttpRequest& request) const {
    curl_slist* headers = nullptr;
    for (const auto& h : request.headers) {
        headers = curl_slist_append(headers, h.c_str());
    }
    bool typed = false;
    bool accepts = false;
    for (const auto& h : request.headers) {
        typed = typed || h.rfind("Content-Type:", 0) == 0;
        accepts = accepts || h.rfind("Accept:", 0) == 0;
    }
    if (!accepts) {
        headers = curl_slist_append(headers, "Accept: application/fhir+json");
    }
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    if (!request.body.empty() && !typed) {
        headers = curl_slist_append(headers, "Content-Type: application/fhir+json; charset=utf-8");
    }
    if (!m_token.empty()) {
        const std::string auth = "Authorization: Bearer " + m_token;
        headers = curl_slist_append(headers, auth.c_str());  // curl copies it
    }
    return HeaderList(headers);
}

void HttpTransport::SetRequestOptions(void* handle, const HttpRequest& request,
                                      curl_slist* headers) {
    CURL* curl = static_cast<CURL*>(handle);
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (request.method == "GET") {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
        return;
    }
    if (request.method != "POST") {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
}

void HttpTransport::SetConnectionOptions(void* handle) const {
    CURL* curl = static_cast<CURL*>(handle);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR,
                     m_options.allow_plain_http ? "http,https" : "https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!m_options.ca_file.empty()) {
        // Only the clinic's CA: libcurl would also search its compiled-in CA directory
        // (curl-config --ca; CURLOPT_CAPATH defaults to /etc/ssl/certs on Debian), so any
        // public CA could vouch for a server that claims the clinic's name.
        curl_easy_setopt(curl, CURLOPT_CAINFO, m_options.ca_file.c_str());
        curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr);
    }
    // A proxy only when the config names one: "" also turns off http_proxy, https_proxy and
    // ALL_PROXY from the environment. A configured proxy is used for every host (NO_PROXY is
    // not applied) and only ever tunnels: it never sees a request, the token or a check-in.
    curl_easy_setopt(curl, CURLOPT_PROXY, m_options.proxy.c_str());
    if (!m_options.proxy.empty()) {
        curl_easy_setopt(curl, CURLOPT_NOPROXY, "");
        curl_easy_setopt(curl, CURLOPT_HTTPPROXYTUNNEL, 1L);
    }
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(m_options.max_response_bytes));
    std::string pins;
    for (const auto& pin : m_options.pinned_public_keys) {
        pins += (pins.empty() ? "" : ";") + pin;
    }
    if (!pins.empty()) {
        curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, pins.c_str());
    }
    if (!m_options.client_cert.empty()) {
        curl_easy_setopt(curl, CURLOPT_SSLCERT, m_options.client_cert.c_str());
        curl_easy_setopt(curl, CURLOPT_SSLKEY, m_options.client_key.c_str());
    }
    curl_easy_setopt(
        curl, CURLOPT_CONNECTTIMEOUT_MS,
        static_cast<long>(std::chrono::milliseconds(m_options.connect_timeout).count()));
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                     static_cast<long>(m_options.stall_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(std::chrono::milliseconds(m_options.total_timeout).count()));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_USERAGENT, kUserAgent);
}

std::optional<Error> HttpTransport::SetupFailure(int code, const std::string& what,
                                                 const std::string& host,
                                                 const std::string& detail) {
    switch (static_cast<CURLcode>(code)) {
        case CURLE_ABORTED_BY_CALLBACK:
            m_last_failure = SendFailure::kStopped;
            return Failure(ErrorCode::kNetwork, what + ": stopped (the kiosk is shutting down)",
                           kOfflineScreen);
        case CURLE_PEER_FAILED_VERIFICATION:
            m_last_failure = SendFailure::kTrust;
            return Failure(
                ErrorCode::kConfig,
                "the certificate of " + host + " is not trusted (" + detail +
                    "): refusing to send anything. Check server.ca_file (the clinic's CA) "
                    "and that server.url names the host on the certificate.",
                kSetupScreen);
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            m_last_failure = SendFailure::kTrust;
            return Failure(ErrorCode::kConfig,
                           "the public key of " + host +
                               " matches none of server.pinned_public_keys: refusing to send "
                               "anything. If the server's key was changed on purpose, add its pin "
                               "to the config.",
                           kSetupScreen);
        case CURLE_SSL_CACERT_BADFILE:
            m_last_failure = SendFailure::kClientSetup;
            return Failure(ErrorCode::kConfig,
                           "server.ca_file " + m_options.ca_file +
                               " is not a PEM CA certificate (" + detail + ")",
                           kSetupScreen);
        case CURLE_SSL_CERTPROBLEM:
            m_last_failure = SendFailure::kClientSetup;
            return Failure(ErrorCode::kConfig,
                           "server.client_cert / server.client_key cannot be used (" + detail + ")",
                           kSetupScreen);
        case CURLE_UNSUPPORTED_PROTOCOL:
            m_last_failure = SendFailure::kClientSetup;
            return Failure(ErrorCode::kConfig, what + ": only https:// is allowed (" + detail + ")",
                           kSetupScreen);
        default:
            break;
    }
    if (detail.find("alert certificate required") != std::string::npos ||
        detail.find("alert bad certificate") != std::string::npos ||
        detail.find("alert unknown ca") != std::string::npos) {
        m_last_failure = SendFailure::kClientSetup;
        return Failure(ErrorCode::kConfig,
                       host + " refused the kiosk's client certificate (" + detail +
                           "): check server.client_cert and server.client_key",
                       kSetupScreen);
    }
    return std::nullopt;
}

Error HttpTransport::Failed(int code, const std::string& what, const std::string& url,
                            const char* error_text, bool too_large) {
    CURL* curl = static_cast<CURL*>(m_curl);
    const auto rc = static_cast<CURLcode>(code);
    long sent = 0;
    curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &sent);
    const std::string detail = error_text[0] != '\0' ? error_text : curl_easy_strerror(rc);
    const std::string host = HostOf(url);
    if (auto setup = SetupFailure(code, what, host, detail)) {
        return *setup;
    }
    long proxy_status = 0;  // the proxy's answer to CONNECT when it refused the tunnel
    curl_easy_getinfo(curl, CURLINFO_HTTP_CONNECTCODE, &proxy_status);
    const bool proxy_refused = proxy_status >= 300 || rc == CURLE_COULDNT_RESOLVE_PROXY;
    if (!m_options.proxy.empty() && (proxy_refused || rc == CURLE_COULDNT_CONNECT)) {
        m_last_failure = SendFailure::kNotSent;
        return Failure(
            ErrorCode::kNetwork,
            what + ": the proxy " + HostOf(m_options.proxy) +
                " (server.proxy) did not connect the kiosk to " + host +
                (proxy_status >= 300 ? " (it answered HTTP " + std::to_string(proxy_status) + ")"
                                     : "") +
                " (" + detail + ")",
            kOfflineScreen);
    }
    const bool not_sent = rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_CONNECT ||
                          rc == CURLE_SSL_CONNECT_ERROR || sent <= 0;
    m_last_failure = not_sent ? SendFailure::kNotSent : SendFailure::kAmbiguous;
    std::string why;
    if (rc == CURLE_OPERATION_TIMEDOUT) {
        why =
            not_sent ? "timed out before the request was sent" : "timed out waiting for the answer";
    } else if (rc == CURLE_GOT_NOTHING) {
        why = "the server closed the connection without answering";
    } else if (rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR) {
        why = "the answer was cut off";
    } else if (rc == CURLE_FILESIZE_EXCEEDED || (rc == CURLE_WRITE_ERROR && too_large)) {
        why = "the answer is larger than " + std::to_string(m_options.max_response_bytes >> 20) +
              " MB, the limit set by server.max_response_mb (raise it if the server's answers are "
              "that large)";
    } else {
        why = not_sent ? "cannot connect" : "the exchange failed";
    }
    return Failure(ErrorCode::kNetwork, what + ": " + why + " (" + detail + ")", kOfflineScreen);
}

}  // namespace kiosk::sync
