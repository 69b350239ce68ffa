// Key rows are data; the accents layer swaps the letter rows for Spanish letters and marks.
// Only keys from these rows are accepted, so nothing but printable text reaches a field.
#include "kiosk/app/OnScreenKeyboard.h"

#include <array>
#include <cctype>
#include <vector>

namespace kiosk {
namespace {

struct KeySpec {
    const char* lower;
    const char* upper;
};

const std::vector<std::vector<KeySpec>>& LetterRows(bool accents) {
    static const std::vector<std::vector<KeySpec>> plain = {
        {{"1", "1"},
         {"2", "2"},
         {"3", "3"},
         {"4", "4"},
         {"5", "5"},
         {"6", "6"},
         {"7", "7"},
         {"8", "8"},
         {"9", "9"},
         {"0", "0"}},
        {{"q", "Q"},
         {"w", "W"},
         {"e", "E"},
         {"r", "R"},
         {"t", "T"},
         {"y", "Y"},
         {"u", "U"},
         {"i", "I"},
         {"o", "O"},
         {"p", "P"}},
        {{"a", "A"},
         {"s", "S"},
         {"d", "D"},
         {"f", "F"},
         {"g", "G"},
         {"h", "H"},
         {"j", "J"},
         {"k", "K"},
         {"l", "L"},
         {"\xc3\xb1", "\xc3\x91"}},
        {{"z", "Z"},
         {"x", "X"},
         {"c", "C"},
         {"v", "V"},
         {"b", "B"},
         {"n", "N"},
         {"m", "M"},
         {"-", "-"},
         {"'", "'"},
         {".", "."}},
    };
    static const std::vector<std::vector<KeySpec>> spanish = {
        {{"1", "1"},
         {"2", "2"},
         {"3", "3"},
         {"4", "4"},
         {"5", "5"},
         {"6", "6"},
         {"7", "7"},
         {"8", "8"},
         {"9", "9"},
         {"0", "0"}},
        {{"\xc3\xa1", "\xc3\x81"},
         {"\xc3\xa9", "\xc3\x89"},
         {"\xc3\xad", "\xc3\x8d"},
         {"\xc3\xb3", "\xc3\x93"},
         {"\xc3\xba", "\xc3\x9a"},
         {"\xc3\xbc", "\xc3\x9c"},
         {"\xc3\xb1", "\xc3\x91"},
         {"\xc3\xa7", "\xc3\x87"}},
        {{"\xc2\xbf", "\xc2\xbf"},
         {"\xc2\xa1", "\xc2\xa1"},
         {",", ","},
         {".", "."},
         {"?", "?"},
         {"!", "!"},
         {"/", "/"},
         {"&", "&"}},
        {{"(", "("}, {")", ")"}, {":", ":"}, {"-", "-"}, {"'", "'"}, {"#", "#"}},
    };
    return accents ? spanish : plain;
}

bool IsKeyText(const std::string& text) {
    for (bool accents : {false, true}) {
        for (const auto& row : LetterRows(accents)) {
            for (const auto& k : row) {
                if (text == k.lower || text == k.upper) {
                    return true;
                }
            }
        }
    }
    return text == " ";
}

}  // namespace

void EraseLastCharacter(std::string& text) {
    while (!text.empty()) {
        const unsigned char c = static_cast<unsigned char>(text.back());
        text.pop_back();
        if ((c & 0xC0) != 0x80) {  // not a continuation byte: a whole character is gone
            break;
        }
    }
}

std::size_t CharacterCount(const std::string& text) {
    std::size_t n = 0;
    for (unsigned char c : text) {
        n += (c & 0xC0) != 0x80;
    }
    return n;
}

std::string FoldForSearch(const std::string& text) {
    // The Latin-1 letters of Spanish names, as UTF-8 pairs after 0xC3, folded to ASCII.
    static const std::array<std::pair<unsigned char, char>, 24> kFold = {{
        {0x81, 'a'}, {0xA1, 'a'}, {0x89, 'e'}, {0xA9, 'e'}, {0x8D, 'i'}, {0xAD, 'i'},
        {0x93, 'o'}, {0xB3, 'o'}, {0x9A, 'u'}, {0xBA, 'u'}, {0x9C, 'u'}, {0xBC, 'u'},
        {0x91, 'n'}, {0xB1, 'n'}, {0x87, 'c'}, {0xA7, 'c'}, {0x80, 'a'}, {0xA0, 'a'},
        {0x88, 'e'}, {0xA8, 'e'}, {0x92, 'o'}, {0xB2, 'o'}, {0x8F, 'i'}, {0xAF, 'i'},
    }};
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == 0xC3 && i + 1 < text.size()) {
            const unsigned char next = static_cast<unsigned char>(text[i + 1]);
            char folded = 0;
            for (const auto& [from, to] : kFold) {
                if (from == next) {
                    folded = to;
                }
            }
            if (folded != 0) {
                out += folded;
                ++i;
                continue;
            }
        }
        out += (c < 0x80) ? static_cast<char>(std::tolower(c)) : static_cast<char>(c);
    }
    return out;
}

void OnScreenKeyboard::Open(std::string text) {
    m_text = std::move(text);
    m_open = true;
    m_shift = false;
    m_accents = false;
}

void OnScreenKeyboard::Close() {
    m_open = false;
    m_shift = false;
    m_accents = false;
    m_text.clear();
}

void OnScreenKeyboard::Press(const KeyboardIntent& key) {
    std::visit(Overloaded{[&](const intent::keyboard::Text& k) {
                              if (IsKeyText(k.text) && CharacterCount(m_text) < m_max_chars) {
                                  m_text += k.text;
                                  m_shift = false;
                              }
                          },
                          [&](const intent::keyboard::Erase&) { EraseLastCharacter(m_text); },
                          [&](const intent::keyboard::Shift&) { m_shift = !m_shift; },
                          [&](const intent::keyboard::Accents&) { m_accents = !m_accents; },
                          [](const intent::keyboard::Done&) {}},
               key);
}

KeyboardView OnScreenKeyboard::View(const KeyboardLabels& labels) const {
    KeyboardView v;
    v.title = labels.title;
    v.text = m_text;
    const auto& rows = LetterRows(m_accents);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        std::vector<KeyView> row;
        if (r == 3) {
            row.push_back({labels.shift, intent::keyboard::Shift{}, 1.5f, m_shift});
        }
        for (const auto& k : rows[r]) {
            const std::string text = m_shift ? k.upper : k.lower;
            row.push_back({text, intent::keyboard::Text{text}, 1.0f, false});
        }
        if (r == 0) {
            row.push_back({labels.erase, intent::keyboard::Erase{}, 1.8f, false});
        }
        v.rows.push_back(std::move(row));
    }
    v.rows.push_back({{m_accents ? "abc" : "\xc3\xa1\xc3\xa9\xc3\xad", intent::keyboard::Accents{},
                       1.5f, m_accents},
                      {labels.space, intent::keyboard::Text{" "}, 5.0f, false},
                      {labels.done, intent::keyboard::Done{}, 2.0f, false}});
    return v;
}

}  // namespace kiosk
