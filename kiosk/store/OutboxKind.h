// What an outbox item is about, and the words the outbox table stores for it ("encounter",
// "provenance", "referral", as every schema since 002 holds them; "credential" since cards are
// issued at the kiosk). A stored kind this build
// does not know (a newer kiosk's) parses to an error, never a crash: the pusher refuses it.
#pragma once

#include <string>
#include <string_view>

#include "kiosk/core/Result.h"

namespace kiosk::store {

enum class OutboxKind {
    kEncounter,   ///< a check-in or check-out: the Encounter built from the attendance row
    kProvenance,  ///< who changed an attendance by hand, and why (ManualChangeFact)
    kReferral,    ///< a resource a case manager referred someone to (ReferralFact)
    kCredential,  ///< a card issued or revoked: the person's credential identifiers
                  ///< (CredentialFact)
};

/// The word stored in outbox.kind.
std::string_view OutboxKindName(OutboxKind kind);
/// The kind a stored word names; kInvalidInput for a word this build does not know.
Result<OutboxKind> ParseOutboxKind(std::string_view stored);

}  // namespace kiosk::store
