// Building the in-memory directory index and answering a search from it. Words are folded by
// FTS5's tokenizer; filters are bit sets; ranking packs (name match, open, distance, name
// order) into one 64-bit key per candidate and keeps the best in a small heap. No SQL in Find().
#include "kiosk/directory/DirectoryIndex.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

#include "kiosk/core/ResourceCategory.h"
#include "kiosk/directory/TermTable.h"
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
// A one- or two-letter prefix with at least this many postings (or a quarter of the resources)
// gets its sets made when the index is built.
constexpr size_t kHeavyPostings = 4096;

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

// Bytes of the first `letters` code points of a UTF-8 word whose code points are `chars`.
size_t Utf8Length(std::u32string_view chars, size_t letters) {
    size_t bytes = 0;
    for (size_t i = 0; i < letters && i < chars.size(); ++i) {
        const char32_t c = chars[i];
        bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    }
    return bytes;
}

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

// "es-MX", "ES" -> "es": the filter compares primary language subtags.
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

uint32_t FloatBits(float f) {
    uint32_t bits = 0;
    std::memcpy(&bits, &f, sizeof bits);
    return bits;
}

}  // namespace

// What building the index keeps between its steps; each step frees what it no longer needs.
struct DirectoryIndex::Building {
    explicit Building(DirectoryIndex& index) : x(index) {}

    void Reserve(size_t expected);
    void Add(const store::IndexedResource& r, const store::DirectoryTokenizer& words);
    void AddWords(uint32_t doc, const store::IndexedResource& r,
                  const store::DirectoryTokenizer& words);
    Facts FactsOf(const store::IndexedResource& r);
    uint16_t CategoriesOf(std::string_view json);
    void AddLanguages(uint32_t doc, std::string_view json);
    void MakeFilterSets();
    void MakeNameOrder();
    std::vector<uint32_t> MakePostings(const std::vector<std::string>& terms);
    void MakeTermText(std::vector<std::string>& terms, const std::vector<uint32_t>& order);
    void MakeHeavyPrefixes();

    DirectoryIndex& x;
    TermTable term_ids;
    std::unordered_map<std::string, uint32_t, TransparentStringHash, std::equal_to<>> pattern_ids;
    // The same category and language lists come back again and again: parsed once each.
    std::unordered_map<std::string, uint16_t, TransparentStringHash, std::equal_to<>>
        category_masks;
    std::unordered_map<std::string, std::vector<uint32_t>, TransparentStringHash, std::equal_to<>>
        language_lists;
    std::vector<std::string> language_keys;
    std::vector<uint32_t> last_doc;  // per term: the last resource it was seen in, + 1
    std::vector<uint32_t> slot;      // per term: its entry in `occurrences` for that resource
    // The words of each resource once each, resource by resource, as term << 1 | title (4 bytes
    // a word where (term, resource) pairs took 8), and where each resource's words end.
    std::vector<uint32_t> occurrences;
    std::vector<uint32_t> words_end;
    std::vector<std::pair<std::string, uint32_t>> name_keys;
    std::vector<uint16_t> category_of;
    std::vector<std::pair<uint32_t, uint32_t>> language_of;  // (resource, language)
    std::vector<uint32_t> free_docs;
};

std::unique_ptr<DirectoryIndex> DirectoryIndex::Build(store::ResourceSnapshot& resources,
                                                      long long generation) {
    std::unique_ptr<DirectoryIndex> index(new DirectoryIndex());
    index->m_generation = generation;
    index->m_patterns.emplace_back();  // 0: hours not known

    Building b(*index);
    b.Reserve(static_cast<size_t>(std::max<long long>(0, resources.Count())));
    resources.ForEach([&](const store::IndexedResource& r) { b.Add(r, resources.Words()); });
    std::vector<std::string> terms = b.term_ids.Release();
    b.MakeFilterSets();
    b.MakeNameOrder();
    const std::vector<uint32_t> order = b.MakePostings(terms);
    b.MakeTermText(terms, order);
    b.MakeHeavyPrefixes();
    return index;
}

void DirectoryIndex::Building::Reserve(size_t expected) {
    x.m_num.reserve(expected);
    x.m_facts.reserve(expected);
    name_keys.reserve(expected);
    category_of.reserve(expected);
    occurrences.reserve(expected * 24);
    words_end.reserve(expected);
}

// One resource: its words, its place and hours, its categories, languages and cost.
void DirectoryIndex::Building::Add(const store::IndexedResource& r,
                                   const store::DirectoryTokenizer& words) {
    const auto doc = static_cast<uint32_t>(x.m_num.size());
    x.m_num.push_back(r.num);
    AddWords(doc, r, words);
    x.m_facts.push_back(FactsOf(r));
    category_of.push_back(CategoriesOf(r.categories));
    AddLanguages(doc, r.languages);
    if (r.free) {
        free_docs.push_back(doc);
    }
}

// The words of the name and organization (the title), categories, description and
// eligibility, each once per resource; and the name's folded words, its key in name order.
void DirectoryIndex::Building::AddWords(uint32_t doc, const store::IndexedResource& r,
                                        const store::DirectoryTokenizer& words) {
    const std::array<std::string_view, 5> fields = {r.name, r.organization, r.categories,
                                                    r.description, r.eligibility};
    std::string name_key;
    for (size_t field = 0; field < fields.size(); ++field) {
        const bool title = field <= 1;
        words.Words(fields[field], [&](std::string_view folded, size_t, size_t) {
            const uint32_t id = term_ids.Intern(folded);
            if (id == last_doc.size()) {
                last_doc.push_back(0);
                slot.push_back(0);
            }
            if (last_doc[id] != doc + 1) {
                last_doc[id] = doc + 1;
                slot[id] = static_cast<uint32_t>(occurrences.size());
                occurrences.push_back(id << 1 | (title ? 1u : 0u));
            } else if (title) {
                occurrences[slot[id]] |= 1;
            }
            if (field == 0) {
                if (!name_key.empty()) {
                    name_key += ' ';
                }
                name_key += folded;
            }
        });
    }
    words_end.push_back(static_cast<uint32_t>(occurrences.size()));
    name_keys.emplace_back(std::move(name_key), doc);
}

DirectoryIndex::Facts DirectoryIndex::Building::FactsOf(const store::IndexedResource& r) {
    Facts facts;
    if (r.latitude && r.longitude) {
        const UnitVector v = ToUnitVector(*r.latitude, *r.longitude);
        facts = {static_cast<float>(v.x), static_cast<float>(v.y), static_cast<float>(v.z), 0};
    } else {
        facts.hours = kNoPlace;
    }
    auto pattern = pattern_ids.find(r.hours);
    if (pattern == pattern_ids.end()) {
        auto parsed = OpeningHours::Parse(r.hours);
        uint32_t id = 0;
        if (parsed && parsed->Known()) {
            id = static_cast<uint32_t>(x.m_patterns.size());
            x.m_patterns.push_back(std::move(parsed).value());
        }
        pattern = pattern_ids.emplace(std::string(r.hours), id).first;
    }
    facts.hours |= pattern->second;
    return facts;
}

uint16_t DirectoryIndex::Building::CategoriesOf(std::string_view json) {
    auto mask = category_masks.find(json);
    if (mask == category_masks.end()) {
        uint16_t bits = 0;
        for (const auto& code : store::StringListFromJson(json)) {
            for (size_t c = 0; c < kResourceCategories.size(); ++c) {
                if (kResourceCategories[c] == code) {
                    bits = static_cast<uint16_t>(bits | (1u << c));
                }
            }
        }
        mask = category_masks.emplace(std::string(json), bits).first;
    }
    return mask->second;
}

void DirectoryIndex::Building::AddLanguages(uint32_t doc, std::string_view json) {
    auto langs = language_lists.find(json);
    if (langs == language_lists.end()) {
        std::vector<uint32_t> ids;
        for (const auto& tag : store::StringListFromJson(json)) {
            const std::string key = LanguageKey(tag);
            const auto at = std::find(language_keys.begin(), language_keys.end(), key);
            ids.push_back(static_cast<uint32_t>(at - language_keys.begin()));
            if (at == language_keys.end()) {
                language_keys.push_back(key);
            }
        }
        langs = language_lists.emplace(std::string(json), std::move(ids)).first;
    }
    for (uint32_t lang : langs->second) {
        language_of.emplace_back(doc, lang);
    }
}

// The filters' bit sets: free, each category, each language.
void DirectoryIndex::Building::MakeFilterSets() {
    const size_t n = x.m_num.size();
    x.m_free = DocSet(n, false);
    for (auto& set : x.m_category) {
        set = DocSet(n, false);
    }
    for (uint32_t doc : free_docs) {
        x.m_free.Set(doc);
    }
    for (uint32_t doc = 0; doc < n; ++doc) {
        for (size_t c = 0; c < kResourceCategories.size(); ++c) {
            if ((category_of[doc] >> c) & 1) {
                x.m_category[c].Set(doc);
            }
        }
    }
    std::vector<DocSet*> language_sets;
    for (const auto& key : language_keys) {
        auto [it, added] = x.m_language.try_emplace(key);
        if (added) {
            it->second = DocSet(n, false);
        }
        language_sets.push_back(&it->second);
    }
    for (const auto& [doc, lang] : language_of) {
        language_sets[lang]->Set(doc);
    }
}

// Name order: folded words, then rowid (the order resources were added).
void DirectoryIndex::Building::MakeNameOrder() {
    const size_t n = x.m_num.size();
    std::stable_sort(name_keys.begin(), name_keys.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    x.m_name_rank.resize(n);
    x.m_by_name.resize(n);
    for (size_t rank = 0; rank < n; ++rank) {
        x.m_name_rank[name_keys[rank].second] = static_cast<uint32_t>(rank);
        x.m_by_name[rank] = name_keys[rank].second;
    }

    std::vector<std::pair<std::string, uint32_t>>().swap(name_keys);
    std::vector<uint32_t>().swap(last_doc);
    std::vector<uint32_t>().swap(slot);
}

// Terms in byte order; postings grouped by term with a counting sort straight into
// m_postings (it keeps resource order), so no second full copy of them is ever held.
// Returns the term ids in byte order.
std::vector<uint32_t> DirectoryIndex::Building::MakePostings(
    const std::vector<std::string>& terms) {
    std::vector<uint32_t> order(terms.size());
    for (uint32_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return terms[a] < terms[b]; });
    std::vector<uint32_t> next(terms.size() + 1, 0);  // by term id: where its postings go
    for (uint32_t word : occurrences) {
        ++next[word >> 1];
    }
    x.m_first.resize(terms.size() + 1);
    x.m_doc_count.resize(terms.size());
    uint32_t at = 0;
    for (size_t rank = 0; rank < order.size(); ++rank) {
        const uint32_t id = order[rank];
        x.m_first[rank] = at;
        x.m_doc_count[rank] = next[id];
        const uint32_t count = next[id];
        next[id] = at;
        at += count;
    }
    x.m_first[order.size()] = at;
    x.m_postings.resize(occurrences.size());
    for (uint32_t doc = 0, i = 0; doc < words_end.size(); ++doc) {
        for (; i < words_end[doc]; ++i) {
            x.m_postings[next[occurrences[i] >> 1]++] = doc << 1 | (occurrences[i] & 1);
        }
    }
    std::vector<uint32_t>().swap(occurrences);
    std::vector<uint32_t>().swap(words_end);
    return order;
}

// The terms' bytes and code points in two flat arrays, in byte order; `terms` is emptied.
void DirectoryIndex::Building::MakeTermText(std::vector<std::string>& terms,
                                            const std::vector<uint32_t>& order) {
    size_t term_bytes = 0, term_chars = 0;
    for (const auto& term : terms) {
        term_bytes += term.size();
        for (char c : term) {
            term_chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
        }
    }
    x.m_term_bytes.reserve(term_bytes);
    x.m_term_chars.reserve(term_chars);
    x.m_term_at.reserve(terms.size() + 1);
    x.m_chars_at.reserve(terms.size() + 1);
    for (uint32_t id : order) {
        const auto term = static_cast<uint32_t>(x.m_term_at.size());
        x.m_term_at.push_back(static_cast<uint32_t>(x.m_term_bytes.size()));
        x.m_chars_at.push_back(static_cast<uint32_t>(x.m_term_chars.size()));
        const std::u32string chars = CodePoints(terms[id]);
        if (chars.size() == 4) {
            x.m_four_letter_terms.push_back(term);
        }
        x.m_term_bytes += terms[id];
        x.m_term_chars += chars;
        std::string().swap(terms[id]);
    }
    x.m_term_at.push_back(static_cast<uint32_t>(x.m_term_bytes.size()));
    x.m_chars_at.push_back(static_cast<uint32_t>(x.m_term_chars.size()));
    std::vector<std::string>().swap(terms);
}

// One- and two-letter prefixes that cover many postings ("h", "ho") are what people type
// first and the dearest to union; their sets are made once here.
void DirectoryIndex::Building::MakeHeavyPrefixes() {
    const size_t heavy = std::max<size_t>(kHeavyPostings, x.m_num.size() / 4);
    for (size_t letters = 1; letters <= 2; ++letters) {
        size_t t = 0;
        while (t < x.TermCount()) {
            const std::u32string_view chars = x.TermChars(t);
            if (chars.size() < letters) {
                ++t;
                continue;
            }
            const std::string prefix(x.Term(t).substr(0, Utf8Length(chars, letters)));
            const auto range = x.PrefixRange(prefix);
            if (x.m_first[range.second] - x.m_first[range.first] >= heavy) {
                WordSets sets;
                x.FillSets(range, sets.all, sets.title);
                x.m_heavy.emplace(prefix, std::move(sets));
            }
            t = std::max<size_t>(range.second, t + 1);
        }
    }
}

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
        // The sorted terms walked as a trie: a term shares the rows of its common prefix with
        // the previous one, and a prefix already too far from the typed word skips every term
        // under it. rows[j][i]: distance between typed[0..i) and the term's first j letters.
        const int max_d = n >= 8 ? 2 : 1;
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
                    if (i > 1 && j > 1 && typed[i - 1] == term[j - 2] &&
                        typed[i - 2] == term[j - 1]) {
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
            const std::u32string_view stem = term.substr(0, j);
            size_t end = t + 1;  // the first term after t not starting with stem
            for (size_t hi = TermCount(); end < hi;) {
                const size_t mid = end + (hi - end) / 2;
                if (TermChars(mid).starts_with(stem)) {
                    end = mid + 1;
                } else {
                    hi = mid;
                }
            }
            if (best[j - 1] <= max_d) {
                for (size_t k = t; k < end; ++k) {
                    found.emplace_back(best[j - 1], static_cast<uint32_t>(k));
                }
            }
            t = end;
        }
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

DirectoryMatches DirectoryIndex::Find(const store::ResourceQuery& query,
                                      const store::ResourceContext& context,
                                      const store::DirectoryTokenizer& words,
                                      DirectoryScratch& scratch) const {
    DirectoryMatches out;
    const size_t n = Size();
    DocSet& candidates = scratch.candidates;
    DocSet& title = scratch.title;
    DocSet& word_all = scratch.word_all;
    DocSet& word_title = scratch.word_title;
    FilterInto(query, candidates, scratch.any);
    title.Reset(n, true);

    // Every word must match (as a prefix); a word that matches nothing is replaced by the
    // nearest indexed word, preferring one that leaves the whole query some results.
    const std::vector<Word> typed = QueryWords(query.text, words);
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
            candidates.Reset(n, false);
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
    const bool has_text = !typed.empty();

    // What open now means this minute, once per distinct set of hours.
    std::vector<uint8_t> pattern_open(m_patterns.size(), 0);
    if (context.time != nullptr) {
        const WeekClock clock = OpeningHours::LocalClock(context.now, *context.time);
        for (size_t p = 1; p < m_patterns.size(); ++p) {
            pattern_open[p] = m_patterns[p].OpenAt(clock) ? 1 : 0;
        }
    }
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
