// Text helpers shared by the directory index's build and search (IndexText.h).
#include "kiosk/directory/IndexText.h"

namespace kiosk::directory {

std::u32string CodePoints(std::string_view utf8) {
    std::u32string out;
    out.reserve(utf8.size());
    for (size_t i = 0; i < utf8.size();) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
        char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
        ++i;
        for (; extra > 0 && i < utf8.size(); --extra, ++i) {
            cp = (cp << 6) | (static_cast<unsigned char>(utf8[i]) & 0x3F);
        }
        out.push_back(cp);
    }
    return out;
}

std::string LanguageKey(std::string_view tag) {
    std::string out;
    for (char c : tag) {
        if (c == '-' || c == '_') {
            break;
        }
        out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    }
    return out;
}

}  // namespace kiosk::directory
