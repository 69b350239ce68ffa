// Message keys of the Resources & referrals pages and the printed referral (assets/i18n/*.po).
// The printed page's words come from the catalogue of the language the case manager chose.
#pragma once

#include <array>
#include <string_view>

namespace kiosk::msg {

inline constexpr std::string_view kResourcesTitle = "resources.title";
inline constexpr std::string_view kResourcesSearch = "resources.search";
inline constexpr std::string_view kResourcesSearchPlaceholder = "resources.search_placeholder";
inline constexpr std::string_view kResourcesClear = "resources.clear";
inline constexpr std::string_view kResourcesKeyboardTitle = "resources.keyboard_title";
inline constexpr std::string_view kResourcesOpenNow = "resources.open_now";
inline constexpr std::string_view kResourcesFree = "resources.free";
inline constexpr std::string_view kResourcesLanguage = "resources.language";
inline constexpr std::string_view kResourcesAny = "resources.any";
inline constexpr std::string_view kResourcesDistance = "resources.distance";
inline constexpr std::string_view kResourcesWithinMi = "resources.within_mi";
inline constexpr std::string_view kResourcesWithinKm = "resources.within_km";
inline constexpr std::string_view kResourcesCount = "resources.count";
inline constexpr std::string_view kResourcesCountOne = "resources.count_one";
inline constexpr std::string_view kResourcesCountShown = "resources.count_shown";
inline constexpr std::string_view kResourcesCorrected = "resources.corrected";
inline constexpr std::string_view kResourcesNone = "resources.none";
inline constexpr std::string_view kResourcesMore = "resources.more";
inline constexpr std::string_view kResourcesSearchFailed = "resources.search_failed";
inline constexpr std::string_view kResourcesOpenUntil = "resources.open_until";
inline constexpr std::string_view kResourcesOpenAllDay = "resources.open_all_day";
inline constexpr std::string_view kResourcesClosedOpens = "resources.closed_opens";
inline constexpr std::string_view kResourcesClosed = "resources.closed";
inline constexpr std::string_view kResourcesHoursUnknown = "resources.hours_unknown";
inline constexpr std::string_view kResourcesTodayAt = "resources.today_at";
inline constexpr std::string_view kResourcesDayAt = "resources.day_at";
inline constexpr std::string_view kResourcesHoursLine = "resources.hours_line";
inline constexpr std::string_view kResourcesHoursAllDay = "resources.hours_all_day";
inline constexpr std::string_view kResourcesDayRange = "resources.day_range";
inline constexpr std::string_view kResourcesDistanceMi = "resources.distance_mi";
inline constexpr std::string_view kResourcesDistanceKm = "resources.distance_km";
inline constexpr std::string_view kResourcesAdd = "resources.add";
inline constexpr std::string_view kResourcesRemove = "resources.remove";
inline constexpr std::string_view kResourcesClose = "resources.close";
inline constexpr std::string_view kResourcesReferralButton = "resources.referral_button";
inline constexpr std::string_view kResourcesFactAddress = "resources.fact.address";
inline constexpr std::string_view kResourcesFactPhone = "resources.fact.phone";
inline constexpr std::string_view kResourcesFactWebsite = "resources.fact.website";
inline constexpr std::string_view kResourcesFactHours = "resources.fact.hours";
inline constexpr std::string_view kResourcesFactEligibility = "resources.fact.eligibility";
inline constexpr std::string_view kResourcesFactBring = "resources.fact.bring";
inline constexpr std::string_view kResourcesFactCost = "resources.fact.cost";
inline constexpr std::string_view kResourcesFactLanguages = "resources.fact.languages";
inline constexpr std::string_view kResourcesFactDistance = "resources.fact.distance";
inline constexpr std::string_view kResourcesFactUpdated = "resources.fact.updated";
inline constexpr std::string_view kResourcesAdded = "resources.added";
inline constexpr std::string_view kResourcesReferralFull = "resources.referral_full";
inline constexpr std::string_view kCategoryHousing = "category.housing";
inline constexpr std::string_view kCategoryFood = "category.food";
inline constexpr std::string_view kCategoryEmployment = "category.employment";
inline constexpr std::string_view kCategoryTransportation = "category.transportation";
inline constexpr std::string_view kCategoryLegalAid = "category.legal-aid";
inline constexpr std::string_view kCategoryHealthCare = "category.health-care";
inline constexpr std::string_view kCategoryMentalHealth = "category.mental-health";
inline constexpr std::string_view kCategoryRecoverySupport = "category.recovery-support";
inline constexpr std::string_view kCategoryChildcare = "category.childcare";
inline constexpr std::string_view kCategoryEducation = "category.education";
inline constexpr std::string_view kCategoryClothing = "category.clothing";
inline constexpr std::string_view kCategoryUtilities = "category.utilities";
inline constexpr std::string_view kCategoryMoney = "category.money";
inline constexpr std::string_view kDay1 = "day.1";
inline constexpr std::string_view kDay2 = "day.2";
inline constexpr std::string_view kDay3 = "day.3";
inline constexpr std::string_view kDay4 = "day.4";
inline constexpr std::string_view kDay5 = "day.5";
inline constexpr std::string_view kDay6 = "day.6";
inline constexpr std::string_view kDay7 = "day.7";
inline constexpr std::string_view kMonth1 = "month.1";
inline constexpr std::string_view kMonth2 = "month.2";
inline constexpr std::string_view kMonth3 = "month.3";
inline constexpr std::string_view kMonth4 = "month.4";
inline constexpr std::string_view kMonth5 = "month.5";
inline constexpr std::string_view kMonth6 = "month.6";
inline constexpr std::string_view kMonth7 = "month.7";
inline constexpr std::string_view kMonth8 = "month.8";
inline constexpr std::string_view kMonth9 = "month.9";
inline constexpr std::string_view kMonth10 = "month.10";
inline constexpr std::string_view kMonth11 = "month.11";
inline constexpr std::string_view kMonth12 = "month.12";
inline constexpr std::string_view kDateLong = "date.long";
inline constexpr std::string_view kLangEn = "lang.en";
inline constexpr std::string_view kLangEs = "lang.es";
inline constexpr std::string_view kLangVi = "lang.vi";
inline constexpr std::string_view kLangZh = "lang.zh";
inline constexpr std::string_view kLangRu = "lang.ru";
inline constexpr std::string_view kLangSo = "lang.so";
inline constexpr std::string_view kLangAr = "lang.ar";
inline constexpr std::string_view kLangUk = "lang.uk";
inline constexpr std::string_view kReferralTitle = "referral.title";
inline constexpr std::string_view kReferralAddMore = "referral.add_more";
inline constexpr std::string_view kReferralEmpty = "referral.empty";
inline constexpr std::string_view kReferralFor = "referral.for";
inline constexpr std::string_view kReferralScan = "referral.scan";
inline constexpr std::string_view kReferralScanPrompt = "referral.scan_prompt";
inline constexpr std::string_view kReferralNotParticipant = "referral.not_participant";
inline constexpr std::string_view kReferralPick = "referral.pick";
inline constexpr std::string_view kReferralFilter = "referral.filter";
inline constexpr std::string_view kReferralNoParticipants = "referral.no_participants";
inline constexpr std::string_view kReferralFirstName = "referral.first_name";
inline constexpr std::string_view kReferralPageLanguage = "referral.page_language";
inline constexpr std::string_view kReferralPreview = "referral.preview";
inline constexpr std::string_view kReferralNeedPlaces = "referral.need_places";
inline constexpr std::string_view kReferralNeedPerson = "referral.need_person";
inline constexpr std::string_view kPreviewHeading = "preview.heading";
inline constexpr std::string_view kPreviewPrev = "preview.prev";
inline constexpr std::string_view kPreviewNext = "preview.next";
inline constexpr std::string_view kPreviewPrint = "preview.print";
inline constexpr std::string_view kPreviewSaveOnly = "preview.save_only";
inline constexpr std::string_view kPreviewRetry = "preview.retry";
inline constexpr std::string_view kPreviewDone = "preview.done";
inline constexpr std::string_view kPreviewFailedRender = "preview.failed_render";
inline constexpr std::string_view kPrintSavedNoPrinter = "print.saved_no_printer";
inline constexpr std::string_view kPrintSaveFailed = "print.save_failed";
inline constexpr std::string_view kPrintQueued = "print.queued";
inline constexpr std::string_view kPrintPrinting = "print.printing";
inline constexpr std::string_view kPrintDone = "print.done";
inline constexpr std::string_view kPrintNoQueue = "print.no_queue";
inline constexpr std::string_view kPrintStopped = "print.stopped";
inline constexpr std::string_view kPrintOutOfPaper = "print.out_of_paper";
inline constexpr std::string_view kPrintJam = "print.jam";
inline constexpr std::string_view kPrintOffline = "print.offline";
inline constexpr std::string_view kPrintCupsDown = "print.cups_down";
inline constexpr std::string_view kPrintJobFailed = "print.job_failed";
inline constexpr std::string_view kPrintTimedOut = "print.timed_out";
inline constexpr std::string_view kPrintWriteFailed = "print.write_failed";
inline constexpr std::string_view kPageTitle = "page.title";
inline constexpr std::string_view kPageFor = "page.for";
inline constexpr std::string_view kPageAddress = "page.address";
inline constexpr std::string_view kPagePhone = "page.phone";
inline constexpr std::string_view kPageHours = "page.hours";
inline constexpr std::string_view kPageEligibility = "page.eligibility";
inline constexpr std::string_view kPageBring = "page.bring";
inline constexpr std::string_view kPageCost = "page.cost";
inline constexpr std::string_view kPageLanguages = "page.languages";
inline constexpr std::string_view kPagePageOf = "page.page_of";
inline constexpr std::string_view kPageFooter = "page.footer";
inline constexpr std::string_view kPageWebsite = "page.website";
inline constexpr std::string_view kPageMap = "page.map";
inline constexpr std::string_view kStaffKioskPrintReady = "staff.kiosk.print_ready";

inline constexpr std::string_view kResourcesCardAdd = "resources.card_add";
inline constexpr std::string_view kResourcesAddedMark = "resources.added_mark";

inline constexpr std::array kResourceAll = {
    kResourcesCardAdd,
    kResourcesAddedMark,
    kResourcesTitle,
    kResourcesSearch,
    kResourcesSearchPlaceholder,
    kResourcesClear,
    kResourcesKeyboardTitle,
    kResourcesOpenNow,
    kResourcesFree,
    kResourcesLanguage,
    kResourcesAny,
    kResourcesDistance,
    kResourcesWithinMi,
    kResourcesWithinKm,
    kResourcesCount,
    kResourcesCountOne,
    kResourcesCountShown,
    kResourcesCorrected,
    kResourcesNone,
    kResourcesMore,
    kResourcesSearchFailed,
    kResourcesOpenUntil,
    kResourcesOpenAllDay,
    kResourcesClosedOpens,
    kResourcesClosed,
    kResourcesHoursUnknown,
    kResourcesTodayAt,
    kResourcesDayAt,
    kResourcesHoursLine,
    kResourcesHoursAllDay,
    kResourcesDayRange,
    kResourcesDistanceMi,
    kResourcesDistanceKm,
    kResourcesAdd,
    kResourcesRemove,
    kResourcesClose,
    kResourcesReferralButton,
    kResourcesFactAddress,
    kResourcesFactPhone,
    kResourcesFactWebsite,
    kResourcesFactHours,
    kResourcesFactEligibility,
    kResourcesFactBring,
    kResourcesFactCost,
    kResourcesFactLanguages,
    kResourcesFactDistance,
    kResourcesFactUpdated,
    kResourcesAdded,
    kResourcesReferralFull,
    kCategoryHousing,
    kCategoryFood,
    kCategoryEmployment,
    kCategoryTransportation,
    kCategoryLegalAid,
    kCategoryHealthCare,
    kCategoryMentalHealth,
    kCategoryRecoverySupport,
    kCategoryChildcare,
    kCategoryEducation,
    kCategoryClothing,
    kCategoryUtilities,
    kCategoryMoney,
    kDay1,
    kDay2,
    kDay3,
    kDay4,
    kDay5,
    kDay6,
    kDay7,
    kMonth1,
    kMonth2,
    kMonth3,
    kMonth4,
    kMonth5,
    kMonth6,
    kMonth7,
    kMonth8,
    kMonth9,
    kMonth10,
    kMonth11,
    kMonth12,
    kDateLong,
    kLangEn,
    kLangEs,
    kLangVi,
    kLangZh,
    kLangRu,
    kLangSo,
    kLangAr,
    kLangUk,
    kReferralTitle,
    kReferralAddMore,
    kReferralEmpty,
    kReferralFor,
    kReferralScan,
    kReferralScanPrompt,
    kReferralNotParticipant,
    kReferralPick,
    kReferralFilter,
    kReferralNoParticipants,
    kReferralFirstName,
    kReferralPageLanguage,
    kReferralPreview,
    kReferralNeedPlaces,
    kReferralNeedPerson,
    kPreviewHeading,
    kPreviewPrev,
    kPreviewNext,
    kPreviewPrint,
    kPreviewSaveOnly,
    kPreviewRetry,
    kPreviewDone,
    kPreviewFailedRender,
    kPrintSavedNoPrinter,
    kPrintSaveFailed,
    kPrintQueued,
    kPrintPrinting,
    kPrintDone,
    kPrintNoQueue,
    kPrintStopped,
    kPrintOutOfPaper,
    kPrintJam,
    kPrintOffline,
    kPrintCupsDown,
    kPrintJobFailed,
    kPrintTimedOut,
    kPrintWriteFailed,
    kPageTitle,
    kPageFor,
    kPageAddress,
    kPagePhone,
    kPageHours,
    kPageEligibility,
    kPageBring,
    kPageCost,
    kPageLanguages,
    kPagePageOf,
    kPageFooter,
    kPageWebsite,
    kPageMap,
    kStaffKioskPrintReady,
};

}  // namespace kiosk::msg
