// Tells a keyboard-wedge scanner from a person typing on the same keyboard input, by timing
// alone: a scanner types a burst of characters less than ~30 ms apart and ends it with Enter.
// Keys are held back while they could still be a burst; a scan never reaches a text field, and
// typing is delayed by at most one key gap. Pure: times are passed in (SDL ticks in the
// platform, made-up numbers in tests).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::scan {

struct WedgeTiming {
    std::chrono::milliseconds max_key_gap{30};   ///< keys further apart than this are typing
    std::size_t min_chars = 8;                   ///< a shorter burst is typing too
    std::chrono::milliseconds enter_grace{100};  ///< a long burst may wait this long for Enter
};

class WedgeClassifier {
  public:
    using Millis = std::chrono::milliseconds;

    struct Decision {
        bool release_held = false;        ///< deliver the held keys now, as typing, in order
        bool hold = false;                ///< keep this key back (deliver it later or never)
        std::optional<std::string> scan;  ///< a scanner burst: the payload; drop the held keys
    };

    explicit WedgeClassifier(WedgeTiming timing = {}) : m_timing(timing) {}

    /// A typed character (one SDL_TEXTINPUT, UTF-8) at time `t`.
    Decision OnText(std::string_view text, Millis t);
    /// Enter at time `t`: a scan, or typing (release the held keys, then deliver Enter).
    Decision OnEnter(Millis t);
    /// A non-text key while holding (arrows, Backspace): typing for sure.
    Decision OnOtherKey(Millis t);
    /// Time passes: releases held keys that can no longer be a scan.
    Decision Poll(Millis now);
    /// When Poll() must next be called, if keys are held.
    std::optional<Millis> Deadline() const;
    bool Holding() const { return m_holding; }

  private:
    Millis Allowed() const;
    void Reset();

    WedgeTiming m_timing;
    bool m_holding = false;
    std::string m_burst;
    std::size_t m_chars = 0;
    Millis m_last{0};
};

}  // namespace kiosk::scan
