// The clinic cache: upserts from FHIR (idempotent, so re-applying a page is harmless) and the
// reads check-in and the public schedule need.
#include "kiosk/store/StoreImpl.h"

namespace kiosk::store {
namespace {

void UpsertPerson(SQLite::Database& db, const PersonRow& p) {
    SQLite::Statement q(db,
                        "INSERT INTO person (ref, given, family, cohort) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (ref) DO UPDATE SET given = excluded.given, "
                        "family = excluded.family, cohort = excluded.cohort");
    q.bind(1, p.ref);
    q.bind(2, p.given);
    q.bind(3, p.family);
    if (p.cohort) {
        q.bind(4, *p.cohort);
    } else {
        q.bind(4);
    }
    q.exec();
    SQLite::Statement del(db, "DELETE FROM credential WHERE person_ref = ?");
    del.bind(1, p.ref);
    del.exec();
    for (const auto& c : p.credentials) {
        SQLite::Statement ins(db,
                              "INSERT INTO credential (hash, person_ref, valid_from, valid_until) "
                              "VALUES (?, ?, ?, ?) ON CONFLICT (hash) DO UPDATE SET "
                              "person_ref = excluded.person_ref, valid_from = excluded.valid_from, "
                              "valid_until = excluded.valid_until");
        ins.bind(1, c.hash);
        ins.bind(2, p.ref);
        BindTime(ins, 3, c.valid_from);
        BindTime(ins, 4, c.valid_until);
        ins.exec();
    }
}

void UpsertStaff(SQLite::Database& db, const StaffRow& s) {
    if (s.roles) {
        SQLite::Statement del(db, "DELETE FROM staff_role WHERE person_ref = ?");
        del.bind(1, s.person_ref);
        del.exec();
        for (const auto& role : *s.roles) {
            SQLite::Statement ins(
                db, "INSERT OR IGNORE INTO staff_role (person_ref, role) VALUES (?, ?)");
            ins.bind(1, s.person_ref);
            ins.bind(2, role);
            ins.exec();
        }
    }
    if (!s.pin_verifier) {
        return;
    }
    SQLite::Statement pin(
        db, s.pin_verifier->empty()
                ? "DELETE FROM staff_pin WHERE person_ref = ?"
                : "INSERT INTO staff_pin (person_ref, verifier) VALUES (?, ?) "
                  "ON CONFLICT (person_ref) DO UPDATE SET verifier = excluded.verifier");
    pin.bind(1, s.person_ref);
    if (!s.pin_verifier->empty()) {
        pin.bind(2, *s.pin_verifier);
    }
    pin.exec();
}

// kind and name_withheld are left to DecideSessionsAfter, in the same transaction.
void UpsertSession(SQLite::Database& db, const SessionRow& s) {
    SQLite::Statement q(
        db,
        "INSERT INTO session (id, group_name, room_id, facilitator_ref, start_at, "
        "end_at, status, codes) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
        "group_name = excluded.group_name, room_id = excluded.room_id, "
        "facilitator_ref = excluded.facilitator_ref, start_at = excluded.start_at, "
        "end_at = excluded.end_at, status = excluded.status, codes = excluded.codes");
    q.bind(1, s.id);
    q.bind(2, s.group_name);
    q.bind(3, s.room_id);
    q.bind(4, s.facilitator_ref);
    q.bind(5, static_cast<int64_t>(Epoch(s.start)));
    q.bind(6, static_cast<int64_t>(Epoch(s.end)));
    q.bind(7, s.status);
    q.bind(8, JoinCodes(s.codes));
    q.exec();
    SQLite::Statement del(db, "DELETE FROM enrolment WHERE session_id = ?");
    del.bind(1, s.id);
    del.exec();
    for (const auto& ref : s.enrolled) {
        SQLite::Statement ins(
            db, "INSERT OR IGNORE INTO enrolment (session_id, person_ref) VALUES (?, ?)");
        ins.bind(1, s.id);
        ins.bind(2, ref);
        ins.exec();
    }
}

// A server Encounter never overwrites a local row that is further along (checked out here but
// not yet delivered): the later state wins, and check-out times only move from empty to set.
void UpsertServerAttendance(SQLite::Database& db, const AttendanceRow& a) {
    SQLite::Statement q(
        db,
        "INSERT INTO attendance (identifier, session_id, person_ref, checked_in_at, "
        "checked_out_at, source, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (identifier) DO UPDATE SET "
        "checked_in_at = min(checked_in_at, excluded.checked_in_at), "
        "checked_out_at = coalesce(checked_out_at, excluded.checked_out_at)");
    q.bind(1, a.identifier);
    q.bind(2, a.session_id);
    q.bind(3, a.person_ref);
    q.bind(4, static_cast<int64_t>(Epoch(a.checked_in)));
    BindTime(q, 5, a.checked_out);
    q.bind(6, a.source);
    q.bind(7, a.recorded_by);
    q.exec();
}

}  // namespace

Status Store::ApplyClinic(const ClinicBatch& batch) {
    return Guard("save clinic data", [&]() -> Status {
        SQLite::Database& db = m_impl->db;
        SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
        for (const auto& s : batch.sites) {
            SQLite::Statement q(
                db,
                "INSERT INTO site (id, name, timezone) VALUES (?, ?, ?) ON CONFLICT "
                "(id) DO UPDATE SET name = excluded.name, timezone = excluded.timezone");
            q.bind(1, s.id);
            q.bind(2, s.name);
            q.bind(3, s.timezone);
            q.exec();
        }
        for (const auto& r : batch.rooms) {
            SQLite::Statement q(
                db,
                "INSERT INTO room (id, site_id, name) VALUES (?, ?, ?) ON CONFLICT "
                "(id) DO UPDATE SET site_id = excluded.site_id, name = excluded.name");
            q.bind(1, r.id);
            q.bind(2, r.site_id);
            q.bind(3, r.name);
            q.exec();
        }
        for (const auto& p : batch.persons) {
            UpsertPerson(db, p);
        }
        // After the people: a record that could not be read takes every card of its person
        // away, even one the same batch re-read (revocation fails closed).
        for (const auto& ref : batch.unreadable) {
            SQLite::Statement del(db, "DELETE FROM credential WHERE person_ref = ?");
            del.bind(1, ref);
            del.exec();
        }
        for (const auto& s : batch.staff) {
            UpsertStaff(db, s);
        }
        for (const auto& s : batch.sessions) {
            UpsertSession(db, s);
        }
        for (const auto& a : batch.attendance) {
            UpsertServerAttendance(db, a);
        }
        if (auto decided = DecideSessionsAfter(*m_impl, batch); !decided) {
            return decided;
        }
        tx.commit();
        return Ok{};
    });
}

Result<std::optional<SiteRow>> Store::Site(const std::string& id) {
    return Guard("read site", [&]() -> Result<std::optional<SiteRow>> {
        SQLite::Statement q(m_impl->db,
                            "SELECT id, name, coalesce(timezone, '') FROM site WHERE id = ?");
        q.bind(1, id);
        if (!q.executeStep()) {
            return std::optional<SiteRow>();
        }
        return std::optional<SiteRow>(SiteRow{
            q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString()});
    });
}

Result<std::optional<PersonRow>> Store::Person(const std::string& ref) {
    return Guard("read person", [&]() -> Result<std::optional<PersonRow>> {
        SQLite::Statement q(m_impl->db,
                            "SELECT ref, given, family, cohort FROM person WHERE ref = ?");
        q.bind(1, ref);
        if (!q.executeStep()) {
            return std::optional<PersonRow>();
        }
        PersonRow p;
        p.ref = q.getColumn(0).getString();
        p.given = q.getColumn(1).getString();
        p.family = q.getColumn(2).getString();
        if (!q.getColumn(3).isNull()) {
            p.cohort = q.getColumn(3).getString();
        }
        return std::optional<PersonRow>(std::move(p));
    });
}

Result<std::optional<CredentialRow>> Store::FindCredential(const std::string& hash) {
    return Guard("look up card", [&]() -> Result<std::optional<CredentialRow>> {
        SQLite::Statement q(m_impl->db,
                            "SELECT hash, person_ref, valid_from, valid_until FROM credential "
                            "WHERE hash = ?");
        q.bind(1, hash);
        if (!q.executeStep()) {
            return std::optional<CredentialRow>();
        }
        return std::optional<CredentialRow>(
            CredentialRow{q.getColumn(0).getString(), q.getColumn(1).getString(),
                          AsOptInstant(q.getColumn(2)), AsOptInstant(q.getColumn(3))});
    });
}

Result<std::vector<SessionRow>> Store::EnrolledSessions(const std::string& person_ref, Instant from,
                                                        Instant to) {
    return Guard("read sessions", [&]() -> Result<std::vector<SessionRow>> {
        SQLite::Statement q(m_impl->db,
                            std::string("SELECT ") + kSessionColumns +
                                " FROM enrolment e JOIN session s ON s.id = e.session_id "
                                "LEFT JOIN room r ON r.id = s.room_id "
                                "WHERE e.person_ref = ? AND s.start_at >= ? AND s.start_at < ? "
                                "AND s.status NOT IN ('cancelled', 'entered-in-error') "
                                "ORDER BY s.start_at, s.id");
        q.bind(1, person_ref);
        q.bind(2, static_cast<int64_t>(Epoch(from)));
        q.bind(3, static_cast<int64_t>(Epoch(to)));
        std::vector<SessionRow> out;
        while (q.executeStep()) {
            out.push_back(ReadSession(q));
        }
        return out;
    });
}

Result<std::vector<ScheduleEntry>> Store::Schedule(Instant from, Instant to) {
    return Guard("read schedule", [&]() -> Result<std::vector<ScheduleEntry>> {
        SQLite::Statement q(m_impl->db,
                            std::string("SELECT ") + kSessionColumns +
                                " FROM session s LEFT JOIN room r ON r.id = s.room_id "
                                "WHERE s.start_at >= ? AND s.start_at < ? AND s.kind = 'group' "
                                "AND s.status NOT IN ('cancelled', 'entered-in-error') "
                                "ORDER BY s.start_at, s.group_name");
        q.bind(1, static_cast<int64_t>(Epoch(from)));
        q.bind(2, static_cast<int64_t>(Epoch(to)));
        std::vector<ScheduleEntry> out;
        while (q.executeStep()) {
            const SessionRow s = ReadSession(q);
            out.push_back(ScheduleEntry{s.id, LobbyGroupName(s), s.room_name, s.start, s.end});
        }
        return out;
    });
}

}  // namespace kiosk::store
