// What the store lets a lobby screen show of a session (PRIVACY.md 13): only groups on the
// public schedule, and a group's name only when it names nobody enrolled in it. Decided when a
// clinic page is saved, again when a name or the config's rules change, and for rows saved
// before migration 007.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <map>

#include "StoreTestSupport.h"
#include "TestSupport.h"
#include "kiosk/store/Migrations.h"
#include "kiosk/store/Store.h"

using namespace kiosk;
using namespace kiosk::store;
using kiosk::test::At;

namespace {

SessionRow Session(const std::string& id, const std::string& name,
                   std::vector<std::string> enrolled, std::vector<std::string> codes = {}) {
    SessionRow s{id, name, "room-oak", "", At(9, 0), At(10, 0), "booked", std::move(enrolled), ""};
    s.codes = std::move(codes);
    return s;
}

ClinicBatch People() {
    ClinicBatch b;
    b.rooms.push_back({"room-oak", "site-main", "Oak Room"});
    b.persons.push_back({"Patient/ana", "Ana", "Peña", "adult", {}});
    b.persons.push_back({"Patient/jo", "J", "Wu", "adult", {}});
    b.persons.push_back({"Patient/max", "Maximilian", "O'Brien", "adult", {}});
    b.persons.push_back({"Patient/eva", "Eva", "Sol", "adult", {}});  // enrolled in nothing here
    return b;
}

/// id -> the name the public schedule shows ("" = the neutral label).
std::map<std::string, std::string> Listed(Store& store) {
    auto schedule = store.Clinic().Schedule(At(0, 0), At(23, 59));
    REQUIRE(schedule.ok());
    std::map<std::string, std::string> out;
    for (const auto& e : schedule.value()) {
        out[e.session_id] = e.group_name;
    }
    return out;
}

}  // namespace

TEST_CASE("a group's name that names someone enrolled in it is withheld, whole words only") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    ClinicBatch b = People();
    const std::vector<std::string> three{"Patient/ana", "Patient/jo", "Patient/max"};
    struct Case {
        const char* name;
        bool withheld;
    };
    const Case cases[] = {
        {"ANA's circle", true},            // case aside
        {"Pena women's group", true},      // accents aside
        {"Brien recovery", true},          // a part of a name ("O'Brien") is a word of it
        {"Maximilian and friends", true},  //
        {"Anatomy of craving", false},     // not a whole word
        {"Group J", false},                // a one-letter name is no name
        {"Wu Tang mindfulness", true},     // two letters are
        {"Sol y Luna", false},             // Eva Sol is not enrolled in it
        {"DBT Skills", false},
    };
    int n = 0;
    for (const auto& c : cases) {
        b.sessions.push_back(Session("s" + std::to_string(n++), c.name, three));
    }
    const std::string log = test::CaptureStderr([&] { REQUIRE(store->Clinic().Apply(b).ok()); });
    const auto listed = Listed(*store);
    n = 0;
    for (const auto& c : cases) {
        CAPTURE(c.name);
        const std::string id = "s" + std::to_string(n++);
        REQUIRE(listed.count(id) == 1);
        CHECK(listed.at(id) == (c.withheld ? "" : c.name));
        CHECK((log.find("Appointment/" + id + ":") != std::string::npos) == c.withheld);
    }
    // The warning names the Appointment, never the person or the name that gave them away.
    for (const char* word : {"Ana", "Peña", "Pena", "Brien", "Maximilian", "Wu", "circle"}) {
        CHECK_MESSAGE(log.find(word) == std::string::npos, log);
    }
    CHECK(log.find("kiosk warn [store] Appointment/s0: ") != std::string::npos);
}

TEST_CASE("a name is decided again when a person's name changes, or is not yet known") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    ClinicBatch b = People();
    b.sessions.push_back(Session("s1", "Rivera Hall group", {"Patient/ana", "Patient/eva"}));
    b.sessions.push_back(Session("s2", "Process Group", {"Patient/ana", "Patient/new"}));
    REQUIRE(store->Clinic().Apply(b).ok());
    // Patient/new has no name in the store yet: until it does, s2's name is not shown.
    CHECK(Listed(*store) ==
          std::map<std::string, std::string>{{"s1", "Rivera Hall group"}, {"s2", ""}});
    ClinicBatch later;  // a later pull: Eva's family name is now Rivera, and Patient/new arrives
    later.persons.push_back({"Patient/eva", "Eva", "Rivera", "adult", {}});
    later.persons.push_back({"Patient/new", "Noor", "Haddad", "adult", {}});
    REQUIRE(store->Clinic().Apply(later).ok());
    CHECK(Listed(*store) ==
          std::map<std::string, std::string>{{"s1", ""}, {"s2", "Process Group"}});
}

TEST_CASE("the config's rules decide again what is stored, and what is saved later") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    ClinicBatch b = People();
    const std::string med_review = "http://clinic.example/services|med-review";
    b.sessions.push_back(
        Session("review", "Medication Review", {"Patient/ana", "Patient/eva"}, {med_review}));
    b.sessions.push_back(
        Session("solo", "Art Studio", {"Patient/ana"}, {"http://clinic.example/services|art"}));
    REQUIRE(
        store->Clinic().Apply(b).ok());  // default rules: neither code is known; by participants
    CHECK(Listed(*store) == std::map<std::string, std::string>{{"review", "Medication Review"}});

    SessionKindRules rules;
    rules.individual_codes.push_back(med_review);
    rules.group_codes.push_back("http://clinic.example/services|art");
    REQUIRE(store->Clinic().UseSessionKindRules(rules).ok());
    CHECK(Listed(*store) == std::map<std::string, std::string>{{"solo", "Art Studio"}});
    ClinicBatch again;
    again.sessions.push_back(
        Session("review-2", "Medication Review", {"Patient/ana", "Patient/eva"}, {med_review}));
    REQUIRE(store->Clinic().Apply(again).ok());
    CHECK(Listed(*store) == std::map<std::string, std::string>{{"solo", "Art Studio"}});
    // The rest of the kiosk still sees the one-to-one: check-in and staff screens use it.
    auto review = store->Clinic().SessionById("review-2").value();
    REQUIRE(review.has_value());
    CHECK(review->kind == SessionKind::kIndividual);
    CHECK(review->group_name == "Medication Review");
    CHECK(LobbyGroupName(*review).empty());
}

TEST_CASE(
    "sessions saved before migration 007 lose their name until saved again; a full pull follows") {
    test::TempDir dir;
    const auto file = dir.path() / "kiosk.db";
    {
        SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        for (const auto& m : AllMigrations()) {
            if (m.version <= 5) {
                db.exec(std::string(m.sql));
            }
        }
        db.exec("PRAGMA user_version=5");
        // The old mapping's fallback: a description stored as the group's name.
        db.exec(
            "INSERT INTO room VALUES ('room-oak', 'site-main', 'Oak Room');"
            "INSERT INTO session (id, group_name, room_id, start_at, end_at) VALUES "
            "('old', 'Intake - Jane Doe (F10.20 alcohol dependence)', 'room-oak', " +
            std::to_string(At(9, 0).time_since_epoch().count()) + ", " +
            std::to_string(At(10, 0).time_since_epoch().count()) +
            ");"
            "INSERT INTO enrolment VALUES ('old', 'Patient/a'), ('old', 'Patient/b');"
            "INSERT INTO meta VALUES ('sync.full_at', '2026-01-07T16:00:00Z'),"
            "('sync.week', '2026-01-05T08:00:00Z');");
    }
    auto store = test::OpenStoreIn(dir);
    REQUIRE(store->Clinic().UseSessionKindRules(SessionKindRules{}).ok());
    CHECK(Listed(*store) == std::map<std::string, std::string>{{"old", ""}});
    CHECK_FALSE(
        store->Sync().GetMeta("sync.full_at").value().has_value());  // the next pull is full
    CHECK(store->Sync().GetMeta("sync.week").value().has_value());
    ClinicBatch pulled;
    pulled.sessions.push_back(Session("old", "Process Group", {"Patient/a", "Patient/b"}));
    pulled.persons.push_back({"Patient/a", "Jane", "Doe", "adult", {}});
    pulled.persons.push_back({"Patient/b", "Ana", "Ruiz", "adult", {}});
    REQUIRE(store->Clinic().Apply(pulled).ok());  // saved again by the new mapping
    CHECK(Listed(*store) == std::map<std::string, std::string>{{"old", "Process Group"}});
}
