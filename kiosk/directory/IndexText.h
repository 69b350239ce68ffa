// Text helpers the directory index's build and search share: UTF-8 to code points, and the
// primary language subtag a language filter compares.
#pragma once

#include <string>
#include <string_view>

namespace kiosk::directory {

/// The code points of UTF-8 text (bytes of a cut sequence end it; never throws).
std::u32string CodePoints(std::string_view utf8);

/// "es-MX", "ES" -> "es": the filter compares primary language subtags.
std::string LanguageKey(std::string_view tag);

}  // namespace kiosk::directory
