// FHIR date and dateTime text <-> Instant. Strict: what FHIR R4's regex allows, with the
// time-zone offset required on any value that has a time.
#pragma once

#include <string>
#include <string_view>

#include "kiosk/core/Clock.h"
#include "kiosk/core/Result.h"

namespace kiosk {

/// "2026-01-07T09:00:00-08:00", "2026-01-07T17:00:00.250Z" -> instant (fraction dropped).
Result<Instant> ParseDateTime(std::string_view text);

/// "2026-01-07T17:00:00Z".
std::string FormatDateTimeUtc(Instant t);

struct CivilDate {
    int year = 0;
    unsigned month = 0, day = 0;
};
/// "2009-04-30" -> date; partial dates ("2009", "2009-04") take the first day.
Result<CivilDate> ParseDate(std::string_view text);

}  // namespace kiosk
