// Who is signed in at the staff screens (SCREENS.md 4-5, PRIVACY.md 7-8): badge, then PIN
// (argon2id, checked off the main thread), wrong-PIN counting with a lock that survives a
// restart, roles, the idle deadline and locking. Every sign-in, good or bad, and every lock of
// a signed-in session is an audit row. No text: the controller words what this decides.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kiosk/app/CardIdentity.h"
#include "kiosk/app/PinCheck.h"
#include "kiosk/core/Clock.h"
#include "kiosk/store/Store.h"

namespace kiosk {

enum class StaffStep { kOff, kBadge, kPin, kSignedIn };

/// What a staff member's roles open (issue 5.1): facilitators and front desk get rosters and
/// kiosk status; case managers also resources and referrals.
struct Permissions {
    bool rosters = false;
    bool status = false;
    bool resources = false;
    bool cards = false;  ///< issue and revoke participants' cards (front desk, case managers)
    bool Any() const { return rosters || status || resources || cards; }
};
Permissions PermissionsFor(const std::vector<std::string>& roles);

/// Why a badge or a PIN was not accepted.
enum class SignInProblem {
    kNone,
    kNotABadge,        ///< not a card, or an unknown one
    kParticipantCard,  ///< a participant's card at the badge step
    kRevokedBadge,
    kBadgeLocked,  ///< too many wrong PINs: see LockedUntil()
    kNoPin,
    kNoRole,
    kWrongPin,  ///< see AttemptsLeft()
    kStoreFailed,
};

enum class LockReason { kCancel, kSignOut, kIdle, kParticipantScan, kOtherBadge };

struct StaffSettings {
    Seconds idle_lock{90};
    int pin_attempts = 5;
    Minutes pin_lockout{15};
    std::string kiosk_id;
};

inline constexpr std::size_t kMinPinDigits = 4;
inline constexpr std::size_t kMaxPinDigits = 12;

class StaffSession {
  public:
    /// `clock`'s monotonic reading times the idle lock (a wall clock stepped back must not keep
    /// a staff screen open); its wall time goes into audit rows through the `now` arguments.
    StaffSession(store::Store& store, StaffSettings settings, const Clock& clock);

    StaffStep Step() const { return m_step; }
    bool SignedIn() const { return m_step == StaffStep::kSignedIn; }
    /// "Staff" pressed: the badge step.
    void Begin();
    /// A card offered for sign-in (at the badge or PIN step, or a staff badge in the lobby).
    /// A usable staff badge moves to the PIN step; anything else stays put with Problem() set.
    SignInProblem OfferBadge(const CardIdentity& card, Instant now);

    void PinDigit(char digit);
    void PinBackspace();
    std::size_t PinLength() const { return m_pin.size(); }
    /// Starts checking the PIN; too short a PIN is ignored (it cannot be right and costs no try).
    void SubmitPin();
    bool Checking() const { return m_check.Running(); }
    /// Takes a finished check's answer: signs in, or counts a wrong PIN (and locks the badge at
    /// the limit). True when the step or the problem changed.
    bool Poll(Instant now);
    void WaitForCheck() const { m_check.Wait(); }

    SignInProblem Problem() const { return m_problem; }
    int AttemptsLeft() const { return m_attempts_left; }
    std::optional<Instant> LockedUntil() const { return m_locked_until; }
    /// The badge holder (PIN step) or the signed-in staff member.
    const store::StaffAccount& Who() const { return m_account; }
    const Permissions& Can() const { return m_permissions; }

    /// Any input at a staff screen.
    void Touch() { m_last_input = m_clock.Steady(); }
    /// Whole seconds until the idle lock is due (0 or less: due now).
    Seconds IdleLeft() const { return SecondsUntil(m_clock, m_last_input + m_settings.idle_lock); }
    /// Ends the session: an audit row if someone was signed in, then everything forgotten.
    void Lock(LockReason why, Instant now);

  private:
    void Forget();
    void Audit(const std::string& actor, const std::string& action, const std::string& subject,
               const std::string& detail, Instant now);

    store::Store& m_store;
    StaffSettings m_settings;
    const Clock& m_clock;
    StaffStep m_step = StaffStep::kOff;
    store::StaffAccount m_account;
    Permissions m_permissions;
    std::string m_pin;
    PinCheck m_check;
    SignInProblem m_problem = SignInProblem::kNone;
    int m_attempts_left = 0;
    std::optional<Instant> m_locked_until;
    Monotonic m_last_input{};
    Instant m_signed_in_at{};
};

}  // namespace kiosk
