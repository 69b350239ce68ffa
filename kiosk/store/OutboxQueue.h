// The outbox: what waits to be sent to the clinic server, in order, and how its sending went.
// The app queues typed facts (one enqueue per OutboxKind) in the transaction of the change they
// report; the sync engine reads the due items back, with their facts, and marks progress.
#pragma once

#include <string>
#include <vector>

#include "kiosk/core/Result.h"
#include "kiosk/store/OutboxFacts.h"
#include "kiosk/store/Records.h"
#include "kiosk/store/WriteTx.h"

namespace kiosk::store {

struct Connection;
class Store;
struct RecoveryReport;

class OutboxQueue {
  public:
    explicit OutboxQueue(Connection& connection) : m_db(connection) {}
    OutboxQueue(const OutboxQueue&) = delete;
    OutboxQueue& operator=(const OutboxQueue&) = delete;

    // --- queueing (the app, in the transaction of the change) ----------------------------------
    /// A check-in or check-out: the pusher builds the Encounter from the attendance row
    /// `identifier` as it is when sent (or a withdrawal when the row is gone).
    Status EnqueueEncounter(WriteTx& tx, const std::string& identifier, Instant at);
    /// A manual change, about its attendance; queue it after that attendance's encounter item:
    /// items go out in order.
    Status EnqueueProvenance(WriteTx& tx, const ManualChangeFact& fact, Instant at);
    /// One resource of a referral, about its referral_id.
    Status EnqueueReferral(WriteTx& tx, const ReferralFact& fact, Instant at);
    /// A card issued or revoked, about its person (queue it in the transaction that changes the
    /// local credentials: ClinicCache::IssueCredential / EndCredentials).
    Status EnqueueCredential(WriteTx& tx, const CredentialFact& fact);

    // --- reading -------------------------------------------------------------------------------
    Result<std::vector<OutboxItem>> Items(const std::string& state, int limit);
    Result<OutboxSummary> Summary();
    /// The newest seq (0 when empty): the sync thread notices local changes by it.
    Result<long long> HighWater();
    /// Pending items due at `now` (their own backoff over), with seq > `after`, oldest first.
    Result<std::vector<OutboxItem>> Due(Instant now, long long after, int limit);
    /// Whether an item of `kind` about `subject` is still pending.
    Result<bool> PendingFor(OutboxKind kind, const std::string& subject);
    /// The fact a provenance, referral or credential item carries; kInvalidInput when it cannot be
    /// read.
    Result<ManualChangeFact> ManualChangeOf(long long seq);
    Result<ReferralFact> ReferralOf(long long seq);
    Result<CredentialFact> CredentialOf(long long seq);

    // --- sending progress (the sync engine; each its own transaction but MarkRejected) ---------
    /// Counts an attempt for each item *before* it is sent, so an item whose answer was lost (or
    /// whose kiosk crashed) is known to have maybe reached the server.
    Status MarkAttempted(const std::vector<long long>& seqs);
    Status MarkDelivered(const std::vector<long long>& seqs, Instant at);
    /// A failed send of one item: it waits until `next_try`; `blocked` parks it (shown to staff).
    Status NoteFailure(long long seq, const std::string& error, Instant next_try, bool blocked);
    /// Refused by the server for good: kept with its error (audit it in the same transaction).
    Status MarkRejected(WriteTx& tx, long long seq, const std::string& error);

  private:
    friend Status FinishRecovery(Store& store, const RecoveryReport& report, Instant now);
    /// Queues an item under its kind as stored: the typed enqueues, and FinishRecovery, which
    /// puts salvaged items back as they were, even of a kind this build does not know.
    Status Add(WriteTx& tx, const std::string& stored_kind, const std::string& subject,
               const std::string& payload, Instant at);
    Result<std::string> Payload(long long seq);
    Connection& m_db;
};

}  // namespace kiosk::store
