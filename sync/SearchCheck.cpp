// The parameters the kiosk sends, with the element each one searches, are listed in
// sync/ServerNeeds.cpp (which doctor also holds the server's CapabilityStatement to). Paging and
// result-shaping parameters (_count, _offset, _sort, _elements, _summary) need no check;
// _lastUpdated is not checked either: a server that ignores it sends unchanged resources again,
// and every upsert is idempotent.
#include "sync/SearchCheck.h"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <tuple>

#include "kiosk/core/Iso8601.h"
#include "sync/JsonText.h"
#include "sync/ServerNeeds.h"

namespace kiosk::sync {
namespace {

using nlohmann::json;

bool Unchecked(const std::string& name) {
    return name == "_count" || name == "_offset" || name == "_sort" || name == "_elements" ||
           name == "_summary" || name == "_lastUpdated" || name == "_total";
}

std::string Unescape(std::string_view text) {
    std::string plus_free(text);
    std::replace(plus_free.begin(), plus_free.end(), '+', ' ');  // form encoding
    int length = 0;
    char* raw =
        curl_easy_unescape(nullptr, plus_free.data(), static_cast<int>(plus_free.size()), &length);
    if (raw == nullptr) {
        return plus_free;
    }
    std::string out(raw, static_cast<size_t>(length));
    curl_free(raw);
    return out;
}

std::vector<std::string> SplitOn(std::string_view text, char sep) {
    std::vector<std::string> out;
    size_t from = 0;
    for (;;) {
        const size_t at = text.find(sep, from);
        out.emplace_back(text.substr(from, at == std::string_view::npos ? at : at - from));
        if (at == std::string_view::npos) {
            return out;
        }
        from = at + 1;
    }
}

/// Every node the path reaches; arrays on the way are walked element by element.
void Collect(const json& node, const std::vector<std::string>& path, size_t at,
             std::vector<const json*>& out) {
    if (node.is_array()) {
        for (const auto& element : node) {
            Collect(element, path, at, out);
        }
        return;
    }
    if (at == path.size()) {
        out.push_back(&node);
        return;
    }
    if (!node.is_object()) {
        return;
    }
    const auto it = node.find(path[at]);
    if (it != node.end()) {
        Collect(*it, path, at + 1, out);
    }
}

/// "Location/x", "https://host/fhir/Location/x" or ".../Location/x/_history/2" asked as
/// "Location/x".
bool SameReference(std::string ref, const std::string& wanted) {
    if (const auto history = ref.find("/_history/"); history != std::string::npos) {
        ref.resize(history);
    }
    if (ref == wanted) {
        return true;
    }
    return ref.size() > wanted.size() &&
           ref.compare(ref.size() - wanted.size(), wanted.size(), wanted) == 0 &&
           ref[ref.size() - wanted.size() - 1] == '/' && wanted.find('/') != std::string::npos;
}

/// An Identifier (`value`) or a Coding (`code`) against "system|value", "value" or "system|".
bool TokenMatches(const json& id, const std::string& wanted, const char* value_key) {
    const auto bar = wanted.find('|');
    const std::string system = StringMember(id, "system");
    const std::string value = StringMember(id, value_key);
    if (bar == std::string::npos) {
        return value == wanted;
    }
    const std::string want_system = wanted.substr(0, bar);
    const std::string want_value = wanted.substr(bar + 1);
    return system == want_system && (want_value.empty() || value == want_value);
}

bool Compare(Instant value, const std::string& prefix, Instant at) {
    if (prefix == "ge") {
        return value >= at;
    }
    if (prefix == "gt" || prefix == "sa") {
        return value > at;
    }
    if (prefix == "le") {
        return value <= at;
    }
    if (prefix == "lt" || prefix == "eb") {
        return value < at;
    }
    if (prefix == "ne") {
        return value != at;
    }
    return value == at;
}

}  // namespace

Result<SearchCheck> SearchCheck::For(std::string type, std::string_view query) {
    SearchCheck check;
    check.m_type = std::move(type);
    for (const std::string& pair : SplitOn(query, '&')) {
        if (pair.empty()) {
            continue;
        }
        const auto eq = pair.find('=');
        const std::string name = Unescape(pair.substr(0, eq));
        const std::string value = eq == std::string::npos ? "" : pair.substr(eq + 1);
        if (Unchecked(name)) {
            continue;
        }
        const SearchNeed* need = FindSearchNeed(check.m_type, name);
        if (need == nullptr) {  // not in sync/ServerNeeds.cpp: the kiosk cannot check it
            return MakeError(ErrorCode::kConfig, check.m_type +
                                                     " search: the kiosk cannot check "
                                                     "the answer to the parameter '" +
                                                     name + "'");
        }
        Param p;
        p.name = name;
        const std::string& kind = need->kind;
        p.kind = kind == "id"           ? Kind::kId
                 : kind == "identifier" ? Kind::kIdentifier
                 : kind == "coding"     ? Kind::kCoding
                 : kind == "ref"        ? Kind::kReference
                                        : Kind::kDate;
        for (const auto& one : SplitOn(value, ',')) {
            p.values.push_back(Unescape(one));
        }
        if (p.kind == Kind::kDate) {
            std::string text = p.values.empty() ? "" : p.values.front();
            if (text.size() > 2 && std::isalpha(static_cast<unsigned char>(text[0])) != 0 &&
                std::isalpha(static_cast<unsigned char>(text[1])) != 0) {
                p.prefix = text.substr(0, 2);
                text = text.substr(2);
            }
            auto at = ParseDateTime(text);
            if (!at || p.values.size() != 1) {
                return MakeError(ErrorCode::kConfig, check.m_type + " search: '" + name +
                                                         "' needs one full date and time");
            }
            p.at = at.value();
        }
        check.m_params.push_back(std::move(p));
    }
    return check;
}

bool SearchCheck::Holds(const Param& p, const json& resource) const {
    std::vector<const json*> nodes;
    Collect(resource, FindSearchNeed(m_type, p.name)->path, 0, nodes);
    switch (p.kind) {
        case Kind::kId:
            return std::find(p.values.begin(), p.values.end(), StringMember(resource, "id")) !=
                   p.values.end();
        case Kind::kIdentifier:
        case Kind::kCoding:
            return std::any_of(nodes.begin(), nodes.end(), [&](const json* id) {
                return std::any_of(p.values.begin(), p.values.end(), [&](const std::string& v) {
                    return TokenMatches(*id, v, p.kind == Kind::kCoding ? "code" : "value");
                });
            });
        case Kind::kReference:
            return std::any_of(nodes.begin(), nodes.end(), [&](const json* ref) {
                const std::string text = StringMember(*ref, "reference");
                return std::any_of(p.values.begin(), p.values.end(),
                                   [&](const std::string& v) { return SameReference(text, v); });
            });
        case Kind::kDate:
            return std::any_of(nodes.begin(), nodes.end(), [&](const json* node) {
                auto t = node->is_string()
                             ? ParseDateTime(node->get<std::string>())
                             : Result<Instant>(MakeError(ErrorCode::kInvalidInput, ""));
                return t.ok() && Compare(t.value(), p.prefix, *p.at);
            });
    }
    return false;
}

bool SearchCheck::Matches(const json& resource) const {
    if (StringMember(resource, "resourceType") != m_type) {
        return false;
    }
    return std::all_of(m_params.begin(), m_params.end(),
                       [&](const Param& p) { return Holds(p, resource); });
}

const json* StableChoice(const std::vector<json>& matches) {
    // A total order on ids: numeric ids first, by value; then the others, by text.
    auto key = [](const std::string& id) {
        const bool numeric = !id.empty() && id.find_first_not_of("0123456789") == std::string::npos;
        return std::make_tuple(numeric ? 0 : 1, numeric ? id.size() : 0, id);
    };
    const json* pick = nullptr;
    for (const auto& r : matches) {
        if (pick == nullptr || key(StringMember(r, "id")) < key(StringMember(*pick, "id"))) {
            pick = &r;
        }
    }
    return pick;
}

}  // namespace kiosk::sync
