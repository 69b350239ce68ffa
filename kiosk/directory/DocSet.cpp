// DocSet: 64 resources per word; set operations run a word at a time.
#include "kiosk/directory/DocSet.h"

#include <algorithm>
#include <bit>

namespace kiosk::directory {

DocSet::DocSet(size_t size, bool all) {
    Reset(size, all);
}

void DocSet::Reset(size_t size, bool all) {
    m_words.assign((size + 63) / 64, all ? ~uint64_t{0} : 0);
    if (all && size % 64 != 0) {
        m_words.back() = (uint64_t{1} << (size % 64)) - 1;
    }
}

size_t DocSet::Count() const {
    size_t count = 0;
    for (uint64_t w : m_words) {
        count += static_cast<size_t>(std::popcount(w));
    }
    return count;
}

bool DocSet::Any() const {
    return std::any_of(m_words.begin(), m_words.end(), [](uint64_t w) { return w != 0; });
}

DocSet& DocSet::operator&=(const DocSet& other) {
    for (size_t i = 0; i < m_words.size(); ++i) {
        m_words[i] &= other.m_words[i];
    }
    return *this;
}

DocSet& DocSet::operator|=(const DocSet& other) {
    for (size_t i = 0; i < m_words.size(); ++i) {
        m_words[i] |= other.m_words[i];
    }
    return *this;
}

bool DocSet::Intersects(const DocSet& other) const {
    for (size_t i = 0; i < m_words.size(); ++i) {
        if ((m_words[i] & other.m_words[i]) != 0) {
            return true;
        }
    }
    return false;
}

}  // namespace kiosk::directory
