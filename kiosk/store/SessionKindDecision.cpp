// What the lobby may show of each stored session (PRIVACY.md 13): its kind (group or one-to-one,
// kiosk/core/SessionKind.h) and whether its name is withheld because it names someone enrolled
// in it. Names are compared as FTS5's unicode61 folds words: case and accents aside, whole words.
#include <algorithm>

#include "kiosk/core/Log.h"
#include "kiosk/store/DirectoryTokenizer.h"
#include "kiosk/store/SessionKindDecision.h"

namespace kiosk::store {
namespace {

std::vector<std::string> SplitCodes(const std::string& joined) {
    std::vector<std::string> out;
    size_t from = 0;
    while (from < joined.size()) {
        const size_t nl = std::min(joined.find('\n', from), joined.size());
        if (nl > from) {
            out.push_back(joined.substr(from, nl - from));
        }
        from = nl + 1;
    }
    return out;
}

size_t Letters(std::string_view utf8) {
    return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

/// Whether `group_name` holds, as a whole word, any word of two or more letters of `names`.
bool NamesSomeone(const DirectoryTokenizer& words, const std::string& group_name,
                  const std::vector<std::string>& names) {
    std::set<std::string, std::less<>> in_name;
    words.Words(group_name, [&](std::string_view w, size_t, size_t) { in_name.emplace(w); });
    bool found = false;
    for (const auto& name : names) {
        words.Words(name, [&](std::string_view w, size_t, size_t) {
            found = found || (Letters(w) >= 2 && in_name.count(w) != 0);
        });
    }
    return found;
}

/// Decides the sessions `ids` again; `fresh` are those the current batch saved.
Status Decide(SQLite::Database& db, const SessionKindRules& rules, const std::set<std::string>& ids,
              const std::set<std::string>& fresh) {
    if (ids.empty()) {
        return Ok{};
    }
    auto words = DirectoryTokenizer::ForConnection(db.getHandle());
    if (!words) {
        return words.error();
    }
    SQLite::Statement row(db, "SELECT group_name, codes, name_withheld FROM session WHERE id = ?");
    SQLite::Statement people(db,
                             "SELECT e.person_ref, p.given, p.family FROM enrolment e "
                             "LEFT JOIN person p ON p.ref = e.person_ref WHERE e.session_id = ?");
    SQLite::Statement update(db, "UPDATE session SET kind = ?, name_withheld = ? WHERE id = ?");
    for (const auto& id : ids) {
        row.reset();
        row.bind(1, id);
        if (!row.executeStep()) {
            continue;
        }
        const std::string group_name = row.getColumn(0).getString();
        const bool legacy = row.getColumn(1).isNull();  // saved before migration 007
        const bool was_withheld = row.getColumn(2).getInt() != 0;
        std::vector<std::string> refs;
        std::vector<std::string> names;
        bool unknown = false;  // someone enrolled whose name the store does not have
        people.reset();
        people.bind(1, id);
        while (people.executeStep()) {
            refs.push_back(people.getColumn(0).getString());
            unknown = unknown || people.getColumn(1).isNull();
            names.push_back(people.getColumn(1).getString());
            names.push_back(people.getColumn(2).getString());
        }
        const SessionKind kind = ClassifySession(
            legacy ? std::vector<std::string>{} : SplitCodes(row.getColumn(1).getString()), refs,
            rules);
        const bool names_someone = NamesSomeone(*words.value(), group_name, names);
        if (names_someone && kind == SessionKind::kGroup && (!was_withheld || fresh.count(id))) {
            LogWarn("store", "Appointment/" + id +
                                 ": its service type names someone enrolled in it, so the lobby "
                                 "shows it only as a group session; rename the service type");
        }
        update.reset();
        update.bind(1, std::string(SessionKindName(kind)));
        update.bind(2, legacy || unknown || names_someone ? 1 : 0);
        update.bind(3, id);
        update.exec();
    }
    return Ok{};
}

}  // namespace

std::string JoinCodes(const std::vector<std::string>& codes) {
    std::string out;
    for (const auto& c : codes) {
        if (IsSystemCode(c)) {
            out += (out.empty() ? "" : "\n") + c;
        }
    }
    return out;
}

Status DecideSessionsAfter(SQLite::Database& db, const SessionKindRules& rules,
                           const ClinicBatch& batch) {
    std::set<std::string> fresh;
    for (const auto& s : batch.sessions) {
        fresh.insert(s.id);
    }
    std::set<std::string> ids = fresh;
    SQLite::Statement enrolled_in(db, "SELECT session_id FROM enrolment WHERE person_ref = ?");
    for (const auto& p : batch.persons) {
        enrolled_in.reset();
        enrolled_in.bind(1, p.ref);
        while (enrolled_in.executeStep()) {
            ids.insert(enrolled_in.getColumn(0).getString());
        }
    }
    return Decide(db, rules, ids, fresh);
}

Status DecideAllSessions(SQLite::Database& db, const SessionKindRules& rules) {
    SQLite::Statement all(db, "SELECT id FROM session");
    const std::vector<std::string> ids = Strings(all);
    return Decide(db, rules, std::set<std::string>(ids.begin(), ids.end()), {});
}

}  // namespace kiosk::store
