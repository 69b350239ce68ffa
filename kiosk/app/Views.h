// Plain view structs: everything a screen draws, already translated and formatted. The ui
// layer only lays these out; it decides nothing.
#pragma once

#include <string>
#include <vector>

#include "kiosk/app/StaffViews.h"

namespace kiosk {

enum class Screen { kWelcome, kResult, kStaff };

struct LanguageOption {
    std::string code;
    std::string label;  ///< in its own language ("Español")
    bool active = false;
};

struct ScheduleLine {
    std::string time;
    std::string group;
    std::string room;
    bool running = false;  ///< started and not ended
};

struct WelcomeView {
    std::string clinic_name;
    std::string clock;
    std::string date;
    std::string prompt;
    std::string hint;
    std::string schedule_title;
    std::string now_tag;
    std::string empty_schedule;
    std::vector<ScheduleLine> schedule;
    std::vector<LanguageOption> languages;
    std::string staff_label;  ///< the small "Staff" button
};

/// The four results of SCREENS.md 2; tone is shown by colour *and* icon and words.
enum class ResultTone { kCheckedIn, kCheckedOut, kAlreadyIn, kSeeFrontDesk };

struct ResultView {
    ResultTone tone = ResultTone::kSeeFrontDesk;
    std::string title;
    std::vector<std::string> lines;
    std::string close_hint;
};

struct FrameView {
    Screen screen = Screen::kWelcome;
    WelcomeView welcome;
    ResultView result;
    StaffView staff;  ///< only filled while Screen::kStaff; emptied when staff screens lock
};

/// What the person did on screen this frame.
struct UiIntents {
    std::string choose_language;  ///< empty: none
    bool dismiss_result = false;
    bool open_staff = false;  ///< "Staff" on the welcome screen
    bool touched = false;     ///< any tap: keeps a staff screen from locking
    std::vector<StaffIntent> staff;
    bool Any() const {
        return !choose_language.empty() || dismiss_result || open_staff || touched ||
               !staff.empty();
    }
};

/// A sound for the platform to play.
enum class Cue { kNone, kSuccess, kAttention };

}  // namespace kiosk
