// The outbox kinds' stored words.
#include "kiosk/store/OutboxKind.h"

namespace kiosk::store {

std::string_view OutboxKindName(OutboxKind kind) {
    switch (kind) {
        case OutboxKind::kEncounter:
            return "encounter";
        case OutboxKind::kProvenance:
            return "provenance";
        case OutboxKind::kReferral:
            return "referral";
        case OutboxKind::kCredential:
            return "credential";
    }
    return "unknown";
}

Result<OutboxKind> ParseOutboxKind(std::string_view stored) {
    for (OutboxKind k : {OutboxKind::kEncounter, OutboxKind::kProvenance, OutboxKind::kReferral,
                         OutboxKind::kCredential}) {
        if (OutboxKindName(k) == stored) {
            return k;
        }
    }
    return MakeError(
        ErrorCode::kInvalidInput,
        "the kiosk does not know how to send an outbox item of kind '" + std::string(stored) + "'");
}

}  // namespace kiosk::store
