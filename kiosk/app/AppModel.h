// The kiosk's state and behaviour, with no drawing: which screen is up, what it says, when it
// clears, which language, which sound to play. The platform feeds it input and time; the ui
// draws View(). Everything here runs under doctest with a fake clock (tests/FakeClock.h).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/app/Catalog.h"
#include "kiosk/app/CheckinService.h"
#include "kiosk/app/StaffController.h"
#include "kiosk/app/Views.h"
#include "kiosk/core/Clock.h"
#include "kiosk/core/Config.h"
#include "kiosk/scan/KeyScanAssembler.h"

namespace kiosk {

class AppModel {
  public:
    /// `catalogs` must hold every language of config.languages. `wake_sync` is called after
    /// anything that may have written the outbox (a check-in, a staff page's action).
    AppModel(const KioskConfig& config, const Clock& clock, const ClinicTime& clinic_time,
             store::Store& store, std::map<std::string, Catalog> catalogs,
             StaffEnvironment staff_env = {}, OutboxWake wake_sync = {});

    // --- input -------------------------------------------------------------------------------
    /// A key from the keyboard, where a wedge scanner types too: the one assembler
    /// (scan::KeyScanAssembler) makes a burst or a typed line ending in Enter a scan, and hands
    /// other keys on as typing (below). The platform keeps the key's event back from the UI
    /// while the step says `hold`, and passes on those in `handed_on`.
    scan::KeyScanAssembler::Step OnKey(scan::KeyPress key);
    /// Time passes on the keys' clock: held keys that cannot be a scan any more are typing.
    scan::KeyScanAssembler::Step PollKeys(scan::KeyMillis now);
    /// When PollKeys() must next be called, if keys are held.
    std::optional<scan::KeyMillis> KeysDeadline() const { return m_keys.Deadline(); }
    /// A scanned payload from any source (camera, wedge scanner, keyboard). Newest wins; a staff
    /// badge starts staff sign-in, any other card locks open staff screens first.
    void OnScan(std::string_view payload);
    /// Typing (keys the assembler handed on, typed at `at`): the staff pages' keyboard, PIN
    /// digits at the PIN pad, or else the line Enter makes a scan of.
    void OnText(std::string_view utf8, scan::KeyMillis at = {});
    void OnEnter(scan::KeyMillis at = {});
    void OnBackspace(scan::KeyMillis at = {});
    void OnIntents(const UiIntents& intents);

    // --- time --------------------------------------------------------------------------------
    /// Clears results that are due, resets the language, closes ended sessions, refreshes the
    /// schedule. Cheap to call often.
    void Tick();
    /// When Tick() next has something to do (the platform sleeps until then), on the clock
    /// the app runs on.
    Instant NextWakeup() const;
    const kiosk::Clock& AppClock() const { return m_clock; }

    // --- output ------------------------------------------------------------------------------
    const FrameView& View() const { return m_view; }
    /// The sound to play now, once.
    Cue TakeCue();
    const std::string& Language() const { return m_language; }
    /// Tests: waits for a running staff PIN check, then Tick().
    void SettleForTests();

  private:
    const Catalog& Text() const { return m_catalogs.at(m_language); }
    std::string Clock(Instant t) const;
    std::string Duration(Seconds d) const;
    void ShowOutcome(const ScanOutcome& o);
    void ActOnKeys(const scan::KeyScanAssembler::Step& step);
    void RenderResult();
    void RefreshWelcome(Instant now);
    void SweepEndedSessions(Instant now);
    void ShowStaff(Instant now);
    void LeaveStaff(Instant now);

    const KioskConfig& m_config;
    const kiosk::Clock& m_clock;
    const ClinicTime& m_time;
    store::Store& m_store;
    std::map<std::string, Catalog> m_catalogs;
    OutboxWake m_wake_sync;
    CheckinService m_checkin;
    StaffController m_staff;
    scan::KeyScanAssembler m_keys;

    std::string m_language;
    std::string m_site_name;
    FrameView m_view;
    Cue m_cue = Cue::kNone;

    // Timeouts of what is on screen run on the monotonic clock (PRIVACY.md 2): a wall clock
    // stepped back must not keep a person's result up.
    std::optional<ScanOutcome> m_outcome;  ///< on screen while m_result_until is ahead
    Monotonic m_result_until{};
    Monotonic m_last_scan_at{};  ///< for the duplicate-scan window
    Monotonic m_language_chosen_at{};
    Instant m_next_sweep{};
    Instant m_next_retention{};  ///< the next look for set-aside databases past their retention
    Instant m_welcome_minute{};  ///< the minute the welcome view was built for
};

}  // namespace kiosk
