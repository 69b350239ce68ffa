// Pulls what the kiosk needs from the clinic server into the store (FHIR.md "Pulls are
// deltas"): the site and its rooms, this ISO week's Appointments there (today included), the
// people they name and the site's staff roles, those sessions' Encounters, and the resource
// directory (HealthcareService, Organization, Location). Deltas by _lastUpdated with per-type
// cursors in server time. The directory part is in DirectoryPull.cpp. Depends on core and store
// only.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "kiosk/core/ClinicTime.h"
#include "kiosk/core/Clock.h"
#include "kiosk/store/Store.h"
#include "sync/FhirClient.h"

namespace kiosk::sync {

struct PullOptions {
    std::string site_id;
    std::chrono::seconds overlap{120};  ///< subtracted from each cursor
    std::chrono::hours full_every{6};   ///< a full pull also notices deletions
    bool directory = true;              ///< HealthcareService + Organization + Location
    int id_chunk = 500;                 ///< ids per `_id=` / reference search (POST _search)
};

struct PullReport {
    bool full = false;
    long long resources = 0;            ///< resources received
    long long directory_resources = 0;  ///< of which directory
    std::vector<std::string> problems;  ///< resources refused, each naming the resource
};

class ClinicPuller {
  public:
    ClinicPuller(store::Store& store, FhirClient& client, const Clock& clock,
                 const ClinicTime& time, PullOptions options);

    /// One pull. Broken resources are skipped and reported (their type's cursor stays, so they
    /// are fetched again until fixed); a failed request fails the pull and changes nothing.
    Result<PullReport> Pull();

  private:
    Status PullDirectory(bool full, PullReport& report);

    store::Store& m_store;
    FhirClient& m_client;
    const Clock& m_clock;
    const ClinicTime& m_time;
    PullOptions m_options;
};

/// Meta keys, for tests and `kiosk doctor`.
inline constexpr std::string_view kCursorKeyPrefix = "sync.cursor.";

}  // namespace kiosk::sync
