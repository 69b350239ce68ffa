// The kiosk's state and behaviour, with no drawing: which screen is up, what it says, when it
// clears, which language, which sound to play. The platform feeds it input and time; the ui
// draws View(). Everything here runs under doctest with a FakeClock.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/app/Catalog.h"
#include "kiosk/app/CheckinService.h"
#include "kiosk/app/KeyLineBuffer.h"
#include "kiosk/app/StaffController.h"
#include "kiosk/app/Views.h"
#include "kiosk/core/Clock.h"
#include "kiosk/core/Config.h"

namespace kiosk {

class AppModel {
public:
    /// `catalogs` must hold every language of config.languages.
    AppModel(const KioskConfig& config, const Clock& clock, const ClinicTime& clinic_time,
             store::Store& store, std::map<std::string, Catalog> catalogs,
             StaffEnvironment staff_env = {});

    // --- input -------------------------------------------------------------------------------
    /// A scanned payload from any source (camera, wedge scanner, keyboard). Newest wins; a staff
    /// badge starts staff sign-in, any other card locks open staff screens first.
    void OnScan(std::string_view payload);
    /// Keyboard text: a wedge scanner's keystrokes, or PIN digits at the staff PIN pad.
    void OnText(std::string_view utf8);
    void OnEnter();
    void OnBackspace();
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
    CheckinService m_checkin;
    StaffController m_staff;
    KeyLineBuffer m_keys;

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
