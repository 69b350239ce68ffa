// Sends the outbox to the clinic server in order, exactly once: each check-in or check-out as
// the Encounter built from the current attendance row (conditional create, then If-Match
// updates merged with what the server has), provenance and referrals as conditional creates,
// a card issued or revoked as an If-Match update of the person's identifiers.
// A permanent refusal is kept as 'rejected' with an audit row; a failure makes that item wait
// with its own backoff while the others go on. Depends on core and store only.
#pragma once

#include <atomic>
#include <string>

#include "kiosk/core/Clock.h"
#include "kiosk/store/Store.h"
#include "sync/FhirClient.h"

namespace kiosk::sync {

struct EncounterFacts;

struct PushReport {
    int delivered = 0;
    int rejected = 0;
    int unchanged = 0;  ///< delivered without a request: the server already had that state
    int retrying = 0;   ///< failed this round; each waits out its own backoff
    int blocked = 0;    ///< the server does not take them from this kiosk (403/404/405)
    std::string last_rejection;
    std::string last_failure;
};

class OutboxPusher {
  public:
    OutboxPusher(store::Store& store, FhirClient& client, const Clock& clock, std::string kiosk_id);

    /// Sends the pending items that are due, oldest first, each at most once. An item that
    /// fails waits with its own backoff (or is parked as blocked) and the others go on; the
    /// Error ends the round only when no other item could get through either (no answer,
    /// credentials refused, Retry-After, the local store, several 5xx in a row). `all_now`
    /// ignores the items' own backoff (kiosk sync --once).
    Result<PushReport> PushAll(const std::atomic<bool>* stop = nullptr, bool all_now = false);

  private:
    struct Verdict {
        bool delivered = false;
        bool unchanged = false;
        std::string rejection;  ///< set: refused for good
    };
    Result<Verdict> PushItem(const store::OutboxItem& item);
    Status Reject(const store::OutboxItem& item, const std::string& rejection, PushReport& report);
    Status Fail(const store::OutboxItem& item, const Error& error, int& server_failures,
                PushReport& report);
    Result<Verdict> PushEncounter(const store::OutboxItem& item);
    /// Merges the check-in into the server's Encounter and writes it with If-Match, reading it
    /// again after each conflict (at most kMaxConflicts times).
    Result<Verdict> MergeAndUpdate(const store::OutboxItem& item, FhirAnswer current,
                                   const EncounterFacts& facts, const std::string& key,
                                   bool withdrawn_here);
    Result<Verdict> PushWithdrawal(const store::OutboxItem& item, Instant withdrawn_check_in);
    /// What the server has for the attendance: the cached version on a first try, else a search.
    Result<std::optional<FhirAnswer>> Current(const store::OutboxItem& item,
                                              const std::optional<store::RemoteRecord>& remote);
    Result<Verdict> Confirm(const store::OutboxItem& item, const FhirAnswer& answer,
                            const std::string& state, bool unchanged);
    Result<Verdict> PushProvenance(const store::OutboxItem& item);
    Result<Verdict> PushReferral(const store::OutboxItem& item);
    Result<Verdict> PushCredential(const store::OutboxItem& item);
    Result<std::string> SubjectFor(const std::string& person_ref);
    Result<std::optional<FhirAnswer>> FindByIdentifier(const std::string& type,
                                                       const std::string& search);

    store::Store& m_store;
    FhirClient& m_client;
    const Clock& m_clock;
    std::string m_kiosk_id;
};

}  // namespace kiosk::sync
