// Plain FHIR R4 REST over HttpTransport: search with paging, read, conditional create, update
// with If-Match. Turns HTTP statuses and OperationOutcomes into Errors an operator can act on
// and honours a short Retry-After inline. Depends on core only (and nlohmann::json).
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "kiosk/core/Clock.h"
#include "kiosk/core/Result.h"
#include "sync/HttpTransport.h"

namespace kiosk::sync {

/// Waits up to `d`; false when the kiosk is stopping (then the caller gives up at once).
using Sleeper = std::function<bool(std::chrono::milliseconds d)>;

/// What a successful exchange returned.
struct FhirAnswer {  // NOLINT(bugprone-exception-escape): json's move is noexcept; a false alarm
    int status = 0;
    nlohmann::json resource;  ///< the body (null when empty)
    std::string version;      ///< versionId, from the ETag or meta.versionId ("" if none)
    std::optional<Instant> server_time;  ///< the Date header
};

struct FhirClientOptions {
    /// A 429/503 whose Retry-After is at most this long is waited out inline (up to 3 times);
    /// a longer one ends the round and the engine waits (bounded by kMaxRetryAfter).
    std::chrono::seconds max_inline_wait{30};
    int page_size = 200;   ///< _count on searches
    int max_pages = 1000;  ///< a search that pages further fails (server.max_pages)
};

/// How many times a write with If-Match reads the resource again after a 412 before it gives up
/// for this round (the Encounter merge and the credential write share it).
inline constexpr int kMaxConflicts = 5;

/// How long any Retry-After is honoured at most.
inline constexpr std::chrono::seconds kMaxRetryAfter{900};

/// Errors: kNetwork = no usable answer or a transient status (408/409/425/429/5xx), try later;
/// kConfig = TLS trust, client setup, 401/403/404/405 (the kiosk's setup, not the item);
/// kConflict = 412; kRejected = any other 4xx (permanent for this request); kNotFound = a read
/// of something that is not there (404/410).
class FhirClient {
  public:
    FhirClient(std::string base_url, HttpTransport& transport, Sleeper sleep,
               FhirClientOptions options = {});

    /// Runs `Type?query` and follows `next` links (absolute or relative, always to the configured
    /// server: FollowLink), calling `on_resource` for each matched resource. Returns the server
    /// time of the first page (Bundle.meta.lastUpdated, else the Date header): a cursor that can
    /// miss nothing written after the search began.
    Result<std::optional<Instant>> Search(
        const std::string& type, const std::string& query,
        const std::function<Status(const nlohmann::json&)>& on_resource);
    /// Every match of a small search, for convenience.
    Result<std::vector<nlohmann::json>> SearchAll(const std::string& type,
                                                  const std::string& query);

    /// `Type/id`; nullopt when the server says 404 or 410.
    Result<std::optional<FhirAnswer>> Read(const std::string& type, const std::string& id);
    /// POST with If-None-Exist: 201 created, or 200 with the one existing match. More than one
    /// match is 412 (kConflict).
    Result<FhirAnswer> ConditionalCreate(const nlohmann::json& resource,
                                         const std::string& if_none_exist);
    /// PUT Type/id with If-Match W/"version". 412 (kConflict): someone else changed it.
    Result<FhirAnswer> Update(const nlohmann::json& resource, const std::string& version);

    /// The Retry-After of the last failure, if the server sent one (bounded).
    std::optional<std::chrono::seconds> RetryAfterHint() const { return m_retry_after; }
    /// The HTTP status of the last answer; 0 when the last request got none (unreachable,
    /// timed out, TLS refused).
    int LastStatus() const { return m_last_status; }
    long long Requests() const { return m_transport.RequestCount(); }

  private:
    Result<FhirAnswer> Exchange(HttpRequest request, const std::string& what);

    std::string m_base;  ///< without a trailing slash
    HttpTransport& m_transport;
    Sleeper m_sleep;
    FhirClientOptions m_options;
    std::optional<std::chrono::seconds> m_retry_after;
    int m_last_status = 0;
};

/// Percent-encodes a search value (commas stay: they separate OR values in FHIR).
std::string QueryValue(std::string_view value);
/// The text of an OperationOutcome's issues, "" if `body` is not one.
std::string OutcomeText(const nlohmann::json& body);
/// Retry-After as delta-seconds or an HTTP-date (relative to `now`); nullopt if unreadable.
std::optional<std::chrono::seconds> ParseRetryAfter(const std::string& value, Instant now);
/// An HTTP-date in any of RFC 9110's three forms: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"),
/// RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") or asctime ("Sun Nov  6 08:49:37 1994").
std::optional<Instant> ParseHttpDate(const std::string& value);

}  // namespace kiosk::sync
