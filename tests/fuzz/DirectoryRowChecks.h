// What every resource-directory row must hold, whichever importer made it (the FHIR directory
// mapping or the HSDS import): known categories in catalogue order, coordinates in range, an
// http(s) website, opening hours that read back the same; and well-formed UTF-8. A failed check
// traps for libFuzzer.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

#include "kiosk/core/OpeningHours.h"
#include "kiosk/core/ResourceCategory.h"
#include "kiosk/store/ResourceRecords.h"

namespace kiosk::fuzz {

inline void Require(bool ok) {
    if (!ok) {
        __builtin_trap();  // libFuzzer reports the input
    }
}

/// Well-formed UTF-8: every lead byte has its continuation bytes.
inline bool ValidUtf8(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > s.size()) {
            return false;
        }
        for (size_t k = 1; k < len; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
                return false;
            }
        }
        i += len;
    }
    return true;
}

inline void CheckDirectoryRow(const store::ResourceRow& r) {
    Require(!r.name.empty() && !r.categories.empty());
    size_t last = 0;
    for (size_t k = 0; k < r.categories.size(); ++k) {
        size_t index = kResourceCategories.size();
        for (size_t i = 0; i < kResourceCategories.size(); ++i) {
            if (kResourceCategories[i] == r.categories[k]) {
                index = i;
            }
        }
        Require(index < kResourceCategories.size() && (k == 0 || index > last));
        last = index;
    }
    Require(r.latitude.has_value() == r.longitude.has_value());
    if (r.latitude) {
        Require(*r.latitude >= -90 && *r.latitude <= 90);
        Require(*r.longitude >= -180 && *r.longitude <= 180);
    }
    std::string site = r.website.substr(0, 8);
    for (auto& c : site) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    Require(r.website.empty() || site.rfind("http://", 0) == 0 || site == "https://");
    for (const auto& l : r.languages) {
        Require(!l.empty());
    }
    for (const auto& i : r.hours.Intervals()) {
        Require(i.weekday >= 1 && i.weekday <= 7);
        Require(i.open >= 0 && i.open < 1440 && i.open < i.close && i.close <= 2880);
    }
    // The store keeps the text form: it must read back as the same hours.
    auto again = OpeningHours::Parse(r.hours.ToString());
    Require(again.ok() && again.value() == r.hours);
}

}  // namespace kiosk::fuzz
