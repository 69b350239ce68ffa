// FHIR R4 community resource directory -> store::ResourceRow (FHIR.md, issue 6): a
// HealthcareService with the Organization it is providedBy and its first Location. Also the
// vocabulary every directory source shares (categories from codes and words, language tags,
// clock times), which the HSDS import reuses. Depends on core and store only; no I/O.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/OpeningHours.h"
#include "kiosk/core/Result.h"
#include "kiosk/store/ResourceRecords.h"

namespace kiosk::directory {

/// The kiosk's own category code system; its codes are kResourceCategories.
inline constexpr std::string_view kResourceCategorySystem = "urn:iop-kiosk:resource-category";
/// What to bring, one item per extension (valueString or valueMarkdown), on a HealthcareService:
/// {"url": "urn:iop-kiosk:what-to-bring", "valueString": "Photo ID"}. Without it a line
/// "What to bring: ..." in extraDetails is used.
inline constexpr std::string_view kWhatToBringExtension = "urn:iop-kiosk:what-to-bring";
inline constexpr std::string_view kServiceCategorySystem =
    "http://terminology.hl7.org/CodeSystem/service-category";
inline constexpr std::string_view kServiceProvisionSystem =
    "http://terminology.hl7.org/CodeSystem/service-provision-conditions";
/// Resource ids of FHIR services: "fhir:HealthcareService/<id>".
inline constexpr std::string_view kFhirResourcePrefix = "fhir:HealthcareService/";
inline constexpr std::string_view kFhirSource = "fhir";

// --- vocabulary shared by the directory sources ----------------------------------------------

/// Kiosk category codes for one coding: the kiosk's own system, HL7 service-category (needs
/// that system), SDOH Clinical Care category codes (food-insecurity, housing-instability...;
/// any system) and 211/AIRS taxonomy codes (BD = food, BH = housing...). Empty when unknown.
std::vector<std::string> CategoriesForCode(std::string_view system, std::string_view code);

/// Kiosk category codes whose keywords occur in free text ("Food pantry" -> food, "Rent
/// help" -> housing), as whole words or word prefixes, case-insensitive. Empty when none.
std::vector<std::string> CategoriesForWords(std::string_view text);

/// Category codes in kResourceCategories order, without duplicates.
std::vector<std::string> SortedCategories(std::vector<std::string> codes);

/// A BCP-47 primary language tag from a code or a name: "en-US" -> "en", "spa" -> "es",
/// "Spanish" -> "es", "Español" -> "es". "" when it is neither.
std::string LanguageTag(std::string_view code_or_name);

/// Minutes from midnight of a published clock time: "09:00", "9:00:00", "17:30:00Z",
/// "5:30 PM", "24:00". nullopt when it is not a time.
std::optional<int> ParseClockMinutes(std::string_view text);

/// One opening from published times: a close at or before the open runs past midnight
/// (22:00-02:00), 00:00-23:59 and equal times are the whole day. nullopt for a bad weekday.
std::optional<OpenInterval> MakeOpenInterval(unsigned weekday, int open, int close);

/// Sorted by weekday and opening; overlapping or touching openings of a day merged.
std::vector<OpenInterval> MergeIntervals(std::vector<OpenInterval> intervals);

/// A web address as published, for the printed referral: "http(s)://..." kept,
/// "www.example.org" given "https://", anything else (mailto:, words) "".
std::string WebsiteUrl(std::string_view url);

/// Whether a published cost reads as no charge: "Free", "No cost" (and no amount, sliding
/// scale or fee besides).
bool CostReadsFree(std::string_view cost);

// --- FHIR ------------------------------------------------------------------------------------

/// One HealthcareService as a resource row, with its Organization (providedBy) and Location
/// (location[0]) when known (nullptr otherwise: the row then lacks those parts). An inactive
/// service, one without id, and one with no category the kiosk knows are errors
/// (kInvalidInput) whose log names the service and the reason, for the caller to skip it.
Result<store::ResourceRow> MapHealthcareService(const nlohmann::json& service,
                                                const nlohmann::json* organization,
                                                const nlohmann::json* location);

/// The id part of a reference to `type`: "Organization/org-1", ".../Organization/org-1" and
/// ".../Organization/org-1/_history/2" give "org-1"; "" otherwise.
std::string ReferencedId(const nlohmann::json& reference_holder, std::string_view type);

struct DirectoryMapReport {
    std::vector<store::ResourceRow> rows;
    std::vector<std::string> skipped;  ///< "HealthcareService/hs-9: no category the kiosk knows"
};

/// Every HealthcareService of a Bundle (any type), with the Organizations and Locations the
/// bundle holds. Services it cannot use are listed in `skipped`; nothing aborts.
DirectoryMapReport MapDirectoryBundle(const nlohmann::json& bundle);

}  // namespace kiosk::directory
