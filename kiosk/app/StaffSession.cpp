// The wrong-PIN count lives in the store (staff_pin_lock), read and written in the same
// transaction as the audit row, so neither a restart nor a crash between them resets it.
#include "kiosk/app/StaffSession.h"

#include <sodium.h>

#include <algorithm>

#include "kiosk/core/Iso8601.h"
#include "kiosk/core/Log.h"

namespace kiosk {
namespace {

bool Has(const std::vector<std::string>& roles, const char* role) {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
}

void Wipe(std::string& secret) {
    if (!secret.empty()) {
        sodium_memzero(secret.data(), secret.size());
    }
    secret.clear();
}

}  // namespace

Permissions PermissionsFor(const std::vector<std::string>& roles) {
    Permissions p;
    const bool facilitator = Has(roles, "facilitator");
    const bool front_desk = Has(roles, "front-desk");
    const bool case_manager = Has(roles, "case-manager");
    p.rosters = facilitator || front_desk || case_manager;
    p.status = facilitator || front_desk || case_manager;
    p.resources = case_manager;
    p.cards = front_desk || case_manager;
    return p;
}

StaffSession::StaffSession(store::Store& store, StaffSettings settings, const Clock& clock)
    : m_store(store), m_settings(std::move(settings)), m_clock(clock) {}

void StaffSession::Audit(const std::string& actor, const std::string& action,
                         const std::string& subject, const std::string& detail, Instant now) {
    const Status s = m_store.Transaction([&](store::WriteTx& tx) -> Status {
        return m_store.Audit().Append(tx, {now, actor, action, subject, detail});
    });
    if (!s) {
        LogError("staff", "could not write the audit row '" + action + "': " + s.error().log);
    }
}

void StaffSession::Forget() {
    m_check.Abandon();
    Wipe(m_pin);
    m_account = {};
    m_permissions = {};
    m_problem = SignInProblem::kNone;
    m_attempts_left = 0;
    m_locked_until.reset();
}

void StaffSession::Begin() {
    Forget();
    m_step = StaffStep::kBadge;
    Touch();
}

SignInProblem StaffSession::OfferBadge(const CardIdentity& card, Instant now) {
    Forget();
    m_step = StaffStep::kBadge;
    Touch();
    const std::string& kiosk = m_settings.kiosk_id;
    auto refuse = [&](SignInProblem why, const std::string& subject, const std::string& detail) {
        m_problem = why;
        if (why != SignInProblem::kStoreFailed) {
            Audit(kiosk, "staff-sign-in-refused", subject, detail, now);
        }
        LogInfo("staff", "sign-in refused: " + subject + ": " + detail);
        return why;
    };
    switch (card.kind) {
        case CardKind::kNotACard:
            return refuse(SignInProblem::kNotABadge, "not-a-card", "not a staff badge");
        case CardKind::kUnknown:
            return refuse(SignInProblem::kNotABadge, "unknown-card", "not a staff badge");
        case CardKind::kStoreFailed:
            return refuse(SignInProblem::kStoreFailed, "card", "store failed");
        case CardKind::kParticipant:
            return refuse(SignInProblem::kParticipantCard, card.person_ref,
                          "participant card at staff sign-in");
        case CardKind::kRevoked:
            if (card.person_ref.rfind("Practitioner/", 0) != 0) {
                return refuse(SignInProblem::kParticipantCard, card.person_ref,
                              "participant card at staff sign-in");
            }
            return refuse(SignInProblem::kRevokedBadge, card.person_ref, "badge revoked");
        case CardKind::kStaff:
            break;
    }
    auto account = m_store.Staff().AccountOf(card.person_ref);
    auto lock = m_store.Staff().PinLockOf(card.person_ref);
    if (!account || !lock) {
        LogError("staff", "reading the staff member failed: " +
                              (!account ? account.error().log : lock.error().log));
        return refuse(SignInProblem::kStoreFailed, card.person_ref, "store failed");
    }
    if (!account.value()) {
        return refuse(SignInProblem::kNotABadge, card.person_ref, "no such staff member");
    }
    if (lock->locked_until && *lock->locked_until > now) {
        m_locked_until = lock->locked_until;
        return refuse(SignInProblem::kBadgeLocked, card.person_ref,
                      "badge locked until " + FormatDateTimeUtc(*lock->locked_until));
    }
    if (account.value()->pin_verifier.empty()) {
        return refuse(SignInProblem::kNoPin, card.person_ref, "no PIN set");
    }
    if (auto usable = CheckPinVerifier(account.value()->pin_verifier); !usable) {
        LogWarn("staff", card.person_ref + ": " + usable.error().log);
        return refuse(SignInProblem::kNoPin, card.person_ref, "PIN verifier not usable");
    }
    if (!PermissionsFor(account.value()->roles).Any()) {
        return refuse(SignInProblem::kNoRole, card.person_ref, "no kiosk role");
    }
    m_account = std::move(*account.value());
    m_step = StaffStep::kPin;
    m_attempts_left = std::max(1, m_settings.pin_attempts - lock->failures);
    return SignInProblem::kNone;
}

void StaffSession::PinDigit(char digit) {
    Touch();
    if (m_step == StaffStep::kPin && !Checking() && digit >= '0' && digit <= '9' &&
        m_pin.size() < kMaxPinDigits) {
        m_pin += digit;
    }
}

void StaffSession::PinBackspace() {
    Touch();
    if (m_step == StaffStep::kPin && !Checking() && !m_pin.empty()) {
        m_pin.pop_back();
    }
}

void StaffSession::SubmitPin() {
    Touch();
    if (m_step != StaffStep::kPin || Checking() || m_pin.size() < kMinPinDigits) {
        return;
    }
    m_problem = SignInProblem::kNone;
    m_check.Start(m_account.pin_verifier, m_pin);
    Wipe(m_pin);
}

bool StaffSession::Poll(Instant now) {
    if (m_step != StaffStep::kPin || !Checking()) {
        return false;
    }
    const std::optional<bool> match = m_check.Take();
    if (!match) {
        return false;
    }
    Touch();
    const std::string ref = m_account.person_ref;
    if (*match) {
        const Status s = m_store.Transaction([&](store::WriteTx& tx) -> Status {
            if (auto r = m_store.Staff().SetPinLock(tx, ref, {}); !r) {
                return r;
            }
            std::string roles;
            for (const auto& role : m_account.roles) {
                roles += (roles.empty() ? "" : ",") + role;
            }
            return m_store.Audit().Append(tx, {now, ref, "staff-sign-in", ref, "roles: " + roles});
        });
        if (!s) {
            LogError("staff", "sign-in not recorded, so refused: " + s.error().log);
            m_problem = SignInProblem::kStoreFailed;
            m_step = StaffStep::kBadge;
            return true;
        }
        m_permissions = PermissionsFor(m_account.roles);
        m_step = StaffStep::kSignedIn;
        m_signed_in_at = now;
        LogInfo("staff", ref + " signed in");
        return true;
    }
    store::PinLock lock;
    const Status s = m_store.Transaction([&](store::WriteTx& tx) -> Status {
        auto current = m_store.Staff().PinLockOf(ref);
        if (!current) {
            return current.error();
        }
        lock.failures = current->failures + 1;
        std::string detail = "wrong PIN (" + std::to_string(lock.failures) + " of " +
                             std::to_string(m_settings.pin_attempts) + ")";
        if (lock.failures >= m_settings.pin_attempts) {
            lock.locked_until = now + m_settings.pin_lockout;
            detail += ": badge locked until " + FormatDateTimeUtc(*lock.locked_until);
        }
        const int failures = lock.failures;
        lock.failures = lock.locked_until ? 0 : failures;  // a new count starts after the lock
        if (auto r = m_store.Staff().SetPinLock(tx, ref, lock); !r) {
            return r;
        }
        m_attempts_left = m_settings.pin_attempts - failures;
        return m_store.Audit().Append(
            tx, {now, m_settings.kiosk_id, "staff-sign-in-failed", ref, detail});
    });
    if (!s) {
        LogError("staff", "wrong PIN not recorded: " + s.error().log);
        Forget();
        m_problem = SignInProblem::kStoreFailed;
        m_step = StaffStep::kBadge;
        return true;
    }
    LogInfo("staff", "wrong PIN for " + ref);
    if (lock.locked_until) {
        Forget();
        m_locked_until = lock.locked_until;
        m_problem = SignInProblem::kBadgeLocked;
        m_step = StaffStep::kBadge;
    } else {
        m_problem = SignInProblem::kWrongPin;
    }
    return true;
}

void StaffSession::Lock(LockReason why, Instant now) {
    if (m_step == StaffStep::kSignedIn) {
        const std::string& ref = m_account.person_ref;
        const auto minutes = std::chrono::duration_cast<Minutes>(now - m_signed_in_at).count();
        const std::string length = "after " + std::to_string(minutes) + " min";
        switch (why) {
            case LockReason::kCancel:
            case LockReason::kSignOut:
                Audit(ref, "staff-sign-out", ref, length, now);
                break;
            case LockReason::kIdle:
                Audit(ref, "staff-lock", ref,
                      "idle " + std::to_string(m_settings.idle_lock.count()) + " s, " + length,
                      now);
                break;
            case LockReason::kParticipantScan:
                Audit(ref, "staff-lock", ref, "participant scan, " + length, now);
                break;
            case LockReason::kOtherBadge:
                Audit(ref, "staff-lock", ref, "another badge, " + length, now);
                break;
        }
        LogInfo("staff", ref + " signed out or locked");
    }
    Forget();
    m_step = StaffStep::kOff;
}

}  // namespace kiosk
