// Plain rules over strings: no FHIR, no database. The store applies them when it saves a
// session and when the rules change (ClinicCache::UseSessionKindRules).
#include "kiosk/core/SessionKind.h"

#include <algorithm>
#include <set>

namespace kiosk {
namespace {

bool AnyIn(const std::vector<std::string>& codes, const std::vector<std::string>& list) {
    return std::any_of(codes.begin(), codes.end(), [&](const std::string& c) {
        return std::find(list.begin(), list.end(), c) != list.end();
    });
}

bool Control(char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
}

}  // namespace

std::string_view SessionKindName(SessionKind kind) {
    return kind == SessionKind::kGroup ? "group" : "individual";
}

SessionKind ClassifySession(const std::vector<std::string>& codes,
                            const std::vector<std::string>& person_refs,
                            const SessionKindRules& rules) {
    if (AnyIn(codes, rules.individual_codes)) {
        return SessionKind::kIndividual;
    }
    if (AnyIn(codes, rules.group_codes)) {
        return SessionKind::kGroup;
    }
    int patients = 0;
    int family = 0;
    for (const auto& ref : std::set<std::string>(person_refs.begin(), person_refs.end())) {
        patients += ref.rfind("Patient/", 0) == 0 ? 1 : 0;
        family += ref.rfind("RelatedPerson/", 0) == 0 ? 1 : 0;
    }
    return patients >= 2 || (patients == 0 && family >= 2) ? SessionKind::kGroup
                                                           : SessionKind::kIndividual;
}

bool IsSystemCode(std::string_view entry) {
    const auto bar = entry.find('|');
    if (bar == std::string_view::npos || bar == 0 || bar + 1 == entry.size() ||
        entry.find('|', bar + 1) != std::string_view::npos) {
        return false;
    }
    const std::string_view system = entry.substr(0, bar);
    const std::string_view code = entry.substr(bar + 1);
    if (std::any_of(system.begin(), system.end(), [](char c) { return c == ' ' || Control(c); }) ||
        std::any_of(code.begin(), code.end(), Control)) {
        return false;
    }
    return code.front() != ' ' && code.back() != ' ' && code.find("  ") == std::string_view::npos;
}

}  // namespace kiosk
