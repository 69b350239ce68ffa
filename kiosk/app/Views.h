// Plain view structs: everything a screen draws, already translated and formatted. The ui
// layer only lays these out; it decides nothing.
#pragma once

#include <string>
#include <vector>

namespace kiosk {

enum class Screen { kWelcome, kResult };

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
};

/// What the person did on screen this frame.
struct UiIntents {
    std::string choose_language;  ///< empty: none
    bool dismiss_result = false;
};

/// A sound for the platform to play.
enum class Cue { kNone, kSuccess, kAttention };

}  // namespace kiosk
