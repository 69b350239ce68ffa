// The decision is made inside the write transaction (BEGIN IMMEDIATE), so a sync of another
// kiosk's check-in cannot slip in between reading the person's day and writing to it.
#include "kiosk/app/CheckinService.h"

#include <algorithm>

#include "kiosk/core/Log.h"
#include "kiosk/core/WeeklyHours.h"
#include "kiosk/store/StoreRecovery.h"

namespace kiosk {
namespace {

std::string ShortHash(const std::string& hash) {
    return "card:" + hash.substr(0, 10);
}

const char* ConfirmedWord(ScanKind kind) {
    switch (kind) {
        case ScanKind::kCheckedIn:
            return "checked-in";
        case ScanKind::kCheckedOut:
            return "checked-out";
        case ScanKind::kAlreadyIn:
            return "already-in";
        case ScanKind::kSeeFrontDesk:
            break;
    }
    return "refused";
}

std::vector<std::string> CheckedInIds(const ScanDecision& d) {
    std::vector<std::string> ids;
    for (const auto& ci : d.check_in) {
        ids.push_back(ci.session_id);
    }
    return ids;
}

/// "confirmed: checked-in person=Patient/x sessions=a,b": a person reference, never a name.
std::string ConfirmedLine(const ScanDecision& d, ScanKind kind, const std::string& person_ref) {
    std::string sessions_text;
    for (const auto& id : d.action == ScanAction::kCheckOut ? d.check_out : CheckedInIds(d)) {
        sessions_text += (sessions_text.empty() ? "" : ",") + id;
    }
    return std::string("confirmed: ") + ConfirmedWord(kind) + " person=" + person_ref +
           (sessions_text.empty() ? "" : " sessions=" + sessions_text);
}

/// Why a card that is not a participant's cannot check in; nullopt for a participant's.
std::optional<DenyReason> RefusalFor(CardKind kind) {
    switch (kind) {
        case CardKind::kNotACard:
            return DenyReason::kNotAToken;
        case CardKind::kStoreFailed:
            return DenyReason::kStorageFailed;
        case CardKind::kUnknown:
            return DenyReason::kUnknownCard;
        case CardKind::kRevoked:
            return DenyReason::kRevokedCard;
        case CardKind::kStaff:
            return DenyReason::kStaffBadge;
        case CardKind::kParticipant:
            break;
    }
    return std::nullopt;
}

}  // namespace

CheckinService::CheckinService(store::Store& store, const ClinicTime& time, CheckinWindows windows,
                               std::string kiosk_id, bool show_first_name, OutboxWake wake)
    : m_store(store),
      m_time(time),
      m_windows(windows),
      m_kiosk_id(std::move(kiosk_id)),
      m_show_first_name(show_first_name),
      m_wake(std::move(wake)) {}

void CheckinService::WakeSync() const {
    if (m_wake) {
        m_wake();
    }
}

bool CheckinService::NoteStorageFailure(const Error& e) {
    if (!store::IsDiskProblem(e)) {
        return e.code == ErrorCode::kStorage;
    }
    const std::string what = store::DescribeDiskProblem(e, m_store.File());
    LogError("checkin", what);
    store::NoteStorageProblem(what);
    return true;
}

ScanOutcome CheckinService::Refuse(ScanOutcome o, DenyReason why, Instant now) {
    o.kind = ScanKind::kSeeFrontDesk;
    o.reason = why;
    const std::string subject =
        !o.person_ref.empty()
            ? o.person_ref
            : (o.credential_hash.empty() ? "not-a-card" : ShortHash(o.credential_hash));
    LogInfo("checkin", "scan refused: " + subject + ": " + DenyReasonText(why));
    if (why == DenyReason::kStorageFailed) {
        return o;  // the database just failed; do not try to write an audit row to it
    }
    const Status audited = m_store.Transaction([&](store::WriteTx& tx) -> Status {
        return m_store.Audit().Append(
            tx, {now, m_kiosk_id, "scan-refused", subject, DenyReasonText(why)});
    });
    if (!audited) {
        LogError("checkin", "could not write the audit row: " + audited.error().log);
        // A full disk shows the same words to every card, so the screen never tells an enrolled
        // card from an unknown one (PRIVACY.md 3).
        o.reason = NoteStorageFailure(audited.error()) ? DenyReason::kStorageFailed : o.reason;
    }
    return o;
}

ScanOutcome CheckinService::CheckIn(const CardIdentity& card, Instant now) {
    ScanOutcome out;
    out.credential_hash = card.credential_hash;
    out.person_ref = card.person_ref;
    if (const auto why = RefusalFor(card.kind)) {
        if (card.kind == CardKind::kStoreFailed && card.failure) {
            NoteStorageFailure(*card.failure);
        }
        return Refuse(std::move(out), *why, now);
    }
    const std::string& person_ref = card.person_ref;

    const Instant day_start = m_time.StartOfDay(now);
    const Instant day_end = m_time.EndOfDay(now);
    ScanDecision decision;
    std::vector<store::SessionRow> sessions;
    std::vector<store::AttendanceRow> marks_today;
    const Status saved = m_store.Transaction([&](store::WriteTx& tx) -> Status {
        auto s = m_store.Clinic().EnrolledSessions(person_ref, day_start, day_end);
        if (!s) {
            return s.error();
        }
        auto a = m_store.Attendance().ForPerson(person_ref, day_start, day_end);
        if (!a) {
            return a.error();
        }
        sessions = std::move(s).value();
        marks_today = std::move(a).value();
        std::vector<SessionSlot> slots;
        for (const auto& row : sessions) {
            slots.push_back({row.id, row.start, row.end});
        }
        std::vector<AttendanceMark> marks;
        for (const auto& row : marks_today) {
            marks.push_back({row.session_id, row.checked_in, row.checked_out});
        }
        decision = DecideScan(now, slots, marks, m_windows);
        return Apply(tx, decision, person_ref, now);
    });
    if (!saved) {
        LogError("checkin", "check-in NOT saved for " + person_ref + ": " + saved.error().log);
        NoteStorageFailure(saved.error());
        return Refuse(std::move(out), DenyReason::kStorageFailed, now);
    }
    store::ClearStorageProblem();  // saved: a full disk that was freed no longer shows

    auto find_session = [&](const std::string& id) -> const store::SessionRow* {
        for (const auto& s : sessions) {
            if (s.id == id) {
                return &s;
            }
        }
        return nullptr;
    };
    switch (decision.action) {
        case ScanAction::kDenied:
            return Refuse(std::move(out), decision.reason, now);
        case ScanAction::kAlreadyIn:
            out.kind = ScanKind::kAlreadyIn;
            out.since = decision.since;
            break;
        case ScanAction::kCheckIn:
            out.kind = ScanKind::kCheckedIn;
            for (const auto& ci : decision.check_in) {
                if (const auto* s = find_session(ci.session_id)) {
                    out.sessions.push_back(
                        {s->kind, store::LobbyGroupName(*s), s->room_name, s->start});
                }
            }
            break;
        case ScanAction::kCheckOut: {
            out.kind = ScanKind::kCheckedOut;
            std::vector<AttendedSession> attended;
            for (const auto& m : marks_today) {
                if (const auto* s = find_session(m.session_id)) {
                    const bool closing_now =
                        std::find(decision.check_out.begin(), decision.check_out.end(),
                                  m.session_id) != decision.check_out.end();
                    attended.push_back({s->start, s->end, m.checked_in,
                                        closing_now ? std::optional<Instant>(now) : m.checked_out});
                }
            }
            out.attended_today = AttendedInWeek(attended, day_start, day_end, now);
            break;
        }
    }
    // Written after the commit and before the screen confirms: an operator (and the crash
    // test) can follow every saved scan. A person reference, never a name (PRIVACY.md).
    LogInfo("checkin", ConfirmedLine(decision, out.kind, person_ref));
    if (decision.action == ScanAction::kCheckIn || decision.action == ScanAction::kCheckOut) {
        WakeSync();  // committed with outbox rows: the sync thread pushes them now
    }
    if (m_show_first_name && out.kind != ScanKind::kSeeFrontDesk) {
        if (auto p = m_store.Clinic().Person(person_ref); p && p.value()) {
            out.first_name = p.value()->given;
        }
    }
    return out;
}

Status CheckinService::Apply(store::WriteTx& tx, const ScanDecision& d,
                             const std::string& person_ref, Instant now) {
    std::string detail;
    if (d.action == ScanAction::kCheckIn) {
        for (const auto& ci : d.check_in) {
            const std::string id = store::AttendanceIdentifier(ci.session_id, person_ref);
            if (auto s = m_store.Attendance().Insert(
                    tx, {id, ci.session_id, person_ref, now, std::nullopt, "scan", m_kiosk_id});
                !s) {
                return s;
            }
            if (auto s = m_store.Outbox().EnqueueEncounter(tx, id, now); !s) {
                return s;
            }
            detail += (detail.empty() ? "" : ",") + ci.session_id + (ci.late ? " late" : "");
        }
        return m_store.Audit().Append(tx, {now, m_kiosk_id, "check-in", person_ref, detail});
    }
    if (d.action == ScanAction::kCheckOut) {
        for (const auto& session_id : d.check_out) {
            const std::string id = store::AttendanceIdentifier(session_id, person_ref);
            if (auto s = m_store.Attendance().CheckOut(tx, id, now); !s) {
                return s;
            }
            if (auto s = m_store.Outbox().EnqueueEncounter(tx, id, now); !s) {
                return s;
            }
            detail += (detail.empty() ? "" : ",") + session_id;
        }
        return m_store.Audit().Append(tx, {now, m_kiosk_id, "check-out", person_ref, detail});
    }
    return Ok{};
}

Result<int> CheckinService::CloseEndedSessions(Instant now) {
    auto open = m_store.Attendance().OpenPastEnd(now);
    if (!open) {
        return open.error();
    }
    int closed = 0;
    for (const auto& open_row : open.value()) {
        const auto& row = open_row.first;  // not a structured binding: a lambda captures it
        const auto end = open_row.second;
        const Status s = m_store.Transaction([&](store::WriteTx& tx) -> Status {
            if (auto c = m_store.Attendance().CheckOut(tx, row.identifier, end); !c) {
                return c;
            }
            if (auto e = m_store.Outbox().EnqueueEncounter(tx, row.identifier, now); !e) {
                return e;
            }
            return m_store.Audit().Append(
                tx, {now, m_kiosk_id, "auto-check-out", row.person_ref, row.session_id});
        });
        if (!s) {
            return s.error();
        }
        ++closed;
    }
    if (closed > 0) {
        WakeSync();
    }
    return closed;
}

}  // namespace kiosk
