// The one place keyboard input becomes a scan. A USB keyboard-wedge scanner types its code as a
// burst of keys less than ~30 ms apart and ends it with Enter; a person types slower. A burst is
// held back while it could be a scan (so a scan never reaches a text field) and becomes one
// payload; other keys are handed on as typing, and typed text no field takes gathers in a line
// that Enter turns into a scan as well (a slow scanner, or a card typed by hand). Pure: key
// times are plain milliseconds (SDL's, with the loop's busy spells taken out, in the kiosk).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/Config.h"

namespace kiosk::scan {

using KeyMillis = std::chrono::milliseconds;

struct WedgeTiming {
    KeyMillis max_key_gap{30};    ///< keys further apart than this are typing
    std::size_t min_chars = 8;    ///< a shorter burst is typing too
    KeyMillis enter_grace{100};   ///< a long burst may wait this long for Enter
    KeyMillis forget_line{3000};  ///< a half-typed line is forgotten after this pause

    /// [scanner] wedge_max_key_ms and wedge_min_chars; Enter may lag three key gaps (100 ms+).
    static WedgeTiming FromConfig(const ScannerConfig& scanner);
};

enum class KeyKind {
    kText,       ///< typed text (UTF-8)
    kEnter,      ///< Return or keypad Enter pressed
    kBackspace,  ///< an editing key the app acts on
    kEditing,    ///< other editing keys (arrows, Delete, Tab, Escape...): a person for sure
    kKeyDown,    ///< any other key pressed
    kKeyUp,      ///< any key released
};

struct KeyPress {
    KeyKind kind = KeyKind::kKeyDown;
    std::string text;      ///< kText only
    KeyMillis t{0};        ///< when it was typed
    std::uint64_t id = 0;  ///< the caller's handle for its own event (never read here)
};

class KeyScanAssembler {
  public:
    /// What became of a key (and of the keys held before it).
    struct Step {
        bool hold = false;                ///< this key is held back: keep its event
        std::vector<KeyPress> handed_on;  ///< act on these now, in order, as typing
        std::optional<std::string> scan;  ///< a scanner's burst: the payload (held keys dropped)
    };

    explicit KeyScanAssembler(WedgeTiming timing = {}) : m_timing(timing) {}

    Step OnKey(KeyPress key);
    /// Time passes: held keys that can no longer be a scan are handed on.
    Step Poll(KeyMillis now);
    /// When Poll() must next be called, if keys are held.
    std::optional<KeyMillis> Deadline() const;
    bool Holding() const { return m_chars > 0; }

    /// Typed text no field took: the line Enter makes a scan of. Capped so a stuck key or a
    /// 3 KB code cannot grow memory: an over-long line comes back cut at kMaxScanBytes + 1
    /// bytes, so it still fails the token grammar as "too long".
    void AddToLine(std::string_view text, KeyMillis t);
    /// The finished line at Enter, if there is one (a line older than the pause is forgotten).
    std::optional<std::string> TakeLine(KeyMillis t);
    bool LineEmpty(KeyMillis t);
    void ClearLine() { m_line.clear(); }

  private:
    KeyMillis Allowed() const;
    void ForgetStaleLine(KeyMillis t);
    /// Hands the held keys on as typing.
    void Release(Step& step);

    WedgeTiming m_timing;
    std::vector<KeyPress> m_held;
    std::string m_burst;
    std::size_t m_chars = 0;
    KeyMillis m_last{0};
    std::string m_line;
    KeyMillis m_line_key{0};
};

/// Key times with the loop's busy spells (drawing, a database commit) taken out: SDL stamps an
/// event when it fetches it, so keys typed during a busy spell arrive stamped late, which would
/// look like a pause in the middle of a scanner's burst.
class BusyClock {
  public:
    /// The loop leaves the event queue (to draw, to commit) at `now`.
    void Leave(KeyMillis now) { m_since = now; }
    /// The loop waits for events again at `now`.
    void Return(KeyMillis now);
    /// A key stamped `stamp` on the same clock, as the assembler sees it.
    KeyMillis KeyTime(KeyMillis stamp) const { return stamp - m_total; }

  private:
    KeyMillis m_total{0};
    std::optional<KeyMillis> m_since;
};

}  // namespace kiosk::scan
