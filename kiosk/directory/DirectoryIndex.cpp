// Answering a search from the in-memory directory index (built in DirectoryIndexBuilding.cpp).
// Words are folded by FTS5's tokenizer; filters are bit sets; ranking packs (name match, open,
// distance, name order) into one 64-bit key per candidate and keeps the best in a small heap. No
// SQL in Find().
#include "kiosk/directory/DirectoryIndex.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

#include "kiosk/core/ResourceCategory.h"
#include "kiosk/directory/IndexText.h"
#include "kiosk/store/ResourceSnapshot.h"

namespace kiosk::directory {
namespace {

// Bounds on what a person can type into the search box; longer input is cut, not refused.
constexpr size_t kMaxQueryBytes = 256;
constexpr size_t kMaxQueryWords = 12;
constexpr size_t kMaxCorrectable = 40;  // code points; longer words are not corrected
constexpr int kMaxLimit = 1000;
// How many near terms are tried for keeping the rest of the query non-empty.
constexpr size_t kCorrectionTries = 16;

// Optimal-string-alignment distance (a swap of two letters is one edit) of two short words.
int WordDistance(std::u32string_view a, std::u32string_view b) {
    std::vector<int> prev2(b.size() + 1), prev(b.size() + 1), row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) {
        prev[j] = static_cast<int>(j);
    }
    for (size_t i = 1; i <= a.size(); ++i) {
        row[0] = static_cast<int>(i);
        for (size_t j = 1; j <= b.size(); ++j) {
            row[j] = std::min(
                {prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                row[j] = std::min(row[j], prev2[j - 2] + 1);
            }
        }
        prev2.swap(prev);
        prev.swap(row);
    }
    return prev[b.size()];
}

uint32_t FloatBits(float f) {
    uint32_t bits = 0;
    std::memcpy(&bits, &f, sizeof bits);
    return bits;
}

}  // namespace

std::vector<DirectoryIndex::Word> DirectoryIndex::QueryWords(
    std::string_view text, const store::DirectoryTokenizer& words) const {
    if (text.size() > kMaxQueryBytes) {
        size_t cut = kMaxQueryBytes;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
            --cut;  // never split a UTF-8 sequence
        }
        text = text.substr(0, cut);
    }
    std::vector<Word> out;
    words.Words(text, [&](std::string_view folded, size_t start, size_t end) {
        if (out.size() < kMaxQueryWords) {
            out.push_back({std::string(folded), std::string(text.substr(start, end - start))});
        }
    });
    return out;
}

std::pair<uint32_t, uint32_t> DirectoryIndex::PrefixRange(std::string_view prefix) const {
    size_t first = 0;  // the first term not before prefix
    for (size_t hi = TermCount(); first < hi;) {
        const size_t mid = first + (hi - first) / 2;
        if (Term(mid) < prefix) {
            first = mid + 1;
        } else {
            hi = mid;
        }
    }
    size_t last = first;
    while (last < TermCount() && Term(last).starts_with(prefix)) {
        ++last;
    }
    return {static_cast<uint32_t>(first), static_cast<uint32_t>(last)};
}

void DirectoryIndex::SetsInto(std::string_view prefix, DocSet& all, DocSet& title) const {
    if (const auto it = m_heavy.find(prefix); it != m_heavy.end()) {
        all = it->second.all;  // a copy into memory the search already has
        title = it->second.title;
        return;
    }
    FillSets(PrefixRange(prefix), all, title);
}

void DirectoryIndex::FillSets(std::pair<uint32_t, uint32_t> terms, DocSet& all,
                              DocSet& title) const {
    all.Reset(Size(), false);
    title.Reset(Size(), false);
    const uint32_t* p = m_postings.data() + m_first[terms.first];
    const uint32_t* end = m_postings.data() + m_first[terms.second];
    for (; p != end; ++p) {
        all.Set(*p >> 1);
        if (*p & 1) {
            title.Set(*p >> 1);
        }
    }
}

std::vector<uint32_t> DirectoryIndex::NearestTerms(std::string_view folded) const {
    const std::u32string typed = CodePoints(folded);
    const size_t n = typed.size();
    if (n < 3 || n > kMaxCorrectable) {
        return {};
    }
    std::vector<std::pair<int, uint32_t>> found;
    if (n == 3) {
        // A three-letter word is only corrected by a missing letter ("fod" -> "food"): one
        // substitution away from three letters are too many common short words ("for", "fox").
        for (uint32_t t : m_four_letter_terms) {
            if (WordDistance(typed, TermChars(t)) <= 1) {
                found.emplace_back(1, t);
            }
        }
    } else {
        WalkNearTerms(typed, n >= 8 ? 2 : 1, found);
    }
    std::sort(found.begin(), found.end(), [&](const auto& a, const auto& b) {
        if (a.first != b.first) {
            return a.first < b.first;
        }
        if (m_doc_count[a.second] != m_doc_count[b.second]) {
            return m_doc_count[a.second] > m_doc_count[b.second];
        }
        return a.second < b.second;
    });
    std::vector<uint32_t> out;
    for (const auto& f : found) {
        out.push_back(f.second);
    }
    return out;
}

// The sorted terms walked as a trie: a term shares the rows of its common prefix with the
// previous one, and a prefix already too far from the typed word skips every term under it.
// rows[j][i]: distance between typed[0..i) and the term's first j letters.
void DirectoryIndex::WalkNearTerms(std::u32string_view typed, int max_d,
                                   std::vector<std::pair<int, uint32_t>>& found) const {
    const size_t n = typed.size();
    const size_t max_depth = n + static_cast<size_t>(max_d);
    std::vector<std::array<int, kMaxCorrectable + 1>> rows(max_depth + 1);
    std::vector<int> best(max_depth + 1);  // best[j]: min of rows[0..j][n]
    for (size_t i = 0; i <= n; ++i) {
        rows[0][i] = static_cast<int>(i);
    }
    best[0] = static_cast<int>(n);
    size_t valid = 0;  // rows[0..valid] hold the previous term's prefix
    std::u32string_view prev;
    size_t t = 0;
    while (t < TermCount()) {
        const std::u32string_view term = TermChars(t);
        size_t depth = 0;
        const size_t common = std::min({valid, prev.size(), term.size()});
        while (depth < common && prev[depth] == term[depth]) {
            ++depth;
        }
        const size_t limit = std::min(term.size(), max_depth);
        size_t j = depth;
        bool pruned = false;
        while (j < limit) {
            ++j;
            auto& row = rows[j];
            const auto& up = rows[j - 1];
            row[0] = static_cast<int>(j);
            int row_min = row[0];
            for (size_t i = 1; i <= n; ++i) {
                const int cost = typed[i - 1] == term[j - 1] ? 0 : 1;
                int d = std::min({up[i] + 1, row[i - 1] + 1, up[i - 1] + cost});
                if (i > 1 && j > 1 && typed[i - 1] == term[j - 2] && typed[i - 2] == term[j - 1]) {
                    d = std::min(d, rows[j - 2][i - 2] + 1);  // two letters swapped
                }
                row[i] = d;
                row_min = std::min(row_min, d);
            }
            best[j] = std::min(best[j - 1], row[n]);
            if (row_min > max_d) {
                pruned = true;
                break;
            }
        }
        valid = j;
        prev = term;
        if (!pruned) {
            if (best[j] <= max_d) {
                found.emplace_back(best[j], static_cast<uint32_t>(t));
            }
            ++t;
            continue;
        }
        // Every following term with the same first j letters ends the same way.
        const size_t end = StemEnd(t, term.substr(0, j));
        if (best[j - 1] <= max_d) {
            for (size_t k = t; k < end; ++k) {
                found.emplace_back(best[j - 1], static_cast<uint32_t>(k));
            }
        }
        t = end;
    }
}

size_t DirectoryIndex::StemEnd(size_t t, std::u32string_view stem) const {
    size_t end = t + 1;
    for (size_t hi = TermCount(); end < hi;) {
        const size_t mid = end + (hi - end) / 2;
        if (TermChars(mid).starts_with(stem)) {
            end = mid + 1;
        } else {
            hi = mid;
        }
    }
    return end;
}

void DirectoryIndex::FilterInto(const store::ResourceQuery& query, DocSet& set, DocSet& any) const {
    set.Reset(Size(), true);
    if (!query.categories.empty()) {
        any.Reset(Size(), false);
        for (const auto& code : query.categories) {
            for (size_t c = 0; c < kResourceCategories.size(); ++c) {
                if (kResourceCategories[c] == code) {
                    any |= m_category[c];
                }
            }
        }
        set &= any;
    }
    if (!query.language.empty()) {
        const auto it = m_language.find(LanguageKey(query.language));
        if (it == m_language.end()) {
            set.Reset(Size(), false);
            return;
        }
        set &= it->second;
    }
    if (query.free_only) {
        set &= m_free;
    }
}

bool DirectoryIndex::MatchWords(std::string_view text, const store::DirectoryTokenizer& words,
                                DirectoryScratch& scratch, DirectoryMatches& out) const {
    // Every word must match (as a prefix); a word that matches nothing is replaced by the
    // nearest indexed word, preferring one that leaves the whole query some results.
    DocSet& candidates = scratch.candidates;
    DocSet& title = scratch.title;
    DocSet& word_all = scratch.word_all;
    DocSet& word_title = scratch.word_title;
    const std::vector<Word> typed = QueryWords(text, words);
    std::vector<size_t> unmatched;
    for (size_t i = 0; i < typed.size(); ++i) {
        const auto range = PrefixRange(typed[i].folded);
        if (range.first == range.second) {
            unmatched.push_back(i);
            continue;
        }
        SetsInto(typed[i].folded, word_all, word_title);
        candidates &= word_all;
        title &= word_title;
    }
    for (size_t i : unmatched) {
        const std::vector<uint32_t> near = NearestTerms(typed[i].folded);
        if (near.empty()) {
            candidates.Reset(Size(), false);
            continue;
        }
        std::optional<uint32_t> chosen;
        for (size_t k = 0; k < near.size() && k < kCorrectionTries; ++k) {
            SetsInto(Term(near[k]), word_all, word_title);
            if (word_all.Intersects(candidates)) {
                chosen = near[k];
                break;
            }
        }
        if (!chosen) {
            chosen = near.front();
            SetsInto(Term(near.front()), word_all, word_title);
        }
        const uint32_t chosen_term = *chosen;
        candidates &= word_all;
        title &= word_title;
        out.corrections.emplace_back(typed[i].typed, std::string(Term(chosen_term)));
    }
    return !typed.empty();
}

// What open now means this minute, once per distinct set of hours.
std::vector<uint8_t> DirectoryIndex::OpenPatterns(const store::ResourceContext& context) const {
    std::vector<uint8_t> pattern_open(m_patterns.size(), 0);
    if (context.time != nullptr) {
        const WeekClock clock = OpeningHours::LocalClock(context.now, *context.time);
        for (size_t p = 1; p < m_patterns.size(); ++p) {
            pattern_open[p] = m_patterns[p].OpenAt(clock) ? 1 : 0;
        }
    }
    return pattern_open;
}

DirectoryMatches DirectoryIndex::Find(const store::ResourceQuery& query,
                                      const store::ResourceContext& context,
                                      const store::DirectoryTokenizer& words,
                                      DirectoryScratch& scratch) const {
    DirectoryMatches out;
    const size_t n = Size();
    DocSet& candidates = scratch.candidates;
    const DocSet& title = scratch.title;
    FilterInto(query, candidates, scratch.any);
    scratch.title.Reset(n, true);
    const bool has_text = MatchWords(query.text, words, scratch, out);

    const std::vector<uint8_t> pattern_open = OpenPatterns(context);
    const bool has_origin = context.origin_lat && context.origin_lon;
    const UnitVector origin =
        has_origin ? ToUnitVector(*context.origin_lat, *context.origin_lon) : UnitVector{};
    const float max_chord2 =
        query.max_km ? static_cast<float>(KmToChordSquared(*query.max_km)) : 0.0f;
    if (query.max_km && !has_origin) {
        candidates.Reset(n, false);  // no distance is known, so none is within reach
    }

    // Key: [not a name match][not open][distance as float bits][name order]; the best `limit`
    // kept in a max-heap, so most candidates cost one comparison.
    constexpr uint32_t kUnknownDistance = 0x7F800000;  // +infinity: after every known one
    const float ox = static_cast<float>(origin.x);
    const float oy = static_cast<float>(origin.y);
    const float oz = static_cast<float>(origin.z);
    const auto limit = static_cast<size_t>(std::clamp(query.limit, 0, kMaxLimit));
    std::vector<uint64_t>& keys = scratch.keys;
    keys.clear();
    keys.reserve(limit);
    long long total = 0;
    candidates.ForEach([&](uint32_t doc) {
        const Facts& f = m_facts[doc];
        uint32_t distance = kUnknownDistance;
        if (has_origin && (f.hours & kNoPlace) == 0) {
            const float dx = f.x - ox;
            const float dy = f.y - oy;
            const float dz = f.z - oz;
            const float chord2 = dx * dx + dy * dy + dz * dz;
            if (query.max_km && chord2 > max_chord2) {
                return;
            }
            distance = FloatBits(chord2);
        } else if (query.max_km) {
            return;
        }
        const bool open = pattern_open[f.hours & ~kNoPlace] != 0;
        if (query.open_now && !open) {
            return;
        }
        ++total;
        const bool name_match = has_text && title.Test(doc);
        const uint64_t group = (name_match ? 0u : 2u) | (open ? 0u : 1u);
        const uint64_t key = group << 62 | uint64_t{distance} << 30 | m_name_rank[doc];
        if (keys.size() < limit) {
            keys.push_back(key);
            std::push_heap(keys.begin(), keys.end());
        } else if (limit > 0 && key < keys.front()) {
            std::pop_heap(keys.begin(), keys.end());
            keys.back() = key;
            std::push_heap(keys.begin(), keys.end());
        }
    });
    out.total = total;
    std::sort_heap(keys.begin(), keys.end());
    for (uint64_t key : keys) {
        const uint32_t doc = m_by_name[key & ((uint64_t{1} << 30) - 1)];
        out.top.push_back({m_num[doc], (key >> 63) == 0});
    }
    return out;
}

}  // namespace kiosk::directory
