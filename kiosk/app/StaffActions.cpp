// StaffController's handlers of what staff touched (StaffIntents.h), one per page: the frame,
// the PIN pad, home, sessions, the roster, its "by hand" dialog and the keyboard; the resource
// pages' go to ResourceDesk. Every intent is checked against the signed-in person's
// permissions here.
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
    if (const auto* frame = std::get_if<FrameIntent>(&in)) {
        HandleFrame(*frame, now);
        return;
    }
    if (const auto* pin = std::get_if<PinIntent>(&in)) {
        HandlePin(*pin);
        return;
    }
    if (!SignedIn()) {
        return;  // every page below needs a signed-in person
    }
    if (OnDeskPage()) {
        if (m_session.Can().resources) {
            m_desk.Handle(in, m_page, now);
        }
        return;
    }
    if (OnCardsPage()) {
        if (m_session.Can().cards) {
            m_cards.Handle(in, m_page, now);
        }
        return;
    }
    std::visit(Overloaded{[&](const HomeIntent& i) { HandleHome(i, now); },
                          [&](const SessionsIntent& i) { HandleSessions(i, now); },
                          [&](const RosterIntent& i) { HandleRoster(i, now); },
                          [&](const CorrectionIntent& i) { HandleCorrection(i, now); },
                          [&](const KeyboardIntent& i) { HandleKeyboard(i); },
                          // frame and PIN above; the resource pages' own while none is up
                          [](const auto&) {}},
               in);
}

bool StaffController::OnDeskPage() const {
    return m_page == StaffPage::kResources || m_page == StaffPage::kReferral ||
           m_page == StaffPage::kPreview;
}

bool StaffController::OnCardsPage() const {
    return m_page == StaffPage::kCards || m_page == StaffPage::kCardPreview;
}

void StaffController::HandleFrame(const FrameIntent& in, Instant now) {
    if (std::holds_alternative<intent::frame::Cancel>(in)) {
        Lock(SignedIn() ? LockReason::kSignOut : LockReason::kCancel, now);
        return;
    }
    if (!SignedIn()) {
        return;  // Back during sign-in: there is no page above
    }
    if (OnDeskPage()) {
        if (m_session.Can().resources) {
            m_desk.Back(m_page, now);
        }
    } else if (OnCardsPage()) {
        m_cards.Back(m_page, now);
    } else if (m_page == StaffPage::kRoster) {
        m_name_filter.clear();
        GoTo(StaffPage::kSessions, now);
    } else {
        GoTo(StaffPage::kHome, now);
    }
}

void StaffController::HandlePin(const PinIntent& in) {
    std::visit(Overloaded{[&](const intent::pin::Digit& d) { m_session.PinDigit(d.digit); },
                          [&](const intent::pin::Erase&) { m_session.PinBackspace(); },
                          [&](const intent::pin::Submit&) { m_session.SubmitPin(); }},
               in);
}

void StaffController::HandleHome(const HomeIntent& in, Instant now) {
    const Permissions& can = m_session.Can();
    std::visit(Overloaded{[&](const intent::home::OpenRosters&) {
                              if (can.rosters) {
                                  GoTo(StaffPage::kSessions, now);
                              }
                          },
                          [&](const intent::home::OpenStatus&) {
                              if (can.status) {
                                  GoTo(StaffPage::kStatus, now);
                              }
                          },
                          [&](const intent::home::OpenResources&) {
                              if (can.resources) {
                                  GoTo(StaffPage::kResources, now);
                              }
                          },
                          [&](const intent::home::OpenCards&) {
                              if (can.cards) {
                                  GoTo(StaffPage::kCards, now);
                              }
                          }},
               in);
}

void StaffController::HandleSessions(const SessionsIntent& in, Instant now) {
    std::visit(
        Overloaded{[&](const intent::sessions::ChooseRoom& c) {
                       m_room = c.room_id;
                       ++m_list_visit;
                   },
                   [&](const intent::sessions::OpenSession& o) { OpenSession(o.session_id, now); }},
        in);
}

void StaffController::OpenSession(const std::string& session_id, Instant now) {
    if (!m_session.Can().rosters || m_roster.Session(session_id) == nullptr) {
        return;
    }
    m_session_id = session_id;
    m_name_filter.clear();
    GoTo(StaffPage::kRoster, now);
    const RosterSession* s = m_roster.Session(session_id);
    const Status audited = m_store.Transaction([&](store::WriteTx& tx) -> Status {
        return m_store.Audit().Append(
            tx, {now, m_session.Who().person_ref, "roster-view", session_id,
                 std::to_string(s != nullptr ? s->expected : 0) + " enrolled"});
    });
    if (!audited) {
        LogError("staff", "roster view not audited: " + audited.error().log);
    }
}

void StaffController::HandleRoster(const RosterIntent& in, Instant now) {
    std::visit(
        Overloaded{[&](const intent::roster::Sort& s) {
                       m_sort_by_status = s.by_status;
                       ++m_list_visit;
                   },
                   [&](const intent::roster::EditFilter&) {
                       m_keyboard.Open(m_name_filter);
                       m_keyboard_for = KeyboardFor::kFilter;
                   },
                   [&](const intent::roster::ClearFilter&) {
                       m_name_filter.clear();
                       ++m_list_visit;
                   },
                   [&](const intent::roster::CheckIn& c) { OpenCorrection(true, c.person_ref); },
                   [&](const intent::roster::CheckOut& c) { OpenCorrection(false, c.person_ref); },
                   [&](const intent::roster::Undo& u) {
                       if (m_session.Can().rosters) {
                           UndoCheckIn(u.person_ref, now);
                       }
                   }},
        in);
}

void StaffController::OpenCorrection(bool check_in, const std::string& person_ref) {
    if (m_session.Can().rosters && m_page == StaffPage::kRoster) {
        m_fix = Correction{check_in, person_ref, NameOf(person_ref), "", ""};
        CloseKeyboard();
    }
}

void StaffController::CloseKeyboard() {
    m_keyboard.Close();
    m_keyboard_for = KeyboardFor::kNone;
}

void StaffController::HandleCorrection(const CorrectionIntent& in, Instant now) {
    std::visit(Overloaded{[&](const intent::correction::ChooseReason& r) {
                              if (m_fix) {
                                  m_fix->reason_code = r.code;
                                  if (r.code == "other" && m_fix->other_text.empty()) {
                                      m_keyboard.Open(m_fix->other_text);
                                      m_keyboard_for = KeyboardFor::kReason;
                                  }
                              }
                          },
                          [&](const intent::correction::EditText&) {
                              if (m_fix) {
                                  m_fix->reason_code = "other";
                                  m_keyboard.Open(m_fix->other_text);
                                  m_keyboard_for = KeyboardFor::kReason;
                              }
                          },
                          [&](const intent::correction::Confirm&) { ApplyCorrection(now); },
                          [&](const intent::correction::Cancel&) {
                              m_fix.reset();
                              CloseKeyboard();
                          }},
               in);
}

void StaffController::HandleKeyboard(const KeyboardIntent& in) {
    if (std::holds_alternative<intent::keyboard::Done>(in)) {
        CloseKeyboard();
        return;
    }
    m_keyboard.Press(in);
    if (m_keyboard_for == KeyboardFor::kFilter) {
        m_name_filter = m_keyboard.Text();  // the list narrows as staff type
        ++m_list_visit;
    } else if (m_keyboard_for == KeyboardFor::kReason && m_fix) {
        m_fix->other_text = m_keyboard.Text();
    }
}

void StaffController::ApplyCorrection(Instant now) {
    if (!m_fix || m_fix->reason_code.empty() ||
        (m_fix->reason_code == "other" && m_fix->other_text.empty())) {
        return;
    }
    const Correction fix = *m_fix;
    m_fix.reset();
    CloseKeyboard();
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

void StaffController::UndoCheckIn(const std::string& person_ref, Instant now) {
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
