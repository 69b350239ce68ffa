// HealthcareService (+ Organization, Location) -> ResourceRow, and the shared directory
// vocabulary. Tolerant by design: a published directory is written by many hands, so a part
// that cannot be read is left out and only a service the kiosk cannot place at all is skipped.
#include "kiosk/directory/DirectoryMapping.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include "kiosk/core/Iso8601.h"
#include "kiosk/core/ResourceCategory.h"
#include "kiosk/directory/DirectoryWords.h"

namespace kiosk::directory {
namespace {

using nlohmann::json;

using namespace words;

/// A string member, or "" when it is absent or not a string.
std::string Str(const json& holder, const char* key) {
    if (!holder.is_object()) {
        return {};
    }
    auto it = holder.find(key);
    return it != holder.end() && it->is_string() ? std::string(Trim(it->get<std::string>()))
                                                 : std::string();
}

const json& Array(const json& holder, const char* key) {
    static const json kEmpty = json::array();
    if (!holder.is_object()) {
        return kEmpty;
    }
    auto it = holder.find(key);
    return it != holder.end() && it->is_array() ? *it : kEmpty;
}

void Append(std::string& out, std::string_view part, std::string_view separator) {
    part = Trim(part);
    if (part.empty()) {
        return;
    }
    if (!out.empty()) {
        out += separator;
    }
    out += part;
}

// --- FHIR parts ------------------------------------------------------------------------------

/// Categories of a service: the kiosk's own codes when it has any (they are authoritative);
/// otherwise every known published code; otherwise words of the codes' texts, the programs and
/// at last the name. `seen` collects what was there, for the skip reason.
std::vector<std::string> ServiceCategories(const json& service, std::string& seen) {
    std::vector<std::string> own, coded;
    std::string words;
    for (const char* key : {"category", "type", "specialty"}) {
        for (const auto& cc : Array(service, key)) {
            Append(words, Str(cc, "text"), "; ");
            for (const auto& coding : Array(cc, "coding")) {
                const std::string system = Str(coding, "system");
                const std::string code = Str(coding, "code");
                Append(words, Str(coding, "display"), "; ");
                if (system == kResourceCategorySystem) {
                    if (auto c = ResourceCategoryCode(code)) {
                        own.emplace_back(*c);
                    }
                    continue;
                }
                auto mapped = CategoriesForCode(system, code);
                coded.insert(coded.end(), mapped.begin(), mapped.end());
                if (Str(coding, "display").empty()) {
                    Append(seen, code, ", ");
                }
            }
        }
    }
    Append(seen, words, ", ");
    if (!own.empty()) {
        return SortedCategories(std::move(own));
    }
    if (!coded.empty()) {
        return SortedCategories(std::move(coded));
    }
    for (const auto& cc : Array(service, "program")) {
        Append(words, Str(cc, "text"), "; ");
    }
    auto by_words = CategoriesForWords(words);
    if (by_words.empty()) {
        by_words = CategoriesForWords(Str(service, "name"));
    }
    return by_words;
}

OpeningHours HoursOf(const json& service) {
    static const std::map<std::string, unsigned> kDays{
        {"mon", 1}, {"tue", 2}, {"wed", 3}, {"thu", 4}, {"fri", 5}, {"sat", 6}, {"sun", 7}};
    std::vector<OpenInterval> intervals;
    for (const auto& at : Array(service, "availableTime")) {
        std::vector<unsigned> days;
        for (const auto& d : Array(at, "daysOfWeek")) {
            if (d.is_string()) {
                if (auto it = kDays.find(Lower(d.get<std::string>())); it != kDays.end()) {
                    days.push_back(it->second);
                }
            }
        }
        if (Array(at, "daysOfWeek").empty()) {
            days = {1, 2, 3, 4, 5, 6, 7};  // no days listed: the times hold every day
        }
        int open = 0, close = 1440;
        const bool all_day = at.is_object() && at.value("allDay", false);
        if (!all_day) {
            auto start = ParseClockMinutes(Str(at, "availableStartTime"));
            auto end = ParseClockMinutes(Str(at, "availableEndTime"));
            if (!start || !end) {
                continue;  // half a time says nothing reliable
            }
            open = *start;
            close = *end;
        }
        for (unsigned day : days) {
            if (auto i = MakeOpenInterval(day, open, close)) {
                intervals.push_back(*i);
            }
        }
    }
    return OpeningHours(MergeIntervals(std::move(intervals)));
}

std::string HoursNote(const json& service) {
    std::string note;
    for (const auto& na : Array(service, "notAvailable")) {
        std::string part = Str(na, "description");
        if (na.is_object() && na.contains("during") && na["during"].is_object()) {
            const std::string from = Str(na["during"], "start").substr(0, 10);
            const std::string to = Str(na["during"], "end").substr(0, 10);
            if (!from.empty() || !to.empty()) {
                part += " (" +
                        (from.empty() ? std::string("until ") + to
                         : to.empty() ? std::string("from ") + from
                         : from == to ? from
                                      : from + " to " + to) +
                        ")";
            }
        }
        Append(note, part, "; ");
    }
    Append(note, Str(service, "availabilityExceptions"), "; ");
    return note;
}

std::vector<std::string> Languages(const json& service) {
    std::vector<std::string> tags;
    auto add = [&](const std::string& tag) {
        if (!tag.empty() && std::find(tags.begin(), tags.end(), tag) == tags.end()) {
            tags.push_back(tag);
        }
    };
    for (const auto& cc : Array(service, "communication")) {
        bool coded = false;
        for (const auto& coding : Array(cc, "coding")) {
            auto tag = LanguageTag(Str(coding, "code"));
            if (tag.empty()) {
                tag = LanguageTag(Str(coding, "display"));
            }
            coded = coded || !tag.empty();
            add(tag);
        }
        if (!coded) {
            add(LanguageTag(Str(cc, "text")));
        }
    }
    return tags;
}

std::string ConceptText(const json& cc) {
    std::string text = Str(cc, "text");
    for (const auto& coding : Array(cc, "coding")) {
        if (text.empty()) {
            text = Str(coding, "display");
        }
    }
    return text;
}

std::string Eligibility(const json& service) {
    std::string out;
    for (const auto& e : Array(service, "eligibility")) {
        std::string line = e.is_object() && e.contains("code") ? ConceptText(e["code"]) : "";
        const std::string comment = Str(e, "comment");
        if (!line.empty() && !comment.empty()) {
            line += ": ";
        }
        line += comment;
        Append(out, line, "\n");
    }
    return out;
}

/// serviceProvisionCode: free / disc / cost, or the concept's own words.
void Cost(const json& service, store::ResourceRow& row) {
    bool any_free = false, any_charge = false;
    for (const auto& cc : Array(service, "serviceProvisionCode")) {
        std::string words = Str(cc, "text");
        for (const auto& coding : Array(cc, "coding")) {
            const std::string system = Str(coding, "system");
            if (!system.empty() && system != kServiceProvisionSystem) {
                continue;
            }
            const std::string code = Str(coding, "code");
            if (code == "free") {
                any_free = true;
            } else if (code == "disc" || code == "cost") {
                any_charge = true;
            }
            if (words.empty()) {
                words = code == "free"   ? "Free"
                        : code == "disc" ? "Discounts available"
                        : code == "cost" ? "Fees apply"
                                         : Str(coding, "display");
            }
        }
        Append(row.cost, words, "; ");
    }
    row.free = (any_free && !any_charge) || (!any_free && !any_charge && CostReadsFree(row.cost));
}

std::string Telecom(const json& holder, std::string_view system) {
    for (const auto& t : Array(holder, "telecom")) {
        if (Str(t, "system") == system && !Str(t, "value").empty() && Str(t, "use") != "old") {
            return Str(t, "value");
        }
    }
    return {};
}

std::string AddressLine(const json& address) {
    if (!address.is_object()) {
        return {};
    }
    std::string line;
    for (const auto& l : Array(address, "line")) {
        if (l.is_string()) {
            Append(line, l.get<std::string>(), ", ");
        }
    }
    Append(line, Str(address, "city"), ", ");
    std::string region = Str(address, "state");
    Append(region, Str(address, "postalCode"), " ");
    Append(line, region, ", ");
    if (line.empty()) {
        line = Str(address, "text");
    }
    return line;
}

/// Description from comment and extraDetails; a "What to bring:" line is taken out of it.
void DescriptionAndBring(const json& service, store::ResourceRow& row) {
    std::string details = Str(service, "extraDetails");
    std::string bring_line;
    std::string kept;
    size_t start = 0;
    while (start <= details.size()) {
        size_t end = details.find('\n', start);
        if (end == std::string::npos) {
            end = details.size();
        }
        const std::string_view line = Trim(std::string_view(details).substr(start, end - start));
        const std::string lower = Lower(line.substr(0, 14));
        if (lower == "what to bring:" && bring_line.empty()) {
            bring_line = std::string(Trim(line.substr(14)));
        } else {
            kept += std::string(line) + "\n";
        }
        start = end + 1;
    }
    Append(row.description, Str(service, "comment"), "\n\n");
    Append(row.description, kept, "\n\n");
    for (const auto& ext : Array(service, "extension")) {
        if (Str(ext, "url") == kWhatToBringExtension) {
            std::string item = Str(ext, "valueString");
            if (item.empty()) {
                item = Str(ext, "valueMarkdown");
            }
            Append(row.what_to_bring, item, "; ");
        }
    }
    if (row.what_to_bring.empty()) {
        row.what_to_bring = bring_line;
    }
}

std::optional<double> Coordinate(const json& position, const char* key, double limit) {
    if (!position.is_object() || !position.contains(key) || !position[key].is_number()) {
        return std::nullopt;
    }
    const double v = position[key].get<double>();
    if (!(v >= -limit && v <= limit)) {
        return std::nullopt;
    }
    return v;
}

std::string Updated(const std::vector<const json*>& resources) {
    std::optional<Instant> newest;
    for (const json* r : resources) {
        if (r == nullptr || !r->is_object() || !r->contains("meta")) {
            continue;
        }
        if (auto t = ParseDateTime(Str((*r)["meta"], "lastUpdated")); t) {
            if (!newest || t.value() > *newest) {
                newest = t.value();
            }
        }
    }
    return newest ? FormatDateTimeUtc(*newest) : std::string();
}

Error Skip(const std::string& id, const std::string& why) {
    return MakeError(ErrorCode::kInvalidInput, "HealthcareService/" + id + ": " + why);
}

}  // namespace

std::string LanguageTag(std::string_view code_or_name) {
    const std::string s = Lower(Trim(code_or_name));
    if (s.empty()) {
        return {};
    }
    static const std::map<std::string, std::string> kNames{
        {"english", "en"},        {"spanish", "es"},        {"español", "es"},
        {"espanol", "es"},        {"castellano", "es"},     {"vietnamese", "vi"},
        {"tiếng việt", "vi"},     {"russian", "ru"},        {"русский", "ru"},
        {"chinese", "zh"},        {"mandarin", "zh"},       {"cantonese", "zh"},
        {"中文", "zh"},           {"somali", "so"},         {"soomaali", "so"},
        {"arabic", "ar"},         {"french", "fr"},         {"korean", "ko"},
        {"tagalog", "tl"},        {"filipino", "fil"},      {"ukrainian", "uk"},
        {"amharic", "am"},        {"oromo", "om"},          {"tigrinya", "ti"},
        {"hmong", "hmn"},         {"portuguese", "pt"},     {"japanese", "ja"},
        {"german", "de"},         {"hindi", "hi"},          {"punjabi", "pa"},
        {"farsi", "fa"},          {"persian", "fa"},        {"dari", "prs"},
        {"swahili", "sw"},        {"romanian", "ro"},       {"polish", "pl"},
        {"haitian creole", "ht"}, {"khmer", "km"},          {"lao", "lo"},
        {"burmese", "my"},        {"nepali", "ne"},         {"thai", "th"},
        {"marshallese", "mh"},    {"chuukese", "chk"},      {"american sign language", "ase"},
        {"asl", "ase"},           {"sign language", "sgn"}, {"pashto", "ps"},
        {"urdu", "ur"},           {"bengali", "bn"},        {"turkish", "tr"},
        {"italian", "it"},        {"greek", "el"},          {"hebrew", "he"},
    };
    if (auto it = kNames.find(s); it != kNames.end()) {
        return it->second;
    }
    for (auto word : {"any", "all", "and", "the", "other", "none", "n/a"}) {
        if (s == word) {
            return {};  // three letters, but not a language code
        }
    }
    // A tag: primary subtag of 2 or 3 letters, then "-" or "_" and anything.
    size_t n = 0;
    while (n < s.size() && s[n] >= 'a' && s[n] <= 'z') {
        ++n;
    }
    if ((n != 2 && n != 3) || (n < s.size() && s[n] != '-' && s[n] != '_')) {
        return {};
    }
    const std::string primary = s.substr(0, n);
    static const std::map<std::string, std::string> kThree{
        {"eng", "en"}, {"spa", "es"}, {"vie", "vi"}, {"rus", "ru"}, {"zho", "zh"}, {"chi", "zh"},
        {"cmn", "zh"}, {"yue", "zh"}, {"som", "so"}, {"ara", "ar"}, {"fra", "fr"}, {"fre", "fr"},
        {"kor", "ko"}, {"tgl", "tl"}, {"ukr", "uk"}, {"amh", "am"}, {"orm", "om"}, {"tir", "ti"},
        {"por", "pt"}, {"jpn", "ja"}, {"deu", "de"}, {"ger", "de"}, {"hin", "hi"}, {"pan", "pa"},
        {"fas", "fa"}, {"per", "fa"}, {"swa", "sw"}, {"ron", "ro"}, {"rum", "ro"}, {"pol", "pl"},
        {"hat", "ht"}, {"khm", "km"}, {"lao", "lo"}, {"mya", "my"}, {"bur", "my"}, {"nep", "ne"},
        {"tha", "th"}, {"mah", "mh"}, {"urd", "ur"}, {"ben", "bn"}, {"tur", "tr"}, {"ita", "it"},
        {"ell", "el"}, {"gre", "el"}, {"heb", "he"}, {"pus", "ps"},
    };
    if (n == 3) {
        if (auto it = kThree.find(primary); it != kThree.end()) {
            return it->second;
        }
    }
    return primary;  // an ISO 639 code with no shorter form ("hmn", "chk") is its own tag
}

std::optional<int> ParseClockMinutes(std::string_view text) {
    std::string s = Lower(Trim(text));
    if (s.empty()) {
        return std::nullopt;
    }
    // A zone suffix is dropped: published hours are the place's local wall clock.
    if (s.back() == 'z') {
        s.pop_back();
    } else if (s.size() > 6 && (s[s.size() - 6] == '+' || s[s.size() - 6] == '-') &&
               s[s.size() - 3] == ':') {
        s.resize(s.size() - 6);
    }
    int half = 0;  // 0 = 24-hour clock, 1 = am, 2 = pm
    for (auto [suffix, which] :
         {std::pair{"a.m.", 1}, std::pair{"p.m.", 2}, std::pair{"am", 1}, std::pair{"pm", 2}}) {
        const std::string_view sv(suffix);
        if (s.size() > sv.size() && s.compare(s.size() - sv.size(), sv.size(), sv) == 0) {
            half = which;
            s.resize(s.size() - sv.size());
            while (!s.empty() && s.back() == ' ') {
                s.pop_back();
            }
            break;
        }
    }
    int parts[3] = {0, 0, 0};
    int count = 0;
    size_t i = 0;
    while (count < 3) {
        size_t digits = 0;
        int value = 0;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && digits < 2) {
            value = value * 10 + (s[i] - '0');
            ++i;
            ++digits;
        }
        if (digits == 0 || (count > 0 && digits != 2)) {
            return std::nullopt;
        }
        parts[count++] = value;
        if (i < s.size() && s[i] == '.' && count == 3) {
            while (++i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            }  // fractional seconds
        }
        if (i >= s.size() || s[i] != ':') {
            break;
        }
        ++i;
    }
    if (i != s.size() || (count == 1 && half == 0)) {
        return std::nullopt;  // "9" alone is no time; "9 am" is
    }
    int hour = parts[0];
    const int minute = parts[1];
    if (minute > 59 || parts[2] > 59) {
        return std::nullopt;
    }
    if (half != 0) {
        if (hour < 1 || hour > 12) {
            return std::nullopt;
        }
        hour = hour % 12 + (half == 2 ? 12 : 0);
    }
    if (hour > 24 || (hour == 24 && minute != 0)) {
        return std::nullopt;
    }
    return hour * 60 + minute;
}

std::optional<OpenInterval> MakeOpenInterval(unsigned weekday, int open, int close) {
    if (weekday < 1 || weekday > 7 || open < 0 || open >= 1440 || close < 0 || close > 1440) {
        return std::nullopt;
    }
    if (close == 1439) {
        close = 1440;  // "23:59" is how publishers write "until midnight"
    }
    if (close <= open) {
        close += 1440;  // past midnight; equal times are the whole day from the opening
    }
    return OpenInterval{weekday, open, close};
}

std::vector<OpenInterval> MergeIntervals(std::vector<OpenInterval> intervals) {
    std::sort(intervals.begin(), intervals.end(), [](const OpenInterval& a, const OpenInterval& b) {
        return std::tie(a.weekday, a.open, a.close) < std::tie(b.weekday, b.open, b.close);
    });
    std::vector<OpenInterval> out;
    for (const auto& i : intervals) {
        if (!out.empty() && out.back().weekday == i.weekday && i.open <= out.back().close) {
            out.back().close = std::max(out.back().close, i.close);
        } else {
            out.push_back(i);
        }
    }
    return out;
}

std::string WebsiteUrl(std::string_view text) {
    const std::string url(Trim(text));
    if (url.empty()) {
        return {};
    }
    const std::string lower = Lower(url);
    if (lower.rfind("https://", 0) == 0 || lower.rfind("http://", 0) == 0) {
        return url;
    }
    if (url.find("://") == std::string::npos && url.find('.') != std::string::npos &&
        url.find(' ') == std::string::npos && url.find('@') == std::string::npos) {
        return "https://" + url;  // "www.example.org" as printed on flyers
    }
    return {};  // mailto:, ftp:, words: not a web site
}

bool CostReadsFree(std::string_view cost) {
    const auto words = Words(cost);
    bool free = false;
    for (auto phrase : {"free", "no cost", "no charge", "no fee", "no fees", "gratis", "gratuito",
                        "at no cost", "without charge"}) {
        free = free || PhraseOccurs(words, phrase);
    }
    if (!free) {
        return false;
    }
    for (auto phrase : {"sliding", "fees apply", "fee applies", "copay*", "co pay*", "charge*",
                        "fee for", "fees for"}) {
        if (PhraseOccurs(words, phrase) && !PhraseOccurs(words, "no charge") &&
            !PhraseOccurs(words, "without charge")) {
            return false;
        }
    }
    // "$5", "5 dollars": an amount above zero.
    for (size_t i = 0; i + 1 < cost.size(); ++i) {
        if (cost[i] == '$' && cost[i + 1] >= '1' && cost[i + 1] <= '9') {
            return false;
        }
    }
    return true;
}

std::string ReferencedId(const json& holder, std::string_view type) {
    std::string ref = Str(holder, "reference");
    if (auto h = ref.find("/_history/"); h != std::string::npos) {
        ref.resize(h);
    }
    const size_t slash = ref.rfind('/');
    if (slash == std::string::npos || slash == 0) {
        return {};
    }
    const size_t type_start = ref.rfind('/', slash - 1);
    const std::string_view found_type = std::string_view(ref).substr(
        type_start == std::string::npos ? 0 : type_start + 1,
        slash - (type_start == std::string::npos ? 0 : type_start + 1));
    if (found_type != type) {
        return {};
    }
    return ref.substr(slash + 1);
}

Result<store::ResourceRow> MapHealthcareService(const json& service, const json* organization,
                                                const json* location) {
    const std::string id = Str(service, "id");
    if (Str(service, "resourceType") != "HealthcareService") {
        return MakeError(ErrorCode::kInvalidInput, "not a HealthcareService");
    }
    if (id.empty()) {
        return Skip("?", "no id");
    }
    if (service.contains("active") && service["active"].is_boolean() &&
        !service["active"].get<bool>()) {
        return Skip(id, "inactive");
    }
    if (organization != nullptr && !organization->is_object()) {
        organization = nullptr;
    }
    if (location != nullptr && !location->is_object()) {
        location = nullptr;
    }
    store::ResourceRow row;
    row.id = std::string(kFhirResourcePrefix) + id;
    row.source = std::string(kFhirSource);
    row.service_ref = "HealthcareService/" + id;
    if (auto org = ReferencedId(service.value("providedBy", json::object()), "Organization");
        !org.empty()) {
        row.organization_ref = "Organization/" + org;
    }
    row.organization = organization ? Str(*organization, "name") : "";
    row.name = Str(service, "name");
    if (row.name.empty()) {
        row.name = !row.organization.empty()
                       ? row.organization
                       : ConceptText(Array(service, "type").empty() ? json::object()
                                                                    : Array(service, "type")[0]);
    }
    if (row.name.empty()) {
        return Skip(id, "no name, organization or type to call it by");
    }
    std::string seen;
    row.categories = ServiceCategories(service, seen);
    if (row.categories.empty()) {
        return Skip(id, "no category the kiosk knows" +
                            (seen.empty() ? std::string(" (none given)") : " (" + seen + ")"));
    }
    DescriptionAndBring(service, row);
    row.hours = HoursOf(service);
    row.hours_note = HoursNote(service);
    row.languages = Languages(service);
    row.eligibility = Eligibility(service);
    Cost(service, row);

    const json empty = json::object();
    const json& org = organization ? *organization : empty;
    const json& loc = location ? *location : empty;
    row.phone = Telecom(service, "phone");
    for (const json* holder : {&loc, &org}) {
        if (row.phone.empty()) {
            row.phone = Telecom(*holder, "phone");
        }
    }
    row.website = WebsiteUrl(Telecom(service, "url"));
    for (const json* holder : {&loc, &org}) {
        if (row.website.empty()) {
            row.website = WebsiteUrl(Telecom(*holder, "url"));
        }
    }
    row.address = AddressLine(loc.value("address", json::object()));
    if (row.address.empty() && !Array(org, "address").empty()) {
        row.address = AddressLine(Array(org, "address")[0]);
    }
    const json& position = loc.value("position", empty);
    row.latitude = Coordinate(position, "latitude", 90.0);
    row.longitude = Coordinate(position, "longitude", 180.0);
    if (!row.latitude || !row.longitude) {
        row.latitude.reset();
        row.longitude.reset();
    }
    row.updated = Updated({&service, organization, location});
    return row;
}

DirectoryMapReport MapDirectoryBundle(const json& bundle) {
    DirectoryMapReport report;
    std::map<std::string, const json*> by_ref;  // "Organization/org-1" and fullUrl
    std::vector<const json*> services;
    for (const auto& e : Array(bundle, "entry")) {
        if (!e.is_object() || !e.contains("resource") || !e["resource"].is_object()) {
            continue;
        }
        const json& r = e["resource"];
        const std::string type = Str(r, "resourceType");
        if (type == "HealthcareService") {
            services.push_back(&r);
        } else if (type == "Organization" || type == "Location") {
            by_ref[type + "/" + Str(r, "id")] = &r;
            if (auto full = Str(e, "fullUrl"); !full.empty()) {
                by_ref[full] = &r;
            }
        }
    }
    auto find = [&](const json& holder, const std::string& type) -> const json* {
        if (auto id = ReferencedId(holder, type); !id.empty()) {
            if (auto it = by_ref.find(type + "/" + id); it != by_ref.end()) {
                return it->second;
            }
        }
        if (auto it = by_ref.find(Str(holder, "reference")); it != by_ref.end()) {
            return it->second;
        }
        return nullptr;
    };
    for (const json* s : services) {
        const json* org = find(s->value("providedBy", json::object()), "Organization");
        const auto& locations = Array(*s, "location");
        const json* loc = locations.empty() ? nullptr : find(locations[0], "Location");
        auto row = MapHealthcareService(*s, org, loc);
        if (row) {
            report.rows.push_back(std::move(row).value());
        } else {
            report.skipped.push_back(row.error().log);
        }
    }
    return report;
}

}  // namespace kiosk::directory
