// Outbox order per Encounter: the encounter item first, then its provenance item (a
// store::ManualChangeFact), so the sync engine has the Encounter's server id when it sends the
// Provenance. An undo deletes the attendance row (a later real scan can check the person in
// again) and leaves the withdrawn check-in in attendance_change for the sync engine.
#include "kiosk/app/CorrectionService.h"

#include <algorithm>

#include "kiosk/core/Log.h"

namespace kiosk {
namespace {

std::string Joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) {
        out += (out.empty() ? "" : ",") + i;
    }
    return out;
}

}  // namespace

CorrectionService::CorrectionService(store::Store& store, const ClinicTime& time,
                                     CheckinWindows windows, std::string kiosk_id)
    : m_store(store), m_time(time), m_windows(windows), m_kiosk_id(std::move(kiosk_id)) {}

Status CorrectionService::Record(store::WriteTx& tx, const store::AttendanceRow& row,
                                 const ManualChange& change, const std::string& activity,
                                 Instant now, std::optional<Instant> withdrawn) {
    if (auto s = m_store.Outbox().EnqueueEncounter(tx, row.identifier, now); !s) {
        return s;
    }
    const store::ManualChangeFact fact{row.identifier,     change.staff_ref, activity,
                                       change.reason_text, m_kiosk_id,       now};
    if (auto s = m_store.Outbox().EnqueueProvenance(tx, fact, now); !s) {
        return s;
    }
    return m_store.Attendance().RecordChange(
        tx, {row.identifier, row.session_id, row.person_ref, activity, change.reason_code,
             change.reason_text, change.staff_ref, m_kiosk_id, now, withdrawn});
}

Result<ManualCheckIn> CorrectionService::CheckIn(const ManualChange& change, Instant now) {
    ManualCheckIn done{change.person_ref, change.session_id, {}};
    std::vector<std::string> detail;
    const Status saved = m_store.Transaction([&](store::WriteTx& tx) -> Status {
        auto sessions = m_store.Clinic().EnrolledSessions(change.person_ref, m_time.StartOfDay(now),
                                                          m_time.EndOfDay(now));
        if (!sessions) {
            return sessions.error();
        }
        auto marks = m_store.Attendance().ForPerson(change.person_ref, m_time.StartOfDay(now),
                                                    m_time.EndOfDay(now));
        if (!marks) {
            return marks.error();
        }
        std::vector<SessionSlot> slots;
        for (const auto& s : sessions.value()) {
            slots.push_back({s.id, s.start, s.end});
        }
        const std::vector<SessionSlot>* block = nullptr;
        const auto blocks = GroupIntoBlocks(slots, m_windows.block_gap);
        for (const auto& b : blocks) {
            if (std::any_of(b.begin(), b.end(),
                            [&](const SessionSlot& s) { return s.id == change.session_id; })) {
                block = &b;
            }
        }
        if (block == nullptr) {
            return MakeError(ErrorCode::kNotFound, change.person_ref + " is not enrolled in " +
                                                       change.session_id + " today");
        }
        auto has_mark = [&](const std::string& id) {
            return std::any_of(marks->begin(), marks->end(),
                               [&](const store::AttendanceRow& a) { return a.session_id == id; });
        };
        bool reached = false;
        for (const auto& s : *block) {
            reached = reached || s.id == change.session_id;
            if (!reached || now >= s.end || has_mark(s.id)) {
                if (s.id == change.session_id) {
                    return MakeError(ErrorCode::kConflict, change.person_ref +
                                                               " is already checked in to " + s.id +
                                                               ", or it has ended");
                }
                continue;
            }
            const store::AttendanceRow row{store::AttendanceIdentifier(s.id, change.person_ref),
                                           s.id,
                                           change.person_ref,
                                           now,
                                           std::nullopt,
                                           "manual",
                                           change.staff_ref};
            if (auto st = m_store.Attendance().Insert(tx, row); !st) {
                return st;
            }
            if (auto st = Record(tx, row, change, "check-in", now); !st) {
                return st;
            }
            done.identifiers.push_back(row.identifier);
            detail.push_back(s.id + (now > s.start + m_windows.late_after ? " late" : ""));
        }
        return m_store.Audit().Append(tx,
                                      {now, change.staff_ref, "manual-check-in", change.person_ref,
                                       Joined(detail) + "; reason: " + change.reason_text});
    });
    if (!saved) {
        return saved.error();
    }
    return done;
}

Result<int> CorrectionService::CheckOut(const ManualChange& change, Instant now) {
    int closed = 0;
    std::vector<std::string> detail;
    const Status saved = m_store.Transaction([&](store::WriteTx& tx) -> Status {
        auto sessions = m_store.Clinic().EnrolledSessions(change.person_ref, m_time.StartOfDay(now),
                                                          m_time.EndOfDay(now));
        if (!sessions) {
            return sessions.error();
        }
        auto marks = m_store.Attendance().ForPerson(change.person_ref, m_time.StartOfDay(now),
                                                    m_time.EndOfDay(now));
        if (!marks) {
            return marks.error();
        }
        std::vector<SessionSlot> slots;
        for (const auto& s : sessions.value()) {
            slots.push_back({s.id, s.start, s.end});
        }
        for (const auto& block : GroupIntoBlocks(slots, m_windows.block_gap)) {
            const bool here = std::any_of(block.begin(), block.end(), [&](const SessionSlot& s) {
                return s.id == change.session_id;
            });
            if (!here) {
                continue;
            }
            for (const auto& a : marks.value()) {
                const bool in_block =
                    std::any_of(block.begin(), block.end(),
                                [&](const SessionSlot& s) { return s.id == a.session_id; });
                if (!in_block || a.checked_out) {
                    continue;
                }
                if (auto st = m_store.Attendance().CheckOut(tx, a.identifier, now); !st) {
                    return st;
                }
                if (auto st = Record(tx, a, change, "check-out", now); !st) {
                    return st;
                }
                detail.push_back(a.session_id);
                ++closed;
            }
        }
        if (closed == 0) {
            return MakeError(ErrorCode::kConflict,
                             change.person_ref + " has no open check-in in " + change.session_id);
        }
        return m_store.Audit().Append(tx,
                                      {now, change.staff_ref, "manual-check-out", change.person_ref,
                                       Joined(detail) + "; reason: " + change.reason_text});
    });
    if (!saved) {
        return saved.error();
    }
    return closed;
}

Status CorrectionService::Undo(const ManualCheckIn& done, const std::string& staff_ref,
                               Instant now) {
    const ManualChange change{staff_ref, done.person_ref, done.session_id, "mistake",
                              "undo of a mistaken manual check-in"};
    return m_store.Transaction([&](store::WriteTx& tx) -> Status {
        std::vector<std::string> sessions;
        for (const auto& id : done.identifiers) {
            auto row = m_store.Attendance().ByIdentifier(id);
            if (!row) {
                return row.error();
            }
            if (!row.value()) {
                return MakeError(ErrorCode::kConflict, "check-in " + id.substr(0, 12) + " is gone");
            }
            if (auto s = m_store.Attendance().WithdrawManualCheckIn(tx, id, staff_ref); !s) {
                return s;
            }
            if (auto s = Record(tx, *row.value(), change, "undo", now, row.value()->checked_in);
                !s) {
                return s;
            }
            sessions.push_back(row.value()->session_id);
        }
        return m_store.Audit().Append(tx, {now, staff_ref, "manual-undo", done.person_ref,
                                           Joined(sessions) + "; reason: " + change.reason_text});
    });
}

}  // namespace kiosk
