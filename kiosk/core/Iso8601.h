// FHIR date and dateTime text <-> Instant. Strict: what FHIR R4's regex allows, with the
// time-zone offset required on any value that has a time; partial dates as the spans they name.
#pragma once

#include <string>
#include <string_view>

#include "kiosk/core/ClinicTime.h"
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
    int parts = 3;  ///< what the text gave: 1 year, 2 year and month, 3 a whole date
};
/// "2009-04-30" -> date; partial dates ("2009", "2009-04") take the first day.
Result<CivilDate> ParseDate(std::string_view text);

/// The span of time [begin, end) a FHIR date or dateTime names, as the spec reads partial
/// values: "2026" the whole year, "2026-06" the month, "2026-06-30" the day, each in the
/// clinic's zone (a date carries no offset); a full dateTime is the instant itself (begin ==
/// end), so a period that ends at 17:00 ends at 17:00.
struct TimeSpan {
    Instant begin;
    Instant end;
};
Result<TimeSpan> ParseFhirSpan(std::string_view text, const ClinicTime& zone);

}  // namespace kiosk
