// One CURLU handle per URL read, freed by RAII; curl_url_set with a relative reference on a handle
// that holds a URL resolves it as a browser would.
#include "sync/Url.h"

#include <curl/curl.h>

#include <memory>
#include <optional>

namespace kiosk::sync {
namespace {

struct UrlFree {
    void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlFree>;

/// A handle holding `url`, or null when libcurl cannot read it.
UrlHandle Parse(const std::string& url) {
    UrlHandle h(curl_url());
    if (!h || curl_url_set(h.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
        return nullptr;
    }
    return h;
}

std::optional<std::string> Part(CURLU* url, CURLUPart part) {
    char* text = nullptr;
    if (curl_url_get(url, part, &text, 0) != CURLUE_OK || text == nullptr) {
        return std::nullopt;
    }
    std::string out(text);
    curl_free(text);
    return out;
}

}  // namespace

std::string HostOf(const std::string& url) {
    const UrlHandle h = Parse(url);
    const auto host = h ? Part(h.get(), CURLUPART_HOST) : std::nullopt;
    if (!host) {
        return url;
    }
    const auto port = Part(h.get(), CURLUPART_PORT);  // only when the URL names one
    return port ? *host + ":" + *port : *host;
}

std::string HostNameOf(const std::string& url) {
    const UrlHandle h = Parse(url);
    std::string host = h ? Part(h.get(), CURLUPART_HOST).value_or("") : "";
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    return host;
}

Result<std::string> FollowLink(const std::string& server_url, const std::string& request_url,
                               const std::string& link) {
    const UrlHandle ours = Parse(server_url);
    UrlHandle next = Parse(request_url);
    if (!ours || !next) {
        return MakeError(ErrorCode::kInternal, "not a URL: " + (ours ? request_url : server_url));
    }
    if (curl_url_set(next.get(), CURLUPART_URL, link.c_str(), 0) != CURLUE_OK) {
        return MakeError(
            ErrorCode::kNetwork,
            "the server's next link is not a URL the kiosk can follow: " + link.substr(0, 200));
    }
    for (const CURLUPart part :
         {CURLUPART_SCHEME, CURLUPART_HOST, CURLUPART_PORT, CURLUPART_ZONEID}) {
        const auto value = Part(ours.get(), part);
        if (curl_url_set(next.get(), part, value ? value->c_str() : nullptr, 0) != CURLUE_OK) {
            return MakeError(ErrorCode::kInternal, "cannot move a next link to " + server_url);
        }
    }
    for (const CURLUPart part :
         {CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_OPTIONS, CURLUPART_FRAGMENT}) {
        curl_url_set(next.get(), part, nullptr, 0);
    }
    auto out = Part(next.get(), CURLUPART_URL);
    if (!out) {
        return MakeError(ErrorCode::kInternal,
                         "cannot write the next link of " + link.substr(0, 200));
    }
    return *out;
}

}  // namespace kiosk::sync
