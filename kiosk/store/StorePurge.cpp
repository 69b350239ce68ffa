// PRIVACY.md 11 and 16: what names a person is kept only while this week needs it. Attendance
// goes once the server has it and its session started before the cutoff; then the sessions,
// referrals, people and credentials that nothing kept still names. Anything that still waits in
// the outbox (pending, refused, blocked: every state but 'delivered') keeps what it needs, so
// nothing unsent is ever lost; staff keep their person row while they hold a role here.
#include "kiosk/store/Connection.h"
#include "kiosk/store/Store.h"

namespace kiosk::store {
namespace {

/// Runs a DELETE with the cutoff bound to every `?1`; the number of rows it removed.
int Delete(SQLite::Database& db, const char* sql, int64_t cutoff) {
    SQLite::Statement q(db, sql);
    if (q.getBindParameterCount() > 0) {
        q.bind(1, cutoff);
    }
    return q.exec();
}

/// Attendance, its manual changes and server copies, and delivered outbox items. An undone
/// check-in has no attendance row, and its manual changes tell the pusher what was withdrawn:
/// they stay while its item waits.
void PurgeAttendance(SQLite::Database& db, int64_t cutoff, PurgeReport& r) {
    r.attendance = Delete(db,
                          "DELETE FROM attendance WHERE session_id IN "
                          "(SELECT id FROM session WHERE start_at < ?1) "
                          "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.subject = "
                          "attendance.identifier AND o.state <> 'delivered')",
                          cutoff);
    r.changes = Delete(db,
                       "DELETE FROM attendance_change WHERE at < ?1 AND identifier NOT IN "
                       "(SELECT identifier FROM attendance) AND NOT EXISTS (SELECT 1 FROM outbox "
                       "o WHERE o.subject = attendance_change.identifier AND o.state <> "
                       "'delivered')",
                       cutoff);
    r.remotes = Delete(db,
                       "DELETE FROM sync_remote WHERE resource_type = 'Encounter' AND identifier "
                       "NOT IN (SELECT identifier FROM attendance)",
                       cutoff);
    r.outbox =
        Delete(db, "DELETE FROM outbox WHERE state = 'delivered' AND created_at < ?1", cutoff);
}

/// Referrals made before the cutoff, unless one of their ServiceRequests still waits or the
/// page is still printing; then sessions that started before it and keep no attendance.
void PurgeReferralsAndSessions(SQLite::Database& db, int64_t cutoff, PurgeReport& r) {
    // SQLite works out which rows a DELETE removes before it removes any, so a referral's
    // items go all together or not at all.
    Delete(db,
           "DELETE FROM referral_item WHERE referral_id IN (SELECT r.id FROM referral r "
           "WHERE r.created_at < ?1 AND r.print_state <> 'printing' AND NOT EXISTS "
           "(SELECT 1 FROM referral_item i JOIN outbox o ON o.subject = i.request_id "
           "WHERE i.referral_id = r.id AND o.state <> 'delivered'))",
           cutoff);
    r.referrals = Delete(db,
                         "DELETE FROM referral WHERE created_at < ?1 AND print_state <> "
                         "'printing' AND NOT EXISTS (SELECT 1 FROM referral_item i WHERE "
                         "i.referral_id = referral.id)",
                         cutoff);
    r.sessions = Delete(db,
                        "DELETE FROM session WHERE start_at < ?1 AND NOT EXISTS "
                        "(SELECT 1 FROM attendance a WHERE a.session_id = session.id) "
                        "AND NOT EXISTS (SELECT 1 FROM attendance_change c WHERE "
                        "c.session_id = session.id)",
                        cutoff);
    Delete(db, "DELETE FROM enrolment WHERE session_id NOT IN (SELECT id FROM session)", cutoff);
}

/// People nothing kept names, and what hangs off them. A kept person's ended (revoked) cards
/// stay with them: the server lists them too, and a revoked card used this week is audited as
/// such rather than as unknown.
void PurgePeople(SQLite::Database& db, int64_t cutoff, PurgeReport& r) {
    r.persons = Delete(db,
                       "DELETE FROM person WHERE "
                       "NOT EXISTS (SELECT 1 FROM staff_role s WHERE s.person_ref = person.ref) "
                       "AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.person_ref = "
                       "person.ref) "
                       "AND NOT EXISTS (SELECT 1 FROM session s WHERE s.facilitator_ref = "
                       "person.ref) "
                       "AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.person_ref = "
                       "person.ref) "
                       "AND NOT EXISTS (SELECT 1 FROM attendance_change c WHERE c.person_ref = "
                       "person.ref OR c.staff_ref = person.ref) "
                       "AND NOT EXISTS (SELECT 1 FROM referral f WHERE f.person_ref = person.ref "
                       "OR f.staff_ref = person.ref)",
                       cutoff);
    r.credentials = Delete(
        db, "DELETE FROM credential WHERE person_ref NOT IN (SELECT ref FROM person)", cutoff);
    for (const char* sql :
         {"DELETE FROM staff_pin WHERE person_ref NOT IN (SELECT ref FROM person) AND "
          "person_ref NOT IN (SELECT person_ref FROM staff_role)",
          "DELETE FROM staff_pin_lock WHERE person_ref NOT IN (SELECT ref FROM person) AND "
          "person_ref NOT IN (SELECT person_ref FROM staff_role)",
          "DELETE FROM related_person WHERE ref NOT IN (SELECT ref FROM person)"}) {
        Delete(db, sql, cutoff);
    }
}

}  // namespace

Result<PurgeReport> Store::PurgeDelivered(Instant before) {
    return Guard("purge what this week does not need", [&]() -> Result<PurgeReport> {
        PurgeReport report;
        SQLite::Transaction tx(m_connection->db, SQLite::TransactionBehavior::IMMEDIATE);
        const auto cutoff = static_cast<int64_t>(Epoch(before));
        PurgeAttendance(m_connection->db, cutoff, report);
        PurgeReferralsAndSessions(m_connection->db, cutoff, report);
        PurgePeople(m_connection->db, cutoff, report);
        tx.commit();
        return report;
    });
}

}  // namespace kiosk::store
