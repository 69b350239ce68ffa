// The kiosk's 13 resource categories from what a directory publishes: the kiosk's own codes,
// HL7 service-category, SDOH Clinical Care codes, 211/AIRS taxonomy top levels, and keyword
// phrases in free text. Shared by the FHIR mapping and the HSDS import.
#include <algorithm>
#include <map>
#include <set>

#include "kiosk/core/ResourceCategory.h"
#include "kiosk/directory/DirectoryMapping.h"
#include "kiosk/directory/DirectoryWords.h"

namespace kiosk::directory {
namespace {

using namespace words;

// --- categories ------------------------------------------------------------------------------

/// Keyword phrases per category. A word ending in '*' matches as a prefix; phrases match
/// consecutive words. Bare "health" is left out on purpose: it would put every mental-health
/// service under health care too.
struct Keywords {
    std::string_view category;
    std::vector<std::string_view> phrases;
};

const std::vector<Keywords>& KeywordTable() {
    static const std::vector<Keywords> kTable{
        {"housing",
         {"housing", "shelter*", "homeless*", "rent", "rental", "renters", "eviction*", "tenant*",
          "landlord*", "transitional living", "vivienda", "apartment*", "motel voucher*"}},
        {"food",
         {"food*", "meal*", "pantr*", "grocer*", "nutrition*", "snap", "wic", "soup kitchen*",
          "lunch*", "breakfast*", "dinner*", "comida*", "alimento*"}},
        {"employment",
         {"employment", "employer*", "job", "jobs", "career*", "workforce", "resume*", "vocational",
          "hiring", "internship*", "apprentice*", "empleo*", "job training"}},
        {"transportation",
         {"transportation", "transport", "transit", "bus", "buses", "bus pass*", "ride", "rides",
          "fare", "fares", "gas voucher*", "bicycle*", "bike", "bikes", "paratransit"}},
        {"legal-aid",
         {"legal", "lawyer*", "attorney*", "court", "courts", "expunge*", "expunction",
          "immigration", "tenant rights", "law", "paralegal*", "record clearing"}},
        {"health-care",
         {"medical",        "medicine",       "primary care",      "health care",  "healthcare",
          "health center*", "health clinic*", "community clinic*", "free clinic*", "dental",
          "dentist*",       "doctor*",        "physician*",        "pharmac*",     "prescription*",
          "vaccin*",        "immuniz*",       "prenatal",          "hospital*",    "urgent care",
          "vision care",    "eye exam*",      "health insurance",  "medicaid",     "medicare",
          "nurse*",         "hiv test*",      "std test*"}},
        {"mental-health",
         {"mental health", "behavioral health", "behavioural health", "counseling", "counselling",
          "counselor*", "counsellor*", "psychotherap*", "talk therapy", "psychiatr*", "psycholog*",
          "crisis", "suicide", "trauma", "grief", "depression", "anxiety", "salud mental"}},
        {"recovery-support",
         {"recovery", "sober*", "sobriety", "substance*", "addiction*", "alcohol*", "drug", "drugs",
          "opioid*", "naloxone", "narcan", "harm reduction", "syringe*", "needle exchange*",
          "peer support", "12 step", "twelve step", "narcotics anonymous"}},
        {"childcare",
         {"child care", "childcare", "daycare", "day care", "preschool*", "pre k", "head start",
          "nursery", "after school", "afterschool", "babysit*", "guarderia", "guardería"}},
        {"education",
         {"education*", "ged", "literacy", "esl", "english class*", "english as a second language",
          "tutor*", "school", "schools", "college*", "class", "classes", "course*", "diploma*",
          "adult basic", "computer skill*", "scholarship*"}},
        {"clothing",
         {"clothing", "clothes", "coat", "coats", "shoe", "shoes", "closet*", "garment*",
          "uniform*", "diaper*", "ropa"}},
        {"utilities",
         {"utility", "utilities", "energy", "heating", "electric*", "power bill*", "water bill*",
          "gas bill*", "liheap", "weatherization", "phone service*", "internet access",
          "broadband"}},
        {"money",
         {"financial", "finance*", "money", "cash", "tax", "taxes", "budget*", "credit", "debt*",
          "income", "benefit*", "banking", "bank account*", "ssi", "ssdi", "tanf",
          "social security", "savings"}},
    };
    return kTable;
}

/// HL7 service-category (http://terminology.hl7.org/CodeSystem/service-category).
std::vector<std::string> ServiceCategory(std::string_view code) {
    static const std::map<std::string_view, std::vector<std::string>> kMap{
        {"4", {"childcare"}},
        {"5", {"childcare"}},
        {"7", {"health-care"}},
        {"8", {"mental-health"}},
        {"36", {"mental-health"}},
        {"10", {"health-care"}},
        {"12", {"recovery-support"}},
        {"13", {"education"}},
        {"14", {"health-care"}},
        {"15", {"employment"}},
        {"16", {"money"}},
        {"17", {"health-care"}},
        {"35", {"health-care"}},
        {"18", {"housing"}},
        {"20", {"legal-aid"}},
        {"21", {"legal-aid"}},
        {"22", {"mental-health"}},
        {"27", {"health-care"}},
        {"34", {"health-care"}},
        {"32", {"mental-health", "recovery-support"}},
        {"33", {"transportation"}},
    };
    auto it = kMap.find(code);
    return it == kMap.end() ? std::vector<std::string>{} : it->second;
}

/// SDOH Clinical Care categories (SDOHCC-CodeSystemTemporaryCodes); the codes are distinctive
/// enough to be read whatever system a server puts them under.
std::vector<std::string> SdohCategory(std::string_view code) {
    static const std::map<std::string_view, std::string_view> kMap{
        {"food-insecurity", "food"},
        {"housing-instability", "housing"},
        {"homelessness", "housing"},
        {"inadequate-housing", "housing"},
        {"transportation-insecurity", "transportation"},
        {"financial-insecurity", "money"},
        {"medical-cost-burden", "money"},
        {"material-hardship", "clothing"},
        {"educational-attainment", "education"},
        {"digital-literacy", "education"},
        {"employment-status", "employment"},
        {"utility-insecurity", "utilities"},
        {"incarceration-status", "legal-aid"},
        {"health-insurance-coverage-status", "health-care"},
        {"stress", "mental-health"},
        {"social-connection", "mental-health"},
    };
    auto it = kMap.find(code);
    return it == kMap.end() ? std::vector<std::string>{}
                            : std::vector<std::string>{std::string(it->second)};
}

/// 211 LA / AIRS taxonomy: a term code starts with its top-level letters ("BD-1800.2000" is a
/// food pantry under B Basic Needs, D Food). Only levels that mean one kiosk category are
/// mapped; the term's name is read for words as well.
std::vector<std::string> AirsCategory(std::string_view code) {
    if (code.empty() || !std::isupper(static_cast<unsigned char>(code[0]))) {
        return {};
    }
    const size_t letters =
        code.size() >= 2 && std::isupper(static_cast<unsigned char>(code[1])) ? 2 : 1;
    if (code.size() > letters && code[letters] != '-') {
        return {};
    }
    for (size_t i = letters + 1; i < code.size(); ++i) {
        const char c = code[i];
        if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.' && c != '-') {
            return {};
        }
    }
    static const std::map<std::string_view, std::string_view> kTwo{
        {"BD", "food"},      {"BH", "housing"},          {"BT", "transportation"},
        {"BV", "utilities"}, {"ND", "employment"},       {"NL", "money"},
        {"NS", "money"},     {"RX", "recovery-support"},
    };
    static const std::map<std::string_view, std::string_view> kOne{
        {"F", "legal-aid"}, {"H", "education"}, {"L", "health-care"}, {"R", "mental-health"}};
    if (code.rfind("BM-6500.1500", 0) == 0) {
        return {"clothing"};
    }
    if (letters == 2) {
        if (auto it = kTwo.find(code.substr(0, 2)); it != kTwo.end()) {
            return {std::string(it->second)};
        }
    }
    if (auto it = kOne.find(code.substr(0, 1)); it != kOne.end()) {
        return {std::string(it->second)};
    }
    return {};
}

bool LooksLikeAirsSystem(std::string_view system) {
    const std::string s = Lower(system);
    return s.find("211") != std::string::npos || s.find("airs") != std::string::npos;
}

}  // namespace

std::vector<std::string> CategoriesForCode(std::string_view system, std::string_view code) {
    code = Trim(code);
    if (code.empty()) {
        return {};
    }
    if (system == kResourceCategorySystem) {
        if (auto c = ResourceCategoryCode(code)) {
            return {std::string(*c)};
        }
        return {};
    }
    if (system == kServiceCategorySystem) {
        return ServiceCategory(code);
    }
    if (auto sdoh = SdohCategory(code); !sdoh.empty()) {
        return sdoh;
    }
    if (system.empty() || LooksLikeAirsSystem(system)) {
        return AirsCategory(code);
    }
    return {};
}

std::vector<std::string> CategoriesForWords(std::string_view text) {
    const auto words = Words(text);
    std::vector<std::string> out;
    if (words.empty()) {
        return out;
    }
    for (const auto& k : KeywordTable()) {
        for (auto phrase : k.phrases) {
            if (PhraseOccurs(words, phrase)) {
                out.emplace_back(k.category);
                break;
            }
        }
    }
    return out;
}

std::vector<std::string> SortedCategories(std::vector<std::string> codes) {
    std::vector<std::string> out;
    for (auto c : kResourceCategories) {
        if (std::find(codes.begin(), codes.end(), c) != codes.end()) {
            out.emplace_back(c);
        }
    }
    return out;
}

}  // namespace kiosk::directory
