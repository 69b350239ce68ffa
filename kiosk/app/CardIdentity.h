// Whose card a scan is, decided once per scan and passed on: the token grammar on the untrusted
// bytes, then one credential look-up. The staff screens, the duplicate-scan window and the
// check-in all take this identity; none of them parses the payload or reads the credential again.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/Clock.h"
#include "kiosk/core/Result.h"
#include "kiosk/store/Store.h"

namespace kiosk {

enum class CardKind {
    kNotACard,     ///< fails the token grammar
    kUnknown,      ///< a well-formed token nobody holds
    kRevoked,      ///< outside its validity period
    kStaff,        ///< a Practitioner's badge
    kParticipant,  ///< a Patient's or RelatedPerson's card
    kStoreFailed,  ///< the credential could not be read: `failure` says why
};

struct CardIdentity {
    CardKind kind = CardKind::kNotACard;
    std::string credential_hash;   ///< set for every well-formed token (never the token itself)
    std::string person_ref;        ///< set for kRevoked, kStaff, kParticipant
    std::optional<Error> failure;  ///< kNotACard: the grammar's answer; kStoreFailed: the store's
};

/// Identifies the card in `payload` at `now`. Logs a payload that is not a token (made safe,
/// PRIVACY.md 12) and a failed look-up; never the token.
CardIdentity IdentifyCard(store::Store& store, std::string_view payload, Instant now);

}  // namespace kiosk
