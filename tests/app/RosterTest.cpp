// Rosters and corrections (SCREENS.md 6, issue 5.3-5.4): status transitions, weekly hours and
// the at-risk mark across the week (pure rules first, then through the app on the demo clinic),
// live updates from another connection, and manual check-in, check-out and undo with their rows.
#include <algorithm>

#include "AppFixture.h"

#include "kiosk/app/RosterRules.h"

using namespace kiosk;
using namespace kiosk::test;

namespace {

const RosterWindows kWindows{Minutes{10}, Minutes{15}};

const RosterLineView* Line(const AppFixture& f, const std::string& name) {
    for (const auto& l : f.Staff().roster.lines) {
        if (l.name == name) {
            return &l;
        }
    }
    return nullptr;
}

void OpenRoster(AppFixture& f, const std::string& session_id) {
    f.SignIn(kFacilitatorRosa, kRosaPin);
    f.Do(intent::home::OpenRosters{});
    f.Do(intent::sessions::OpenSession{session_id});
    REQUIRE(f.Staff().page == StaffPage::kRoster);
}

}  // namespace

TEST_CASE("status in a session: not yet, no-show at 15 minutes, arrived, late, checked out") {
    const SessionSlot s{"s1", At(9, 0), At(10, 0)};
    CHECK(StatusInSession(s, std::nullopt, At(8, 30), kWindows).state == RosterState::kNotYet);
    CHECK(StatusInSession(s, std::nullopt, At(9, 14), kWindows).state == RosterState::kNotYet);
    CHECK(StatusInSession(s, std::nullopt, At(9, 15), kWindows).state == RosterState::kNoShow);
    auto early =
        StatusInSession(s, AttendanceMark{"s1", At(8, 57), std::nullopt}, At(9, 30), kWindows);
    CHECK(early.state == RosterState::kArrived);
    CHECK(early.at == At(8, 57));
    CHECK(StatusInSession(s, AttendanceMark{"s1", At(9, 10), std::nullopt}, At(9, 30), kWindows)
              .state == RosterState::kArrived);
    auto late =
        StatusInSession(s, AttendanceMark{"s1", At(9, 12), std::nullopt}, At(9, 30), kWindows);
    CHECK(late.state == RosterState::kLate);
    CHECK(late.at == At(9, 12));
    auto left = StatusInSession(s, AttendanceMark{"s1", At(8, 57), At(9, 40)}, At(9, 45), kWindows);
    CHECK(left.state == RosterState::kCheckedOut);
    CHECK(left.at == At(9, 40));
    // Closed at the session's end (by the automatic check-out): they stayed, still "late 9:12".
    CHECK(
        StatusInSession(s, AttendanceMark{"s1", At(9, 12), At(10, 0)}, At(12, 0), kWindows).state ==
        RosterState::kLate);
}

TEST_CASE("weekly hours and at-risk: what the rest of the week's sessions can still give") {
    // An adult's week: Mon, Wed, Fri, three back-to-back hours each (9 h, exactly the target).
    std::vector<SessionSlot> week;
    for (unsigned day : {2u, 4u, 6u}) {  // 2026-03-02 is a Monday
        for (int h : {9, 10, 11}) {
            week.push_back({"d" + std::to_string(day) + "h" + std::to_string(h), At(h, 0, day, 3),
                            At(h + 1, 0, day, 3)});
        }
    }
    const Instant week_start = LosAngeles().StartOfIsoWeek(At(8, 0, 4, 3));
    const Instant week_end = LosAngeles().EndOfIsoWeek(At(8, 0, 4, 3));
    const Seconds target{9 * 3600};
    std::vector<AttendanceMark> monday = {{"d2h9", At(9, 0, 2, 3), At(10, 0, 2, 3)},
                                          {"d2h10", At(9, 0, 2, 3), At(11, 0, 2, 3)},
                                          {"d2h11", At(9, 0, 2, 3), At(12, 0, 2, 3)}};

    // Wednesday 8:00: 3 h done, 6 h still scheduled: reachable, not at risk.
    auto p = ProgressInWeek(week, monday, week_start, week_end, At(8, 0, 4, 3), target);
    CHECK(p.attended == Seconds{3 * 3600});
    CHECK(p.reachable == Seconds{9 * 3600});
    CHECK_FALSE(p.at_risk);

    // Wednesday 9:20 and not here yet: 20 minutes of the first session are gone for good.
    p = ProgressInWeek(week, monday, week_start, week_end, At(9, 20, 4, 3), target);
    CHECK(p.reachable == Seconds{9 * 3600 - 20 * 60});
    CHECK(p.at_risk);

    // Checked in at 9:00 and still there at 9:20: on track, the running session counts to its end.
    auto wed = monday;
    for (const char* id : {"d4h9", "d4h10", "d4h11"}) {
        wed.push_back({id, At(9, 0, 4, 3), std::nullopt});
    }
    p = ProgressInWeek(week, wed, week_start, week_end, At(9, 20, 4, 3), target);
    CHECK(p.attended == Seconds{3 * 3600 + 20 * 60});
    CHECK(p.reachable == Seconds{9 * 3600});
    CHECK_FALSE(p.at_risk);

    // Left at 10:30: the rest of Wednesday cannot count any more.
    for (auto& m : wed) {
        if (m.session_id.rfind("d4", 0) == 0) {
            m.checked_out = At(10, 30, 4, 3);
        }
    }
    p = ProgressInWeek(week, wed, week_start, week_end, At(10, 40, 4, 3), target);
    CHECK(p.attended == Seconds{4 * 3600 + 30 * 60});
    CHECK(p.reachable == Seconds{7 * 3600 + 30 * 60});
    CHECK(p.at_risk);

    // An adolescent's 6 h target is reachable with the same week; no target, never at risk.
    CHECK_FALSE(ProgressInWeek(week, wed, week_start, week_end, At(10, 40, 4, 3), Seconds{6 * 3600})
                    .at_risk);
    CHECK_FALSE(
        ProgressInWeek(week, {}, week_start, week_end, At(10, 40, 4, 3), Seconds{0}).at_risk);
}

TEST_CASE("the session list: time, group, room, facilitator, arrived of expected; a room filter") {
    AppFixture f;
    f.Scan(kJose);
    f.Wait(Seconds{11});
    f.SignIn(kFacilitatorRosa, kRosaPin);
    f.Do(intent::home::OpenRosters{});
    REQUIRE(f.Staff().page == StaffPage::kSessions);
    const auto& sessions = f.Staff().sessions.sessions;
    REQUIRE(sessions.size() >= 3);
    CHECK(sessions[0].time == "8:10 AM");
    CHECK(sessions[0].group == "Process Group");
    CHECK(sessions[0].room == "Oak Room");
    CHECK(sessions[0].facilitator == "Rosa Delgado");
    CHECK(sessions[0].arrived == "1 of 17 arrived");
    CHECK(sessions[1].time == "9:10 AM");
    f.Do(intent::sessions::ChooseRoom{"room-maple"});
    REQUIRE(f.Staff().sessions.sessions.size() == 1);
    CHECK(f.Staff().sessions.sessions[0].group == "DBT Skills");
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'roster-view'") == 0);
    f.Do(intent::sessions::OpenSession{f.Staff().sessions.sessions[0].id});
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'roster-view' AND actor = "
                  "'Practitioner/prac-01' "
                  "AND subject = 'appt-wed-am2'") == 1);
}

TEST_CASE("the session list opens on what is happening now, and each fresh visit starts there") {
    AppFixture f;
    f.Wait(Seconds{75 * 60});  // 9:15: the 8:10 Process Group has ended, 9:10's DBT Skills runs
    f.SignIn(kFacilitatorRosa, kRosaPin);
    f.Do(intent::home::OpenRosters{});
    const SessionsView* s = &f.Staff().sessions;
    REQUIRE(s->sessions.size() >= 3);
    CHECK(s->sessions[0].ended);
    CHECK(s->start_row == 1);
    CHECK(s->sessions[1].group == "DBT Skills");
    CHECK_FALSE(s->sessions[1].ended);
    // Choosing a room is a fresh visit: the Oak Room's list opens on its next session.
    const unsigned opened = f.Staff().list_visit;
    f.Do(intent::sessions::ChooseRoom{"room-oak"});
    s = &f.Staff().sessions;
    CHECK(f.Staff().list_visit != opened);
    REQUIRE(s->sessions.size() >= 2);
    CHECK(s->sessions[static_cast<std::size_t>(s->start_row)].group == "Relapse Prevention");
    CHECK(s->sessions[static_cast<std::size_t>(s->start_row) - 1].ended);
    // The live refresh keeps the visit (and so the page staff paged to).
    const unsigned oak = f.Staff().list_visit;
    f.Wait(Seconds{20});
    CHECK(f.Staff().list_visit == oak);
    // A roster, then back: a fresh visit again.
    f.Do(intent::sessions::OpenSession{s->sessions[0].id});
    CHECK(f.Staff().list_visit != oak);
    const unsigned roster = f.Staff().list_visit;
    f.Do(intent::roster::Sort{false});
    CHECK(f.Staff().list_visit != roster);
}

TEST_CASE("after the day's last session the list opens on it, not on the morning") {
    AppFixture f;
    f.Wait(Seconds{11 * 3600});  // 19:00: the day's sessions have all ended
    f.SignIn(kFacilitatorRosa, kRosaPin);
    f.Do(intent::home::OpenRosters{});
    const SessionsView& s = f.Staff().sessions;
    REQUIRE(s.sessions.size() >= 3);
    CHECK(std::all_of(s.sessions.begin(), s.sessions.end(),
                      [](const SessionLineView& l) { return l.ended; }));
    CHECK(s.start_row == static_cast<int>(s.sessions.size()) - 1);
}

TEST_CASE("a roster shows each person's status and week, and follows the clock and other kiosks") {
    AppFixture f;
    f.Scan(kJose);  // 8:00, ten minutes before the block
    f.Wait(Seconds{11});
    OpenRoster(f, "appt-wed-am1");
    const RosterLineView* jose = Line(f, "José Núñez");
    REQUIRE(jose != nullptr);
    CHECK(jose->status == "Arrived 8:00 AM");
    CHECK(jose->tone == StatusTone::kGood);
    CHECK(jose->can_check_out);
    CHECK_FALSE(jose->can_check_in);
    CHECK(jose->hours.find(" of 9 h") != std::string::npos);
    const RosterLineView* linda = Line(f, "Linda Patterson");
    REQUIRE(linda != nullptr);
    CHECK(linda->status == "Not yet");
    CHECK(linda->can_check_in);

    // Another kiosk's check-in arrives through sync (another connection): shown within seconds.
    auto other = store::Store::Open(f.dir.path() / "kiosk.db", kiosk::test::TestAuditKey()).value();
    const std::string id = store::AttendanceIdentifier("appt-wed-am1", "Patient/pat-02");
    store::ClinicBatch batch;
    batch.attendance.push_back(
        {id, "appt-wed-am1", "Patient/pat-02", At(8, 1, 4, 3), std::nullopt, "server", "lobby-2"});
    REQUIRE(other->Clinic().Apply(batch).ok());
    f.Wait(Seconds{3});
    REQUIRE(Line(f, "Linda Patterson") != nullptr);
    CHECK(Line(f, "Linda Patterson")->status == "Arrived 8:01 AM");

    // Fifteen minutes into the session, nobody recorded is a no-show; sorted first.
    f.Wait(Minutes{25});                   // 8:25:14
    f.SignIn(kFacilitatorRosa, kRosaPin);  // the idle lock closed it meanwhile
    f.Do(intent::home::OpenRosters{});
    f.Do(intent::sessions::OpenSession{"appt-wed-am1"});
    CHECK(f.Staff().roster.lines.front().status == "No-show");
    CHECK(f.Staff().roster.lines.front().tone == StatusTone::kBad);
    CHECK(f.Staff().roster.lines.back().status.rfind("Arrived", 0) == 0);
    f.Do(intent::roster::Sort{false});
    std::vector<std::string> names;
    for (const auto& l : f.Staff().roster.lines) {
        names.push_back(l.name);
    }
    CHECK(names.front() == "Robert Chen");  // family names in order: Chen, Domínguez, ...

    // A late arrival scans at 8:26.
    f.Scan(kLinda);  // already in via the other kiosk: the scan says so, and locks the roster
    CHECK(f.Result().tone == ResultTone::kAlreadyIn);
}

TEST_CASE("the roster filter narrows by name through the on-screen keyboard, accents folded") {
    AppFixture f;
    OpenRoster(f, "appt-wed-am1");
    f.Do(intent::roster::EditFilter{});
    REQUIRE(f.Staff().keyboard.has_value());
    for (const char* k : {"n", "u", "n"}) {
        f.Do(intent::keyboard::Text{k});
    }
    f.Do(intent::keyboard::Accents{});
    CHECK(f.Staff().keyboard->rows[1][0].label == "\xc3\xa1");
    f.Do(intent::keyboard::Accents{});
    f.Do(intent::keyboard::Text{"e"});
    f.Do(intent::keyboard::Text{"z"});
    REQUIRE(f.Staff().roster.lines.size() == 1);
    CHECK(f.Staff().roster.lines[0].name == "José Núñez");
    f.Do(intent::keyboard::Done{});
    CHECK_FALSE(f.Staff().keyboard.has_value());
    CHECK(f.Staff().roster.filter_text == "nunez");
    f.Do(intent::roster::ClearFilter{});
    CHECK(f.Staff().roster.lines.size() == 17);
}

TEST_CASE("a manual check-in is recorded like a scan, plus who and why; undo withdraws it") {
    AppFixture f;
    OpenRoster(f, "appt-wed-am1");
    f.Do(intent::roster::CheckIn{"Patient/pat-01"});
    REQUIRE(f.Staff().correction.has_value());
    CHECK(f.Staff().correction->title == "Check in by hand: José Núñez");
    CHECK_FALSE(f.Staff().correction->can_confirm);  // a reason first
    f.Do(intent::correction::Confirm{});
    CHECK(f.Count("SELECT count(*) FROM attendance") ==
          f.Count("SELECT count(*) FROM attendance WHERE source = 'server'"));
    f.Do(intent::correction::ChooseReason{"forgot-card"});
    CHECK(f.Staff().correction->can_confirm);
    f.Do(intent::correction::Confirm{});
    CHECK_FALSE(f.Staff().correction.has_value());
    CHECK(f.Staff().notice == "José Núñez: checked in by hand.");
    CHECK(Line(f, "José Núñez")->status == "Arrived 8:00 AM");
    CHECK(Line(f, "José Núñez")->by_hand == "by hand");
    CHECK(Line(f, "José Núñez")->can_undo);

    // The whole block, like a scan: three sessions, each with its encounter and provenance items.
    CHECK(f.Count("SELECT count(*) FROM attendance WHERE person_ref = 'Patient/pat-01' AND source "
                  "= 'manual' "
                  "AND recorded_by = 'Practitioner/prac-01' AND checked_out_at IS NULL") == 3);
    CHECK(f.Count("SELECT count(*) FROM outbox o JOIN attendance a ON a.identifier = o.subject "
                  "WHERE a.person_ref = 'Patient/pat-01' AND o.kind = 'encounter'") == 3);
    CHECK(f.Count("SELECT count(*) FROM outbox o JOIN attendance a ON a.identifier = o.subject "
                  "WHERE a.person_ref = 'Patient/pat-01' AND o.kind = 'provenance' "
                  "AND o.payload LIKE '%\"agent\":\"Practitioner/prac-01\"%' "
                  "AND o.payload LIKE '%\"reason\":\"forgot card\"%' "
                  "AND o.payload LIKE '%\"activity\":\"check-in\"%'") == 3);
    // Each provenance item follows its encounter item.
    CHECK(f.Count("SELECT count(*) FROM outbox p JOIN outbox e ON e.subject = p.subject AND e.kind "
                  "= 'encounter' "
                  "WHERE p.kind = 'provenance' AND p.seq < e.seq") == 0);
    CHECK(f.Count("SELECT count(*) FROM attendance_change WHERE person_ref = 'Patient/pat-01' AND "
                  "activity = 'check-in' "
                  "AND reason_code = 'forgot-card' AND staff_ref = 'Practitioner/prac-01' AND "
                  "kiosk_id = 'test-lobby'") == 3);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'manual-check-in' AND actor = "
                  "'Practitioner/prac-01' "
                  "AND subject = 'Patient/pat-01' AND detail LIKE '%reason: forgot card'") == 1);

    f.Do(intent::roster::Undo{"Patient/pat-01"});
    CHECK(f.Staff().notice == "José Núñez: check-in undone.");
    CHECK(Line(f, "José Núñez")->status == "Not yet");
    CHECK_FALSE(Line(f, "José Núñez")->can_undo);
    CHECK(f.Count("SELECT count(*) FROM attendance WHERE person_ref = 'Patient/pat-01' AND "
                  "checked_in_at > 1700000000 "
                  "AND session_id LIKE 'appt-wed-%'") == 0);
    CHECK(f.Count("SELECT count(*) FROM attendance_change WHERE activity = 'undo' AND "
                  "withdrawn_check_in IS NOT NULL") == 3);
    CHECK(f.Count("SELECT count(*) FROM outbox WHERE kind = 'provenance' AND payload LIKE "
                  "'%\"activity\":\"undo\"%'") == 3);
    CHECK(f.Count("SELECT count(*) FROM outbox WHERE kind = 'encounter'") == 6);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'manual-undo'") == 1);

    // The person can still check in for real afterwards: the same identifiers, fresh rows.
    f.Scan(kJose);
    CHECK(f.Result().tone == ResultTone::kCheckedIn);
    CHECK(f.Count("SELECT count(*) FROM attendance WHERE person_ref = 'Patient/pat-01' AND source "
                  "= 'scan'") == 3);
    CHECK_FALSE(f.store->Audit().Verify()->first_bad_seq.has_value());
}

TEST_CASE("undo is only for this sign-in's manual check-ins, while still open") {
    AppFixture f;
    OpenRoster(f, "appt-wed-am1");
    f.Do(intent::roster::CheckIn{"Patient/pat-01"});
    f.Do(intent::correction::ChooseReason{"phone-dead"});
    f.Do(intent::correction::Confirm{});
    f.Do(intent::frame::Cancel{});  // sign out
    OpenRoster(f, "appt-wed-am1");
    CHECK_FALSE(Line(f, "José Núñez")->can_undo);
    f.Do(intent::roster::Undo{"Patient/pat-01"});
    CHECK(f.Count("SELECT count(*) FROM attendance WHERE source = 'manual'") == 3);
}

TEST_CASE(
    "a manual check-out with 'other' and typed text; a scan's check-in can be closed by hand") {
    AppFixture f;
    f.Scan(kJose);
    f.Wait(Minutes{20});  // 8:20, inside the first session
    OpenRoster(f, "appt-wed-am1");
    REQUIRE(Line(f, "José Núñez")->can_check_out);
    f.Do(intent::roster::CheckOut{"Patient/pat-01"});
    CHECK(f.Staff().correction->title == "Check out by hand: José Núñez");
    f.Do(intent::correction::ChooseReason{"other"});
    REQUIRE(f.Staff().keyboard.has_value());  // "other" asks for words
    CHECK(f.Staff().correction->wants_text);
    CHECK_FALSE(f.Staff().correction->can_confirm);
    f.Do(intent::keyboard::Shift{});
    for (const char* k : {"B", "u", "s", " ", "h", "o", "m", "e"}) {
        f.Do(intent::keyboard::Text{k});
    }
    f.Do(intent::keyboard::Text{"\x01"});  // not a key of the keyboard: ignored
    f.Do(intent::keyboard::Done{});
    CHECK(f.Staff().correction->text == "Bus home");
    f.Do(intent::correction::Confirm{});
    CHECK(Line(f, "José Núñez")->status == "Checked out 8:20 AM");
    CHECK(f.Count("SELECT count(*) FROM attendance WHERE person_ref = 'Patient/pat-01' AND "
                  "session_id LIKE 'appt-wed-%' "
                  "AND checked_out_at IS NOT NULL") == 3);
    CHECK(f.Count("SELECT count(*) FROM attendance_change WHERE activity = 'check-out' AND "
                  "reason_code = 'other' "
                  "AND reason_text = 'other: Bus home'") == 3);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'manual-check-out' AND detail LIKE "
                  "'%other: Bus home'") == 1);
}

TEST_CASE("corrections need a signed-in person with rosters; nothing happens otherwise") {
    AppFixture f;
    f.Do(intent::roster::CheckIn{"Patient/pat-01"});
    f.Do(intent::correction::ChooseReason{"forgot-card"});
    f.Do(intent::correction::Confirm{});
    f.Scan(kFacilitatorRosa);  // at the PIN step, not signed in yet
    f.Do(intent::home::OpenRosters{});
    f.Do(intent::roster::CheckIn{"Patient/pat-01"});
    CHECK(f.Staff().page == StaffPage::kPin);
    CHECK(f.Count("SELECT count(*) FROM attendance WHERE source = 'manual'") == 0);
}
