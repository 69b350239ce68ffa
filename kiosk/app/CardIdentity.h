// Whose card a scan is, without deciding anything: the staff screens need to tell a staff badge
// from a participant card before either the sign-in or the check-in path takes it. Reads the
// store only; the payload is untrusted bytes and goes through the token grammar first.
#pragma once

#include <string>
#include <string_view>

#include "kiosk/core/Clock.h"
#include "kiosk/store/Store.h"

namespace kiosk {

enum class CardKind {
    kNotACard,     ///< fails the token grammar
    kUnknown,      ///< a well-formed token nobody holds
    kRevoked,      ///< outside its validity period
    kStaff,        ///< a Practitioner's badge
    kParticipant,  ///< a Patient's or RelatedPerson's card
    kStoreFailed,
};

struct CardIdentity {
    CardKind kind = CardKind::kNotACard;
    std::string person_ref;  ///< set for kRevoked, kStaff, kParticipant
};

CardIdentity IdentifyCard(store::Store& store, std::string_view payload, Instant now);

}  // namespace kiosk
