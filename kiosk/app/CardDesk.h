// Cards issued and revoked at the kiosk (issue 13 item 1): finding a participant of this week's
// groups by name, a fresh card (a new token whose hash becomes the person's credential while
// every earlier card of theirs stops), and revoking a lost card with a reason. Each change is
// one transaction: the local credentials (so the card works here at once, offline), a
// "credential" outbox item (the server learns it exactly once: sync/CredentialWrite.h) and an
// audit row. The token is returned to print and never stored or logged.
#pragma once

#include <string>
#include <vector>

#include "kiosk/app/CheckinService.h"
#include "kiosk/core/ClinicTime.h"
#include "kiosk/store/Store.h"

namespace kiosk {

/// A card just issued: what goes on the card. `token` exists only in memory until printed.
struct IssuedCard {
    std::string person_ref;
    std::string token;
    std::string hash;  ///< the credential identifier's value
};

class CardDesk {
  public:
    CardDesk(store::Store& store, const ClinicTime& time, std::string kiosk_id,
             OutboxWake wake = {});

    /// Participants (Patients) enrolled in a session of the ISO week of `now` whose name
    /// ("given family") contains `query` (case and accents folded; "" lists them all), by
    /// family name.
    Result<std::vector<store::PersonRow>> FindParticipants(const std::string& query, Instant now);
    /// A fresh token for `person_ref`, in memory only: nothing changes until it is issued.
    static Result<IssuedCard> Prepare(const std::string& person_ref);
    /// Issues `card`, by `staff_ref`: it works from `now`, and the person's earlier cards end.
    Status Issue(const IssuedCard& card, const std::string& staff_ref, Instant now);
    /// Whether the person has a card that works at `now`.
    Result<bool> HasCard(const std::string& person_ref, Instant now);
    /// Ends every card of `person_ref` at `now`. kInvalidInput without a reason; kNotFound when
    /// the person has no card that still works.
    Status Revoke(const std::string& person_ref, const std::string& staff_ref,
                  const std::string& reason, Instant now);

  private:
    store::Store& m_store;
    const ClinicTime& m_time;
    std::string m_kiosk_id;
    OutboxWake m_wake;
};

}  // namespace kiosk
