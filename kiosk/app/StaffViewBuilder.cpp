// StaffController::Render: the staff pages in words, in the screen's language. Names of
// participants are put into the view here and only here, and only while someone is signed in.
#include <algorithm>

#include "kiosk/app/Messages.h"
#include "kiosk/app/ResourceMessages.h"
#include "kiosk/app/StaffController.h"
#include "kiosk/app/StaffMessages.h"
#include "kiosk/store/StoreRecovery.h"

namespace kiosk {

namespace {

/// Inserts a long problem as several one-line rows at `at` (the label on the first); returns
/// the index after them.
std::size_t InsertWrapped(std::vector<StatusLine>& lines, std::size_t at, const std::string& label,
                          const std::string& text) {
    constexpr std::size_t kWidth = 64;
    std::size_t from = 0;
    while (from < text.size()) {
        std::size_t end = std::min(text.size(), from + kWidth);
        if (end < text.size()) {
            const std::size_t space = text.rfind(' ', end);
            end = space != std::string::npos && space > from ? space : end;
        }
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at++),
                     {from == 0 ? label : "", text.substr(from, end - from), StatusTone::kBad});
        from = text.find_first_not_of(' ', end);
    }
    return at;
}

/// A camera or scanner line: its state in words and tone, the device, and the last problem.
StatusLine DeviceLine(const Catalog& t, std::string_view label,
                      const std::function<scan::ScannerStatus()>& read) {
    if (!read) {
        return {t.Tr(label), t.Tr(msg::kStatusNotConfigured), StatusTone::kNeutral};
    }
    const scan::ScannerStatus s = read();
    std::string_view words = msg::kDeviceOff;
    StatusTone tone = StatusTone::kNeutral;
    switch (s.state) {
        case scan::DeviceState::kOff:
            break;
        case scan::DeviceState::kStarting:
            words = msg::kDeviceStarting;
            tone = StatusTone::kInfo;
            break;
        case scan::DeviceState::kRunning:
            words = msg::kDeviceRunning;
            tone = StatusTone::kGood;
            break;
        case scan::DeviceState::kMissing:
            words = msg::kDeviceMissing;
            tone = StatusTone::kBad;
            break;
        case scan::DeviceState::kLost:
            words = msg::kDeviceLost;
            tone = StatusTone::kBad;
            break;
        case scan::DeviceState::kFailed:
            words = msg::kDeviceFailed;
            tone = StatusTone::kBad;
            break;
        case scan::DeviceState::kEnded:
            words = msg::kDeviceEnded;
            break;
    }
    std::string value = t.Tr(words);
    if (!s.device.empty()) {
        value += "  ·  " + s.device;
    }
    if (!s.detail.empty() && tone == StatusTone::kBad) {
        value += "  (" + s.detail + ")";
    }
    return {t.Tr(label), value, tone};
}

/// The printer line: the queue and whether it can print now, in the words the print page uses.
StatusLine PrinterLine(const Catalog& t, const std::string& queue,
                       const std::optional<print::PrintStatus>& state) {
    if (queue.empty()) {
        return {t.Tr(msg::kStatusPrinter), t.Tr(msg::kStatusNotConfigured), StatusTone::kNeutral};
    }
    if (!state || state->problem == print::PrintProblem::kNone) {
        return {t.Tr(msg::kStatusPrinter), t.Tr(msg::kStaffKioskPrintReady) + "  ·  " + queue,
                state ? StatusTone::kGood : StatusTone::kNeutral};
    }
    std::string words = state->detail.empty() ? "" : "  (" + state->detail + ")";
    return {t.Tr(msg::kStatusPrinter), queue + words, StatusTone::kBad};
}

}  // namespace
namespace {

const char* kReasonCodes[] = {"forgot-card", "phone-dead", "scanner-fault", "left-early", "other"};

std::string_view ReasonLabel(const std::string& code) {
    if (code == "forgot-card")
        return msg::kReasonForgotCard;
    if (code == "phone-dead")
        return msg::kReasonPhoneDead;
    if (code == "scanner-fault")
        return msg::kReasonScannerFault;
    if (code == "left-early")
        return msg::kReasonLeftEarly;
    return msg::kReasonOther;
}

}  // namespace

std::string StaffController::Duration(const Catalog& t, Seconds d) const {
    const auto minutes = std::chrono::duration_cast<Minutes>(d).count();
    if (minutes < 60) {
        return t.Format(msg::kDurationMinutes, {{"minutes", std::to_string(minutes)}});
    }
    if (minutes % 60 == 0) {
        return t.Format(msg::kStaffWholeHours, {{"hours", std::to_string(minutes / 60)}});
    }
    return t.Format(msg::kDuration, {{"hours", std::to_string(minutes / 60)},
                                     {"minutes", std::to_string(minutes % 60)}});
}

StaffView StaffController::Render(const Catalog& t, Instant now) const {
    StaffView v;
    if (!Active()) {
        return v;
    }
    v.page = m_page;
    v.list_visit = m_list_visit;
    const Seconds left = m_session.IdleLeft();
    if (left <= kLockCountdown && left > Seconds{0}) {
        v.countdown = t.Format(msg::kStaffCountdown, {{"seconds", std::to_string(left.count())}});
    }
    if (!SignedIn()) {
        v.title = t.Tr(msg::kStaffSignInTitle);
        v.cancel_label = t.Tr(msg::kStaffCancel);
        RenderBadge(t, v);
        return v;
    }
    const auto& who = m_session.Who();
    v.signed_in_as = who.given + " " + who.family;
    v.cancel_label = t.Tr(msg::kStaffSignOut);
    if (m_page != StaffPage::kHome) {
        v.back_label = t.Tr(msg::kStaffBack);
    }
    if (!m_notice_key.empty()) {
        v.notice = t.Format(m_notice_key, {{"name", m_notice_name}});
        v.notice_is_error = m_notice_error;
    }
    switch (m_page) {
        case StaffPage::kSessions:
            RenderSessions(t, v, now);
            break;
        case StaffPage::kRoster:
            RenderRoster(t, v);
            break;
        case StaffPage::kStatus:
            RenderStatus(t, v, now);
            break;
        case StaffPage::kResources:
        case StaffPage::kReferral:
        case StaffPage::kPreview:
            m_desk.Render(t, v, now);
            break;
        case StaffPage::kCards:
        case StaffPage::kCardPreview:
            m_cards.Render(t, v, m_page);
            break;
        default:
            RenderHome(t, v);
            break;
    }
    if (m_keyboard.IsOpen()) {
        const std::string title = m_keyboard_for == KeyboardFor::kReason
                                      ? t.Tr(msg::kKeyReasonTitle)
                                      : t.Tr(msg::kStaffFilter);
        v.keyboard = m_keyboard.View({title, t.Tr(msg::kKeySpace), t.Tr(msg::kKeyErase),
                                      t.Tr(msg::kKeyShift), t.Tr(msg::kKeyDone)});
    }
    return v;
}

void StaffController::RenderBadge(const Catalog& t, StaffView& v) const {
    std::string problem;
    switch (m_session.Problem()) {
        case SignInProblem::kNone:
            break;
        case SignInProblem::kNotABadge:
            problem = t.Tr(msg::kStaffNotABadge);
            break;
        case SignInProblem::kParticipantCard:
            problem = t.Tr(msg::kStaffParticipantCard);
            break;
        case SignInProblem::kRevokedBadge:
            problem = t.Tr(msg::kStaffRevokedBadge);
            break;
        case SignInProblem::kBadgeLocked:
            problem = t.Format(
                msg::kStaffBadgeLocked,
                {{"time", m_session.LockedUntil() ? Clock(*m_session.LockedUntil()) : ""}});
            break;
        case SignInProblem::kNoPin:
            problem = t.Tr(msg::kStaffNoPin);
            break;
        case SignInProblem::kNoRole:
            problem = t.Tr(msg::kStaffNoRole);
            break;
        case SignInProblem::kWrongPin:
            problem = t.Format(msg::kStaffWrongPin,
                               {{"count", std::to_string(m_session.AttemptsLeft())}});
            break;
        case SignInProblem::kStoreFailed:
            problem = t.Tr(msg::kStaffStoreFailed);
            break;
    }
    if (m_session.Step() == StaffStep::kPin) {
        v.page = StaffPage::kPin;
        v.pin.prompt = t.Tr(msg::kStaffPinPrompt);
        v.pin.staff_name = m_session.Who().given + " " + m_session.Who().family;
        v.pin.entered = static_cast<int>(m_session.PinLength());
        v.pin.busy = m_session.Checking();
        v.pin.message = v.pin.busy ? t.Tr(msg::kStaffPinChecking) : problem;
        v.pin.ok_label = t.Tr(msg::kStaffPinOk);
        v.pin.erase_label = t.Tr(msg::kStaffPinErase);
        return;
    }
    v.page = StaffPage::kBadge;
    v.badge.prompt = t.Tr(msg::kStaffBadgePrompt);
    v.badge.hint = t.Tr(msg::kStaffBadgeHint);
    v.badge.message = problem;
}

void StaffController::RenderHome(const Catalog& t, StaffView& v) const {
    const Permissions& can = m_session.Can();
    v.title = t.Tr(msg::kStaffHomeTitle);
    v.home.greeting = t.Format(msg::kStaffGreeting, {{"name", m_session.Who().given}});
    if (can.rosters) {
        v.home.tiles.push_back({t.Tr(msg::kStaffRosters), "", intent::home::OpenRosters{}, true});
    }
    if (can.resources) {
        v.home.tiles.push_back(
            {t.Tr(msg::kStaffResources), "", intent::home::OpenResources{}, true});
    }
    if (can.cards) {
        v.home.tiles.push_back({t.Tr(msg::kStaffCards), "", intent::home::OpenCards{}, true});
    }
    if (can.status) {
        v.home.tiles.push_back(
            {t.Tr(msg::kStaffKioskStatus), "", intent::home::OpenStatus{}, true});
    }
}

void StaffController::RenderSessions(const Catalog& t, StaffView& v, Instant now) const {
    v.title = t.Tr(msg::kStaffSessionsTitle);
    SessionsView& s = v.sessions;
    s.heading = t.Tr(msg::kStaffSessionsTitle);
    s.empty = t.Tr(msg::kStaffNoSessions);
    s.now_tag = t.Tr(msg::kStaffNow);
    s.ended_tag = t.Tr(msg::kStaffEnded);
    s.rooms.push_back({"", t.Tr(msg::kStaffAllRooms), m_room.empty()});
    for (const auto& r : m_roster.Today()) {
        const bool seen = std::any_of(s.rooms.begin(), s.rooms.end(),
                                      [&](const RoomChip& c) { return c.id == r.row.room_id; });
        if (!seen) {
            s.rooms.push_back({r.row.room_id, r.row.room_name, r.row.room_id == m_room});
        }
    }
    for (const auto& r : m_roster.Today()) {
        if (!m_room.empty() && r.row.room_id != m_room) {
            continue;
        }
        s.sessions.push_back(
            {r.row.id, Clock(r.row.start), r.row.group_name, r.row.room_name, r.facilitator,
             t.Format(msg::kStaffArrivedOf, {{"arrived", std::to_string(r.arrived)},
                                             {"expected", std::to_string(r.expected)}}),
             r.row.start <= now && now < r.row.end, r.row.end <= now});
    }
    const auto current = std::find_if(s.sessions.begin(), s.sessions.end(),
                                      [](const SessionLineView& line) { return !line.ended; });
    s.start_row = current != s.sessions.end()
                      ? static_cast<int>(current - s.sessions.begin())
                      : std::max(0, static_cast<int>(s.sessions.size()) - 1);
}

void StaffController::RenderRoster(const Catalog& t, StaffView& v) const {
    v.title = t.Tr(msg::kStaffRosterTitle);
    RosterView& r = v.roster;
    const RosterSession* session = m_roster.Session(m_session_id);
    if (session == nullptr) {
        r.empty = t.Tr(msg::kStaffNobody);
        return;
    }
    r.heading =
        Clock(session->row.start) + "  " + session->row.group_name + ", " + session->row.room_name;
    r.detail = t.Format(msg::kStaffRosterDetail, {{"facilitator", session->facilitator},
                                                  {"arrived", std::to_string(session->arrived)},
                                                  {"expected", std::to_string(session->expected)}});
    r.filter_label = t.Tr(msg::kStaffFilter);
    r.filter_text = m_name_filter;
    r.clear_filter_label = t.Tr(msg::kStaffClear);
    r.sort_label = t.Tr(msg::kStaffSort);
    r.sort_name_label = t.Tr(msg::kStaffSortName);
    r.sort_status_label = t.Tr(msg::kStaffSortStatus);
    r.sorted_by_status = m_sort_by_status;
    r.empty = t.Tr(msg::kStaffNobody);
    r.check_in_label = t.Tr(msg::kStaffCheckIn);
    r.check_out_label = t.Tr(msg::kStaffCheckOut);
    r.undo_label = t.Tr(msg::kStaffUndo);

    std::vector<RosterPerson> people = m_roster.People(m_session_id);
    if (m_sort_by_status) {
        std::stable_sort(people.begin(), people.end(),
                         [](const RosterPerson& a, const RosterPerson& b) {
                             return a.status.state < b.status.state;
                         });
    }
    const std::string needle = FoldForSearch(m_name_filter);
    for (const auto& p : people) {
        const std::string name = p.given + " " + p.family;
        if (!needle.empty() && FoldForSearch(name).find(needle) == std::string::npos) {
            continue;
        }
        RosterLineView line;
        line.person_ref = p.ref;
        line.name = name;
        const std::string at = p.status.at ? Clock(*p.status.at) : "";
        switch (p.status.state) {
            case RosterState::kArrived:
                line.status = t.Format(msg::kStaffArrived, {{"time", at}});
                line.tone = StatusTone::kGood;
                break;
            case RosterState::kLate:
                line.status = t.Format(msg::kStaffLate, {{"time", at}});
                line.tone = StatusTone::kWarning;
                break;
            case RosterState::kNotYet:
                line.status = t.Tr(msg::kStaffNotYet);
                line.tone = StatusTone::kNeutral;
                break;
            case RosterState::kNoShow:
                line.status = t.Tr(msg::kStaffNoShow);
                line.tone = StatusTone::kBad;
                break;
            case RosterState::kCheckedOut:
                line.status = t.Format(msg::kStaffCheckedOut, {{"time", at}});
                line.tone = StatusTone::kInfo;
                break;
        }
        if (p.week.target > Seconds{0}) {
            line.hours = t.Format(msg::kStaffHoursOf, {{"attended", Duration(t, p.week.attended)},
                                                       {"target", Duration(t, p.week.target)}});
            if (p.week.at_risk) {
                line.at_risk = t.Tr(msg::kStaffAtRisk);
            }
        }
        if (p.attendance && p.attendance->source == "manual") {
            line.by_hand = t.Tr(msg::kStaffByHand);
        }
        line.can_check_in = p.can_check_in;
        line.can_check_out = p.can_check_out;
        line.can_undo =
            p.attendance && !p.attendance->checked_out &&
            std::any_of(m_undoable.begin(), m_undoable.end(), [&](const ManualCheckIn& m) {
                return m.person_ref == p.ref && m.session_id == m_session_id;
            });
        r.lines.push_back(std::move(line));
    }
    RenderCorrection(t, v);
}

void StaffController::RenderCorrection(const Catalog& t, StaffView& v) const {
    if (!m_fix) {
        return;
    }
    CorrectionView c;
    c.title = t.Format(m_fix->check_in ? msg::kStaffFixInTitle : msg::kStaffFixOutTitle,
                       {{"name", m_fix->name}});
    c.prompt = t.Tr(msg::kStaffFixPrompt);
    for (const char* code : kReasonCodes) {
        if (m_fix->check_in && std::string_view(code) == "left-early") {
            continue;  // leaving early is a reason to check out, not in
        }
        c.reasons.push_back({code, t.Tr(ReasonLabel(code)), m_fix->reason_code == code});
    }
    c.wants_text = m_fix->reason_code == "other";
    c.text = m_fix->other_text;
    c.text_placeholder = t.Tr(msg::kStaffFixPlaceholder);
    c.confirm_label = t.Tr(m_fix->check_in ? msg::kStaffCheckIn : msg::kStaffCheckOut);
    c.cancel_label = t.Tr(msg::kStaffCancel);
    c.can_confirm = !m_fix->reason_code.empty() &&
                    (m_fix->reason_code != "other" || !m_fix->other_text.empty());
    v.correction = std::move(c);
}

void StaffController::RenderStatus(const Catalog& t, StaffView& v, Instant now) const {
    v.title = t.Tr(msg::kStatusTitle);
    auto& lines = v.status.lines;
    auto when = [&](Instant at) {
        const std::string clock = Clock(at);
        return m_time.LocalDate(at) == m_time.LocalDate(now) ? clock
                                                             : m_time.LocalDate(at) + " " + clock;
    };
    std::optional<sync::SyncStatus> sync;
    if (m_env.sync_status) {
        sync = m_env.sync_status();
    }
    if (!sync) {
        lines.push_back(
            {t.Tr(msg::kStatusServer),
             t.Tr(m_config.server.url.empty() ? msg::kStatusNoServer : msg::kStatusNoSync),
             m_config.server.url.empty() ? StatusTone::kNeutral : StatusTone::kWarning});
    } else if (!sync->configured) {
        lines.push_back(
            {t.Tr(msg::kStatusServer), t.Tr(msg::kStatusNoServer), StatusTone::kNeutral});
    } else {
        lines.push_back({t.Tr(msg::kStatusServer),
                         t.Tr(sync->online ? msg::kStatusOnline : msg::kStatusOffline),
                         sync->online ? StatusTone::kGood : StatusTone::kWarning});
        lines.push_back({t.Tr(msg::kStatusLastSync),
                         sync->last_success ? when(*sync->last_success) : t.Tr(msg::kStatusNever),
                         StatusTone::kNeutral});
    }
    lines.push_back({t.Tr(msg::kStatusOutbox), std::to_string(m_outbox.pending),
                     m_outbox.pending > 0 ? StatusTone::kInfo : StatusTone::kNeutral});
    lines.push_back({t.Tr(msg::kStatusOldest),
                     m_oldest ? when(m_oldest->created_at) + "  (" + m_oldest->stored_kind + ")"
                              : t.Tr(msg::kStatusNone),
                     StatusTone::kNeutral});
    if (m_outbox.rejected > 0) {
        lines.push_back(
            {t.Tr(msg::kStatusRejected), std::to_string(m_outbox.rejected), StatusTone::kBad});
    }
    if (m_outbox.retrying > 0) {
        lines.push_back(
            {t.Tr(msg::kStatusRetrying), std::to_string(m_outbox.retrying), StatusTone::kWarning});
    }
    if (m_outbox.blocked > 0) {
        // The server's own words, for whoever fixes the kiosk's permissions on the server.
        InsertWrapped(lines, lines.size(), t.Tr(msg::kStatusBlocked),
                      std::to_string(m_outbox.blocked) + ": " + m_outbox.blocked_error);
    }
    const std::string error = sync ? sync->last_error : "";
    lines.push_back({t.Tr(msg::kStatusLastError), error.empty() ? t.Tr(msg::kStatusNone) : error,
                     error.empty() ? StatusTone::kNeutral : StatusTone::kBad});
    lines.push_back(DeviceLine(t, msg::kStatusCamera, m_env.camera_status));
    if (m_env.scanner_status) {
        lines.push_back(DeviceLine(t, msg::kStatusScanner, m_env.scanner_status));
    }
    lines.push_back(PrinterLine(t, m_config.printer.queue, m_printer));
    // A database set aside at start and a full disk: until acknowledged, expired or fixed.
    std::size_t at = 0;
    if (auto notice = store::RecoveryNotice(m_store, now); notice && notice.value()) {
        at = InsertWrapped(lines, at, t.Tr(msg::kStatusDatabase), *notice.value());
    }
    if (const std::string problem = store::StorageProblem(); !problem.empty()) {
        InsertWrapped(lines, at, t.Tr(msg::kStatusStorage), problem);
    }
    lines.push_back({t.Tr(msg::kStatusVersion), m_env.version.empty() ? "?" : m_env.version,
                     StatusTone::kNeutral});
    lines.push_back({t.Tr(msg::kStatusKioskId), m_config.kiosk_id, StatusTone::kNeutral});
}

}  // namespace kiosk
