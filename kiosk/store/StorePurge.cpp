// PRIVACY.md 11: attendance the server has and that is older than the week is not kept. What
// a row needs to be purged: its session started before the cutoff and nothing about it still
// waits in the outbox (pending or refused items keep it, so nothing unsent is ever lost).
#include "kiosk/store/StoreImpl.h"

namespace kiosk::store {

Result<PurgeReport> Store::PurgeDelivered(Instant before) {
    return Guard("purge delivered attendance", [&]() -> Result<PurgeReport> {
        PurgeReport report;
        SQLite::Transaction tx(m_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        const auto cutoff = static_cast<int64_t>(Epoch(before));
        SQLite::Statement gone(
            m_impl->db,
            "DELETE FROM attendance WHERE session_id IN (SELECT id FROM session WHERE start_at < "
            "?) "
            "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.subject = attendance.identifier "
            "AND o.state <> 'delivered')");
        gone.bind(1, cutoff);
        report.attendance = gone.exec();
        // What only described those rows: their manual changes, the server's copies, and the
        // outbox items already delivered.
        SQLite::Statement changes(
            m_impl->db,
            "DELETE FROM attendance_change WHERE at < ? AND identifier NOT IN "
            "(SELECT identifier FROM attendance)");
        changes.bind(1, cutoff);
        report.changes = changes.exec();
        report.remotes = m_impl->db.exec(
            "DELETE FROM sync_remote WHERE resource_type = 'Encounter' AND identifier NOT IN "
            "(SELECT identifier FROM attendance)");
        SQLite::Statement outbox(m_impl->db,
                                 "DELETE FROM outbox WHERE state = 'delivered' AND created_at < ?");
        outbox.bind(1, cutoff);
        report.outbox = outbox.exec();
        tx.commit();
        return report;
    });
}

}  // namespace kiosk::store
