// Private to kiosk/store: a set of resources as one bit each, for the directory search's
// word matches and filters (intersect, unite, count, walk in order). Standard library only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kiosk::directory {

/// One bit per resource of the index.
class DocSet {
  public:
    DocSet() = default;
    DocSet(size_t size, bool all);
    /// Empty or full again for `size` resources, keeping the memory it has.
    void Reset(size_t size, bool all);
    void Set(uint32_t doc) { m_words[doc >> 6] |= uint64_t{1} << (doc & 63); }
    bool Test(uint32_t doc) const { return (m_words[doc >> 6] >> (doc & 63)) & 1; }
    bool Any() const;
    size_t Count() const;
    DocSet& operator&=(const DocSet& other);
    DocSet& operator|=(const DocSet& other);
    bool Intersects(const DocSet& other) const;
    /// Calls f(doc) for every member in order.
    template <class F>
    void ForEach(F&& f) const {
        for (size_t w = 0; w < m_words.size(); ++w) {
            uint64_t bits = m_words[w];
            while (bits != 0) {
                f(static_cast<uint32_t>(w * 64 + static_cast<size_t>(__builtin_ctzll(bits))));
                bits &= bits - 1;
            }
        }
    }

  private:
    std::vector<uint64_t> m_words;
};

}  // namespace kiosk::directory
