// The clinic cache: upserts from FHIR (idempotent, so re-applying a page is harmless) and the
// reads check-in, the public schedule, the rosters and the sync engine's pulls need.
#include "kiosk/store/ClinicCache.h"

#include <set>

#include "kiosk/store/Connection.h"
#include "kiosk/store/SessionKindDecision.h"

namespace kiosk::store {
namespace {

/// A person (credentials left empty) from columns ref, given, family, cohort.
PersonRow ReadPerson(SQLite::Statement& q) {
    PersonRow p;
    p.ref = q.getColumn(0).getString();
    p.given = q.getColumn(1).getString();
    p.family = q.getColumn(2).getString();
    if (!q.getColumn(3).isNull()) {
        p.cohort = q.getColumn(3).getString();
    }
    return p;
}

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
    // A card issued or revoked here that the server has not taken yet: the server's list is
    // older than ours, so ours stays until the outbox item is through.
    SQLite::Statement waiting(db,
                              "SELECT 1 FROM outbox WHERE kind = 'credential' AND subject = ? "
                              "AND state = 'pending' LIMIT 1");
    waiting.bind(1, p.ref);
    if (waiting.executeStep()) {
        return;
    }
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

Status ClinicCache::Apply(const ClinicBatch& batch) {
    return Guard("save clinic data", [&]() -> Status {
        SQLite::Database& db = m_db.db;
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
        if (auto decided = DecideSessionsAfter(db, m_session_kinds, batch); !decided) {
            return decided;
        }
        tx.commit();
        return Ok{};
    });
}

Result<std::optional<SiteRow>> ClinicCache::Site(const std::string& id) {
    return Guard("read site", [&]() -> Result<std::optional<SiteRow>> {
        SQLite::Statement q(m_db.db,
                            "SELECT id, name, coalesce(timezone, '') FROM site WHERE id = ?");
        q.bind(1, id);
        if (!q.executeStep()) {
            return std::optional<SiteRow>();
        }
        return std::optional<SiteRow>(SiteRow{
            q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString()});
    });
}

Result<std::optional<PersonRow>> ClinicCache::Person(const std::string& ref) {
    return Guard("read person", [&]() -> Result<std::optional<PersonRow>> {
        SQLite::Statement q(m_db.db, "SELECT ref, given, family, cohort FROM person WHERE ref = ?");
        q.bind(1, ref);
        if (!q.executeStep()) {
            return std::optional<PersonRow>();
        }
        return std::optional<PersonRow>(ReadPerson(q));
    });
}

Result<std::optional<CredentialRow>> ClinicCache::FindCredential(const std::string& hash) {
    return Guard("look up card", [&]() -> Result<std::optional<CredentialRow>> {
        SQLite::Statement q(m_db.db,
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

Result<int> ClinicCache::OpenCredentials(const std::string& person_ref, Instant at) {
    return Guard("read cards", [&]() -> Result<int> {
        SQLite::Statement q(m_db.db,
                            "SELECT count(*) FROM credential WHERE person_ref = ? AND "
                            "(valid_until IS NULL OR valid_until > ?) AND "
                            "(valid_from IS NULL OR valid_from <= ?)");
        q.bind(1, person_ref);
        BindTime(q, 2, at);
        BindTime(q, 3, at);
        q.executeStep();
        return q.getColumn(0).getInt();
    });
}

Result<int> ClinicCache::EndCredentials(WriteTx&, const std::string& person_ref, Instant at) {
    return Guard("end cards", [&]() -> Result<int> {
        SQLite::Statement q(m_db.db,
                            "UPDATE credential SET valid_until = ? WHERE person_ref = ? AND "
                            "(valid_until IS NULL OR valid_until > ?)");
        BindTime(q, 1, at);
        q.bind(2, person_ref);
        BindTime(q, 3, at);
        return q.exec();
    });
}

Status ClinicCache::IssueCredential(WriteTx& tx, const std::string& person_ref,
                                    const std::string& hash, Instant at) {
    if (auto ended = EndCredentials(tx, person_ref, at); !ended) {
        return ended.error();
    }
    return Guard("issue card", [&]() -> Status {
        SQLite::Statement q(m_db.db,
                            "INSERT INTO credential (hash, person_ref, valid_from, valid_until) "
                            "VALUES (?, ?, NULL, NULL)");
        q.bind(1, hash);
        q.bind(2, person_ref);
        q.exec();
        return Ok{};
    });
}

Result<std::vector<SessionRow>> ClinicCache::EnrolledSessions(const std::string& person_ref,
                                                              Instant from, Instant to) {
    return Guard("read sessions", [&]() -> Result<std::vector<SessionRow>> {
        SQLite::Statement q(m_db.db,
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

Result<std::vector<ScheduleEntry>> ClinicCache::Schedule(Instant from, Instant to) {
    return Guard("read schedule", [&]() -> Result<std::vector<ScheduleEntry>> {
        SQLite::Statement q(m_db.db,
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

Status ClinicCache::UseSessionKindRules(const SessionKindRules& rules) {
    m_session_kinds = rules;  // for every later Apply, even if the rest fails
    return m_db.Transaction([&](WriteTx&) { return DecideAllSessions(m_db.db, m_session_kinds); });
}

Status ClinicCache::CancelSessionsNotIn(Instant from, Instant to,
                                        const std::vector<std::string>& seen) {
    return m_db.Transaction([&](WriteTx&) -> Status {
        const std::set<std::string> keep(seen.begin(), seen.end());
        SQLite::Statement q(m_db.db,
                            "SELECT id FROM session WHERE start_at >= ? AND start_at < ? "
                            "AND status <> 'cancelled'");
        BindTime(q, 1, from);
        BindTime(q, 2, to);
        std::vector<std::string> gone;
        for (auto& id : Strings(q)) {
            if (keep.count(id) == 0) {
                gone.push_back(std::move(id));
            }
        }
        SQLite::Statement upd(m_db.db, "UPDATE session SET status = 'cancelled' WHERE id = ?");
        for (const auto& id : gone) {
            upd.bind(1, id);
            upd.exec();
            upd.reset();
        }
        return Ok{};
    });
}

Status ClinicCache::SaveRelatedPatients(
    const std::vector<std::pair<std::string, std::string>>& links) {
    if (links.empty()) {
        return Ok{};
    }
    return m_db.Transaction([&](WriteTx&) -> Status {
        SQLite::Statement q(m_db.db,
                            "INSERT INTO related_person (ref, patient_ref) VALUES (?, ?) "
                            "ON CONFLICT (ref) DO UPDATE SET patient_ref = excluded.patient_ref");
        for (const auto& [ref, patient] : links) {
            q.bind(1, ref);
            q.bind(2, patient);
            q.exec();
            q.reset();
        }
        return Ok{};
    });
}

Result<std::optional<std::string>> ClinicCache::RelatedPatient(const std::string& related_ref) {
    return Guard("read family member", [&]() -> Result<std::optional<std::string>> {
        SQLite::Statement q(m_db.db, "SELECT patient_ref FROM related_person WHERE ref = ?");
        q.bind(1, related_ref);
        if (!q.executeStep()) {
            return std::optional<std::string>();
        }
        return std::optional<std::string>(q.getColumn(0).getString());
    });
}

Result<std::optional<SessionRow>> ClinicCache::SessionById(const std::string& id) {
    return Guard("read session", [&]() -> Result<std::optional<SessionRow>> {
        SQLite::Statement q(m_db.db, std::string("SELECT ") + kSessionColumns +
                                         " FROM session s LEFT JOIN room r ON r.id = s.room_id "
                                         "WHERE s.id = ?");
        q.bind(1, id);
        if (!q.executeStep()) {
            return std::optional<SessionRow>();
        }
        SessionRow s = ReadSession(q);
        SQLite::Statement e(
            m_db.db, "SELECT person_ref FROM enrolment WHERE session_id = ? ORDER BY person_ref");
        e.bind(1, id);
        s.enrolled = Strings(e);
        return std::optional<SessionRow>(std::move(s));
    });
}

Result<std::vector<std::string>> ClinicCache::PersonRefsInWindow(Instant from, Instant to) {
    return Guard("read people to refresh", [&]() -> Result<std::vector<std::string>> {
        SQLite::Statement q(
            m_db.db,
            "SELECT e.person_ref FROM enrolment e JOIN session s ON s.id = e.session_id "
            "WHERE s.start_at >= ?1 AND s.start_at < ?2 "
            "UNION SELECT facilitator_ref FROM session WHERE start_at >= ?1 AND "
            "start_at < ?2 AND coalesce(facilitator_ref, '') <> '' "
            "UNION SELECT person_ref FROM staff_role "
            "UNION SELECT person_ref FROM staff_pin ORDER BY 1");
        BindTime(q, 1, from);
        BindTime(q, 2, to);
        return Strings(q);
    });
}

Result<std::vector<std::string>> ClinicCache::SessionIdsInWindow(Instant from, Instant to) {
    return Guard("read sessions", [&]() -> Result<std::vector<std::string>> {
        SQLite::Statement q(
            m_db.db, "SELECT id FROM session WHERE start_at >= ? AND start_at < ? ORDER BY id");
        BindTime(q, 1, from);
        BindTime(q, 2, to);
        return Strings(q);
    });
}

Result<std::vector<std::string>> ClinicCache::RoomIds(const std::string& site_id) {
    return Guard("read rooms", [&]() -> Result<std::vector<std::string>> {
        SQLite::Statement q(m_db.db, "SELECT id FROM room WHERE site_id = ? ORDER BY id");
        q.bind(1, site_id);
        return Strings(q);
    });
}

Result<std::vector<SessionRow>> ClinicCache::SessionsWithEnrolment(Instant from, Instant to) {
    return Guard("read sessions", [&]() -> Result<std::vector<SessionRow>> {
        SQLite::Statement q(m_db.db, std::string("SELECT ") + kSessionColumns +
                                         " FROM session s LEFT JOIN room r ON r.id = s.room_id "
                                         "WHERE s.start_at >= ? AND s.start_at < ? "
                                         "AND s.status NOT IN ('cancelled', 'entered-in-error') "
                                         "ORDER BY s.start_at, s.group_name, s.id");
        q.bind(1, static_cast<int64_t>(Epoch(from)));
        q.bind(2, static_cast<int64_t>(Epoch(to)));
        std::vector<SessionRow> out;
        while (q.executeStep()) {
            out.push_back(ReadSession(q));
        }
        SQLite::Statement e(
            m_db.db, "SELECT person_ref FROM enrolment WHERE session_id = ? ORDER BY person_ref");
        for (auto& s : out) {
            e.reset();
            e.bind(1, s.id);
            while (e.executeStep()) {
                s.enrolled.push_back(e.getColumn(0).getString());
            }
        }
        return out;
    });
}

Result<std::vector<PersonRow>> ClinicCache::PersonsByRef(const std::vector<std::string>& refs) {
    return Guard("read persons", [&]() -> Result<std::vector<PersonRow>> {
        SQLite::Statement q(m_db.db, "SELECT ref, given, family, cohort FROM person WHERE ref = ?");
        std::vector<PersonRow> out;
        for (const auto& ref : refs) {
            q.reset();
            q.bind(1, ref);
            if (!q.executeStep()) {
                continue;
            }
            out.push_back(ReadPerson(q));
        }
        return out;
    });
}

}  // namespace kiosk::store
