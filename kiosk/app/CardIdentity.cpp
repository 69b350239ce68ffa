// The only place a scanned payload is parsed and its credential read (CheckinService and the
// staff screens both act on the identity this returns).
#include "kiosk/app/CardIdentity.h"

#include "kiosk/core/Log.h"
#include "kiosk/core/Token.h"

namespace kiosk {

CardIdentity IdentifyCard(store::Store& store, std::string_view payload, Instant now) {
    CardIdentity id;
    auto token = ParseToken(payload);
    if (!token) {
        LogInfo("scan", token.error().log);
        id.failure = token.error();
        return id;
    }
    id.credential_hash = token->hex;
    auto cred = store.Clinic().FindCredential(token->hex);
    if (!cred) {
        LogError("scan", "card look-up failed: " + cred.error().log);
        id.kind = CardKind::kStoreFailed;
        id.failure = cred.error();
        return id;
    }
    if (!cred.value()) {
        id.kind = CardKind::kUnknown;
        return id;
    }
    const store::CredentialRow& c = *cred.value();
    id.person_ref = c.person_ref;
    if ((c.valid_until && *c.valid_until <= now) || (c.valid_from && *c.valid_from > now)) {
        id.kind = CardKind::kRevoked;
    } else if (c.person_ref.rfind("Practitioner/", 0) == 0) {
        id.kind = CardKind::kStaff;
    } else {
        id.kind = CardKind::kParticipant;
    }
    return id;
}

}  // namespace kiosk
