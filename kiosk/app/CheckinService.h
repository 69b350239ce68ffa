// A card's check-in below the screen: the identity (CardIdentity, read once per scan) -> the
// check-in rule -> one transaction with the attendance, outbox and audit rows -> a wake-up for
// the sync thread. The answer it returns is only "checked in" after that transaction has
// committed. Also closes check-ins at session end.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/app/CardIdentity.h"
#include "kiosk/core/CheckinRules.h"
#include "kiosk/core/ClinicTime.h"
#include "kiosk/store/Store.h"

namespace kiosk {

enum class ScanKind { kCheckedIn, kCheckedOut, kAlreadyIn, kSeeFrontDesk };

/// A session as the person sees it on the result screen: public facts only (PRIVACY.md 13).
struct SessionSummary {
    SessionKind kind = SessionKind::kIndividual;
    std::string group_name;  ///< a group's public name; "" for a one-to-one, or "Group session"
    std::string room_name;
    Instant start;
};

struct ScanOutcome {
    ScanKind kind = ScanKind::kSeeFrontDesk;
    std::vector<SessionSummary> sessions;  ///< checked in to
    Instant since{};                       ///< kAlreadyIn
    Seconds attended_today{0};             ///< kCheckedOut
    std::string first_name;                ///< only filled when the config allows showing it
    DenyReason reason = DenyReason::kUnknownCard;
    std::string credential_hash;  ///< empty when the scan was not a token
    std::string person_ref;
};

/// Tells the sync thread that the outbox grew (main wires it to SyncEngine::Nudge); empty when
/// no sync runs. The app calls it after a commit without depending on sync.
using OutboxWake = std::function<void()>;

class CheckinService {
  public:
    CheckinService(store::Store& store, const ClinicTime& time, CheckinWindows windows,
                   std::string kiosk_id, bool show_first_name, OutboxWake wake = {});

    /// Checks in (or out) the card identified at `now`; refuses anything but a participant's.
    ScanOutcome CheckIn(const CardIdentity& card, Instant now);

    /// Closes every open check-in whose session has ended, at the session's end. Returns how
    /// many were closed.
    Result<int> CloseEndedSessions(Instant now);

  private:
    ScanOutcome Refuse(ScanOutcome o, DenyReason why, Instant now);
    /// Logs a full or failing disk in an operator's words for the status page; true for any
    /// storage failure.
    bool NoteStorageFailure(const Error& e);
    Status Apply(store::WriteTx& tx, const ScanDecision& d, const std::string& person_ref,
                 Instant now);
    void WakeSync() const;

    store::Store& m_store;
    const ClinicTime& m_time;
    CheckinWindows m_windows;
    std::string m_kiosk_id;
    bool m_show_first_name;
    OutboxWake m_wake;
};

}  // namespace kiosk
