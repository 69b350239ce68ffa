// Private to kiosk/store: the one SQLite connection a Store and its parts share, the
// transactions that hand out WriteTx, and the guard that turns SQLite exceptions into Result
// values. Never included outside this folder.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <filesystem>
#include <functional>
#include <set>

#include "kiosk/store/Records.h"
#include "kiosk/store/WriteTx.h"

namespace kiosk::store {

struct Connection {
    explicit Connection(const std::filesystem::path& path)
        : db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX),
          file(path) {}
    SQLite::Database db;
    std::filesystem::path file;

    /// Runs `work` in one BEGIN IMMEDIATE transaction and commits only if it returns ok (the
    /// SQLite::Transaction's destructor rolls back otherwise). The only maker of WriteTx.
    Status Transaction(const std::function<Status(WriteTx&)>& work);
};

/// The Error for a failed database call, in words an operator can act on.
Error StorageError(const std::string& what, const std::exception& e, int sqlite_code);

/// Runs `f` and converts any exception into a kStorage Error naming `what`.
template <class F>
auto Guard(const std::string& what, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const SQLite::Exception& e) {
        return StorageError(what, e, e.getErrorCode());
    } catch (const std::exception& e) {
        return StorageError(what, e, SQLITE_ERROR);
    }
}

inline Instant AsInstant(const SQLite::Column& c) {
    return Instant{Seconds{c.getInt64()}};
}
inline std::optional<Instant> AsOptInstant(const SQLite::Column& c) {
    if (c.isNull()) {
        return std::nullopt;
    }
    return AsInstant(c);
}
inline long long Epoch(Instant t) {
    return t.time_since_epoch().count();
}

inline void BindTime(SQLite::Statement& q, int index, Instant t) {
    q.bind(index, static_cast<int64_t>(Epoch(t)));
}
inline void BindTime(SQLite::Statement& q, int index, const std::optional<Instant>& t) {
    if (t) {
        q.bind(index, static_cast<int64_t>(Epoch(*t)));
    } else {
        q.bind(index);
    }
}

/// The rows of a query's first column.
inline std::vector<std::string> Strings(SQLite::Statement& q) {
    std::vector<std::string> out;
    while (q.executeStep()) {
        out.push_back(q.getColumn(0).getString());
    }
    return out;
}

/// An attendance row from columns identifier, session_id, person_ref, checked_in_at,
/// checked_out_at, source, recorded_by (in that order, from column 0).
inline AttendanceRow ReadAttendance(SQLite::Statement& q) {
    AttendanceRow a;
    a.identifier = q.getColumn(0).getString();
    a.session_id = q.getColumn(1).getString();
    a.person_ref = q.getColumn(2).getString();
    a.checked_in = AsInstant(q.getColumn(3));
    a.checked_out = AsOptInstant(q.getColumn(4));
    a.source = q.getColumn(5).getString();
    a.recorded_by = q.getColumn(6).getString();
    return a;
}

/// The columns ReadSession reads, for a query over `session s LEFT JOIN room r`.
inline constexpr const char* kSessionColumns =
    "s.id, s.group_name, coalesce(s.room_id, ''), coalesce(s.facilitator_ref, ''), s.start_at, "
    "s.end_at, s.status, coalesce(r.name, ''), s.kind, s.name_withheld";

/// A session row from kSessionColumns (from column 0); enrolment and codes are read separately.
inline SessionRow ReadSession(SQLite::Statement& q) {
    SessionRow s;
    s.id = q.getColumn(0).getString();
    s.group_name = q.getColumn(1).getString();
    s.room_id = q.getColumn(2).getString();
    s.facilitator_ref = q.getColumn(3).getString();
    s.start = AsInstant(q.getColumn(4));
    s.end = AsInstant(q.getColumn(5));
    s.status = q.getColumn(6).getString();
    s.room_name = q.getColumn(7).getString();
    s.kind = q.getColumn(8).getString() == SessionKindName(SessionKind::kGroup)
                 ? SessionKind::kGroup
                 : SessionKind::kIndividual;
    s.name_withheld = q.getColumn(9).getInt() != 0;
    return s;
}

/// Outbox columns in the order OutboxQueue reads them.
inline constexpr const char* kOutboxColumns =
    "seq, kind, subject, created_at, state, attempts, coalesce(last_error, ''), failures, blocked";

/// The outbox at a glance (OutboxQueue::Summary and the health check share it). The health
/// check reads databases it never migrates: before 006 there is no per-item retry state.
inline OutboxSummary ReadOutboxSummary(SQLite::Database& db, bool has_retry_columns = true) {
    const std::string blocked = has_retry_columns ? "blocked" : "0";
    const std::string failures = has_retry_columns ? "failures" : "0";
    SQLite::Statement q(
        db,
        "SELECT count(*) FILTER (WHERE state = 'pending'), "
        "count(*) FILTER (WHERE state = 'rejected'), "
        "min(created_at) FILTER (WHERE state = 'pending'), "
        "count(*) FILTER (WHERE state = 'pending' AND " +
            blocked +
            "), "
            "count(*) FILTER (WHERE state = 'pending' AND " +
            failures + " > 0 AND NOT " + blocked +
            "), "
            "(SELECT coalesce(last_error, '') FROM outbox WHERE state = 'pending' AND " +
            blocked + " ORDER BY seq DESC LIMIT 1) FROM outbox");
    q.executeStep();
    return OutboxSummary{q.getColumn(0).getInt64(),
                         q.getColumn(1).getInt64(),
                         AsOptInstant(q.getColumn(2)),
                         q.getColumn(3).getInt64(),
                         q.getColumn(4).getInt64(),
                         q.getColumn(5).isNull() ? std::string() : q.getColumn(5).getString()};
}

}  // namespace kiosk::store
