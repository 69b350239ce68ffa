// Interning the words of a whole directory while its search index is built (DirectoryIndex):
// a word in, a dense id out. Private to kiosk/store; no SQL, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::directory {

// Interns the words of a whole directory: open addressing over ids, so the few million word
// occurrences of 100,000 resources cost one hash and mostly one comparison each.
class TermTable {
  public:
    TermTable() : m_slots(1 << 16, 0) {}
    /// The word's id, new ids counting up from 0.
    uint32_t Intern(std::string_view word) {
        const uint64_t h = Hash(word);
        size_t i = h & (m_slots.size() - 1);
        while (m_slots[i] != 0) {
            const uint32_t id = m_slots[i] - 1;
            if (m_hashes[id] == h && m_words[id] == word) {
                return id;
            }
            i = (i + 1) & (m_slots.size() - 1);
        }
        const auto id = static_cast<uint32_t>(m_words.size());
        m_words.emplace_back(word);
        m_hashes.push_back(h);
        m_slots[i] = id + 1;
        if (m_words.size() * 2 > m_slots.size()) {
            Grow();
        }
        return id;
    }
    std::vector<std::string> Release() { return std::move(m_words); }

  private:
    static uint64_t Hash(std::string_view s) {
        uint64_t h = 1469598103934665603ull;  // FNV-1a: short words, no setup cost
        for (char c : s) {
            h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
        }
        return h ^ (h >> 29);
    }
    void Grow() {
        std::vector<uint32_t> slots(m_slots.size() * 2, 0);
        for (uint32_t id = 0; id < m_words.size(); ++id) {
            size_t i = m_hashes[id] & (slots.size() - 1);
            while (slots[i] != 0) {
                i = (i + 1) & (slots.size() - 1);
            }
            slots[i] = id + 1;
        }
        m_slots.swap(slots);
    }

    std::vector<uint32_t> m_slots;  // id + 1; 0 is empty
    std::vector<std::string> m_words;
    std::vector<uint64_t> m_hashes;
};

}  // namespace kiosk::directory
