// The on-screen keyboard (SCREENS.md: no physical keyboard is assumed): letters, digits and a
// layer of Spanish accents, one-shot shift, a length cap. Holds the text being typed; the ui
// draws KeyboardView and sends key intents back. Used by the roster filter and the "other"
// reason, later by resource search.
#pragma once

#include <cstddef>
#include <string>

#include "kiosk/app/StaffViews.h"

namespace kiosk {

struct KeyboardLabels {
    std::string title;
    std::string space;
    std::string erase;
    std::string shift;
    std::string done;
};

class OnScreenKeyboard {
  public:
    explicit OnScreenKeyboard(std::size_t max_chars = 60) : m_max_chars(max_chars) {}

    void Open(std::string text);
    void Close();
    bool IsOpen() const { return m_open; }
    const std::string& Text() const { return m_text; }

    /// A key: text, erase, shift or accents; Done is the owner's (it closes the keyboard).
    void Press(const KeyboardIntent& key);
    KeyboardView View(const KeyboardLabels& labels) const;

  private:
    std::string m_text;
    std::size_t m_max_chars;
    bool m_open = false;
    bool m_shift = false;
    bool m_accents = false;
};

/// Removes the last UTF-8 character of `text`.
void EraseLastCharacter(std::string& text);
/// Number of UTF-8 characters in `text`.
std::size_t CharacterCount(const std::string& text);
/// Lower case with accents folded (á -> a, Ñ -> n) for matching a filter against names.
std::string FoldForSearch(const std::string& text);

}  // namespace kiosk
