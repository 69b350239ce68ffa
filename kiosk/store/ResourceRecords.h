// The community resource directory's vocabulary (issue 6): a resource as the screens, the
// printed referral and the mappings (FHIR, HSDS, demo) see it, and a search with its hits.
// Plain data; the store indexes it with FTS5 (migration 004).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/Clock.h"
#include "kiosk/core/OpeningHours.h"

namespace kiosk::store {

/// One service at one place. `id` is unique across sources: "fhir:HealthcareService/hs-1",
/// "hsds:<service id>".
struct ResourceRow {
    std::string id;
    std::string source;            ///< "fhir" (sync and demo) or "hsds" (kiosk resources import)
    std::string name;              ///< the service's name
    std::string organization;      ///< the organization's name
    std::string organization_ref;  ///< "Organization/org-1" (ServiceRequest.performer); "" if none
    std::string service_ref;       ///< "HealthcareService/hs-1"; "" for HSDS
    std::string description;
    std::vector<std::string> categories;  ///< kResourceCategories codes, at least one
    std::string address;                  ///< one line: "1200 Pearl St, Eugene, OR 97401"
    std::optional<double> latitude;
    std::optional<double> longitude;
    std::string phone;
    std::string website;     ///< https URL or ""
    OpeningHours hours;      ///< weekly hours in the clinic's zone; !Known() when not published
    std::string hours_note;  ///< "Closed on holidays", "Call first"
    std::vector<std::string> languages;  ///< BCP-47 primary tags: "en", "es", "vi"
    std::string eligibility;
    std::string cost;   ///< as published ("Free", "$5 sliding scale")
    bool free = false;  ///< no charge to the participant
    std::string what_to_bring;
    std::string updated;  ///< ISO 8601 date-time of the source's last change
};

struct ResourceQuery {
    /// Words as typed; "" = no text filter. Every word must match an indexed word as a prefix
    /// (any case, accents ignored); operators and punctuation are plain separators. A word of
    /// 3+ letters that matches nothing is replaced by the nearest indexed word (corrections).
    std::string text;
    std::vector<std::string> categories;  ///< any of these; empty = all
    bool open_now = false;                ///< needs ResourceContext::time; without it, none is
    std::string language;                 ///< primary subtag, any case ("es", "es-MX"); "" = any
    bool free_only = false;
    /// From the origin; resources without coordinates, or every one when the context has no
    /// origin, are outside.
    std::optional<double> max_km;
    int limit = 50;  ///< hits returned, clamped to 0..1000; `total` counts them all
};

/// Where "now" and "distance" are measured from.
struct ResourceContext {
    Instant now{};
    const ClinicTime* time = nullptr;  ///< the clinic's zone, for open now
    std::optional<double> origin_lat;  ///< the clinic; distance is unknown without it
    std::optional<double> origin_lon;
};

struct ResourceHit {
    ResourceRow resource;
    std::optional<double> km;  ///< straight-line distance from the origin
    OpenState open;
    bool name_match = false;  ///< every query word matched the name or organization (ranked first)
};

struct ResourceResults {
    std::vector<ResourceHit> hits;  ///< ranked, at most query.limit
    long long total = 0;            ///< all matches (after filters) before the limit
    /// Typed words that matched nothing, replaced by the nearest indexed word:
    /// {"housng", "housing"}. The screen says "Showing results for housing".
    std::vector<std::pair<std::string, std::string>> corrections;
};

}  // namespace kiosk::store
