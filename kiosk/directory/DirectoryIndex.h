// The in-memory side of directory search (ResourceSearch keeps one). Built from the resource
// table (a store::ResourceSnapshot) whenever directory.generation moves; holds an inverted
// index of the same words FTS5 indexes, and a compact array of what filters and ranking need,
// so a search over 100,000 resources touches no SQL until the top rows are read back.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kiosk/core/GeoDistance.h"
#include "kiosk/directory/DocSet.h"
#include "kiosk/store/DirectoryTokenizer.h"
#include "kiosk/store/ResourceRecords.h"
#include "kiosk/store/ResourceSnapshot.h"

namespace kiosk::directory {

/// Lets maps keyed by std::string be searched with a string_view, without a copy.
struct TransparentStringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

/// Working memory a search reuses, so a search makes no large allocations.
struct DirectoryScratch {
    DocSet candidates;
    DocSet title;
    DocSet word_all;
    DocSet word_title;
    DocSet any;
    std::vector<uint64_t> keys;
};

/// A search before the rows are read back: the ranked resources by rowid.
struct DirectoryMatches {
    struct Match {
        long long num = 0;  ///< resource.num
        bool name_match = false;
    };
    std::vector<Match> top;
    long long total = 0;
    std::vector<std::pair<std::string, std::string>> corrections;
};

class DirectoryIndex {
  public:
    /// Reads and indexes every resource of the snapshot. Throws what the snapshot throws
    /// (inside ResourceDirectory::ReadResources, which turns it into a Result).
    static std::unique_ptr<DirectoryIndex> Build(store::ResourceSnapshot& resources,
                                                 long long generation);

    long long Generation() const { return m_generation; }
    size_t Size() const { return m_num.size(); }

    /// Matching, filtering and ranking as ResourceSearch::Find documents them.
    DirectoryMatches Find(const store::ResourceQuery& query, const store::ResourceContext& context,
                          const store::DirectoryTokenizer& words, DirectoryScratch& scratch) const;

  private:
    struct Word {
        std::string folded;  ///< as indexed
        std::string typed;   ///< as the person typed it
    };
    struct WordSets {
        DocSet all;    ///< resources holding a word with this prefix
        DocSet title;  ///< ... in the name or organization
    };

    struct Building;  // the build's steps and working memory (DirectoryIndexBuilding.cpp)

    DirectoryIndex() = default;
    std::vector<Word> QueryWords(std::string_view text,
                                 const store::DirectoryTokenizer& words) const;
    /// Terms starting with `prefix`, as [first, last) term indexes.
    std::pair<uint32_t, uint32_t> PrefixRange(std::string_view prefix) const;
    void FillSets(std::pair<uint32_t, uint32_t> terms, DocSet& all, DocSet& title) const;
    /// The sets of every term starting with `prefix`.
    void SetsInto(std::string_view prefix, DocSet& all, DocSet& title) const;
    /// Indexed terms near a word that matched nothing, best first (nearest, then most frequent).
    std::vector<uint32_t> NearestTerms(std::string_view folded) const;
    /// Terms of four or more letters within `max_d` edits of `typed`, as (distance, term).
    void WalkNearTerms(std::u32string_view typed, int max_d,
                       std::vector<std::pair<int, uint32_t>>& found) const;
    /// The first term after `t` that does not start with `stem`.
    size_t StemEnd(size_t t, std::u32string_view stem) const;
    /// Narrows `scratch.candidates` and `scratch.title` by every word of `text`, a word that
    /// matches nothing replaced by its nearest term (noted in `out.corrections`). Returns
    /// whether the text had words.
    bool MatchWords(std::string_view text, const store::DirectoryTokenizer& words,
                    DirectoryScratch& scratch, DirectoryMatches& out) const;
    /// Per hours pattern: 1 if open at the context's time.
    std::vector<uint8_t> OpenPatterns(const store::ResourceContext& context) const;
    /// The resources the query's filters other than open now and distance allow.
    void FilterInto(const store::ResourceQuery& query, DocSet& set, DocSet& any) const;

    long long m_generation = -1;

    // Per resource, by index in rowid order.
    std::vector<long long> m_num;
    /// What ranking reads for every candidate, 16 bytes together: the place as a unit vector
    /// (float is within a metre here) and the hours pattern (0 = not known), kNoPlace set
    /// when the resource has no coordinates.
    struct Facts {
        float x = 0;
        float y = 0;
        float z = 0;
        uint32_t hours = 0;
    };
    static constexpr uint32_t kNoPlace = 0x80000000u;
    std::vector<Facts> m_facts;
    std::vector<uint32_t> m_name_rank;  ///< position in name order
    std::vector<uint32_t> m_by_name;    ///< name order -> resource
    std::vector<OpeningHours> m_patterns;
    DocSet m_free;
    std::array<DocSet, 13> m_category;
    std::unordered_map<std::string, DocSet> m_language;

    // Words, in byte order, with the resources holding them. Term t's UTF-8 bytes are
    // m_term_bytes[m_term_at[t], m_term_at[t + 1]) and its code points (for edit distance)
    // m_term_chars[m_chars_at[t], m_chars_at[t + 1]): two flat arrays, not a string each.
    std::string_view Term(size_t t) const {
        return std::string_view(m_term_bytes).substr(m_term_at[t], m_term_at[t + 1] - m_term_at[t]);
    }
    std::u32string_view TermChars(size_t t) const {
        return std::u32string_view(m_term_chars)
            .substr(m_chars_at[t], m_chars_at[t + 1] - m_chars_at[t]);
    }
    size_t TermCount() const { return m_doc_count.size(); }
    std::string m_term_bytes;
    std::vector<uint32_t> m_term_at;
    std::u32string m_term_chars;
    std::vector<uint32_t> m_chars_at;
    std::vector<uint32_t> m_doc_count;
    std::vector<uint32_t> m_first;     ///< postings of term i: [m_first[i], m_first[i + 1])
    std::vector<uint32_t> m_postings;  ///< resource << 1 | 1 when in name or organization
    std::vector<uint32_t> m_four_letter_terms;  ///< where a three-letter typo may belong
    std::unordered_map<std::string, WordSets, TransparentStringHash, std::equal_to<>>
        m_heavy;  ///< made at build: short prefixes with many postings
};

}  // namespace kiosk::directory
