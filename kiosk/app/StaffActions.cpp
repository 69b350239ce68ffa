// StaffController's handling of what staff touched: page changes, filters, the "by hand"
// dialog and its keyboard, undo. Split from StaffController.cpp to keep both small; every
// intent is checked against the signed-in person's permissions here.
#include <algorithm>

#include "kiosk/app/StaffController.h"
#include "kiosk/app/StaffMessages.h"
#include "kiosk/core/Log.h"

namespace kiosk {
namespace {

// The reason as recorded (audit, Provenance): in English whatever the screen's language, so
// the clinic's records read alike; "other" is what staff typed.
std::string ReasonWords(const std::string& code, const std::string& other) {
    if (code == "forgot-card")
        return "forgot card";
    if (code == "phone-dead")
        return "phone dead";
    if (code == "scanner-fault")
        return "scanner fault";
    if (code == "left-early")
        return "left early";
    return "other: " + other;
}

}  // namespace

void StaffController::Handle(const StaffIntent& in, Instant now) {
    const Permissions& can = m_session.Can();
    switch (in.command) {
        case StaffCommand::kNone:
            return;
        case StaffCommand::kCancel:
            Lock(SignedIn() ? LockReason::kSignOut : LockReason::kCancel, now);
            return;
        case StaffCommand::kPinDigit:
            if (in.arg.size() == 1) {
                m_session.PinDigit(in.arg[0]);
            }
            return;
        case StaffCommand::kPinBackspace:
            m_session.PinBackspace();
            return;
        case StaffCommand::kPinSubmit:
            m_session.SubmitPin();
            return;
        default:
            break;
    }
    if (!SignedIn()) {
        return;  // everything below needs a signed-in person
    }
    if (m_page == StaffPage::kResources || m_page == StaffPage::kReferral ||
        m_page == StaffPage::kPreview) {
        if (can.resources) {
            m_desk.Handle(in, m_page, now);
        }
        return;
    }
    switch (in.command) {
        case StaffCommand::kBack:
            if (m_page == StaffPage::kRoster) {
                m_name_filter.clear();
                GoTo(StaffPage::kSessions, now);
            } else {
                GoTo(StaffPage::kHome, now);
            }
            break;
        case StaffCommand::kOpenRosters:
            if (can.rosters) {
                GoTo(StaffPage::kSessions, now);
            }
            break;
        case StaffCommand::kOpenStatus:
            if (can.status) {
                GoTo(StaffPage::kStatus, now);
            }
            break;
        case StaffCommand::kOpenResources:
            if (can.resources) {
                GoTo(StaffPage::kResources, now);
            }
            break;
        case StaffCommand::kChooseRoom:
            m_room = in.arg;
            ++m_list_visit;
            break;
        case StaffCommand::kOpenSession:
            if (can.rosters && m_roster.Session(in.arg) != nullptr) {
                m_session_id = in.arg;
                m_name_filter.clear();
                GoTo(StaffPage::kRoster, now);
                const RosterSession* s = m_roster.Session(in.arg);
                const Status audited = m_store.Transaction([&](store::WriteTx& tx) -> Status {
                    return m_store.Audit().Append(
                        tx, {now, m_session.Who().person_ref, "roster-view", in.arg,
                             std::to_string(s != nullptr ? s->expected : 0) + " enrolled"});
                });
                if (!audited) {
                    LogError("staff", "roster view not audited: " + audited.error().log);
                }
            }
            break;
        case StaffCommand::kSortByName:
            m_sort_by_status = false;
            ++m_list_visit;
            break;
        case StaffCommand::kSortByStatus:
            m_sort_by_status = true;
            ++m_list_visit;
            break;
        case StaffCommand::kEditFilter:
            m_keyboard.Open(m_name_filter);
            m_keyboard_for = KeyboardFor::kFilter;
            break;
        case StaffCommand::kClearFilter:
            m_name_filter.clear();
            ++m_list_visit;
            break;
        case StaffCommand::kCheckIn:
        case StaffCommand::kCheckOut:
            if (can.rosters && m_page == StaffPage::kRoster) {
                m_fix = Correction{in.command == StaffCommand::kCheckIn, in.arg, NameOf(in.arg), "",
                                   ""};
                m_keyboard.Close();
                m_keyboard_for = KeyboardFor::kNone;
            }
            break;
        case StaffCommand::kUndo:
            if (can.rosters) {
                Undo(in.arg, now);
            }
            break;
        case StaffCommand::kChooseReason:
            if (m_fix) {
                m_fix->reason_code = in.arg;
                if (in.arg == "other" && m_fix->other_text.empty()) {
                    m_keyboard.Open(m_fix->other_text);
                    m_keyboard_for = KeyboardFor::kReason;
                }
            }
            break;
        case StaffCommand::kEditReasonText:
            if (m_fix) {
                m_fix->reason_code = "other";
                m_keyboard.Open(m_fix->other_text);
                m_keyboard_for = KeyboardFor::kReason;
            }
            break;
        case StaffCommand::kConfirmCorrection:
            ApplyCorrection(now);
            break;
        case StaffCommand::kCancelCorrection:
            m_fix.reset();
            m_keyboard.Close();
            m_keyboard_for = KeyboardFor::kNone;
            break;
        case StaffCommand::kKey:
        case StaffCommand::kKeyBackspace:
        case StaffCommand::kKeyShift:
        case StaffCommand::kKeyAccents:
            m_keyboard.Press(in);
            if (m_keyboard_for == KeyboardFor::kFilter) {
                m_name_filter = m_keyboard.Text();  // the list narrows as staff type
                ++m_list_visit;
            } else if (m_keyboard_for == KeyboardFor::kReason && m_fix) {
                m_fix->other_text = m_keyboard.Text();
            }
            break;
        case StaffCommand::kKeyDone:
            m_keyboard.Close();
            m_keyboard_for = KeyboardFor::kNone;
            break;
        default:
            break;
    }
}

void StaffController::ApplyCorrection(Instant now) {
    if (!m_fix || m_fix->reason_code.empty() ||
        (m_fix->reason_code == "other" && m_fix->other_text.empty())) {
        return;
    }
    const Correction fix = *m_fix;
    m_fix.reset();
    m_keyboard.Close();
    m_keyboard_for = KeyboardFor::kNone;
    const ManualChange change{m_session.Who().person_ref, fix.person_ref, m_session_id,
                              fix.reason_code, ReasonWords(fix.reason_code, fix.other_text)};
    if (fix.check_in) {
        auto done = m_corrections.CheckIn(change, now);
        if (done) {
            m_undoable.push_back(std::move(done).value());
            Notice(msg::kStaffFixCheckedIn, fix.name, false);
        } else {
            LogWarn("staff", "manual check-in failed: " + done.error().log);
            Notice(msg::kStaffFixFailed, "", true);
        }
    } else {
        auto closed = m_corrections.CheckOut(change, now);
        if (closed) {
            Notice(msg::kStaffFixCheckedOut, fix.name, false);
        } else {
            LogWarn("staff", "manual check-out failed: " + closed.error().log);
            Notice(msg::kStaffFixFailed, "", true);
        }
    }
    Reload(now);
}

void StaffController::Undo(const std::string& person_ref, Instant now) {
    auto it = std::find_if(m_undoable.rbegin(), m_undoable.rend(), [&](const ManualCheckIn& m) {
        return m.person_ref == person_ref && m.session_id == m_session_id;
    });
    if (it == m_undoable.rend()) {
        return;
    }
    const std::string name = NameOf(person_ref);
    const Status s = m_corrections.Undo(*it, m_session.Who().person_ref, now);
    m_undoable.erase(std::next(it).base());
    if (s) {
        Notice(msg::kStaffFixUndone, name, false);
    } else {
        LogWarn("staff", "undo failed: " + s.error().log);
        Notice(msg::kStaffFixFailed, "", true);
    }
    Reload(now);
}

}  // namespace kiosk
