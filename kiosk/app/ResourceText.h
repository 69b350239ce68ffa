// Words for the resource directory in the screen's (or the printed page's) language: category
// and language names, weekly hours, "open until", distance and the long date. Pure functions
// over a Catalog, shared by the pages and the printed referral.
#pragma once

#include <string>
#include <vector>

#include "kiosk/app/Catalog.h"
#include "kiosk/core/ClinicTime.h"
#include "kiosk/core/OpeningHours.h"

namespace kiosk {

/// "Housing · Food" (categories in the catalogue's language, in the given order).
std::string CategoryList(const Catalog& t, const std::vector<std::string>& codes);
/// "English, Spanish"; a code without a name is shown as the code.
std::string LanguageList(const Catalog& t, const std::vector<std::string>& codes);
/// "9:00 AM" / "9:00" for minutes since midnight (past 24:00 wraps to the next morning).
std::string MinutesClock(int minutes, ClockStyle style);
/// One line per run of days with the same hours: "Mon–Fri 9:00 AM – 5:00 PM", "Sat 10:00 AM –
/// 2:00 PM", "Sun open 24 hours". Empty when the hours are not known.
std::vector<std::string> HoursLines(const Catalog& t, const OpeningHours& hours, ClockStyle style);
/// "Open until 5:00 PM", "Open 24 hours", "Closed · opens Mon 9:00 AM", "Hours not listed".
std::string OpenText(const Catalog& t, const OpeningHours& hours, const OpenState& state,
                     Instant now, const ClinicTime& time, ClockStyle style);
/// "2.4 mi" / "3.9 km" (one decimal under 10, whole numbers above).
std::string DistanceText(const Catalog& t, double km, bool miles);
/// "November 22, 2026" / "22 de noviembre de 2026".
std::string LongDate(const Catalog& t, Instant at, const ClinicTime& time);

}  // namespace kiosk
