// Building the directory index from the store's resources: words into terms and postings,
// filters into bit sets, names into an order, and the sets of heavy prefixes made ahead.
// Each step frees what it no longer needs (DirectoryIndex::Build is the sequence).
#include <algorithm>
#include <array>
#include <functional>

#include "kiosk/core/ResourceCategory.h"
#include "kiosk/directory/DirectoryIndex.h"
#include "kiosk/directory/IndexText.h"
#include "kiosk/directory/TermTable.h"
#include "kiosk/store/ResourceSnapshot.h"

namespace kiosk::directory {
namespace {

// A one- or two-letter prefix with at least this many postings (or a quarter of the resources)
// gets its sets made when the index is built.
constexpr size_t kHeavyPostings = 4096;

// Bytes of the first `letters` code points of a UTF-8 word whose code points are `chars`.
size_t Utf8Length(std::u32string_view chars, size_t letters) {
    size_t bytes = 0;
    for (size_t i = 0; i < letters && i < chars.size(); ++i) {
        const char32_t c = chars[i];
        bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    }
    return bytes;
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

}  // namespace kiosk::directory
