// URLs the sync code reads or builds from a server's words, through libcurl's URL API (RFC 3986:
// relative references, userinfo, IPv6 literals, case) rather than string cutting. Depends on core
// only; libcurl stays inside the .cpp.
#pragma once

#include <string>

#include "kiosk/core/Result.h"

namespace kiosk::sync {

/// "host:port" of a URL for messages (the port only when the URL names one; an IPv6 host in
/// brackets); never its userinfo. The URL itself when it cannot be read.
std::string HostOf(const std::string& url);
/// The host name alone, an IPv6 address without brackets ("" when the URL cannot be read).
std::string HostNameOf(const std::string& url);

/// The URL a Bundle's `next` link asks for: `link` (absolute, a path, "Type?query" or "?query")
/// resolved against `request_url`, the URL that returned it, and then moved to the origin
/// (scheme, host, port) of `server_url`, without userinfo or fragment: whatever the server wrote,
/// the next request, with the kiosk's token, goes to the configured server only.
Result<std::string> FollowLink(const std::string& server_url, const std::string& request_url,
                               const std::string& link);

}  // namespace kiosk::sync
