// Turns keyboard text into scan payloads: a USB keyboard-wedge scanner types the token and then
// Enter. Caps the length so a stuck key or a 3 KB QR code cannot grow memory, and forgets a
// half-typed line after a pause. Pure: driven with explicit times in tests.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/Clock.h"

namespace kiosk {

class KeyLineBuffer {
public:
    static constexpr std::size_t kMaxBytes = 4096;

    explicit KeyLineBuffer(Seconds forget_after = Seconds{3}) : m_forget_after(forget_after) {}

    /// UTF-8 text from a key press (an SDL_TEXTINPUT event).
    void OnText(std::string_view text, Instant now);
    /// Enter: the finished line, if there was one. An over-long line comes back cut at
    /// kMaxBytes + 1 bytes, so it still fails the token grammar as "too long".
    std::optional<std::string> OnEnter(Instant now);
    void Clear() { m_line.clear(); }
    /// Forgets a half-typed line older than the pause (before asking Empty()).
    void Expire(Instant now) { ForgetIfStale(now); }
    bool Empty() const { return m_line.empty(); }

private:
    void ForgetIfStale(Instant now);
    std::string m_line;
    Instant m_last_key{};
    Seconds m_forget_after;
};

}  // namespace kiosk
