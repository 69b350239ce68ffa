// The clinic cache: sites, rooms, people with their card credentials, sessions with their
// enrolment, and family members' patients, as the sync engine pulls them from the clinic
// server; the reads check-in, the public schedule and the staff rosters need.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/core/Result.h"
#include "kiosk/core/SessionKind.h"
#include "kiosk/store/Records.h"
#include "kiosk/store/WriteTx.h"

namespace kiosk::store {

struct Connection;

class ClinicCache {
  public:
    explicit ClinicCache(Connection& connection) : m_db(connection) {}
    ClinicCache(const ClinicCache&) = delete;
    ClinicCache& operator=(const ClinicCache&) = delete;

    // --- writes from a pull (each its own transaction) -----------------------------------------
    /// Upserts everything in the batch (a person's credentials are kept as they are here while
    /// a card issued or revoked here still waits in the outbox), and decides in the same
    /// transaction which of its sessions are groups and whether a group's name may be shown
    /// (SessionKindDecision.h).
    Status Apply(const ClinicBatch& batch);
    /// The rules (config [sessions]) sessions are decided by from now on; the defaults until
    /// called. Decides every stored session again under them, so a changed config takes effect
    /// at once.
    Status UseSessionKindRules(const SessionKindRules& rules);
    /// After a full pull: sessions starting in [from, to) that the server no longer lists there
    /// are marked cancelled (attendance is kept).
    Status CancelSessionsNotIn(Instant from, Instant to, const std::vector<std::string>& seen);
    /// RelatedPerson ref -> its Patient ref.
    Status SaveRelatedPatients(const std::vector<std::pair<std::string, std::string>>& links);

    // --- people and cards ----------------------------------------------------------------------
    Result<std::optional<SiteRow>> Site(const std::string& id);
    Result<std::vector<std::string>> RoomIds(const std::string& site_id);
    Result<std::optional<PersonRow>> Person(const std::string& ref);
    /// The persons among `refs` that the store knows (credentials left empty).
    Result<std::vector<PersonRow>> PersonsByRef(const std::vector<std::string>& refs);
    Result<std::optional<CredentialRow>> FindCredential(const std::string& hash);
    Result<std::optional<std::string>> RelatedPatient(const std::string& related_ref);
    /// A card issued at this kiosk: every credential of the person still open at `at` ends
    /// then, and `hash` is theirs from then on (works at once, offline). Queue the server's
    /// copy in the same transaction (OutboxQueue::EnqueueCredential).
    Status IssueCredential(WriteTx& tx, const std::string& person_ref, const std::string& hash,
                           Instant at);
    /// How many credentials of the person work at `at` (the Cards page's "card works").
    Result<int> OpenCredentials(const std::string& person_ref, Instant at);
    /// A lost card: every credential of the person still open at `at` ends then. How many did.
    Result<int> EndCredentials(WriteTx& tx, const std::string& person_ref, Instant at);

    // --- sessions ------------------------------------------------------------------------------
    /// Sessions (not cancelled) the person is enrolled in that start in [from, to).
    Result<std::vector<SessionRow>> EnrolledSessions(const std::string& person_ref, Instant from,
                                                     Instant to);
    /// The public schedule: group sessions (not cancelled, not one-to-one) that start in
    /// [from, to), in start order, each with the name the lobby may show (LobbyGroupName).
    Result<std::vector<ScheduleEntry>> Schedule(Instant from, Instant to);
    Result<std::optional<SessionRow>> SessionById(const std::string& id);
    /// Sessions (not cancelled) starting in [from, to) with room name and enrolment, in start
    /// order.
    Result<std::vector<SessionRow>> SessionsWithEnrolment(Instant from, Instant to);

    // --- what a pull refreshes -----------------------------------------------------------------
    /// Everyone the sessions starting in [from, to) name, plus all staff.
    Result<std::vector<std::string>> PersonRefsInWindow(Instant from, Instant to);
    Result<std::vector<std::string>> SessionIdsInWindow(Instant from, Instant to);

  private:
    Connection& m_db;
    SessionKindRules m_session_kinds;
};

}  // namespace kiosk::store
