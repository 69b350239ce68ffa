// PRIVACY.md 11 and 16 on a real SQLite file: at the start of a new ISO week the store keeps no
// person, card, session, enrolment or referral the week does not need, and never anything an
// undelivered outbox item still needs. Week 1 is 5-11 January 2026; the purge runs at Monday
// 12 January 00:00 (the cutoff AppModel passes: the start of the ISO week).
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "StoreTestSupport.h"
#include "kiosk/core/Sha256.h"
#include "kiosk/store/Store.h"

using namespace kiosk;
using namespace kiosk::store;
using kiosk::test::At;

namespace {

struct Clinic {
    test::TempDir dir;
    std::unique_ptr<Store> store = test::OpenStoreIn(dir);

    long long Count(const std::string& sql) {
        SQLite::Database db((dir.path() / "kiosk.db").string(), SQLite::OPEN_READONLY);
        return db.execAndGet(sql).getInt64();
    }
    bool HasPerson(const std::string& ref) {
        return store->Clinic().Person(ref).value().has_value();
    }
    long long Credentials(const std::string& ref) {
        return Count("SELECT count(*) FROM credential WHERE person_ref = '" + ref + "'");
    }
    void Run(const std::function<Status(WriteTx&)>& work) {
        const Status s = store->Transaction(work);
        REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().log));
    }
    /// An attendance row with its "encounter" outbox item; `delivered` marks the item so.
    void Attend(const std::string& session, const std::string& person, Instant at, bool delivered) {
        const std::string id = AttendanceIdentifier(session, person);
        Run([&](WriteTx& tx) -> Status {
            if (auto s = store->Attendance().Insert(
                    tx, {id, session, person, at, std::nullopt, "scan", "k1"});
                !s) {
                return s;
            }
            return store->Outbox().EnqueueEncounter(tx, id, at);
        });
        if (delivered) {
            Deliver(id);
        }
    }
    void Deliver(const std::string& subject) {
        const auto pending = store->Outbox().Items("pending", 1000).value();
        for (const auto& item : pending) {
            if (item.subject == subject) {
                REQUIRE(
                    store->Outbox().MarkDelivered({item.seq}, item.created_at + Seconds{30}).ok());
            }
        }
    }
    /// A referral of `person` by the case manager, one item whose ServiceRequest is queued.
    void Refer(const std::string& id, const std::string& person, Instant at, bool delivered) {
        Referral r;
        r.id = id;
        r.created_at = at;
        r.staff_ref = "Practitioner/cm";
        r.person_ref = person;
        r.kiosk_id = "k1";
        r.language = "en";
        r.paper = "letter";
        r.print_state = "printed";
        r.items = {{id + "-req", "hsds:svc-1", "Food Pantry", "food"}};
        Run([&](WriteTx& tx) -> Status {
            if (auto s = store->Referrals().Insert(tx, r); !s) {
                return s;
            }
            return store->Outbox().EnqueueReferral(
                tx,
                {id + "-req", person, r.staff_ref, "", "hsds:svc-1", "food", "", at, id, "", ""},
                at);
        });
        if (delivered) {
            Deliver(id + "-req");
        }
    }
};

PersonRow Person(const std::string& ref, const std::string& card) {
    PersonRow p{ref, "Given", "Family", std::nullopt, {}};
    p.credentials.push_back({Sha256Hex(card), ref, std::nullopt, std::nullopt});
    return p;
}

}  // namespace

TEST_CASE("at a new week people, cards, sessions and referrals nobody needs are purged") {
    Clinic c;
    ClinicBatch b;
    b.sites.push_back({"site-main", "Clinic", "America/Los_Angeles"});
    for (const char* ref : {"Patient/gone", "Patient/waiting", "Patient/next-week",
                            "Patient/referred", "Patient/referred-done", "Patient/undone",
                            "RelatedPerson/mother", "Practitioner/old-fac", "Practitioner/new-fac",
                            "Practitioner/front-desk", "Practitioner/left", "Practitioner/cm"}) {
        b.persons.push_back(Person(ref, std::string("card-") + ref));
    }
    // Next week's participant also has a card that ended last week (a lost one, replaced).
    b.persons[2].credentials.push_back(
        {Sha256Hex("lost-card"), "Patient/next-week", std::nullopt, At(12, 0, 8)});
    b.staff.push_back({"Practitioner/front-desk", std::vector<std::string>{"front-desk"},
                       std::string("$argon2id$pin-1")});
    b.staff.push_back({"Practitioner/cm", std::vector<std::string>{"case-manager"},
                       std::string("$argon2id$pin-2")});
    b.staff.push_back(
        {"Practitioner/left", std::vector<std::string>{}, std::string("$argon2id$pin-3")});
    b.sessions.push_back({"s-old",
                          "Process Group",
                          "",
                          "Practitioner/old-fac",
                          At(9, 0),
                          At(10, 0),
                          "booked",
                          {"Patient/gone", "RelatedPerson/mother"},
                          ""});
    b.sessions.push_back({"s-waiting",
                          "DBT Skills",
                          "",
                          "Practitioner/old-fac",
                          At(11, 0),
                          At(12, 0),
                          "booked",
                          {"Patient/waiting"},
                          ""});
    b.sessions.push_back({"s-undone",
                          "Relapse Prevention",
                          "",
                          "",
                          At(13, 0),
                          At(14, 0),
                          "booked",
                          {"Patient/undone"},
                          ""});
    b.sessions.push_back({"s-next",
                          "Process Group",
                          "",
                          "Practitioner/new-fac",
                          At(9, 0, 14),
                          At(10, 0, 14),
                          "booked",
                          {"Patient/next-week"},
                          ""});
    REQUIRE(c.store->Clinic().Apply(b).ok());
    REQUIRE(c.store->Clinic().SaveRelatedPatients({{"RelatedPerson/mother", "Patient/gone"}}).ok());

    c.Attend("s-old", "Patient/gone", At(8, 55), true);
    c.Attend("s-old", "RelatedPerson/mother", At(8, 56), true);
    c.Attend("s-waiting", "Patient/waiting", At(10, 55), false);  // never reached the server
    // A manual check-in undone last week whose withdrawal still waits to be sent: its change
    // rows say what was withdrawn, and the pusher needs them.
    const std::string undone = AttendanceIdentifier("s-undone", "Patient/undone");
    c.Run([&](WriteTx& tx) -> Status {
        AttendanceChange ch{undone,    "s-undone",  "Patient/undone",          "undo",
                            "mistake", "a mistake", "Practitioner/front-desk", "k1",
                            At(13, 5), At(13, 1)};
        if (auto s = c.store->Attendance().RecordChange(tx, ch); !s) {
            return s;
        }
        return c.store->Outbox().EnqueueEncounter(tx, undone, At(13, 5));
    });
    c.Refer("ref-waiting", "Patient/referred", At(15, 0), false);
    c.Refer("ref-done", "Patient/referred-done", At(15, 5), true);
    c.Refer("ref-this-week", "Patient/next-week", At(9, 30, 12), true);

    auto report = c.store->PurgeDelivered(At(0, 0, 12));
    REQUIRE(report.ok());

    // Sessions: last week's with nothing left waiting go, with their enrolment.
    CHECK_FALSE(c.store->Clinic().SessionById("s-old").value().has_value());
    CHECK(c.Count("SELECT count(*) FROM enrolment WHERE session_id = 's-old'") == 0);
    CHECK(c.store->Clinic().SessionById("s-waiting").value().has_value());
    CHECK(c.store->Clinic().SessionById("s-undone").value().has_value());
    CHECK(c.store->Clinic().SessionById("s-next").value().has_value());
    CHECK(report->sessions == 1);
    // People, with their cards, PINs and family links.
    for (const char* gone :
         {"Patient/gone", "RelatedPerson/mother", "Practitioner/left", "Patient/referred-done"}) {
        CAPTURE(gone);
        CHECK_FALSE(c.HasPerson(gone));
        CHECK(c.Credentials(gone) == 0);
    }
    // Practitioner/old-fac has no role but still facilitates s-waiting, which is kept.
    for (const char* kept : {"Patient/waiting", "Patient/undone", "Patient/next-week",
                             "Patient/referred", "Practitioner/old-fac", "Practitioner/new-fac",
                             "Practitioner/front-desk", "Practitioner/cm"}) {
        CAPTURE(kept);
        CHECK(c.HasPerson(kept));
    }
    // A kept person keeps their ended card: used this week, it is audited as revoked.
    CHECK(c.Credentials("Patient/next-week") == 2);
    CHECK(c.store->Clinic().FindCredential(Sha256Hex("lost-card")).value().has_value());
    CHECK(c.Count("SELECT count(*) FROM staff_pin WHERE person_ref = 'Practitioner/left'") == 0);
    CHECK(c.Count("SELECT count(*) FROM staff_pin WHERE person_ref = 'Practitioner/front-desk'") ==
          1);
    CHECK_FALSE(c.store->Clinic().RelatedPatient("RelatedPerson/mother").value().has_value());
    // Referrals: the delivered one of last week goes with its items; the waiting one stays.
    CHECK_FALSE(c.store->Referrals().ById("ref-done").value().has_value());
    CHECK(c.Count("SELECT count(*) FROM referral_item WHERE referral_id = 'ref-done'") == 0);
    CHECK(c.store->Referrals().ById("ref-waiting").value()->items.size() == 1);
    CHECK(c.store->Referrals().ById("ref-this-week").value().has_value());
    CHECK(report->referrals == 1);
    // Nothing unsent lost: the waiting check-in, the undo's change rows, the referral's item.
    CHECK(c.store->Attendance()
              .ByIdentifier(AttendanceIdentifier("s-waiting", "Patient/waiting"))
              .value()
              .has_value());
    CHECK(c.store->Attendance().Changes(undone).value().size() == 1);
    CHECK(c.store->Attendance().WithdrawnCheckIn(undone).value() == At(13, 1));
    CHECK(c.store->Outbox().Summary().value().pending == 3);
    CHECK(c.store->PurgeDelivered(At(0, 0, 12)).value().Total() == 0);  // idempotent
}

TEST_CASE("once what waited is delivered, the next purge takes it and its people too") {
    Clinic c;
    ClinicBatch b;
    b.persons.push_back(Person("Patient/waiting", "card-w"));
    b.sessions.push_back({"s-waiting",
                          "DBT Skills",
                          "",
                          "",
                          At(11, 0),
                          At(12, 0),
                          "booked",
                          {"Patient/waiting"},
                          ""});
    REQUIRE(c.store->Clinic().Apply(b).ok());
    c.Attend("s-waiting", "Patient/waiting", At(10, 55), false);
    c.Refer("ref-waiting", "Patient/waiting", At(15, 0), false);
    REQUIRE(c.store->PurgeDelivered(At(0, 0, 12)).value().Total() == 0);
    CHECK(c.HasPerson("Patient/waiting"));

    c.Deliver(AttendanceIdentifier("s-waiting", "Patient/waiting"));
    c.Deliver("ref-waiting-req");
    auto report = c.store->PurgeDelivered(At(0, 0, 12));
    REQUIRE(report.ok());
    CHECK(report->attendance == 1);
    CHECK(report->sessions == 1);
    CHECK(report->referrals == 1);
    CHECK(report->persons == 1);
    CHECK(report->credentials == 1);
    CHECK(c.Count("SELECT count(*) FROM person") == 0);
    CHECK(c.Count("SELECT count(*) FROM outbox") == 0);
}

TEST_CASE("staff keep their person row and PIN while they hold a role, and lose them after") {
    Clinic c;
    ClinicBatch b;
    b.persons.push_back(Person("Practitioner/p7", "badge-7"));
    b.staff.push_back(
        {"Practitioner/p7", std::vector<std::string>{"facilitator"}, std::string("$argon2id$pin")});
    REQUIRE(c.store->Clinic().Apply(b).ok());
    REQUIRE(c.store->PurgeDelivered(At(0, 0, 12)).value().persons == 0);
    CHECK(c.store->Staff().AccountOf("Practitioner/p7").value().has_value());

    ClinicBatch ended;  // the role ended on the server (the pull replaces the person's roles)
    ended.staff.push_back({"Practitioner/p7", std::vector<std::string>{}, std::nullopt});
    REQUIRE(c.store->Clinic().Apply(ended).ok());
    auto report = c.store->PurgeDelivered(At(0, 0, 12));
    CHECK(report->persons == 1);
    CHECK_FALSE(c.HasPerson("Practitioner/p7"));
    CHECK(c.Count("SELECT count(*) FROM staff_pin") == 0);
    CHECK(c.Count("SELECT count(*) FROM credential") == 0);
}
