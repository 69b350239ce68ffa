// Private to sync/: word helpers the directory mappings share (FHIR mapping, categories):
// ASCII folding, trimming, splitting into words and matching keyword phrases ("food bank*").
#pragma once

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::directory::words {

inline std::string Lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

inline std::string_view Trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return s;
}

/// Lower-case words: ASCII letters and digits, plus any non-ASCII byte (so "guardería" stays
/// one word). Everything else separates.
inline std::vector<std::string> Words(std::string_view text) {
    std::vector<std::string> words;
    std::string word;
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c >= 0x80) {
            word += static_cast<char>(std::tolower(c));
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) {
        words.push_back(std::move(word));
    }
    return words;
}

inline bool WordMatches(const std::string& word, std::string_view pattern) {
    if (!pattern.empty() && pattern.back() == '*') {
        pattern.remove_suffix(1);
        return word.compare(0, pattern.size(), pattern) == 0;
    }
    return word == pattern;
}

inline bool PhraseOccurs(const std::vector<std::string>& words, std::string_view phrase) {
    std::vector<std::string_view> parts;
    for (size_t start = 0; start < phrase.size();) {
        size_t end = phrase.find(' ', start);
        if (end == std::string_view::npos) {
            end = phrase.size();
        }
        parts.push_back(phrase.substr(start, end - start));
        start = end + 1;
    }
    if (parts.empty() || parts.size() > words.size()) {
        return false;
    }
    for (size_t i = 0; i + parts.size() <= words.size(); ++i) {
        bool all = true;
        for (size_t k = 0; k < parts.size() && all; ++k) {
            all = WordMatches(words[i + k], parts[k]);
        }
        if (all) {
            return true;
        }
    }
    return false;
}

}  // namespace kiosk::directory::words
