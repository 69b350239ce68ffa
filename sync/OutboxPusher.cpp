// Why this is exactly once:
//  * identity: every write carries the kiosk's own identifier (FHIR.md) and goes out as a
//    conditional create, so a resend finds the resource instead of making a second one, at this
//    kiosk or another one that recorded the same person for the same session;
//  * idempotent content: an Encounter is always merged (EncounterWrite.h: monotone), so sending
//    the same state twice, or two kiosks' states in either order, ends in the same resource;
//  * updates use If-Match: a lost answer followed by a resend gets 412, re-reads and finds its
//    own change already there;
//  * the outbox row leaves 'pending' only after the server's answer has been read; its attempt
//    is counted before sending, so after a lost answer or a crash the next try searches by
//    identifier first instead of trusting what it last knew.
#include "sync/OutboxPusher.h"
#include "sync/JsonText.h"

#include "kiosk/core/Backoff.h"
#include "kiosk/core/Iso8601.h"
#include "kiosk/core/Log.h"
#include "sync/CredentialWrite.h"
#include "sync/EncounterWrite.h"
#include "sync/FhirMapping.h"
#include "sync/OutboxPayloads.h"
#include "sync/SearchCheck.h"

namespace kiosk::sync {
namespace {

using nlohmann::json;

constexpr int kBatch = 20;
constexpr const char* kWithdrawnState = "withdrawn";
/// An item the server refuses this kiosk (403/404/405) is tried again this often.
constexpr std::chrono::hours kBlockedRetry{1};

/// One item's wait after its `failures`-th failure in a row: 30 s doubling to 30 min, without
/// jitter (the round it joins is jittered already).
std::chrono::seconds ItemRetryWait(int failures) {
    return std::chrono::duration_cast<std::chrono::seconds>(
        Backoff::Doubled(std::chrono::seconds{30}, std::chrono::minutes{30}, failures));
}
/// Items failing in a row with 5xx before the round ends and the engine backs off.
constexpr int kServerFailuresToStop = 3;

std::string Truncate(std::string text, size_t max) {
    if (text.size() > max) {
        text.resize(max);
        text += "...";
    }
    return text;
}

std::string Identifier8(const std::string& identifier) {
    return identifier.substr(0, 8);
}

}  // namespace

OutboxPusher::OutboxPusher(store::Store& store, FhirClient& client, const Clock& clock,
                           std::string kiosk_id)
    : m_store(store), m_client(client), m_clock(clock), m_kiosk_id(std::move(kiosk_id)) {}

Result<PushReport> OutboxPusher::PushAll(const std::atomic<bool>* stop, bool all_now) {
    PushReport report;
    long long after = 0;      // each item is tried at most once a round
    int server_failures = 0;  // 5xx answers in a row
    for (;;) {
        // "All now" (kiosk sync --once): every pending item, whatever its own backoff says.
        const Instant due = all_now ? Instant::max() : m_clock.Now();
        auto items = m_store.Outbox().Due(due, after, kBatch);
        if (!items) {
            return items.error();
        }
        if (items->empty()) {
            return report;
        }
        std::vector<long long> seqs;
        for (const auto& item : items.value()) {
            seqs.push_back(item.seq);
        }
        if (auto s = m_store.Outbox().MarkAttempted(seqs); !s) {
            return s.error();
        }
        if (after == 0) {  // tests/bench/push_latency.py times commit to this line
            LogDebug("sync", "pushing " + std::to_string(items->size()) + " outbox item(s)");
        }
        std::vector<long long> delivered;
        auto flush = [&]() -> Status {
            auto s = m_store.Outbox().MarkDelivered(delivered, m_clock.Now());
            delivered.clear();
            return s;
        };
        for (const auto& item : items.value()) {
            after = item.seq;
            if (stop != nullptr && stop->load()) {
                if (auto s = flush(); !s) {
                    return s.error();
                }
                return report;
            }
            auto verdict = PushItem(item);
            if (!verdict) {
                if (auto s = flush(); !s) {
                    return s.error();
                }
                if (auto s = Fail(item, verdict.error(), server_failures, report); !s) {
                    return s.error();
                }
                continue;
            }
            server_failures = 0;
            if (!verdict->rejection.empty()) {
                if (auto s = flush(); !s) {
                    return s.error();
                }
                if (auto s = Reject(item, verdict->rejection, report); !s) {
                    return s.error();
                }
                continue;
            }
            delivered.push_back(item.seq);
            ++report.delivered;
            report.unchanged += verdict->unchanged ? 1 : 0;
        }
        if (auto s = flush(); !s) {
            return s.error();
        }
    }
}

Status OutboxPusher::Reject(const store::OutboxItem& item, const std::string& rejection,
                            PushReport& report) {
    const std::string why = Truncate(rejection, 600);
    LogWarn("sync", "outbox item " + std::to_string(item.seq) + " (" + item.stored_kind + " " +
                        Identifier8(item.subject) + ") refused by the server for good: " + why);
    auto s = m_store.Transaction([&](store::WriteTx& tx) -> Status {
        if (auto marked = m_store.Outbox().MarkRejected(tx, item.seq, why); !marked) {
            return marked;
        }
        return m_store.Audit().Append(tx, {m_clock.Now(), m_kiosk_id, "sync-rejected", item.subject,
                                           item.stored_kind + ": " + why});
    });
    if (!s) {
        return s;
    }
    ++report.rejected;
    report.last_rejection = why;
    return Ok{};
}

Status OutboxPusher::Fail(const store::OutboxItem& item, const Error& error, int& server_failures,
                          PushReport& report) {
    // What the failure says about the server decides whether the round goes on (issue 12: one
    // item never holds the others back). The round stops only when nothing else could get
    // through either: no answer at all, credentials refused, a server asking to be left alone,
    // a broken local store, or several items in a row failing on the server's side.
    const int status = m_client.LastStatus();
    const bool unreachable = error.code == ErrorCode::kNetwork && status == 0;
    if (error.code == ErrorCode::kStorage || error.code == ErrorCode::kInternal || unreachable ||
        status == 401 || status == 407 || m_client.RetryAfterHint()) {
        return error;
    }
    const bool blocked = error.code == ErrorCode::kConfig || error.code == ErrorCode::kNotFound ||
                         status == 403 || status == 404 || status == 405;
    const Instant next = m_clock.Now() + (blocked ? kBlockedRetry : ItemRetryWait(item.failures));
    const std::string why = Truncate(error.log, 600);
    if (auto s = m_store.Outbox().NoteFailure(item.seq, why, next, blocked); !s) {
        return s;
    }
    LogWarn("sync", "outbox item " + std::to_string(item.seq) + " (" + item.stored_kind + " " +
                        Identifier8(item.subject) + ") " +
                        (blocked ? "held back: the server does not take it from this kiosk: "
                                 : "failed, tried again later: ") +
                        why);
    ++(blocked ? report.blocked : report.retrying);
    report.last_failure = why;
    server_failures = status >= 500 ? server_failures + 1 : 0;
    if (server_failures >= kServerFailuresToStop) {
        return error;  // the server is in trouble: the engine's own backoff takes over
    }
    return Ok{};
}

Result<OutboxPusher::Verdict> OutboxPusher::PushItem(const store::OutboxItem& item) {
    Result<Verdict> v = Verdict{};
    if (!item.kind) {
        // Queued by a kiosk newer than this one: refused with the kind's name, never guessed at.
        return Verdict{false, false, store::ParseOutboxKind(item.stored_kind).error().log};
    }
    switch (*item.kind) {
        case store::OutboxKind::kEncounter:
            v = PushEncounter(item);
            break;
        case store::OutboxKind::kProvenance:
            v = PushProvenance(item);
            break;
        case store::OutboxKind::kReferral:
            v = PushReferral(item);
            break;
        case store::OutboxKind::kCredential:
            v = PushCredential(item);
            break;
    }
    if (!v && v.error().code == ErrorCode::kRejected) {
        return Verdict{false, false, v.error().log};
    }
    return v;
}

Result<std::optional<FhirAnswer>> OutboxPusher::FindByIdentifier(const std::string& type,
                                                                 const std::string& search) {
    auto found = m_client.SearchAll(type, search + "&_count=50");
    if (!found) {
        return found.error();
    }
    if (found->empty()) {
        return std::optional<FhirAnswer>();
    }
    // More than one means a server whose conditional create was not atomic made duplicates:
    // keep writing to the one every kiosk picks alike (the lowest id), never by timestamps.
    const json* pick = StableChoice(found.value());
    if (found->size() > 1) {
        LogWarn("sync", "the server holds " + std::to_string(found->size()) + " " + type +
                            "s for " + search + "; updating the lowest id, " + type + "/" +
                            StringMember(*pick, "id"));
    }
    FhirAnswer answer;
    answer.status = 200;
    answer.resource = *pick;
    if (pick->contains("meta") && (*pick)["meta"].is_object()) {
        answer.version = StringMember((*pick)["meta"], "versionId");
    }
    return std::optional<FhirAnswer>(std::move(answer));
}

Result<std::string> OutboxPusher::SubjectFor(const std::string& person_ref) {
    if (person_ref.rfind("Patient/", 0) == 0) {
        return person_ref;
    }
    if (person_ref.rfind("RelatedPerson/", 0) != 0) {
        return MakeError(ErrorCode::kRejected,
                         person_ref + " cannot attend a group session as a participant");
    }
    auto known = m_store.Clinic().RelatedPatient(person_ref);
    if (!known) {
        return known.error();
    }
    if (known.value()) {
        return *known.value();
    }
    auto read = m_client.Read("RelatedPerson", person_ref.substr(person_ref.find('/') + 1));
    if (!read) {
        return read.error();
    }
    if (!read.value()) {
        return MakeError(ErrorCode::kRejected, person_ref + " is not on the server");
    }
    auto link = RelatedPatientLink(read.value()->resource);
    if (!link) {
        return MakeError(ErrorCode::kRejected,
                         person_ref + " names no patient (RelatedPerson.patient)");
    }
    if (auto s = m_store.Clinic().SaveRelatedPatients({*link}); !s) {
        return s.error();
    }
    return link->second;
}

Result<OutboxPusher::Verdict> OutboxPusher::Confirm(const store::OutboxItem& item,
                                                    const FhirAnswer& a, const std::string& state,
                                                    bool unchanged) {
    store::RemoteRecord r{item.subject, "Encounter",       StringMember(a.resource, "id"),
                          a.version,    a.resource.dump(), state};
    if (auto s = m_store.Sync().SaveRemote(r); !s) {
        return s.error();
    }
    return Verdict{true, unchanged, {}};
}

Result<std::optional<FhirAnswer>> OutboxPusher::Current(
    const store::OutboxItem& item, const std::optional<store::RemoteRecord>& remote) {
    if (remote && !remote->server_json.empty() && item.attempts == 0) {
        FhirAnswer cached;
        cached.resource = json::parse(remote->server_json, nullptr, false);
        cached.version = remote->version_id;
        if (cached.resource.is_object()) {
            return std::optional<FhirAnswer>(std::move(cached));
        }
    }
    if (item.attempts > 0 || remote) {
        // The last try may have reached the server, or the kiosk knows the Encounter exists:
        // look before writing.
        return FindByIdentifier("Encounter", AttendanceSearch(item.subject));
    }
    return std::optional<FhirAnswer>();
}

Result<OutboxPusher::Verdict> OutboxPusher::PushEncounter(const store::OutboxItem& item) {
    auto row = m_store.Attendance().ByIdentifier(item.subject);
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        auto withdrawn = m_store.Attendance().WithdrawnCheckIn(item.subject);
        if (!withdrawn) {
            return withdrawn.error();
        }
        if (withdrawn.value()) {
            return PushWithdrawal(item, *withdrawn.value());
        }
        return Verdict{false, false,
                       "the check-in " + Identifier8(item.subject) + " is no longer on this kiosk"};
    }
    auto session = m_store.Clinic().SessionById(row.value()->session_id);
    if (!session) {
        return session.error();
    }
    auto subject = SubjectFor(row.value()->person_ref);
    if (!subject) {
        return subject.error();
    }
    const EncounterFacts facts{*row.value(), session.value(), subject.value(), m_clock.Now()};
    const std::string key = EncounterStateKey(facts);
    auto remote = m_store.Sync().Remote(item.subject);
    if (!remote) {
        return remote.error();
    }
    if (remote.value() && remote.value()->pushed_state == key) {
        return Verdict{true, true, {}};  // a check-in and its check-out went out as one write
    }
    const bool withdrawn_here = remote.value() && remote.value()->pushed_state == kWithdrawnState;

    auto found = Current(item, remote.value());
    if (!found) {
        return found.error();
    }
    std::optional<FhirAnswer> current = std::move(found).value();
    if (!current) {
        auto created =
            m_client.ConditionalCreate(BuildEncounter(facts), AttendanceSearch(item.subject));
        if (!created) {
            if (created.error().code != ErrorCode::kConflict) {
                return created.error();
            }
            auto again = FindByIdentifier("Encounter", AttendanceSearch(item.subject));
            if (!again) {
                return again.error();
            }
            current = std::move(again).value();
            if (!current) {
                return MakeError(ErrorCode::kNetwork, created.error().log);
            }
        } else if (created->status == 201) {
            return Confirm(item, created.value(), key, false);
        } else {
            current = std::move(created).value();  // 200: another kiosk, or our lost answer
        }
    }

    return MergeAndUpdate(item, std::move(current).value(), facts, key, withdrawn_here);
}

Result<OutboxPusher::Verdict> OutboxPusher::MergeAndUpdate(const store::OutboxItem& item,
                                                           FhirAnswer current,
                                                           const EncounterFacts& facts,
                                                           const std::string& key,
                                                           bool withdrawn_here) {
    for (int round = 0; round < kMaxConflicts; ++round) {
        json merged = current.resource;
        MergeResult m = MergeResult::kChanged;
        if (withdrawn_here && StringMember(merged, "status") == "entered-in-error") {
            ReviveEncounter(merged, facts);  // this kiosk withdrew it; now it is real again
        } else {
            m = MergeEncounter(merged, facts);
        }
        if (m == MergeResult::kClosedOnServer) {
            LogInfo("sync", "Encounter/" + StringMember(merged, "id") + " is " +
                                StringMember(merged, "status") + " on the server: left as it is");
            return Confirm(item, current, key, true);
        }
        if (m == MergeResult::kUnchanged) {
            return Confirm(item, current, key, true);
        }
        auto updated = m_client.Update(merged, current.version);
        if (updated) {
            return Confirm(item, updated.value(), key, false);
        }
        if (updated.error().code != ErrorCode::kConflict) {
            return updated.error();
        }
        // Somebody changed it since (or our own earlier write went through): read, merge, retry.
        const std::string id = StringMember(merged, "id");
        auto fresh = m_client.Read("Encounter", id);
        if (!fresh) {
            return fresh.error();
        }
        if (!fresh.value()) {
            return Verdict{
                false, false,
                "Encounter/" + id + " was deleted on the server; the check-in stays on the kiosk"};
        }
        current = std::move(*fresh.value());
    }
    return MakeError(ErrorCode::kNetwork, "Encounter for " + Identifier8(item.subject) +
                                              " kept changing on the server; will try again");
}

Result<OutboxPusher::Verdict> OutboxPusher::PushWithdrawal(const store::OutboxItem& item,
                                                           Instant withdrawn_at) {
    // Staff undid a manual check-in (the row is gone, attendance_change says what it was). If it
    // reached the server, it becomes entered-in-error there; if not, there is nothing to send.
    auto remote = m_store.Sync().Remote(item.subject);
    if (!remote) {
        return remote.error();
    }
    if (remote.value() && remote.value()->pushed_state == kWithdrawnState) {
        return Verdict{true, true, {}};
    }
    auto found = Current(item, remote.value());
    if (!found) {
        return found.error();
    }
    std::optional<FhirAnswer> current = std::move(found).value();
    if (!current) {
        return Verdict{true, true, {}};
    }
    for (int round = 0; round < kMaxConflicts; ++round) {
        json e = current->resource;
        const std::string status = StringMember(e, "status");
        if (status == "entered-in-error" || status == "cancelled") {
            return Confirm(item, current.value(), kWithdrawnState, true);
        }
        const json period = e.value("period", json::object());
        const auto start =
            ParseDateTime(period.is_object() ? StringMember(period, "start") : std::string());
        const bool ours = start.ok() && start.value() == withdrawn_at && !period.contains("end");
        if (!ours) {
            // Another kiosk's scan, or already checked out: a real attendance stays.
            LogInfo("sync", "undo of " + Identifier8(item.subject) +
                                ": the server's Encounter is not only this kiosk's; left as it is");
            return Verdict{true, true, {}};
        }
        e["status"] = "entered-in-error";
        auto updated = m_client.Update(e, current->version);
        if (updated) {
            return Confirm(item, updated.value(), kWithdrawnState, false);
        }
        if (updated.error().code != ErrorCode::kConflict) {
            return updated.error();
        }
        auto fresh = m_client.Read("Encounter", StringMember(e, "id"));
        if (!fresh) {
            return fresh.error();
        }
        if (!fresh.value()) {
            return Verdict{true, true, {}};
        }
        current = std::move(fresh).value();
    }
    return MakeError(ErrorCode::kNetwork, "Encounter for " + Identifier8(item.subject) +
                                              " kept changing on the server; will try again");
}

Result<OutboxPusher::Verdict> OutboxPusher::PushProvenance(const store::OutboxItem& item) {
    auto p = m_store.Outbox().ManualChangeOf(item.seq);
    if (!p && p.error().code != ErrorCode::kInvalidInput) {
        return p.error();  // the store failed: try again
    }
    if (!p) {
        return Verdict{false, false, p.error().log};
    }
    std::string encounter_id;
    auto remote = m_store.Sync().Remote(p->attendance_identifier);
    if (!remote) {
        return remote.error();
    }
    if (remote.value() && !remote.value()->server_id.empty()) {
        encounter_id = remote.value()->server_id;
    } else {
        auto found = FindByIdentifier("Encounter", AttendanceSearch(p->attendance_identifier));
        if (!found) {
            return found.error();
        }
        if (!found.value()) {
            auto row = m_store.Attendance().ByIdentifier(p->attendance_identifier);
            auto withdrawn = m_store.Attendance().WithdrawnCheckIn(p->attendance_identifier);
            if (!row || !withdrawn) {
                return !row ? row.error() : withdrawn.error();
            }
            if (!row.value() && withdrawn.value()) {
                return Verdict{true, true, {}};  // undone before it ever reached the server
            }
            auto waiting = m_store.Outbox().PendingFor(store::OutboxKind::kEncounter,
                                                       p->attendance_identifier);
            if (!waiting) {
                return waiting.error();
            }
            if (waiting.value()) {
                // Its check-in is still on its way (waiting out its own backoff, or held back):
                // this item waits for it instead of being refused.
                return MakeError(ErrorCode::kConflict, "waits for the check-in " +
                                                           Identifier8(p->attendance_identifier) +
                                                           " to reach the server");
            }
            return Verdict{false, false,
                           "no Encounter on the server for the check-in " +
                               Identifier8(p->attendance_identifier) +
                               " (was it refused, or queued after this item?)"};
        }
        encounter_id = StringMember(found.value()->resource, "id");
    }
    auto created = m_client.ConditionalCreate(BuildProvenance(p.value(), encounter_id),
                                              ProvenanceSearch(p.value(), encounter_id));
    if (!created && created.error().code == ErrorCode::kConflict) {
        return Verdict{true, true, {}};  // several already: it is there
    }
    if (!created) {
        return created.error();
    }
    return Verdict{true, created->status != 201, {}};
}

Result<OutboxPusher::Verdict> OutboxPusher::PushReferral(const store::OutboxItem& item) {
    auto r = m_store.Outbox().ReferralOf(item.seq);
    if (!r && r.error().code != ErrorCode::kInvalidInput) {
        return r.error();  // the store failed: try again
    }
    if (!r) {
        return Verdict{false, false, r.error().log};
    }
    auto created =
        m_client.ConditionalCreate(BuildServiceRequest(r.value()), ReferralSearch(r->referral_id));
    if (!created && created.error().code == ErrorCode::kConflict) {
        return Verdict{true, true, {}};
    }
    if (!created) {
        return created.error();
    }
    return Verdict{true, created->status != 201, {}};
}

Result<OutboxPusher::Verdict> OutboxPusher::PushCredential(const store::OutboxItem& item) {
    auto c = m_store.Outbox().CredentialOf(item.seq);
    if (!c && c.error().code != ErrorCode::kInvalidInput) {
        return c.error();  // the store failed: try again
    }
    if (!c) {
        return Verdict{false, false, c.error().log};
    }
    auto written = WriteCredential(m_client, c.value());
    if (!written && written.error().code == ErrorCode::kNotFound) {
        return Verdict{false, false, written.error().log};
    }
    if (!written) {
        return written.error();
    }
    return Verdict{true, written->unchanged, {}};
}

}  // namespace kiosk::sync
