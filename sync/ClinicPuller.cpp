// Only what the week's sessions need is asked for (FHIR.md, 42 CFR Part 2): people are read by
// `_id` from the Appointments and the site's roles, never searched wholesale. No _include,
// _revinclude or history. Long id lists go as POST _search (FhirClient).
#include "sync/ClinicPuller.h"
#include "sync/JsonText.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "kiosk/core/Iso8601.h"
#include "sync/FhirMapping.h"
#include "sync/PullCursors.h"

namespace kiosk::sync {
namespace {

using nlohmann::json;

constexpr int kEncounterChunk = 100;

/// One page per chunk of ids: the server's next link would repeat the long query as a GET.
std::string Count(const std::vector<std::string>& chunk) {
    return "&_count=" + std::to_string(std::clamp<size_t>(chunk.size(), 1, 1000));
}

std::string TypeOf(const std::string& ref) {
    return ref.substr(0, ref.find('/'));
}
std::string IdOf(const std::string& ref) {
    return ref.substr(ref.find('/') + 1);
}

/// One pull's state and its steps, in the order Pull() runs them. Each step asks the server for
/// one part of the week and maps what comes back into `batch`; Save() applies it all at once.
class PullRound {
  public:
    PullRound(store::Store& store, FhirClient& client, const ClinicTime& time,
              const PullOptions& options, Instant now)
        : m_store(store),
          m_client(client),
          m_options(options),
          m_now(now),
          m_week_start(time.StartOfIsoWeek(now)),
          m_week_end(time.EndOfIsoWeek(now)),
          m_week(FormatDateTimeUtc(m_week_start)),
          m_ctx{options.site_id, now, &time} {}

    /// Full or delta, and the cursors of a delta.
    Status Begin();
    /// 1. The site and its rooms.
    Status Places();
    /// 2. This week's Appointments at the site or in its rooms.
    Status Appointments();
    /// 3. Staff roles at the site.
    Status StaffRoles();
    /// 4. The people those name: new ones in full, known ones by delta.
    Status People();
    /// 5. The week's Encounters (for hours, and other kiosks' check-ins): by Appointment.
    Status Encounters();
    /// 6. Into the store, then the cursors: a crash between them only repeats some work.
    Status Save();

    PullReport report;

  private:
    std::string Since(const std::string& type) const {
        return m_cursors.Since(type, m_options.overlap);
    }
    void MapOne(const std::string& type, const json& r);
    Status Search(const std::string& type, const std::string& query,
                  const std::function<void(const json&)>& on);
    /// Maps every resource a search returns as `type`.
    Status SearchAndMap(const std::string& type, const std::string& query) {
        return Search(type, query, [this, &type](const json& r) { MapOne(type, r); });
    }
    using IdsByType = std::map<std::string, std::vector<std::string>>;
    /// The people the batch names that are new (all of them on a full pull), and those of the
    /// week the store knows (a delta pull re-reads them by _lastUpdated).
    Status PeopleToFetch(IdsByType& fetch_all, IdsByType& fetch_delta);
    void NoteRemoteEncounter(const json& r);

    store::Store& m_store;
    FhirClient& m_client;
    const PullOptions& m_options;
    const Instant m_now;
    const Instant m_week_start;
    const Instant m_week_end;
    const std::string m_week;
    const MappingContext m_ctx;
    Cursors m_cursors;
    store::ClinicBatch m_batch;
    std::vector<std::pair<std::string, std::string>> m_related;
    std::vector<store::RemoteRecord> m_remotes;
    std::vector<std::string> m_seen_appointments;
};

bool IsPersonType(const std::string& type) {
    return type == "Patient" || type == "RelatedPerson" || type == "Practitioner";
}

Status PullRound::Begin() {
    auto stored_week = m_store.Sync().GetMeta("sync.week");
    auto full_at_text = m_store.Sync().GetMeta("sync.full_at");
    if (!stored_week || !full_at_text) {
        return (!stored_week ? stored_week : full_at_text).error();
    }
    std::optional<Instant> full_at;
    if (full_at_text.value()) {
        if (auto t = ParseDateTime(*full_at_text.value()); t) {
            full_at = t.value();
        }
    }
    report.full = stored_week.value() != m_week || !full_at || m_now < *full_at ||
                  m_now - *full_at >= m_options.full_every;
    if (report.full) {
        return Ok{};
    }
    return m_cursors.Load(m_store, std::string(kCursorKeyPrefix),
                          {"Location", "Appointment", "PractitionerRole", "Patient",
                           "RelatedPerson", "Practitioner", "Encounter"});
}

void PullRound::MapOne(const std::string& type, const json& r) {
    ++report.resources;
    if (auto s = MapResource(r, m_ctx, m_batch); !s) {
        report.problems.push_back(s.error().log);
        m_cursors.broken.insert(type);
    }
    if (auto link = RelatedPatientLink(r)) {
        m_related.push_back(*link);
    }
}

Status PullRound::Search(const std::string& type, const std::string& query,
                         const std::function<void(const json&)>& on) {
    auto t = m_client.Search(type, query, [&](const json& r) -> Status {
        on(r);
        return Ok{};
    });
    if (!t) {
        return t.error();
    }
    m_cursors.Saw(type, t.value());
    return Ok{};
}

Status PullRound::Places() {
    const std::string& site = m_options.site_id;
    if (auto s = SearchAndMap("Location", "_id=" + QueryValue(site) + Since("Location")); !s) {
        return s;
    }
    return SearchAndMap("Location", "partof=" + QueryValue("Location/" + site) + Since("Location"));
}

Status PullRound::Appointments() {
    const std::string& site = m_options.site_id;
    auto stored_rooms = m_store.Clinic().RoomIds(site);
    if (!stored_rooms) {
        return stored_rooms.error();
    }
    std::set<std::string> room_ids(stored_rooms->begin(), stored_rooms->end());
    for (const auto& r : m_batch.rooms) {
        room_ids.insert(r.id);
    }
    std::vector<std::string> location_refs{"Location/" + site};
    for (const auto& id : room_ids) {
        location_refs.push_back("Location/" + id);
    }
    for (const auto& chunk : Chunks(location_refs, static_cast<size_t>(m_options.id_chunk))) {
        const std::string query = "location=" + JoinQuery(chunk) + "&date=ge" +
                                  QueryValue(FormatDateTimeUtc(m_week_start)) + "&date=lt" +
                                  QueryValue(FormatDateTimeUtc(m_week_end)) + Since("Appointment");
        auto s = Search("Appointment", query, [&](const json& r) {
            m_seen_appointments.push_back(StringMember(r, "id"));
            MapOne("Appointment", r);
        });
        if (!s) {
            return s;
        }
    }
    return Ok{};
}

Status PullRound::StaffRoles() {
    // A delta that shows any change re-reads them all, since a person's roles are replaced as a
    // whole.
    const std::string roles_query = "location=" + QueryValue("Location/" + m_options.site_id);
    bool roles_changed = Since("PractitionerRole").empty();
    if (!roles_changed) {
        if (auto s = Search("PractitionerRole", roles_query + Since("PractitionerRole"),
                            [&](const json&) { roles_changed = true; });
            !s) {
            return s;
        }
    }
    if (!roles_changed) {
        return Ok{};
    }
    if (auto s = SearchAndMap("PractitionerRole", roles_query); !s) {
        return s;
    }
    // That is every role at the site: whoever had one here and is not in it any more loses it
    // (a role ended, deleted or moved to another site).
    auto holders = m_store.Staff().Refs();
    if (!holders) {
        return holders.error();
    }
    std::set<std::string> still;
    for (const auto& s : m_batch.staff) {
        still.insert(s.person_ref);
    }
    for (const auto& ref : holders.value()) {
        if (still.count(ref) == 0) {
            m_batch.staff.push_back(store::StaffRow{ref, std::vector<std::string>{}, std::nullopt});
        }
    }
    return Ok{};
}

Status PullRound::PeopleToFetch(IdsByType& fetch_all, IdsByType& fetch_delta) {
    std::set<std::string> needed;
    for (const auto& s : m_batch.sessions) {
        needed.insert(s.enrolled.begin(), s.enrolled.end());
        if (!s.facilitator_ref.empty()) {
            needed.insert(s.facilitator_ref);
        }
    }
    for (const auto& s : m_batch.staff) {
        needed.insert(s.person_ref);
    }
    for (const auto& ref : needed) {
        if (!IsPersonType(TypeOf(ref))) {
            continue;
        }
        bool known = false;
        if (!report.full) {
            auto p = m_store.Clinic().Person(ref);
            if (!p) {
                return p.error();
            }
            known = p.value().has_value();
        }
        if (!known) {
            fetch_all[TypeOf(ref)].push_back(IdOf(ref));
        }
    }
    if (report.full) {
        return Ok{};
    }
    auto refs = m_store.Clinic().PersonRefsInWindow(m_week_start, m_week_end);
    if (!refs) {
        return refs.error();
    }
    for (const auto& ref : refs.value()) {
        if (IsPersonType(TypeOf(ref))) {
            fetch_delta[TypeOf(ref)].push_back(IdOf(ref));
        }
    }
    return Ok{};
}

Status PullRound::People() {
    IdsByType fetch_all, fetch_delta;  // type -> ids
    if (auto s = PeopleToFetch(fetch_all, fetch_delta); !s) {
        return s;
    }
    for (const auto& [ids_by_type, delta] :
         {std::pair{&fetch_all, false}, std::pair{&fetch_delta, true}}) {
        for (const auto& [type, ids] : *ids_by_type) {
            for (const auto& chunk : Chunks(ids, static_cast<size_t>(m_options.id_chunk))) {
                const std::string query =
                    "_id=" + JoinQuery(chunk) + Count(chunk) + (delta ? Since(type) : "");
                if (auto s = SearchAndMap(type, query); !s) {
                    return s;
                }
            }
        }
    }
    return Ok{};
}

void PullRound::NoteRemoteEncounter(const json& r) {
    for (const auto& id : r.value("identifier", json::array())) {
        if (id.is_object() && StringMember(id, "system") == kAttendanceSystem &&
            !StringMember(id, "value").empty()) {
            std::string version;
            if (r.contains("meta") && r["meta"].is_object()) {
                version = StringMember(r["meta"], "versionId");
            }
            m_remotes.push_back({StringMember(id, "value"), "Encounter", StringMember(r, "id"),
                                 version, r.dump(), ""});
        }
    }
}

Status PullRound::Encounters() {
    auto known_sessions = m_store.Clinic().SessionIdsInWindow(m_week_start, m_week_end);
    if (!known_sessions) {
        return known_sessions.error();
    }
    std::set<std::string> known_set(known_sessions->begin(), known_sessions->end());
    std::vector<std::string> old_refs, new_refs;
    std::set<std::string> all_sessions(known_sessions->begin(), known_sessions->end());
    for (const auto& s : m_batch.sessions) {
        all_sessions.insert(s.id);
    }
    for (const auto& id : all_sessions) {
        (known_set.count(id) != 0 && !report.full ? old_refs : new_refs)
            .push_back("Appointment/" + id);
    }
    auto on_encounter = [&](const json& r) {
        MapOne("Encounter", r);
        NoteRemoteEncounter(r);
    };
    for (const auto& [refs, delta] : {std::pair{&new_refs, false}, std::pair{&old_refs, true}}) {
        for (const auto& chunk : Chunks(*refs, kEncounterChunk)) {
            const std::string query = "appointment=" + JoinQuery(chunk) + "&_count=1000" +
                                      (delta ? Since("Encounter") : "");
            if (auto s = Search("Encounter", query, on_encounter); !s) {
                return s;
            }
        }
    }
    return Ok{};
}

Status PullRound::Save() {
    if (auto s = m_store.Clinic().Apply(m_batch); !s) {
        return s;
    }
    if (auto s = m_store.Clinic().SaveRelatedPatients(m_related); !s) {
        return s;
    }
    if (auto s = m_store.Sync().NoteRemotes(m_remotes); !s) {
        return s;
    }
    if (report.full) {
        if (auto s =
                m_store.Clinic().CancelSessionsNotIn(m_week_start, m_week_end, m_seen_appointments);
            !s) {
            return s;
        }
    }
    std::vector<std::pair<std::string, std::string>> new_meta{{"sync.week", m_week}};
    if (report.full) {
        new_meta.emplace_back("sync.full_at", FormatDateTimeUtc(m_now));
    }
    for (auto& row : m_cursors.ToStore(std::string(kCursorKeyPrefix))) {
        new_meta.push_back(std::move(row));
    }
    return m_store.Sync().SetMetaMany(new_meta);
}

}  // namespace

ClinicPuller::ClinicPuller(store::Store& store, FhirClient& client, const Clock& clock,
                           const ClinicTime& time, PullOptions options)
    : m_store(store),
      m_client(client),
      m_clock(clock),
      m_time(time),
      m_options(std::move(options)) {}

Result<PullReport> ClinicPuller::Pull() {
    PullRound round(m_store, m_client, m_time, m_options, m_clock.Now());
    for (Status (PullRound::*step)() :
         {&PullRound::Begin, &PullRound::Places, &PullRound::Appointments, &PullRound::StaffRoles,
          &PullRound::People, &PullRound::Encounters, &PullRound::Save}) {
        if (auto s = (round.*step)(); !s) {
            return s.error();
        }
    }
    // 7. The resource directory (issue 6 indexes it for search).
    if (m_options.directory) {
        if (auto s = PullDirectory(round.report.full, round.report); !s) {
            return s.error();
        }
    }
    return round.report;
}

}  // namespace kiosk::sync
