// Issuing and revoking cards: local credentials, the outbox item and the audit row together.
#include "kiosk/app/CardDesk.h"

#include <algorithm>
#include <set>

#include "kiosk/app/OnScreenKeyboard.h"
#include "kiosk/core/Log.h"
#include "kiosk/core/Token.h"

namespace kiosk {

CardDesk::CardDesk(store::Store& store, const ClinicTime& time, std::string kiosk_id,
                   OutboxWake wake)
    : m_store(store), m_time(time), m_kiosk_id(std::move(kiosk_id)), m_wake(std::move(wake)) {}

Result<std::vector<store::PersonRow>> CardDesk::FindParticipants(const std::string& query,
                                                                 Instant now) {
    auto sessions = m_store.Clinic().SessionsWithEnrolment(m_time.StartOfIsoWeek(now),
                                                           m_time.EndOfIsoWeek(now));
    if (!sessions) {
        return sessions.error();
    }
    std::set<std::string> refs;
    for (const auto& s : sessions.value()) {
        for (const auto& ref : s.enrolled) {
            if (ref.rfind("Patient/", 0) == 0) {
                refs.insert(ref);
            }
        }
    }
    auto people = m_store.Clinic().PersonsByRef({refs.begin(), refs.end()});
    if (!people) {
        return people.error();
    }
    const std::string needle = FoldForSearch(query);
    std::vector<store::PersonRow> found;
    for (auto& p : people.value()) {
        if (FoldForSearch(p.given + " " + p.family).find(needle) != std::string::npos) {
            found.push_back(std::move(p));
        }
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return std::tie(a.family, a.given, a.ref) < std::tie(b.family, b.given, b.ref);
    });
    return found;
}

Result<IssuedCard> CardDesk::Prepare(const std::string& person_ref) {
    IssuedCard card{person_ref, GenerateToken(), {}};
    auto hash = ParseToken(card.token);
    if (!hash) {
        return hash.error();
    }
    card.hash = hash->hex;
    return card;
}

Result<bool> CardDesk::HasCard(const std::string& person_ref, Instant now) {
    auto open = m_store.Clinic().OpenCredentials(person_ref, now);
    if (!open) {
        return open.error();
    }
    return open.value() > 0;
}

Status CardDesk::Issue(const IssuedCard& card, const std::string& staff_ref, Instant now) {
    auto s = m_store.Transaction([&](store::WriteTx& tx) -> Status {
        if (auto issued = m_store.Clinic().IssueCredential(tx, card.person_ref, card.hash, now);
            !issued) {
            return issued;
        }
        if (auto queued =
                m_store.Outbox().EnqueueCredential(tx, {card.person_ref, "issue", card.hash, now});
            !queued) {
            return queued;
        }
        return m_store.Audit().Append(
            tx, {now, staff_ref, "card-issued", card.person_ref,
                 "credential " + card.hash.substr(0, 12) + " at " + m_kiosk_id});
    });
    if (!s) {
        return s;
    }
    LogInfo("cards", "card issued for " + card.person_ref);
    if (m_wake) {
        m_wake();
    }
    return Ok{};
}

Status CardDesk::Revoke(const std::string& person_ref, const std::string& staff_ref,
                        const std::string& reason, Instant now) {
    if (reason.empty()) {
        return MakeError(ErrorCode::kInvalidInput, "a card is revoked with a reason");
    }
    auto s = m_store.Transaction([&](store::WriteTx& tx) -> Status {
        auto ended = m_store.Clinic().EndCredentials(tx, person_ref, now);
        if (!ended) {
            return ended.error();
        }
        if (ended.value() == 0) {
            return MakeError(ErrorCode::kNotFound, person_ref + " has no card that still works");
        }
        if (auto queued = m_store.Outbox().EnqueueCredential(tx, {person_ref, "revoke", {}, now});
            !queued) {
            return queued;
        }
        return m_store.Audit().Append(
            tx, {now, staff_ref, "card-revoked", person_ref, "reason: " + reason});
    });
    if (!s) {
        return s;
    }
    LogInfo("cards", "card revoked for " + person_ref);
    if (m_wake) {
        m_wake();
    }
    return Ok{};
}

}  // namespace kiosk
