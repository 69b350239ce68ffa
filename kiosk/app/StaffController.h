// The staff screens' behaviour (SCREENS.md 4-6, 8): which page is up, what staff touched, live
// roster refreshes, the "by hand" dialog, the on-screen keyboard, the idle countdown and the
// lock that forgets all of it. AppModel routes scans and input here while staff screens are up;
// StaffViewBuilder.cpp words the pages. No drawing; driven by doctest with a fake clock
// (tests/FakeClock.h).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/app/CardsPage.h"
#include "kiosk/app/Catalog.h"
#include "kiosk/app/CorrectionService.h"
#include "kiosk/app/OnScreenKeyboard.h"
#include "kiosk/app/ResourceDesk.h"
#include "kiosk/app/RosterModel.h"
#include "kiosk/app/StaffSession.h"
#include "kiosk/app/Views.h"
#include "kiosk/core/Config.h"
#include "kiosk/scan/ScannerStatus.h"
#include "sync/SyncStatus.h"

namespace kiosk {

/// What the staff screens get from outside the app: the kiosk status screen's sources.
struct StaffEnvironment {
    std::string version;
    std::function<sync::SyncStatus()> sync_status;        ///< empty: no sync engine running
    std::function<scan::ScannerStatus()> camera_status;   ///< empty: no camera configured
    std::function<scan::ScannerStatus()> scanner_status;  ///< empty: no wedge scanner device
    ReferralPrinting printing;                            ///< empty submit: no printer
    /// The queue's latest state (never blocks); nullopt until known. Empty: no printer.
    std::function<std::optional<print::PrintStatus>()> printer_status;
};

inline constexpr Seconds kLockCountdown{15};
inline constexpr Seconds kRosterRefresh{3};

class StaffController {
  public:
    StaffController(const KioskConfig& config, const kiosk::Clock& clock, const ClinicTime& time,
                    store::Store& store, const std::map<std::string, Catalog>& catalogs,
                    StaffEnvironment env);

    /// Any staff page is up (sign-in included).
    bool Active() const { return m_session.Step() != StaffStep::kOff; }
    bool SignedIn() const { return m_session.SignedIn(); }
    StaffPage Page() const { return m_page; }

    /// "Staff" on the welcome screen.
    void Open(Instant now);
    /// A scan. True when the staff screens took it; false when the lobby must handle it as a
    /// check-in (a non-staff card: any staff screen is locked first).
    bool OnScan(const CardIdentity& card, Instant now);
    /// A whole PIN typed fast on a keyboard arrives like a scanner's burst, as a "scan" of digits
    /// only: at the PIN step that is the PIN, submitted. True when it was taken as one.
    bool OnPinBurst(std::string_view payload);
    /// Keyboard text. True when it was PIN digits (the lobby's line buffer must not see them).
    bool OnPinText(std::string_view text, bool line_empty);
    /// The on-screen keyboard is up (a search, a filter, a reason): a physical keyboard's keys
    /// type there too.
    bool Typing() const {
        return m_keyboard.IsOpen() || m_desk.KeyboardOpen() || m_cards.KeyboardOpen();
    }
    /// Enter or Backspace with no scan being typed: PIN submit and erase.
    void OnPinEnter();
    void OnPinBackspace();
    void OnIntents(const UiIntents& intents, Instant now);
    /// PIN answers, the idle lock and live refreshes.
    void Tick(Instant now);
    /// Follows referral print jobs to their end, also after the staff screens locked.
    void FollowPrintJobs(Instant now) { m_desk.FollowJobs(now); }
    /// At start: what a print the kiosk did not see end left behind (ResourceDesk).
    void RecoverInterruptedPrints(Instant now) { m_desk.RecoverInterruptedPrints(now); }
    Instant NextWakeup(Instant now) const;
    /// Locks: an audit row, then nothing of the staff screens is left in memory.
    void Lock(LockReason why, Instant now);

    /// The current page in words.
    StaffView Render(const Catalog& text, Instant now) const;

    void WaitForPinCheck() const { m_session.WaitForCheck(); }  ///< tests

  private:
    struct Correction {
        bool check_in = true;
        std::string person_ref;
        std::string name;
        std::string reason_code;
        std::string other_text;
    };
    enum class KeyboardFor { kNone, kFilter, kReason };

    // What staff touched (StaffActions.cpp): Handle routes each page's intents to its handler.
    void Handle(const StaffIntent& intent, Instant now);
    bool OnDeskPage() const;   ///< a Resources & referrals page: ResourceDesk handles it
    bool OnCardsPage() const;  ///< the Cards page or a new card's preview: CardsPage
    void HandleFrame(const FrameIntent& intent, Instant now);
    void HandlePin(const PinIntent& intent);
    void HandleHome(const HomeIntent& intent, Instant now);
    void HandleSessions(const SessionsIntent& intent, Instant now);
    void HandleRoster(const RosterIntent& intent, Instant now);
    void HandleCorrection(const CorrectionIntent& intent, Instant now);
    void HandleKeyboard(const KeyboardIntent& intent);
    void OpenSession(const std::string& session_id, Instant now);
    void OpenCorrection(bool check_in, const std::string& person_ref);
    void CloseKeyboard();
    void GoTo(StaffPage page, Instant now);
    void Reload(Instant now);
    void ApplyCorrection(Instant now);
    void UndoCheckIn(const std::string& person_ref, Instant now);
    void Notice(std::string_view key, std::string name, bool error);
    std::string NameOf(const std::string& person_ref) const;
    std::string Clock(Instant t) const;
    std::string Duration(const Catalog& text, Seconds d) const;

    void RenderBadge(const Catalog& t, StaffView& v) const;
    void RenderHome(const Catalog& t, StaffView& v) const;
    void RenderSessions(const Catalog& t, StaffView& v, Instant now) const;
    void RenderRoster(const Catalog& t, StaffView& v) const;
    void RenderStatus(const Catalog& t, StaffView& v, Instant now) const;
    void RenderCorrection(const Catalog& t, StaffView& v) const;

    const KioskConfig& m_config;
    const kiosk::Clock& m_clock;
    const ClinicTime& m_time;
    store::Store& m_store;
    StaffEnvironment m_env;
    StaffSession m_session;
    RosterModel m_roster;
    CorrectionService m_corrections;
    OnScreenKeyboard m_keyboard;
    ResourceDesk m_desk;
    CardsPage m_cards;

    StaffPage m_page = StaffPage::kBadge;
    unsigned m_list_visit = 0;  ///< see StaffView::list_visit
    std::string m_room;         ///< room filter of the session list ("" = all)
    std::string m_session_id;   ///< the open roster
    std::string m_name_filter;
    bool m_sort_by_status = true;
    std::optional<Correction> m_fix;
    KeyboardFor m_keyboard_for = KeyboardFor::kNone;
    std::vector<ManualCheckIn> m_undoable;  ///< manual check-ins of this sign-in
    std::string_view m_notice_key;          ///< worded at render time, in the screen's language
    std::string m_notice_name;
    bool m_notice_error = false;
    Monotonic m_next_reload{};  ///< live refreshes, on the monotonic clock
    store::OutboxSummary m_outbox;
    std::optional<store::OutboxItem> m_oldest;
    std::optional<print::PrintStatus> m_printer;  ///< read with the status page's refresh
};

}  // namespace kiosk
