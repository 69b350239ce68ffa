// A card issued or revoked, or a staff PIN's verifier, written into the person's record on the
// server: the credential identifiers or the PIN extension (docs/FHIR.md) changed on what was
// read and sent back with If-Match, read again and re-applied after a 412, and idempotent, so a
// resend finds its own change already there. The outbox pusher (a card issued at a kiosk) and
// `kiosk card` / `kiosk staff badge` / `kiosk staff pin` share it.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

#include "kiosk/core/Result.h"
#include "kiosk/store/OutboxFacts.h"
#include "sync/FhirClient.h"

namespace kiosk::sync {

/// Changes `resource`'s credential identifiers as `fact` says. Issue: every credential still
/// open at fact.at gets period.end = fact.at and the new hash is appended. Revoke: every one
/// still open gets period.end = fact.at. False when there is nothing to do: the new hash is
/// already there, or no credential is open any more (the change was made before).
bool ApplyCredentialChange(nlohmann::json& resource, const store::CredentialFact& fact);

/// Sets the Practitioner's PIN verifier extension (urn:iop-kiosk:pin-argon2id) to `verifier`,
/// replacing any earlier one. False when it holds that verifier already.
bool ApplyPinVerifier(nlohmann::json& practitioner, const std::string& verifier);

struct UpdateOutcome {
    bool unchanged = false;  ///< the server had it already: no update was sent
    std::string version;     ///< the person's versionId after the write
};

/// Reads `ref` ("Patient/pat-1"), lets `change` modify it (false: nothing to do) and updates it
/// with If-Match on the version read; a 412 reads again and re-applies (a few times, then
/// kNetwork: try later). kNotFound when the server has no such resource; other errors as
/// FhirClient's.
Result<UpdateOutcome> UpdateWithRetry(FhirClient& client, const std::string& ref,
                                      const std::function<bool(nlohmann::json&)>& change);
/// UpdateWithRetry of fact.person_ref with ApplyCredentialChange.
Result<UpdateOutcome> WriteCredential(FhirClient& client, const store::CredentialFact& fact);

}  // namespace kiosk::sync
