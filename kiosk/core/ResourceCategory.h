// The kiosk's community-resource categories (SCREENS.md 7): stable codes shared by the store,
// the FHIR and HSDS mappings, the screens and the printed referral. Words live in the catalogues.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace kiosk {

inline constexpr std::array<std::string_view, 13> kResourceCategories{
    "housing",   "food",        "employment",    "transportation",
    "legal-aid", "health-care", "mental-health", "recovery-support",
    "childcare", "education",   "clothing",      "utilities",
    "money"};

/// The code when `code` is one of kResourceCategories; nullopt otherwise.
inline std::optional<std::string_view> ResourceCategoryCode(std::string_view code) {
    for (auto c : kResourceCategories) {
        if (c == code) {
            return c;
        }
    }
    return std::nullopt;
}

}  // namespace kiosk
