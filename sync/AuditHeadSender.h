// The audit log's head on the server (PRIVACY.md 9): the newest row's sequence and keyed hash go
// out as a FHIR AuditEvent, by conditional create on a deterministic tag, at most every few
// minutes and only when the head moved, so a log shortened or rewritten on the kiosk shows
// against the server's copy (`kiosk audit verify --config`). Not through the outbox: a failure
// is logged and the next round tries again; check-ins never wait for it. Core and store only.
//
// The AuditEvent (R4 has no AuditEvent.identifier, so the key is a meta.tag, searchable on
// every server as `_tag`):
//   meta.tag      urn:iop-kiosk:audit-head|<kiosk id>/<chain>/<seq>  (the conditional-create key)
//                 urn:iop-kiosk:device|<kiosk id>                     (all heads of one kiosk)
//   type          DCM 110100 "Application Activity"; subtype urn:iop-kiosk:audit|audit-head
//   recorded      the head row's time; outcome 0; agent and source.observer: the kiosk
//                 (Device identifier urn:iop-kiosk:device), source.site: the clinic's Location id
//   entity[0]     what.identifier urn:iop-kiosk:audit-head|<kiosk>/<chain>/<seq>, name the same,
//                 detail chain, seq, hash (lowercase hex), hash-kind (hmac-sha256 or sha256)
// It names no person: the row's content stays on the kiosk.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/Clock.h"
#include "kiosk/core/Result.h"
#include "kiosk/store/Store.h"
#include "sync/FhirClient.h"

namespace kiosk::sync {

inline constexpr std::string_view kAuditHeadSystem = "urn:iop-kiosk:audit-head";

struct AuditHeadOptions {
    std::string kiosk_id;
    std::string site_id;  ///< source.site
    Minutes every{15};    ///< at most this often (0: whenever it moved)
};

/// "<kiosk id>/<chain>/<seq>": the same head always gives the same identifier.
std::string AuditHeadIdentifier(const std::string& kiosk_id, const store::AuditHead& head);
nlohmann::json BuildAuditHeadEvent(const store::AuditHead& head, const AuditHeadOptions& options);
/// The head an AuditEvent carries, when it is a head of `kiosk_id` (anything else: nullopt).
std::optional<store::AuditHead> ParseAuditHeadEvent(const nlohmann::json& event,
                                                    const std::string& kiosk_id);
/// Every head of `kiosk_id` the server holds, of every chain (what it returns is filtered).
Result<std::vector<store::AuditHead>> FetchAuditHeads(FhirClient& client,
                                                      const std::string& kiosk_id);

/// Lives as long as the sync engine; one call per round.
class AuditHeadSender {
  public:
    explicit AuditHeadSender(AuditHeadOptions options) : m_options(std::move(options)) {}

    /// Sends the head when it differs from the last one sent (meta sync.audit_head_sent) and
    /// `every` has passed since this sender last sent one. Never fails: a failure is logged (once
    /// while it stays the same) and the next call tries again. Returns the seq sent, or 0.
    long long MaybeSend(store::Store& store, FhirClient& client, Instant now);

  private:
    AuditHeadOptions m_options;
    std::optional<Instant> m_last_sent;
    std::string m_last_failure;
};

}  // namespace kiosk::sync
