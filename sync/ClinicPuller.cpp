// Only what the week's sessions need is asked for (FHIR.md, 42 CFR Part 2): people are read by
// `_id` from the Appointments and the site's roles, never searched wholesale. No _include,
// _revinclude or history. Long id lists go as POST _search (FhirClient).
#include "sync/ClinicPuller.h"
#include "sync/JsonText.h"

#include <algorithm>
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

}  // namespace

ClinicPuller::ClinicPuller(store::Store& store, FhirClient& client, const Clock& clock,
                           const ClinicTime& time, PullOptions options)
    : m_store(store),
      m_client(client),
      m_clock(clock),
      m_time(time),
      m_options(std::move(options)) {}

Result<PullReport> ClinicPuller::Pull() {
    const Instant now = m_clock.Now();
    const Instant week_start = m_time.StartOfIsoWeek(now);
    const Instant week_end = m_time.EndOfIsoWeek(now);
    const std::string week = FormatDateTimeUtc(week_start);
    const std::string& site = m_options.site_id;

    auto meta = [&](const std::string& key) -> Result<std::optional<std::string>> {
        return m_store.Sync().GetMeta(key);
    };
    auto stored_week = meta("sync.week");
    auto full_at_text = meta("sync.full_at");
    if (!stored_week || !full_at_text) {
        return (!stored_week ? stored_week : full_at_text).error();
    }
    std::optional<Instant> full_at;
    if (full_at_text.value()) {
        if (auto t = ParseDateTime(*full_at_text.value()); t) {
            full_at = t.value();
        }
    }
    PullReport report;
    report.full = stored_week.value() != week || !full_at || now < *full_at ||
                  now - *full_at >= m_options.full_every;

    Cursors cursors;
    if (!report.full) {
        if (auto s = cursors.Load(m_store, std::string(kCursorKeyPrefix),
                                  {"Location", "Appointment", "PractitionerRole", "Patient",
                                   "RelatedPerson", "Practitioner", "Encounter"});
            !s) {
            return s.error();
        }
    }
    auto since = [&](const std::string& type) { return cursors.Since(type, m_options.overlap); };

    store::ClinicBatch batch;
    const MappingContext ctx{site, now, &m_time};
    std::vector<std::pair<std::string, std::string>> related;
    std::vector<store::RemoteRecord> remotes;
    auto map_one = [&](const std::string& type, const json& r) {
        ++report.resources;
        if (auto s = MapResource(r, ctx, batch); !s) {
            report.problems.push_back(s.error().log);
            cursors.broken.insert(type);
        }
        if (auto link = RelatedPatientLink(r)) {
            related.push_back(*link);
        }
    };
    auto search = [&](const std::string& type, const std::string& query,
                      const std::function<void(const json&)>& on) -> Status {
        auto t = m_client.Search(type, query, [&](const json& r) -> Status {
            on(r);
            return Ok{};
        });
        if (!t) {
            return t.error();
        }
        cursors.Saw(type, t.value());
        return Ok{};
    };
    auto mapper = [&](const std::string& type) {
        return [&, type](const json& r) { map_one(type, r); };
    };

    // 1. The site and its rooms.
    if (auto s =
            search("Location", "_id=" + QueryValue(site) + since("Location"), mapper("Location"));
        !s) {
        return s.error();
    }
    if (auto s = search("Location", "partof=" + QueryValue("Location/" + site) + since("Location"),
                        mapper("Location"));
        !s) {
        return s.error();
    }

    // 2. This week's Appointments at the site or in its rooms.
    auto stored_rooms = m_store.Clinic().RoomIds(site);
    if (!stored_rooms) {
        return stored_rooms.error();
    }
    std::set<std::string> room_ids(stored_rooms->begin(), stored_rooms->end());
    for (const auto& r : batch.rooms) {
        room_ids.insert(r.id);
    }
    std::vector<std::string> location_refs{"Location/" + site};
    for (const auto& id : room_ids) {
        location_refs.push_back("Location/" + id);
    }
    auto known_sessions = m_store.Clinic().SessionIdsInWindow(week_start, week_end);
    if (!known_sessions) {
        return known_sessions.error();
    }
    std::vector<std::string> seen_appointments;
    for (const auto& chunk : Chunks(location_refs, static_cast<size_t>(m_options.id_chunk))) {
        const std::string query = "location=" + JoinQuery(chunk) + "&date=ge" +
                                  QueryValue(FormatDateTimeUtc(week_start)) + "&date=lt" +
                                  QueryValue(FormatDateTimeUtc(week_end)) + since("Appointment");
        auto s = search("Appointment", query, [&](const json& r) {
            seen_appointments.push_back(StringMember(r, "id"));
            map_one("Appointment", r);
        });
        if (!s) {
            return s.error();
        }
    }

    // 3. Staff roles at the site. A delta that shows any change re-reads them all, since a
    // person's roles are replaced as a whole.
    const std::string roles_query = "location=" + QueryValue("Location/" + site);
    bool roles_changed = since("PractitionerRole").empty();
    if (!roles_changed) {
        if (auto s = search("PractitionerRole", roles_query + since("PractitionerRole"),
                            [&](const json&) { roles_changed = true; });
            !s) {
            return s.error();
        }
    }
    if (roles_changed) {
        if (auto s = search("PractitionerRole", roles_query, mapper("PractitionerRole")); !s) {
            return s.error();
        }
        // That is every role at the site: whoever had one here and is not in it any more loses
        // it (a role ended, deleted or moved to another site).
        auto holders = m_store.Staff().Refs();
        if (!holders) {
            return holders.error();
        }
        std::set<std::string> still;
        for (const auto& s : batch.staff) {
            still.insert(s.person_ref);
        }
        for (const auto& ref : holders.value()) {
            if (still.count(ref) == 0) {
                batch.staff.push_back(
                    store::StaffRow{ref, std::vector<std::string>{}, std::nullopt});
            }
        }
    }

    // 4. The people those name: new ones in full, known ones by delta.
    std::set<std::string> needed;
    for (const auto& s : batch.sessions) {
        needed.insert(s.enrolled.begin(), s.enrolled.end());
        if (!s.facilitator_ref.empty()) {
            needed.insert(s.facilitator_ref);
        }
    }
    for (const auto& s : batch.staff) {
        needed.insert(s.person_ref);
    }
    std::map<std::string, std::vector<std::string>> fetch_all, fetch_delta;  // type -> ids
    for (const auto& ref : needed) {
        const std::string type = TypeOf(ref);
        if (type != "Patient" && type != "RelatedPerson" && type != "Practitioner") {
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
            fetch_all[type].push_back(IdOf(ref));
        }
    }
    if (!report.full) {
        auto refs = m_store.Clinic().PersonRefsInWindow(week_start, week_end);
        if (!refs) {
            return refs.error();
        }
        for (const auto& ref : refs.value()) {
            const std::string type = TypeOf(ref);
            if (type == "Patient" || type == "RelatedPerson" || type == "Practitioner") {
                fetch_delta[type].push_back(IdOf(ref));
            }
        }
    }
    for (const auto& [type, ids] : fetch_all) {
        for (const auto& chunk : Chunks(ids, static_cast<size_t>(m_options.id_chunk))) {
            if (auto s = search(type, "_id=" + JoinQuery(chunk) + Count(chunk), mapper(type)); !s) {
                return s.error();
            }
        }
    }
    for (const auto& [type, ids] : fetch_delta) {
        for (const auto& chunk : Chunks(ids, static_cast<size_t>(m_options.id_chunk))) {
            if (auto s = search(type, "_id=" + JoinQuery(chunk) + Count(chunk) + since(type),
                                mapper(type));
                !s) {
                return s.error();
            }
        }
    }

    // 5. The week's Encounters (for hours, and other kiosks' check-ins): by Appointment.
    std::set<std::string> known_set(known_sessions->begin(), known_sessions->end());
    std::vector<std::string> old_refs, new_refs;
    std::set<std::string> all_sessions(known_sessions->begin(), known_sessions->end());
    for (const auto& s : batch.sessions) {
        all_sessions.insert(s.id);
    }
    for (const auto& id : all_sessions) {
        (known_set.count(id) != 0 && !report.full ? old_refs : new_refs)
            .push_back("Appointment/" + id);
    }
    auto on_encounter = [&](const json& r) {
        map_one("Encounter", r);
        for (const auto& id : r.value("identifier", json::array())) {
            if (id.is_object() && StringMember(id, "system") == kAttendanceSystem &&
                !StringMember(id, "value").empty()) {
                std::string version;
                if (r.contains("meta") && r["meta"].is_object()) {
                    version = StringMember(r["meta"], "versionId");
                }
                remotes.push_back({StringMember(id, "value"), "Encounter", StringMember(r, "id"),
                                   version, r.dump(), ""});
            }
        }
    };
    for (const auto& [refs, delta] : {std::pair{&new_refs, false}, std::pair{&old_refs, true}}) {
        for (const auto& chunk : Chunks(*refs, kEncounterChunk)) {
            const std::string query = "appointment=" + JoinQuery(chunk) + "&_count=1000" +
                                      (delta ? since("Encounter") : "");
            if (auto s = search("Encounter", query, on_encounter); !s) {
                return s.error();
            }
        }
    }

    // 6. Into the store, then the cursors: a crash between them only repeats some work.
    if (auto s = m_store.Clinic().Apply(batch); !s) {
        return s.error();
    }
    if (auto s = m_store.Clinic().SaveRelatedPatients(related); !s) {
        return s.error();
    }
    if (auto s = m_store.Sync().NoteRemotes(remotes); !s) {
        return s.error();
    }
    if (report.full) {
        if (auto s = m_store.Clinic().CancelSessionsNotIn(week_start, week_end, seen_appointments);
            !s) {
            return s.error();
        }
    }
    std::vector<std::pair<std::string, std::string>> new_meta{{"sync.week", week}};
    if (report.full) {
        new_meta.emplace_back("sync.full_at", FormatDateTimeUtc(now));
    }
    for (auto& row : cursors.ToStore(std::string(kCursorKeyPrefix))) {
        new_meta.push_back(std::move(row));
    }
    if (auto s = m_store.Sync().SetMetaMany(new_meta); !s) {
        return s.error();
    }

    // 7. The resource directory (issue 6 indexes it for search).
    if (m_options.directory) {
        if (auto s = PullDirectory(report.full, report); !s) {
            return s.error();
        }
    }
    return report;
}

}  // namespace kiosk::sync
