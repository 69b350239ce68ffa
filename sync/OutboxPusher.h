// Sends the outbox to the clinic server in order, exactly once: each check-in or check-out as
// the Encounter built from the current attendance row (conditional create, then If-Match
// updates merged with what the server has), provenance and referrals as conditional creates.
// A permanent refusal is kept as 'rejected' with an audit row; anything else stops the round
// and the item waits. Depends on core and store only.
#pragma once

#include <atomic>
#include <string>

#include "kiosk/core/Clock.h"
#include "kiosk/store/Store.h"
#include "sync/FhirClient.h"

namespace kiosk::sync {

struct PushReport {
    int delivered = 0;
    int rejected = 0;
    int unchanged = 0;  ///< delivered without a request: the server already had that state
    std::string last_rejection;
};

class OutboxPusher {
  public:
    OutboxPusher(store::Store& store, FhirClient& client, const Clock& clock, std::string kiosk_id);

    /// Sends pending items, oldest first, until none is left, one cannot be sent now (the Error),
    /// or `stop` is set.
    Result<PushReport> PushAll(const std::atomic<bool>* stop = nullptr);

  private:
    struct Verdict {
        bool delivered = false;
        bool unchanged = false;
        std::string rejection;  ///< set: refused for good
    };
    Result<Verdict> PushItem(const store::OutboxItem& item);
    Result<Verdict> PushEncounter(const store::OutboxItem& item);
    Result<Verdict> PushWithdrawal(const store::OutboxItem& item, Instant withdrawn_check_in);
    /// What the server has for the attendance: the cached version on a first try, else a search.
    Result<std::optional<FhirAnswer>> Current(const store::OutboxItem& item,
                                              const std::optional<store::Store::RemoteRecord>& remote);
    Result<Verdict> Confirm(const store::OutboxItem& item, const FhirAnswer& answer,
                            const std::string& state, bool unchanged);
    Result<Verdict> PushProvenance(const store::OutboxItem& item);
    Result<Verdict> PushReferral(const store::OutboxItem& item);
    Result<std::string> SubjectFor(const std::string& person_ref);
    Result<std::optional<FhirAnswer>> FindByIdentifier(const std::string& type,
                                                       const std::string& search);

    store::Store& m_store;
    FhirClient& m_client;
    const Clock& m_clock;
    std::string m_kiosk_id;
};

}  // namespace kiosk::sync
