// The keys of every participant-facing message. Texts live in assets/i18n/<lang>.po; a test
// checks that every key here has a text in every catalogue.
#pragma once

#include <array>
#include <string_view>

namespace kiosk::msg {

inline constexpr std::string_view kLanguageName = "language.name";
inline constexpr std::string_view kScanPrompt = "welcome.scan_prompt";
inline constexpr std::string_view kScanHint = "welcome.scan_hint";
inline constexpr std::string_view kTodaysGroups = "welcome.todays_groups";
inline constexpr std::string_view kNoMoreGroups = "welcome.no_more_groups";
inline constexpr std::string_view kNowTag = "welcome.now";
inline constexpr std::string_view kCheckedIn = "result.checked_in";
inline constexpr std::string_view kCheckedInNamed = "result.checked_in_named";
inline constexpr std::string_view kCheckedOut = "result.checked_out";
inline constexpr std::string_view kAttendedToday = "result.attended_today";
inline constexpr std::string_view kAlreadyIn = "result.already_in";
inline constexpr std::string_view kSeeFrontDesk = "result.see_front_desk";
inline constexpr std::string_view kSeeFrontDeskHint = "result.see_front_desk_hint";
inline constexpr std::string_view kCannotSave = "result.cannot_save";  ///< disk full
inline constexpr std::string_view kSessionLine = "result.session_line";
/// A one-to-one appointment's line: time and room, never what it is (PRIVACY.md 13).
inline constexpr std::string_view kAppointmentLine = "result.appointment_line";
/// A group without a name the lobby may show (none, or one that names someone enrolled).
inline constexpr std::string_view kGroupSession = "session.group";
inline constexpr std::string_view kTapToClose = "result.tap_to_close";
inline constexpr std::string_view kDuration = "duration.hours_minutes";
inline constexpr std::string_view kDurationMinutes = "duration.minutes";

inline constexpr std::array kAll = {
    kLanguageName, kScanPrompt,      kScanHint,         kTodaysGroups,    kNoMoreGroups,
    kNowTag,       kCheckedIn,       kCheckedInNamed,   kCheckedOut,      kAttendedToday,
    kAlreadyIn,    kSeeFrontDesk,    kSeeFrontDeskHint, kSessionLine,     kTapToClose,
    kDuration,     kDurationMinutes, kCannotSave,       kAppointmentLine, kGroupSession,
};

}  // namespace kiosk::msg
