// OutboxPusher: pushing the outbox to the real test server: check-ins and check-outs become one
// Encounter each, a family member's with the patient as subject, provenance and referrals go out
// once, and a permanent refusal is kept, audited and shown.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "TestClinic.h"
#include "kiosk/core/Iso8601.h"
#include "sync/EncounterWrite.h"

using namespace kiosk;
using namespace kiosk::test;
using nlohmann::json;

namespace {

json OnlyEncounter(FhirTestServer& server, const std::string& identifier) {
    auto all = server.All("Encounter", "identifier=urn%3Aiop-kiosk%3Aattendance%7C" + identifier);
    REQUIRE(all.size() == 1);
    return all[0];
}

}  // namespace

TEST_CASE("check-ins and check-outs are pushed and found on the server, one Encounter each") {
    auto& server = SharedServer();
    server.ResetData();
    const auto& c = TestClinic::Get();
    TestKiosk kiosk(server);
    REQUIRE(kiosk.Sync().ok());
    server.ResetStats();

    const auto id1 = kiosk.CheckIn(c.sessions[0], TestClinic::Patient(1), c.starts[0] - Minutes{5});
    const auto id2 = kiosk.CheckIn(c.sessions[1], TestClinic::Patient(2), c.starts[1] + Minutes{2});
    const auto idf = kiosk.CheckIn(c.family_session, TestClinic::kFamily, c.starts[1] - Minutes{1});
    const auto id3 = kiosk.CheckIn(c.sessions[2], TestClinic::Patient(3), c.starts[2]);
    kiosk.CheckOut(id3, c.starts[2] + Minutes{40});
    REQUIRE(kiosk.Pending() == 5);

    auto r = kiosk.Sync();
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().log));
    CHECK(r->push.delivered == 5);
    CHECK(r->push.unchanged == 1);  // the check-in and its check-out went out as one write
    CHECK(r->push.rejected == 0);
    CHECK(kiosk.Pending() == 0);
    CHECK(server.Requests("POST Encounter") == 4);
    CHECK(server.Requests("PUT Encounter") == 0);

    for (const auto& id : {id1, id2, idf, id3}) {
        CHECK(server.EncountersWith(id) == 1);
        CHECK(kiosk.OutboxState(id) == "delivered");
    }
    const json e3 = OnlyEncounter(server, id3);
    CHECK(e3["status"] == "finished");
    CHECK(e3["period"]["end"] == FormatDateTimeUtc(c.starts[2] + Minutes{40}));
    CHECK(e3["class"]["code"] == "AMB");
    CHECK(e3["appointment"][0]["reference"] == "Appointment/" + c.sessions[2]);
    CHECK(e3["location"][0]["location"]["reference"] == "Location/room-a");

    // R4: a RelatedPerson cannot be Encounter.subject. The patient is the subject, the family
    // member the participant, and the identifier is still the family member's own.
    const json ef = OnlyEncounter(server, idf);
    CHECK(ef["subject"]["reference"] == TestClinic::kFamilyPatient);
    CHECK(ef["participant"][0]["individual"]["reference"] == TestClinic::kFamily);
    CHECK(ef["participant"][0]["type"][0]["coding"][0]["code"] == "PART");
    CHECK(ef["appointment"][0]["reference"] == "Appointment/" + c.family_session);

    // A check-out later is one If-Match update, with no read first.
    server.ResetStats();
    kiosk.CheckOut(id1, c.starts[0] + Minutes{50});
    r = kiosk.Sync();
    REQUIRE(r.ok());
    CHECK(server.Requests("PUT Encounter") == 1);
    CHECK(server.Requests("POST Encounter") == 0);
    const json e1 = OnlyEncounter(server, id1);
    CHECK(e1["status"] == "finished");
    CHECK(e1["period"]["start"] == FormatDateTimeUtc(c.starts[0] - Minutes{5}));

    // A second kiosk pulls them back: the family member's Encounter is the family member's.
    TestKiosk other(server, "lobby-2");
    REQUIRE(other.Sync().ok());
    auto back = other.store().Attendance().ByIdentifier(idf).value();
    REQUIRE(back);
    CHECK(back->person_ref == TestClinic::kFamily);
    CHECK(back->session_id == c.family_session);
    const auto patient_rows =
        other.store().Attendance().ForPerson(TestClinic::kFamilyPatient, c.week_start, c.week_end);
    for (const auto& a : patient_rows.value()) {
        CHECK(a.session_id != c.family_session);  // the patient did not come to family therapy
    }
    auto finished = other.store().Attendance().ByIdentifier(id3).value();
    REQUIRE(finished);
    CHECK(finished->checked_out == std::optional<Instant>(c.starts[2] + Minutes{40}));
}

TEST_CASE("a permanent refusal is kept as rejected, audited, shown, and does not block the rest") {
    auto& server = SharedServer();
    server.ResetData();
    const auto& c = TestClinic::Get();
    TestKiosk kiosk(server);
    REQUIRE(kiosk.Sync().ok());
    const auto refused = kiosk.CheckIn(c.sessions[0], TestClinic::Patient(30), c.starts[0]);
    const auto fine = kiosk.CheckIn(c.sessions[0], TestClinic::Patient(31), c.starts[0]);
    server.Faults(json::array({json{{"match", {{"method", "POST"}, {"path", "/Encounter"}}},
                                    {"action", "status"},
                                    {"status", 422}}}));
    auto r = kiosk.Sync();
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().log));
    CHECK(r->push.rejected == 1);
    CHECK(r->push.delivered == 1);
    CHECK(kiosk.OutboxState(refused) == "rejected");
    CHECK(kiosk.OutboxState(fine) == "delivered");
    CHECK(server.EncountersWith(fine) == 1);

    const auto status = kiosk.board.Read();
    CHECK(status.online);
    CHECK(status.outbox_rejected == 1);
    CHECK(status.outbox_pending == 0);
    CHECK(status.last_rejection.find("422") != std::string::npos);
    CHECK(status.last_rejection.find("Injected fault") !=
          std::string::npos);  // the OperationOutcome

    auto rejected = kiosk.store().Outbox().Items("rejected", 10).value();
    REQUIRE(rejected.size() == 1);
    CHECK(rejected[0].last_error.find("422") != std::string::npos);
    CHECK(kiosk.store().Attendance().ByIdentifier(refused).value());  // the check-in itself stays

    SQLite::Database db(kiosk.db().string(), SQLite::OPEN_READONLY);
    SQLite::Statement q(
        db, "SELECT count(*) FROM audit WHERE action = 'sync-rejected' AND subject = ?");
    q.bind(1, refused);
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt() == 1);
    CHECK_FALSE(kiosk.store().Audit().Verify().value().first_bad_seq);
}

TEST_CASE("an outbox item of a kind this kiosk does not know is refused by name; others go on") {
    auto& server = SharedServer();
    server.ResetData();
    const auto& c = TestClinic::Get();
    TestKiosk kiosk(server);
    REQUIRE(kiosk.Sync().ok());
    {
        // Queued by a newer kiosk on the same data directory.
        SQLite::Database db(kiosk.db().string(), SQLite::OPEN_READWRITE);
        db.exec(
            "INSERT INTO outbox (kind, subject, created_at, payload) "
            "VALUES ('appointment', 'apt-1', 100, '{}')");
    }
    const auto fine = kiosk.CheckIn(c.sessions[0], TestClinic::Patient(32), c.starts[0]);
    auto r = kiosk.Sync();
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().log));
    CHECK(r->push.rejected == 1);
    CHECK(r->push.delivered == 1);
    CHECK(kiosk.OutboxState(fine) == "delivered");
    auto rejected = kiosk.store().Outbox().Items("rejected", 10).value();
    REQUIRE(rejected.size() == 1);
    CHECK_FALSE(rejected[0].kind.has_value());
    CHECK(rejected[0].stored_kind == "appointment");
    CHECK(rejected[0].last_error.find("kind 'appointment'") != std::string::npos);
    CHECK_FALSE(kiosk.store().Audit().Verify().value().first_bad_seq);
}

TEST_CASE(
    "provenance of a manual check-in and a referral go out once each, even after a lost answer") {
    auto& server = SharedServer();
    server.ResetData();
    const auto& c = TestClinic::Get();
    TestKiosk kiosk(server);
    REQUIRE(kiosk.Sync().ok());
    const Instant at = c.starts[2] + Minutes{3};
    const auto id = kiosk.CheckIn(c.sessions[2], TestClinic::Patient(40), at);
    const std::string referral = "6f1c2a7e-3b1d-4c2e-9a55-0d1e2f3a4b5c";
    REQUIRE(
        kiosk.store()
            .Transaction([&](store::WriteTx& tx) -> Status {
                if (auto s = kiosk.store().Outbox().EnqueueProvenance(
                        tx, {id, "Practitioner/prac-2", "check-in", "forgot card", "lobby-1", at},
                        at);
                    !s) {
                    return s;
                }
                return kiosk.store().Outbox().EnqueueReferral(
                    tx,
                    {referral, TestClinic::Patient(40), "Practitioner/prac-3", "Organization/org-1",
                     "HealthcareService/hs-1", "housing", "", at, referral, "", ""},
                    at);
            })
            .ok());
    server.Faults(json::array({json{{"match", {{"method", "POST"}, {"path", "/ServiceRequest"}}},
                                    {"action", "drop-after-commit"},
                                    {"count", 2}},
                               json{{"match", {{"method", "POST"}, {"path", "/Provenance"}}},
                                    {"action", "drop-after-commit"},
                                    {"count", 2}}}));
    CHECK_FALSE(kiosk.Sync().ok());  // the Provenance's answer is lost
    CHECK_FALSE(kiosk.Sync().ok());  // the ServiceRequest's answer is lost
    auto r = kiosk.Sync();
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().log));
    CHECK(kiosk.Pending() == 0);

    const json enc = OnlyEncounter(server, id);
    auto provs = server.All("Provenance", "target=Encounter%2F" + enc["id"].get<std::string>());
    REQUIRE(provs.size() == 1);
    CHECK(provs[0]["agent"][0]["who"]["reference"] == "Practitioner/prac-2");
    CHECK(provs[0]["reason"][0]["text"] == "forgot card");
    CHECK(provs[0]["agent"][1]["who"]["identifier"]["value"] == "lobby-1");
    auto srs = server.All("ServiceRequest", "identifier=urn%3Aiop-kiosk%3Areferral%7C" + referral);
    REQUIRE(srs.size() == 1);
    CHECK(srs[0]["subject"]["reference"] == TestClinic::Patient(40));
    CHECK(srs[0]["intent"] == "order");
    CHECK(srs[0]["category"][0]["coding"][0]["code"] == "housing-instability");
    CHECK(srs[0]["performer"][0]["reference"] == "Organization/org-1");
}

TEST_CASE("a manual check-in undone by staff: entered-in-error if it went out, nothing if not") {
    auto& server = SharedServer();
    server.ResetData();
    const auto& c = TestClinic::Get();
    TestKiosk kiosk(server);
    REQUIRE(kiosk.Sync().ok());
    SQLite::Database db(kiosk.db().string(), SQLite::OPEN_READWRITE);
    if (!db.tableExists("attendance_change")) {
        MESSAGE("no attendance_change table (staff screens' migration): skipping");
        return;
    }
    const Instant at = c.starts[1] + Minutes{1};
    // What the staff screens write (CorrectionService): a manual check-in with its provenance,
    // then an undo that deletes the attendance row and keeps the withdrawn check-in.
    auto manual = [&](int patient) {
        const std::string person = TestClinic::Patient(patient);
        const std::string id = store::AttendanceIdentifier(c.sessions[1], person);
        REQUIRE(kiosk.store()
                    .Transaction([&](store::WriteTx& tx) -> Status {
                        if (auto s = kiosk.store().Attendance().Insert(
                                tx, {id, c.sessions[1], person, at, std::nullopt, "manual",
                                     "Practitioner/prac-2"});
                            !s) {
                            return s;
                        }
                        if (auto s = kiosk.store().Outbox().EnqueueEncounter(tx, id, at); !s) {
                            return s;
                        }
                        return kiosk.store().Outbox().EnqueueProvenance(
                            tx,
                            {id, "Practitioner/prac-2", "check-in", "phone dead", "lobby-1", at},
                            at);
                    })
                    .ok());
        return id;
    };
    auto undo = [&](const std::string& id, int patient) {
        const Instant later = at + Minutes{2};
        db.exec("DELETE FROM attendance WHERE identifier = '" + id + "'");
        SQLite::Statement q(
            db,
            "INSERT INTO attendance_change (identifier, session_id, person_ref, activity, "
            "reason_code, reason_text, staff_ref, kiosk_id, at, withdrawn_check_in) "
            "VALUES (?, ?, ?, 'undo', 'mistake', 'undo', 'Practitioner/prac-2', 'lobby-1', ?, ?)");
        q.bind(1, id);
        q.bind(2, c.sessions[1]);
        q.bind(3, TestClinic::Patient(patient));
        q.bind(4, static_cast<int64_t>(later.time_since_epoch().count()));
        q.bind(5, static_cast<int64_t>(at.time_since_epoch().count()));
        q.exec();
        REQUIRE(kiosk.store()
                    .Transaction([&](store::WriteTx& tx) -> Status {
                        if (auto s = kiosk.store().Outbox().EnqueueEncounter(tx, id, later); !s) {
                            return s;
                        }
                        return kiosk.store().Outbox().EnqueueProvenance(
                            tx, {id, "Practitioner/prac-2", "undo", "mistake", "lobby-1", later},
                            later);
                    })
                    .ok());
    };

    // Sent, then undone: the Encounter becomes entered-in-error, with both Provenances.
    const auto sent = manual(41);
    REQUIRE(kiosk.Sync().ok());
    REQUIRE(server.EncountersWith(sent) == 1);
    undo(sent, 41);
    auto r = kiosk.Sync();
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().log));
    CHECK(r->push.rejected == 0);
    const json e = OnlyEncounter(server, sent);
    CHECK(e["status"] == "entered-in-error");
    CHECK(server.All("Provenance", "target=Encounter%2F" + e["id"].get<std::string>()).size() == 2);

    // The person then scans in for real: the same Encounter is live again.
    kiosk.CheckIn(c.sessions[1], TestClinic::Patient(41), at + Minutes{5});
    REQUIRE(kiosk.Sync().ok());
    const json back = OnlyEncounter(server, sent);
    CHECK(back["status"] != "entered-in-error");
    CHECK(back["period"]["start"] == FormatDateTimeUtc(at + Minutes{5}));

    // Undone before it ever went out: nothing reaches the server, nothing is refused.
    const auto never = manual(42);
    undo(never, 42);
    r = kiosk.Sync();
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().log));
    CHECK(r->push.rejected == 0);
    CHECK(r->push.delivered == 4);
    CHECK(server.EncountersWith(never) == 0);
    CHECK(kiosk.Pending() == 0);
}
