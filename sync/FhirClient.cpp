// Status handling follows FHIR.md: 2xx is done; 412 means re-read; 408/409/425/429/5xx are
// transient; 401/403/404/405 say the kiosk's setup is wrong (never a reason to give an item up);
// any other 4xx is a permanent refusal of that request, with the OperationOutcome's words.
#include "sync/FhirClient.h"
#include "sync/JsonText.h"
#include "sync/Url.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "kiosk/core/Iso8601.h"
#include "kiosk/core/Log.h"
#include "sync/SearchCheck.h"

namespace kiosk::sync {
namespace {

using nlohmann::json;

constexpr int kMaxInlineRetries = 3;
constexpr size_t kMaxQueryInUrl = 1800;
/// Asks the server to refuse a search it cannot run as asked instead of dropping parameters
/// (FHIR R4 3.1.1.4.4). Many servers ignore it too, so the answer is still checked.
constexpr std::string_view kPreferStrict = "Prefer: handling=strict";

const char* kServerScreen =
    "The clinic server had a problem. Check-ins are saved and will be sent later.";
const char* kSetupScreen =
    "The kiosk is not allowed to use the clinic server. Please call IT support.";

std::string VersionFromEtag(const std::string& etag) {
    std::string v = etag;
    if (v.rfind("W/", 0) == 0) {
        v = v.substr(2);
    }
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
        v = v.substr(1, v.size() - 2);
    }
    return v;
}

std::string StatusWords(long status) {
    switch (status) {
        case 400:
            return "400 Bad Request";
        case 401:
            return "401 Unauthorized";
        case 403:
            return "403 Forbidden";
        case 404:
            return "404 Not Found";
        case 405:
            return "405 Method Not Allowed";
        case 408:
            return "408 Request Timeout";
        case 409:
            return "409 Conflict";
        case 410:
            return "410 Gone";
        case 412:
            return "412 Precondition Failed";
        case 413:
            return "413 Payload Too Large";
        case 415:
            return "415 Unsupported Media Type";
        case 422:
            return "422 Unprocessable Entity";
        case 429:
            return "429 Too Many Requests";
        case 500:
            return "500 Internal Server Error";
        case 502:
            return "502 Bad Gateway";
        case 503:
            return "503 Service Unavailable";
        case 504:
            return "504 Gateway Timeout";
        default:
            return std::to_string(status);
    }
}

/// When the server says its search was taken: the Bundle's meta.lastUpdated, else the answer's
/// Date header.
std::optional<Instant> BundleTime(const json& bundle, std::optional<Instant> server_time) {
    if (bundle.contains("meta") && bundle["meta"].is_object()) {
        if (auto t = ParseDateTime(StringMember(bundle["meta"], "lastUpdated")); t) {
            return t.value();
        }
    }
    return server_time;
}

/// Hands each entry of a search page that matches what was asked to `on_resource`; counts in
/// `dropped` those that do not (a parameter the server ignored).
Status EachMatch(const json& bundle, const std::string& what, const SearchCheck& check,
                 const std::function<Status(const json&)>& on_resource, long long& dropped) {
    if (!bundle.contains("entry")) {
        return Ok{};
    }
    if (!bundle["entry"].is_array()) {
        return MakeError(ErrorCode::kNetwork, what + ": Bundle.entry is not a list", kServerScreen);
    }
    for (const auto& entry : bundle["entry"]) {
        if (!entry.is_object() || !entry.contains("resource")) {
            continue;
        }
        if (entry.contains("search") && entry["search"].is_object() &&
            entry["search"].value("mode", "match") != "match") {
            continue;  // an OperationOutcome warning or an included resource
        }
        if (!check.Matches(entry["resource"])) {
            ++dropped;  // not what was asked: a parameter the server ignored
            continue;
        }
        if (auto s = on_resource(entry["resource"]); !s) {
            return s;
        }
    }
    return Ok{};
}

/// The page's "next" link as the server wrote it, or "" on the last page.
std::string NextLink(const json& bundle) {
    std::string next;
    for (const auto& link : bundle.value("link", json::array())) {
        if (link.is_object() && StringMember(link, "relation") == "next") {
            next = StringMember(link, "url");
        }
    }
    return next;
}

}  // namespace

std::string QueryValue(std::string_view value) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : value) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == ',') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string OutcomeText(const json& body) {
    if (!body.is_object() || StringMember(body, "resourceType") != "OperationOutcome") {
        return {};
    }
    std::string text;
    for (const auto& issue : body.value("issue", json::array())) {
        std::string one;
        if (issue.is_object() && issue.contains("details")) {
            one = StringMember(issue["details"], "text");
        }
        const std::string diagnostics = StringMember(issue, "diagnostics");
        if (one.empty()) {
            one = diagnostics;
        } else if (!diagnostics.empty() && diagnostics != one) {
            one += " (" + diagnostics + ")";
        }
        if (one.empty()) {
            one = StringMember(issue, "code");
        }
        if (!one.empty()) {
            text += (text.empty() ? "" : "; ") + one;
        }
    }
    return text;
}

std::optional<Instant> ParseHttpDate(const std::string& value) {
    // libcurl reads the three forms RFC 9110 5.6.7 asks a recipient to accept (IMF-fixdate,
    // RFC 850, asctime); -1 is its "cannot read", so 1969-12-31T23:59:59Z is refused too. Each
    // form names its month, so digits alone (libcurl reads "20260107") are no HTTP-date: as a
    // Retry-After they are delay-seconds.
    const bool names_month = std::any_of(value.begin(), value.end(),
                                         [](unsigned char c) { return std::isalpha(c) != 0; });
    if (!names_month || value.find('\0') != std::string::npos) {
        return std::nullopt;
    }
    const time_t at = curl_getdate(value.c_str(), nullptr);
    if (at == -1) {
        return std::nullopt;
    }
    return Instant{Seconds{at}};
}

std::optional<std::chrono::seconds> ParseRetryAfter(const std::string& value, Instant now) {
    if (value.empty()) {
        return std::nullopt;
    }
    if (value.find_first_not_of("0123456789") == std::string::npos && value.size() < 10) {
        return std::chrono::seconds{std::stoll(value)};
    }
    if (auto at = ParseHttpDate(value)) {
        return std::max(std::chrono::seconds{0}, *at - now);
    }
    return std::nullopt;
}

FhirClient::FhirClient(std::string base_url, HttpTransport& transport, Sleeper sleep,
                       FhirClientOptions options)
    : m_base(std::move(base_url)),
      m_transport(transport),
      m_sleep(std::move(sleep)),
      m_options(options) {
    while (!m_base.empty() && m_base.back() == '/') {
        m_base.pop_back();
    }
}

Result<FhirAnswer> FhirClient::Exchange(HttpRequest request, const std::string& what) {
    m_retry_after.reset();
    for (int attempt = 0;; ++attempt) {
        m_last_status = 0;
        auto sent = m_transport.Send(request);
        if (!sent) {
            return sent.error();
        }
        const HttpResponse& http = sent.value();
        m_last_status = static_cast<int>(http.status);
        FhirAnswer answer;
        answer.status = static_cast<int>(http.status);
        const std::string date_header = http.Header("date");
        answer.server_time = ParseHttpDate(date_header);
        json body;
        if (!http.body.empty()) {
            body = json::parse(http.body, nullptr, /*allow_exceptions=*/false);
            if (body.is_discarded()) {
                if (http.status >= 200 && http.status < 300) {
                    return MakeError(ErrorCode::kNetwork,
                                     what + ": the server's answer (HTTP " +
                                         std::to_string(http.status) + ", " +
                                         std::to_string(http.body.size()) +
                                         " bytes) is not valid JSON: cut off or garbled",
                                     kServerScreen);
                }
                body = json();  // an error page: the status says enough
            }
        }
        if (http.status >= 200 && http.status < 300) {
            if (!body.is_null() && !body.is_object()) {
                return MakeError(ErrorCode::kNetwork,
                                 what + ": the server's answer is not a FHIR resource",
                                 kServerScreen);
            }
            answer.version = VersionFromEtag(http.Header("etag"));
            if (answer.version.empty() && body.is_object() && body.contains("meta") &&
                body["meta"].is_object()) {
                answer.version = StringMember(body["meta"], "versionId");
            }
            answer.resource = std::move(body);
            return answer;
        }

        const std::string outcome = OutcomeText(body);
        std::string message = what + ": HTTP " + StatusWords(http.status);
        if (!outcome.empty()) {
            message += ": " + outcome;
        }
        const long s = http.status;
        if (s == 429 || s == 503) {
            const Instant now = answer.server_time.value_or(
                std::chrono::floor<Seconds>(std::chrono::system_clock::now()));
            auto wait = ParseRetryAfter(http.Header("retry-after"), now);
            if (wait) {
                wait = std::clamp(*wait, std::chrono::seconds{1}, kMaxRetryAfter);
                if (*wait <= m_options.max_inline_wait && attempt < kMaxInlineRetries) {
                    if (!m_sleep(std::chrono::milliseconds(*wait))) {
                        return MakeError(ErrorCode::kNetwork, message + " (stopped while waiting)",
                                         kServerScreen);
                    }
                    continue;
                }
                m_retry_after = wait;
                message += " (retry after " + std::to_string(wait->count()) + " s)";
            }
            return MakeError(ErrorCode::kNetwork, message, kServerScreen);
        }
        if (s == 412) {
            return MakeError(ErrorCode::kConflict, message);
        }
        if (s == 408 || s == 409 || s == 425 || s >= 500 || s < 200 || (s >= 300 && s < 400)) {
            return MakeError(ErrorCode::kNetwork, message, kServerScreen);
        }
        if (s == 401 || s == 403 || s == 405 || s == 407) {
            return MakeError(ErrorCode::kConfig,
                             message +
                                 " (check server.token_file or the SMART client's "
                                 "server.client_id and scope, the client certificate and the "
                                 "kiosk's permissions on the server)",
                             kSetupScreen);
        }
        if (s == 404 || s == 410) {
            return MakeError(ErrorCode::kNotFound, message);
        }
        return MakeError(
            ErrorCode::kRejected, message,
            "The clinic server refused a record. Staff can see it on the status screen.");
    }
}

Result<std::optional<Instant>> FhirClient::Search(
    const std::string& type, const std::string& query,
    const std::function<Status(const json&)>& on_resource) {
    std::string params = query;
    if (query.find("_count=") == std::string::npos) {
        params += (query.empty() ? "" : "&") + std::string("_count=") +
                  std::to_string(m_options.page_size);
    }
    // A long query (many ids) goes as POST Type/_search with a form body (FHIR R4 3.1.0.8):
    // URLs over a few kB are cut by proxies and servers. Next links are the server's own GETs.
    // What was asked is checked again on every resource that comes back (SearchCheck.h).
    auto check = SearchCheck::For(type, params);
    if (!check) {
        return check.error();
    }
    long long dropped = 0;
    const bool post = params.size() > kMaxQueryInUrl;
    std::string url = post ? m_base + "/" + type + "/_search" : m_base + "/" + type + "?" + params;
    std::optional<Instant> first_time;
    std::set<std::string> seen_links;
    for (int page = 0; page < m_options.max_pages; ++page) {
        const bool post_this = post && page == 0;
        const std::string what =
            (post_this ? "POST " + type + "/_search?" + params.substr(0, 200) + "..."
                       : "GET " + (url.rfind(m_base + "/", 0) == 0 ? url.substr(m_base.size() + 1)
                                                                   : url));
        HttpRequest request{"GET", url, {std::string(kPreferStrict)}, {}};
        if (post_this) {
            request = HttpRequest{
                "POST",
                url,
                {"Content-Type: application/x-www-form-urlencoded", std::string(kPreferStrict)},
                params};
        }
        auto answer = Exchange(std::move(request), what);
        if (!answer) {
            if (answer.error().code == ErrorCode::kNotFound) {
                return MakeError(ErrorCode::kConfig,
                                 answer.error().log + " (is server.url the FHIR base?)",
                                 kSetupScreen);
            }
            return answer.error();
        }
        const json& bundle = answer->resource;
        if (!bundle.is_object() || StringMember(bundle, "resourceType") != "Bundle") {
            return MakeError(ErrorCode::kNetwork, what + ": the answer is not a FHIR Bundle",
                             kServerScreen);
        }
        if (page == 0) {
            first_time = BundleTime(bundle, answer->server_time);
        }
        if (auto s = EachMatch(bundle, what, check.value(), on_resource, dropped); !s) {
            return s.error();
        }
        const std::string next = NextLink(bundle);
        if (next.empty()) {
            if (dropped > 0) {
                LogWarn("sync", type + " search: the server sent " + std::to_string(dropped) +
                                    " resources that do not match what was asked (" +
                                    params.substr(0, 160) +
                                    "); it may ignore a search parameter. They were not used.");
            }
            return first_time;
        }
        // A relative link is read against the request that returned it; for the POST of a long
        // query that is the search's GET form, Type?..., which is what a server means by it.
        auto followed = FollowLink(m_base, post_this ? m_base + "/" + type : url, next);
        if (!followed) {
            return MakeError(ErrorCode::kNetwork, what + ": " + followed.error().log,
                             kServerScreen);
        }
        url = std::move(followed).value();
        if (!seen_links.insert(url).second) {
            return MakeError(ErrorCode::kNetwork,
                             what + ": the server's next link goes in a circle", kServerScreen);
        }
    }
    return MakeError(ErrorCode::kNetwork,
                     type + " search: the server has more than " +
                         std::to_string(m_options.max_pages) +
                         " pages of results, the limit set by server.max_pages (raise it if "
                         "the clinic really holds that many; a server that pages forever is "
                         "broken)",
                     kServerScreen);
}

Result<std::vector<json>> FhirClient::SearchAll(const std::string& type, const std::string& query) {
    std::vector<json> out;
    auto r = Search(type, query, [&](const json& resource) -> Status {
        out.push_back(resource);
        return Ok{};
    });
    if (!r) {
        return r.error();
    }
    return out;
}

Result<std::optional<FhirAnswer>> FhirClient::Read(const std::string& type, const std::string& id) {
    auto answer = Exchange(HttpRequest{"GET", m_base + "/" + type + "/" + QueryValue(id), {}, {}},
                           "GET " + type + "/" + id);
    if (!answer) {
        if (answer.error().code == ErrorCode::kNotFound) {
            return std::optional<FhirAnswer>();
        }
        return answer.error();
    }
    if (!answer->resource.is_object() || StringMember(answer->resource, "resourceType") != type ||
        StringMember(answer->resource, "id") != id) {
        return MakeError(ErrorCode::kNetwork,
                         "GET " + type + "/" + id + ": the answer is not that " + type,
                         kServerScreen);
    }
    return std::optional<FhirAnswer>(std::move(answer).value());
}

Result<FhirAnswer> FhirClient::ConditionalCreate(const json& resource,
                                                 const std::string& if_none_exist) {
    const std::string type = StringMember(resource, "resourceType");
    HttpRequest request{"POST",
                        m_base + "/" + type,
                        {"If-None-Exist: " + if_none_exist, "Prefer: return=representation"},
                        resource.dump()};
    auto answer = Exchange(std::move(request), "POST " + type + " (" + if_none_exist + ")");
    if (!answer) {
        if (answer.error().code == ErrorCode::kNotFound) {
            return MakeError(ErrorCode::kConfig,
                             answer.error().log + " (is server.url the FHIR base?)", kSetupScreen);
        }
        return answer.error();
    }
    if (answer->status != 201 && answer->resource.is_object()) {
        // "Already there": only if what the server returned is what If-None-Exist asked for.
        auto check = SearchCheck::For(type, if_none_exist);
        if (!check) {
            return check.error();
        }
        if (!check->Matches(answer->resource)) {
            return MakeError(ErrorCode::kNetwork,
                             "POST " + type + ": the server answered with " + type + "/" +
                                 StringMember(answer->resource, "id") +
                                 ", which does not match If-None-Exist (" + if_none_exist +
                                 "); it was not used",
                             kServerScreen);
        }
    }
    if (!answer->resource.is_object() || StringMember(answer->resource, "resourceType") != type ||
        StringMember(answer->resource, "id").empty()) {
        // Without the body the kiosk cannot know the id: treat it like a lost answer, so the next
        // attempt searches by identifier first.
        return MakeError(ErrorCode::kNetwork,
                         "POST " + type + ": the answer (HTTP " + std::to_string(answer->status) +
                             ") does not hold the " + type,
                         kServerScreen);
    }
    return answer;
}

Result<FhirAnswer> FhirClient::Update(const json& resource, const std::string& version) {
    const std::string type = StringMember(resource, "resourceType");
    const std::string id = StringMember(resource, "id");
    std::vector<std::string> headers{"Prefer: return=representation"};
    if (!version.empty()) {
        headers.push_back("If-Match: W/\"" + version + "\"");
    }
    auto answer = Exchange(
        HttpRequest{"PUT", m_base + "/" + type + "/" + QueryValue(id), headers, resource.dump()},
        "PUT " + type + "/" + id);
    if (!answer) {
        if (answer.error().code == ErrorCode::kNotFound) {
            // Deleted on the server meanwhile: for If-Match that is a failed precondition.
            return MakeError(ErrorCode::kConflict, answer.error().log);
        }
        return answer.error();
    }
    if (!answer->resource.is_object() || StringMember(answer->resource, "id") != id) {
        return MakeError(ErrorCode::kNetwork,
                         "PUT " + type + "/" + id + ": the answer does not hold the " + type,
                         kServerScreen);
    }
    return answer;
}

}  // namespace kiosk::sync
