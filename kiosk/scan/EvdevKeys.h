// Linux input key codes to characters for a USB keyboard-wedge scanner set to the US layout
// (what scanners default to), and the line a scanner types: characters until Enter. Keys that
// are not on the map become 0x1A so an odd scan can never turn into someone else's token by
// losing a character. Pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace kiosk::scan {

/// The character `code` types with or without Shift, or nothing for keys that type none.
std::optional<char> UsKeyChar(std::uint16_t code, bool shift);

class EvdevLineAssembler {
  public:
    static constexpr char kUnmapped = 0x1A;

    explicit EvdevLineAssembler(
        std::chrono::milliseconds forget_after = std::chrono::milliseconds{2000})
        : m_forget_after(forget_after) {}

    /// One EV_KEY event (value 1 press, 0 release, 2 autorepeat) at time `t`. Returns the line
    /// when Enter is pressed.
    std::optional<std::string> OnKey(std::uint16_t code, std::int32_t value,
                                     std::chrono::milliseconds t);
    void Reset();

  private:
    std::chrono::milliseconds m_forget_after;
    std::chrono::milliseconds m_last{0};
    bool m_left_shift = false;
    bool m_right_shift = false;
    bool m_caps = false;
    std::string m_line;
};

}  // namespace kiosk::scan
