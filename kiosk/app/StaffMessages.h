// The keys of every staff-screen message (SCREENS.md 4-6, 8). Texts live in
// assets/i18n/<lang>.po beside the lobby's; a test checks every key has a text in every one.
#pragma once

#include <array>
#include <string_view>

namespace kiosk::msg {

inline constexpr std::string_view kWelcomeStaff = "welcome.staff";
inline constexpr std::string_view kStaffCancel = "staff.cancel";
inline constexpr std::string_view kStaffSignOut = "staff.sign_out";
inline constexpr std::string_view kStaffBack = "staff.back";
inline constexpr std::string_view kStaffCountdown = "staff.countdown";
inline constexpr std::string_view kStaffSignInTitle = "staff.sign_in.title";
inline constexpr std::string_view kStaffBadgePrompt = "staff.badge.prompt";
inline constexpr std::string_view kStaffBadgeHint = "staff.badge.hint";
inline constexpr std::string_view kStaffNotABadge = "staff.problem.not_a_badge";
inline constexpr std::string_view kStaffParticipantCard = "staff.problem.participant_card";
inline constexpr std::string_view kStaffRevokedBadge = "staff.problem.revoked";
inline constexpr std::string_view kStaffBadgeLocked = "staff.problem.locked";
inline constexpr std::string_view kStaffNoPin = "staff.problem.no_pin";
inline constexpr std::string_view kStaffNoRole = "staff.problem.no_role";
inline constexpr std::string_view kStaffWrongPin = "staff.problem.wrong_pin";
inline constexpr std::string_view kStaffStoreFailed = "staff.problem.store";
inline constexpr std::string_view kStaffPinPrompt = "staff.pin.prompt";
inline constexpr std::string_view kStaffPinChecking = "staff.pin.checking";
inline constexpr std::string_view kStaffPinOk = "staff.pin.ok";
inline constexpr std::string_view kStaffPinErase = "staff.pin.erase";
inline constexpr std::string_view kStaffHomeTitle = "staff.home.title";
inline constexpr std::string_view kStaffGreeting = "staff.home.greeting";
inline constexpr std::string_view kStaffRosters = "staff.home.rosters";
inline constexpr std::string_view kStaffResources = "staff.home.resources";
inline constexpr std::string_view kStaffKioskStatus = "staff.home.status";
inline constexpr std::string_view kStaffSessionsTitle = "staff.sessions.title";
inline constexpr std::string_view kStaffAllRooms = "staff.sessions.all_rooms";
inline constexpr std::string_view kStaffArrivedOf = "staff.sessions.arrived";
inline constexpr std::string_view kStaffNoSessions = "staff.sessions.none";
inline constexpr std::string_view kStaffNow = "staff.sessions.now";
inline constexpr std::string_view kStaffEnded = "staff.sessions.ended";
inline constexpr std::string_view kStaffRosterTitle = "staff.roster.title";
inline constexpr std::string_view kStaffRosterDetail = "staff.roster.detail";
inline constexpr std::string_view kStaffFilter = "staff.roster.filter";
inline constexpr std::string_view kStaffClear = "staff.roster.clear";
inline constexpr std::string_view kStaffSort = "staff.roster.sort";
inline constexpr std::string_view kStaffSortName = "staff.roster.sort_name";
inline constexpr std::string_view kStaffSortStatus = "staff.roster.sort_status";
inline constexpr std::string_view kStaffNobody = "staff.roster.empty";
inline constexpr std::string_view kStaffArrived = "staff.status.arrived";
inline constexpr std::string_view kStaffLate = "staff.status.late";
inline constexpr std::string_view kStaffNotYet = "staff.status.not_yet";
inline constexpr std::string_view kStaffNoShow = "staff.status.no_show";
inline constexpr std::string_view kStaffCheckedOut = "staff.status.checked_out";
inline constexpr std::string_view kStaffHoursOf = "staff.roster.hours";
inline constexpr std::string_view kStaffWholeHours = "staff.roster.whole_hours";
inline constexpr std::string_view kStaffAtRisk = "staff.roster.at_risk";
inline constexpr std::string_view kStaffByHand = "staff.roster.by_hand";
inline constexpr std::string_view kStaffCheckIn = "staff.roster.check_in";
inline constexpr std::string_view kStaffCheckOut = "staff.roster.check_out";
inline constexpr std::string_view kStaffUndo = "staff.roster.undo";
inline constexpr std::string_view kStaffFixInTitle = "staff.fix.check_in_title";
inline constexpr std::string_view kStaffFixOutTitle = "staff.fix.check_out_title";
inline constexpr std::string_view kStaffFixPrompt = "staff.fix.prompt";
inline constexpr std::string_view kStaffFixPlaceholder = "staff.fix.other_placeholder";
inline constexpr std::string_view kStaffFixCheckedIn = "staff.fix.checked_in";
inline constexpr std::string_view kStaffFixCheckedOut = "staff.fix.checked_out";
inline constexpr std::string_view kStaffFixUndone = "staff.fix.undone";
inline constexpr std::string_view kStaffFixFailed = "staff.fix.failed";
inline constexpr std::string_view kReasonForgotCard = "staff.reason.forgot_card";
inline constexpr std::string_view kReasonPhoneDead = "staff.reason.phone_dead";
inline constexpr std::string_view kReasonScannerFault = "staff.reason.scanner_fault";
inline constexpr std::string_view kReasonLeftEarly = "staff.reason.left_early";
inline constexpr std::string_view kReasonOther = "staff.reason.other";
inline constexpr std::string_view kKeySpace = "staff.keyboard.space";
inline constexpr std::string_view kKeyErase = "staff.keyboard.erase";
inline constexpr std::string_view kKeyShift = "staff.keyboard.shift";
inline constexpr std::string_view kKeyDone = "staff.keyboard.done";
inline constexpr std::string_view kKeyReasonTitle = "staff.keyboard.reason_title";
inline constexpr std::string_view kStatusTitle = "staff.kiosk.title";
inline constexpr std::string_view kStatusServer = "staff.kiosk.server";
inline constexpr std::string_view kStatusOnline = "staff.kiosk.online";
inline constexpr std::string_view kStatusOffline = "staff.kiosk.offline";
inline constexpr std::string_view kStatusNoServer = "staff.kiosk.no_server";
inline constexpr std::string_view kStatusNoSync = "staff.kiosk.no_sync";
inline constexpr std::string_view kStatusLastSync = "staff.kiosk.last_sync";
inline constexpr std::string_view kStatusNever = "staff.kiosk.never";
inline constexpr std::string_view kStatusOutbox = "staff.kiosk.outbox";
inline constexpr std::string_view kStatusOldest = "staff.kiosk.oldest";
inline constexpr std::string_view kStatusRejected = "staff.kiosk.rejected";
inline constexpr std::string_view kStatusBlocked = "staff.kiosk.blocked";
inline constexpr std::string_view kStatusRetrying = "staff.kiosk.retrying";
inline constexpr std::string_view kStatusLastError = "staff.kiosk.last_error";
inline constexpr std::string_view kStatusNone = "staff.kiosk.none";
inline constexpr std::string_view kStatusCamera = "staff.kiosk.camera";
inline constexpr std::string_view kStatusPrinter = "staff.kiosk.printer";
inline constexpr std::string_view kStatusNotConfigured = "staff.kiosk.not_configured";
inline constexpr std::string_view kStatusScanner = "staff.kiosk.scanner";
inline constexpr std::string_view kDeviceOff = "staff.device.off";
inline constexpr std::string_view kDeviceStarting = "staff.device.starting";
inline constexpr std::string_view kDeviceRunning = "staff.device.running";
inline constexpr std::string_view kDeviceMissing = "staff.device.missing";
inline constexpr std::string_view kDeviceLost = "staff.device.lost";
inline constexpr std::string_view kDeviceFailed = "staff.device.failed";
inline constexpr std::string_view kDeviceEnded = "staff.device.ended";
inline constexpr std::string_view kStatusVersion = "staff.kiosk.version";
inline constexpr std::string_view kStatusKioskId = "staff.kiosk.id";
inline constexpr std::string_view kStatusStorage = "staff.kiosk.storage";    ///< disk full
inline constexpr std::string_view kStatusDatabase = "staff.kiosk.database";  ///< recovered

// The Cards page (CardsPage.h).
inline constexpr std::string_view kStaffCards = "staff.home.cards";
inline constexpr std::string_view kCardsTitle = "cards.title";
inline constexpr std::string_view kCardsHeading = "cards.heading";
inline constexpr std::string_view kCardsFilter = "cards.filter";
inline constexpr std::string_view kCardsNobody = "cards.empty";
inline constexpr std::string_view kCardsWorks = "cards.works";
inline constexpr std::string_view kCardsNone = "cards.none";
inline constexpr std::string_view kCardsNew = "cards.new";
inline constexpr std::string_view kCardsRevoke = "cards.revoke";
inline constexpr std::string_view kCardsRevokeTitle = "cards.revoke_title";
inline constexpr std::string_view kCardsRevokePrompt = "cards.revoke_prompt";
inline constexpr std::string_view kCardsReasonLost = "cards.reason.lost";
inline constexpr std::string_view kCardsReasonStolen = "cards.reason.stolen";
inline constexpr std::string_view kCardsReasonDamaged = "cards.reason.damaged";
inline constexpr std::string_view kCardsRevokeConfirm = "cards.revoke_confirm";
inline constexpr std::string_view kCardsRevoked = "cards.revoked";
inline constexpr std::string_view kCardsIssued = "cards.issued";
inline constexpr std::string_view kCardsFailed = "cards.failed";
inline constexpr std::string_view kCardsPreviewHeading = "cards.preview_heading";
inline constexpr std::string_view kCardsPrint = "cards.print";
inline constexpr std::string_view kCardsNoPrinter = "cards.no_printer";
inline constexpr std::string_view kCardsPreviewNote = "cards.preview_note";
inline constexpr std::string_view kCardsPrinting = "cards.printing";
inline constexpr std::string_view kCardsPrinted = "cards.printed";
inline constexpr std::string_view kCardsPrintFailed = "cards.print_failed";

inline constexpr std::array kStaffAll = {
    kWelcomeStaff,
    kStaffCancel,
    kStaffSignOut,
    kStaffBack,
    kStaffCountdown,
    kStaffSignInTitle,
    kStaffBadgePrompt,
    kStaffBadgeHint,
    kStaffNotABadge,
    kStaffParticipantCard,
    kStaffRevokedBadge,
    kStaffBadgeLocked,
    kStaffNoPin,
    kStaffNoRole,
    kStaffWrongPin,
    kStaffStoreFailed,
    kStaffPinPrompt,
    kStaffPinChecking,
    kStaffPinOk,
    kStaffPinErase,
    kStaffHomeTitle,
    kStaffGreeting,
    kStaffRosters,
    kStaffResources,
    kStaffKioskStatus,
    kStaffSessionsTitle,
    kStaffAllRooms,
    kStaffArrivedOf,
    kStaffNoSessions,
    kStaffNow,
    kStaffEnded,
    kStaffRosterTitle,
    kStaffRosterDetail,
    kStaffFilter,
    kStaffClear,
    kStaffSort,
    kStaffSortName,
    kStaffSortStatus,
    kStaffNobody,
    kStaffArrived,
    kStaffLate,
    kStaffNotYet,
    kStaffNoShow,
    kStaffCheckedOut,
    kStaffHoursOf,
    kStaffWholeHours,
    kStaffAtRisk,
    kStaffByHand,
    kStaffCheckIn,
    kStaffCheckOut,
    kStaffUndo,
    kStaffFixInTitle,
    kStaffFixOutTitle,
    kStaffFixPrompt,
    kStaffFixPlaceholder,
    kStaffFixCheckedIn,
    kStaffFixCheckedOut,
    kStaffFixUndone,
    kStaffFixFailed,
    kReasonForgotCard,
    kReasonPhoneDead,
    kReasonScannerFault,
    kReasonLeftEarly,
    kReasonOther,
    kKeySpace,
    kKeyErase,
    kKeyShift,
    kKeyDone,
    kKeyReasonTitle,
    kStatusTitle,
    kStatusServer,
    kStatusOnline,
    kStatusOffline,
    kStatusNoServer,
    kStatusNoSync,
    kStatusLastSync,
    kStatusNever,
    kStatusOutbox,
    kStatusOldest,
    kStatusRejected,
    kStatusBlocked,
    kStatusRetrying,
    kStatusLastError,
    kStatusNone,
    kStatusCamera,
    kStatusPrinter,
    kStatusNotConfigured,
    kStatusScanner,
    kDeviceOff,
    kDeviceStarting,
    kDeviceRunning,
    kDeviceMissing,
    kDeviceLost,
    kDeviceFailed,
    kDeviceEnded,
    kStatusVersion,
    kStatusKioskId,
    kStatusStorage,
    kStatusDatabase,
    kStaffCards,
    kCardsTitle,
    kCardsHeading,
    kCardsFilter,
    kCardsNobody,
    kCardsWorks,
    kCardsNone,
    kCardsNew,
    kCardsRevoke,
    kCardsRevokeTitle,
    kCardsRevokePrompt,
    kCardsReasonLost,
    kCardsReasonStolen,
    kCardsReasonDamaged,
    kCardsRevokeConfirm,
    kCardsRevoked,
    kCardsIssued,
    kCardsFailed,
    kCardsPreviewHeading,
    kCardsPrint,
    kCardsNoPrinter,
    kCardsPreviewNote,
    kCardsPrinting,
    kCardsPrinted,
    kCardsPrintFailed,
};

}  // namespace kiosk::msg
