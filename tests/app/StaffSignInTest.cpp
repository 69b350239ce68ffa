// Staff sign-in and locking (SCREENS.md 4-5, PRIVACY.md 7-9) on the demo clinic with a fake
// clock: badge then PIN (real argon2id verifiers), the persisted wrong-PIN lock, roles, the idle
// lock with its countdown, and the lock on a participant's scan.
#include "AppFixture.h"

using namespace kiosk;
using namespace kiosk::test;

namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("the Staff button asks for a badge; a participant card is refused there") {
    AppFixture f;
    UiIntents open;
    open.open_staff = true;
    f.model->OnIntents(open);
    REQUIRE(f.Showing() == Screen::kStaff);
    CHECK(f.Staff().page == StaffPage::kBadge);
    CHECK(f.Staff().badge.prompt == "Scan your staff badge");
    f.Scan(kJose);
    CHECK(f.Showing() == Screen::kStaff);
    CHECK(f.Staff().page == StaffPage::kBadge);
    CHECK(f.Staff().badge.message == "That is a participant's card. Please scan a staff badge.");
    CHECK(f.Count("SELECT count(*) FROM attendance WHERE source = 'scan'") == 0);  // not a check-in
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'staff-sign-in-refused' "
                  "AND subject = 'Patient/pat-01'") == 1);
    f.Scan("garbage");
    CHECK(f.Staff().badge.message == "That is not a staff badge.");
}

TEST_CASE("a staff badge scanned in the lobby starts sign-in; the right PIN opens home") {
    AppFixture f;
    f.Scan(kFacilitatorRosa);
    REQUIRE(f.Showing() == Screen::kStaff);
    CHECK(f.Staff().page == StaffPage::kPin);
    CHECK(f.Staff().pin.staff_name == "Rosa Delgado");
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'scan-refused'") == 0);
    for (char c : kRosaPin) {
        f.model->OnText(std::string(1, c));
    }
    CHECK(f.Staff().pin.entered == static_cast<int>(kRosaPin.size()));
    CHECK_FALSE(Contains(f.AllText(), kRosaPin));  // dots only, never the digits
    f.model->OnBackspace();
    CHECK(f.Staff().pin.entered == static_cast<int>(kRosaPin.size()) - 1);
    f.model->OnText(std::string(1, kRosaPin.back()));
    f.model->OnEnter();
    CHECK(f.Staff().pin.busy);  // checked on a worker thread: the screen keeps drawing
    f.model->SettleForTests();
    REQUIRE(f.Staff().page == StaffPage::kHome);
    CHECK(f.Staff().signed_in_as == "Rosa Delgado");
    CHECK(f.Staff().cancel_label == "Sign out");
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'staff-sign-in' "
                  "AND actor = 'Practitioner/prac-01'") == 1);
}

TEST_CASE("a PIN typed fast arrives like a scanner's burst and still signs in") {
    AppFixture f;
    f.Scan(kFacilitatorRosa);
    f.Scan(kRosaPin);  // what the keyboard-burst classifier makes of fast typing
    f.model->SettleForTests();
    CHECK(f.Staff().page == StaffPage::kHome);
}

TEST_CASE("the PIN pad's keys work like the keyboard, and a short PIN costs no try") {
    AppFixture f;
    f.Scan(kFacilitatorRosa);
    for (char d : {'1', '2'}) {
        f.Do(intent::pin::Digit{d});
    }
    f.Do(intent::pin::Submit{});
    f.model->SettleForTests();
    CHECK(f.Staff().page == StaffPage::kPin);
    CHECK(f.Staff().pin.message.empty());
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'staff-sign-in-failed'") == 0);
    f.Do(intent::pin::Erase{});
    f.Do(intent::pin::Erase{});
    for (char c : kRosaPin) {
        f.Do(intent::pin::Digit{c});
    }
    f.Do(intent::pin::Submit{});
    f.model->SettleForTests();
    CHECK(f.Staff().page == StaffPage::kHome);
}

TEST_CASE("five wrong PINs lock the badge for the configured time, across a restart") {
    AppFixture f;
    for (int i = 1; i <= 4; ++i) {
        f.SignIn(kFacilitatorRosa, "0000");
        REQUIRE(f.Staff().page == StaffPage::kPin);
        CHECK(f.Staff().pin.message ==
              "Wrong PIN. " + std::to_string(5 - i) + " tries left before the badge locks.");
    }
    f.SignIn(kFacilitatorRosa, "0000");
    CHECK(f.Staff().page == StaffPage::kBadge);
    CHECK(f.Staff().badge.message ==
          "This badge is locked after too many wrong PINs. Try again after 8:15 AM.");
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'staff-sign-in-failed'") == 5);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE detail LIKE '%badge locked until%'") == 1);

    // A new kiosk process on the same file: the lock holds, even with the right PIN.
    std::map<std::string, Catalog> catalogs;
    for (const char* lang : {"en", "es"}) {
        catalogs.emplace(
            lang, Catalog::LoadMo(std::string(KIOSK_TEST_I18N) + "/" + lang + ".mo", lang).value());
    }
    f.model =
        std::make_unique<AppModel>(f.config, f.clock, LosAngeles(), *f.store, std::move(catalogs));
    f.Wait(Minutes{14});
    f.Scan(kFacilitatorRosa);
    CHECK(f.Staff().page == StaffPage::kBadge);
    CHECK(Contains(f.Staff().badge.message, "locked"));
    // Another badge is not affected.
    f.SignIn(kFrontDeskTomas, kTomasPin);
    CHECK(f.Staff().page == StaffPage::kHome);
    f.Do(intent::frame::Cancel{});
    f.Wait(Minutes{1});  // 15 minutes after the lock
    f.SignIn(kFacilitatorRosa, kRosaPin);
    CHECK(f.Staff().page == StaffPage::kHome);
}

TEST_CASE("a good PIN resets the wrong-PIN count") {
    AppFixture f([](KioskConfig& c) { c.pin_attempts = 3; });
    f.SignIn(kFacilitatorRosa, "1111");
    f.SignIn(kFacilitatorRosa, "2222");
    CHECK(f.Staff().pin.message == "Wrong PIN. 1 tries left before the badge locks.");
    f.SignIn(kFacilitatorRosa, kRosaPin);
    CHECK(f.Staff().page == StaffPage::kHome);
    f.Do(intent::frame::Cancel{});
    f.SignIn(kFacilitatorRosa, "1111");
    CHECK(f.Staff().pin.message == "Wrong PIN. 2 tries left before the badge locks.");
}

TEST_CASE(
    "roles decide what opens: rosters and status for all, resources for case managers, cards for "
    "front desk and case managers") {
    AppFixture f;
    auto tiles = [&] {
        std::vector<std::pair<HomeIntent, bool>> out;
        for (const auto& t : f.Staff().home.tiles) {
            out.emplace_back(t.opens, t.enabled);
        }
        return out;
    };
    f.SignIn(kFrontDeskTomas, kTomasPin);
    CHECK(tiles() == std::vector<std::pair<HomeIntent, bool>>{{intent::home::OpenRosters{}, true},
                                                              {intent::home::OpenCards{}, true},
                                                              {intent::home::OpenStatus{}, true}});
    f.Do(intent::frame::Cancel{});
    f.SignIn(kCaseManagerLucia, kLuciaPin);
    CHECK(tiles() == std::vector<std::pair<HomeIntent, bool>>{{intent::home::OpenRosters{}, true},
                                                              {intent::home::OpenResources{}, true},
                                                              {intent::home::OpenCards{}, true},
                                                              {intent::home::OpenStatus{}, true}});
    f.Do(intent::frame::Cancel{});

    // A practitioner whose roles were all removed on the server opens nothing.
    store::ClinicBatch batch;
    batch.staff.push_back({"Practitioner/prac-06", std::vector<std::string>{}, std::nullopt});
    REQUIRE(f.store->Clinic().Apply(batch).ok());
    f.Scan(kFrontDeskTomas);
    CHECK(f.Staff().page == StaffPage::kBadge);
    CHECK(f.Staff().badge.message ==
          "This badge opens no staff screens. Please see the clinic's administrator.");
    CHECK(PermissionsFor({"front-desk"}).rosters);
    CHECK_FALSE(PermissionsFor({"front-desk"}).resources);
    CHECK(PermissionsFor({"front-desk"}).cards);
    CHECK(PermissionsFor({"case-manager"}).cards);
    CHECK_FALSE(PermissionsFor({"facilitator"}).cards);
    CHECK(PermissionsFor({"case-manager"}).resources);
    CHECK_FALSE(PermissionsFor({}).Any());
}

TEST_CASE("idle: a countdown in the last 15 s, any touch restarts it, then the lock") {
    AppFixture f;
    f.SignIn(kFacilitatorRosa, kRosaPin);
    f.Do(intent::home::OpenRosters{});
    f.Wait(Seconds{74});
    CHECK(f.Staff().countdown.empty());
    CHECK(f.model->NextWakeup() <= f.clock.Now() + Seconds{3});
    f.Wait(Seconds{2});  // 76 s: 14 s left
    CHECK(f.Staff().countdown == "Locking in 14 s. Touch the screen to stay signed in.");
    UiIntents touch;
    touch.touched = true;
    f.model->OnIntents(touch);
    CHECK(f.Staff().countdown.empty());
    f.Wait(Seconds{89});
    CHECK(f.Showing() == Screen::kStaff);
    f.Wait(Seconds{1});
    CHECK(f.Showing() == Screen::kWelcome);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'staff-lock' AND detail LIKE 'idle 90 "
                  "s%'") == 1);
}

TEST_CASE("a wall clock stepped back an hour does not keep a roster open past the idle time") {
    AppFixture f;
    f.SignIn(kFacilitatorRosa, kRosaPin);
    f.Do(intent::home::OpenRosters{});
    f.Wait(Seconds{30});
    f.clock.StepWall(-std::chrono::hours{1});
    f.Wait(Seconds{46});  // 76 s idle: the countdown runs on idle time, not the wall clock
    CHECK(f.Staff().countdown == "Locking in 14 s. Touch the screen to stay signed in.");
    CHECK(f.model->NextWakeup() <= f.clock.Now() + Seconds{1});
    f.Wait(Seconds{13});
    CHECK(f.Showing() == Screen::kStaff);
    f.Wait(Seconds{1});  // 90 s idle
    CHECK(f.Showing() == Screen::kWelcome);
    CHECK(f.Staff().roster.lines.empty());
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'staff-lock' AND detail LIKE 'idle 90 "
                  "s%'") == 1);
}

TEST_CASE("after the lock nothing of the staff screens is left, and no name shows") {
    AppFixture f;
    f.Scan(kJose);
    f.Wait(Seconds{7});
    f.SignIn(kFacilitatorRosa, kRosaPin);
    f.Do(intent::home::OpenRosters{});
    f.Do(intent::sessions::OpenSession{f.Staff().sessions.sessions.front().id});
    REQUIRE(f.Staff().page == StaffPage::kRoster);
    CHECK(Contains(f.AllText(), "José Núñez"));
    f.Wait(Seconds{90});
    REQUIRE(f.Showing() == Screen::kWelcome);
    for (const char* name : {"José", "Núñez", "Linda", "Rosa", "Delgado"}) {
        CHECK_MESSAGE(!Contains(f.AllText(), name), name);
    }
    CHECK(f.Staff().roster.lines.empty());
    CHECK(f.Staff().signed_in_as.empty());
    // Intents for staff pages do nothing now; getting back needs a new sign-in.
    f.Do(intent::home::OpenRosters{});
    CHECK(f.Showing() == Screen::kWelcome);
    UiIntents open;
    open.open_staff = true;
    f.model->OnIntents(open);
    CHECK(f.Staff().page == StaffPage::kBadge);
    CHECK(f.Staff().roster.lines.empty());
}

TEST_CASE("a participant's scan locks the staff screens, then checks them in") {
    AppFixture f;
    f.SignIn(kFacilitatorRosa, kRosaPin);
    f.Do(intent::home::OpenRosters{});
    f.Scan(kJose);
    CHECK(f.Showing() == Screen::kResult);
    CHECK(f.Result().tone == ResultTone::kCheckedIn);
    CHECK(f.Staff().signed_in_as.empty());
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'staff-lock' AND detail LIKE "
                  "'participant scan%'") == 1);
    CHECK(f.Count("SELECT count(*) FROM attendance WHERE person_ref = 'Patient/pat-01' AND source "
                  "= 'scan'") == 3);
    f.Wait(Seconds{6});
    CHECK(f.Showing() == Screen::kWelcome);
    f.Do(intent::home::OpenRosters{});  // stays locked
    CHECK(f.Showing() == Screen::kWelcome);
}

TEST_CASE("a participant's scan at the PIN step cancels sign-in and checks them in") {
    AppFixture f;
    f.Scan(kFacilitatorRosa);
    f.Scan(kJose);
    CHECK(f.Result().tone == ResultTone::kCheckedIn);
}

TEST_CASE("another staff badge locks the first person's screens and starts their sign-in") {
    AppFixture f;
    f.SignIn(kFacilitatorRosa, kRosaPin);
    f.Scan(kFacilitatorRosa);  // their own badge again changes nothing
    CHECK(f.Staff().page == StaffPage::kHome);
    f.Scan(kFrontDeskTomas);
    CHECK(f.Staff().page == StaffPage::kPin);
    CHECK(f.Staff().pin.staff_name == "Tomás Aguilar");
    CHECK(f.Staff().signed_in_as.empty());
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'staff-lock' AND detail LIKE 'another "
                  "badge%'") == 1);
}

TEST_CASE("sign out is audited and returns to the lobby in the clinic's language") {
    AppFixture f;
    UiIntents choose;
    choose.choose_language = "es";
    f.model->OnIntents(choose);
    f.SignIn(kFacilitatorRosa, kRosaPin);
    CHECK(f.Staff().cancel_label == "Cerrar sesión");
    CHECK(f.Staff().home.tiles.front().label == "Listas de asistencia");
    f.Do(intent::frame::Cancel{});
    CHECK(f.Showing() == Screen::kWelcome);
    CHECK(f.model->Language() == "en");
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'staff-sign-out'") == 1);
    CHECK_FALSE(f.store->Audit().Verify()->first_bad_seq.has_value());
}

TEST_CASE("the kiosk status page reads the outbox and the sync engine's snapshot") {
    sync::SyncStatus status;
    status.configured = true;
    status.online = false;
    status.last_error = "the server did not answer within 20 s";
    AppFixture f;
    std::map<std::string, Catalog> catalogs;
    for (const char* lang : {"en", "es"}) {
        catalogs.emplace(
            lang, Catalog::LoadMo(std::string(KIOSK_TEST_I18N) + "/" + lang + ".mo", lang).value());
    }
    scan::ScannerStatus camera;
    camera.state = scan::DeviceState::kMissing;
    camera.device = "/dev/video0";
    camera.detail = "No such file or directory";
    StaffEnvironment env;
    env.version = "9.9.9";
    env.sync_status = [&] { return status; };
    env.camera_status = [&] { return camera; };
    f.model = std::make_unique<AppModel>(f.config, f.clock, LosAngeles(), *f.store,
                                         std::move(catalogs), std::move(env));
    f.Scan(kJose);
    f.Wait(Seconds{7});
    f.SignIn(kFacilitatorRosa, kRosaPin);
    f.Do(intent::home::OpenStatus{});
    REQUIRE(f.Staff().page == StaffPage::kStatus);
    std::map<std::string, std::string> lines;
    for (const auto& l : f.Staff().status.lines) {
        lines[l.label] = l.value;
    }
    CHECK(lines["Server"] == "Offline: check-ins are kept here and sent later");
    CHECK(lines["Last successful sync"] == "Never");
    CHECK(lines["Waiting to be sent"] == "3");
    CHECK(lines["Oldest waiting"] == "8:00 AM  (encounter)");
    CHECK(lines["Last error"] == "the server did not answer within 20 s");
    CHECK(lines["Camera"] ==
          "Not connected, retrying  ·  /dev/video0  (No such file or directory)");
    CHECK(lines.count("USB scanner") == 0);  // none configured: no line
    CHECK(lines["Version"] == "9.9.9");
    CHECK(lines["Kiosk id"] == "test-lobby");
    status.online = true;
    status.last_success = f.clock.Now();
    f.Wait(Seconds{3});  // the page refreshes itself
    for (const auto& l : f.Staff().status.lines) {
        lines[l.label] = l.value;
    }
    CHECK(lines["Server"] == "Online");
    camera.state = scan::DeviceState::kRunning;  // plugged back in
    camera.detail.clear();
    f.Wait(Seconds{3});
    for (const auto& l : f.Staff().status.lines) {
        lines[l.label] = l.value;
    }
    CHECK(lines["Camera"] == "Working  ·  /dev/video0");
    CHECK(lines["Last successful sync"] == "8:00 AM");
}

TEST_CASE("a badge read again while its PIN is checked starts no second check") {
    AppFixture f;
    f.Scan(kFacilitatorRosa);
    for (char c : kRosaPin) {
        f.model->OnText(std::string(1, c));
    }
    f.model->OnEnter();
    REQUIRE(f.Staff().pin.busy);
    for (int i = 0; i < 5; ++i) {
        f.Scan(kFacilitatorRosa);  // a scanner that keeps reading the badge in front of it
        f.Scan(kFrontDeskTomas);
        CHECK(f.Staff().pin.busy);
        CHECK(PinCheck::HashesRunning() <= 1);
    }
    f.model->SettleForTests();
    REQUIRE(f.Staff().page == StaffPage::kHome);
    CHECK(f.Staff().signed_in_as == "Rosa Delgado");
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action LIKE 'staff-sign-in%'") == 1);
}

TEST_CASE("a PIN verifier beyond the kiosk's bounds is never run: that badge cannot sign in") {
    AppFixture f;
    // What a hostile or careless server could send: 4 GiB and 3 passes, or 100 passes.
    const std::string salt_hash =
        "$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
    for (const std::string& verifier :
         std::vector<std::string>{"$argon2id$v=19$m=4194304,t=3,p=1" + salt_hash,
                                  "$argon2id$v=19$m=65536,t=100,p=1" + salt_hash,
                                  "$argon2i$v=19$m=65536,t=2,p=1" + salt_hash, "plain-text-pin"}) {
        CAPTURE(verifier);
        {
            SQLite::Database db((f.dir.path() / "kiosk.db").string(), SQLite::OPEN_READWRITE);
            SQLite::Statement q(
                db, "UPDATE staff_pin SET verifier = ? WHERE person_ref = 'Practitioner/prac-01'");
            q.bind(1, verifier);
            REQUIRE(q.exec() == 1);
        }
        f.Scan(kFacilitatorRosa);
        CHECK(f.Staff().page == StaffPage::kBadge);
        CHECK(f.Staff().badge.message ==
              "This badge has no PIN yet. Please see the clinic's administrator.");
        f.Scan(kRosaPin);
        f.model->SettleForTests();
        CHECK(f.Staff().page == StaffPage::kBadge);
        CHECK(PinCheck::HashesRunning() == 0);
        CHECK_FALSE(VerifyPin(verifier, kRosaPin));
        f.Do(intent::frame::Cancel{});
    }
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'staff-sign-in-refused' AND "
                  "detail = 'PIN verifier not usable'") == 4);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE action = 'staff-sign-in'") == 0);
}

TEST_CASE(
    "PIN verifier bounds: the demo's cost passes; memory, passes, lanes and form are checked") {
    const std::string tail = "$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA";
    CHECK(CheckPinVerifier("$argon2id$v=19$m=65536,t=2,p=1" + tail).ok());
    CHECK(CheckPinVerifier("$argon2id$v=19$m=262144,t=10,p=8" + tail).ok());
    for (const std::string& bad : std::vector<std::string>{
             "$argon2id$v=19$m=262145,t=2,p=1" + tail, "$argon2id$v=19$m=65536,t=11,p=1" + tail,
             "$argon2id$v=19$m=65536,t=2,p=9" + tail, "$argon2id$v=19$m=65536,t=0,p=1" + tail,
             "$argon2id$v=19$m=99999999999999999999999,t=2,p=1" + tail,
             "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA", "$argon2id$v=16$m=65536,t=2,p=1" + tail,
             "$argon2id$v=19$m=65536,t=2,p=1$$"}) {
        CAPTURE(bad);
        auto r = CheckPinVerifier(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().log.find("cannot sign in until the server holds a new PIN verifier") !=
              std::string::npos);
    }
    CHECK(CheckPinVerifier("$argon2id$v=19$m=1048576,t=4,p=1" + tail)
              .error()
              .log.find("m=1048576 KiB") != std::string::npos);
}

TEST_CASE("the status page shows items held back by the server, in its words, and retrying ones") {
    AppFixture f;
    f.Scan(kJose);
    f.Wait(Seconds{7});
    auto items = f.store->Outbox().Items("pending", 10).value();
    REQUIRE(items.size() >= 2);
    const std::string words =
        "POST ServiceRequest: HTTP 403 Forbidden: scope system/ServiceRequest.c not granted";
    REQUIRE(f.store->Outbox()
                .NoteFailure(items[0].seq, words, f.clock.Now() + std::chrono::hours{1}, true)
                .ok());
    REQUIRE(f.store->Outbox()
                .NoteFailure(items[1].seq, "HTTP 503", f.clock.Now() + Seconds{30}, false)
                .ok());
    f.SignIn(kFacilitatorRosa, kRosaPin);
    f.Do(intent::home::OpenStatus{});
    REQUIRE(f.Staff().page == StaffPage::kStatus);
    std::string held;
    std::map<std::string, std::string> lines;
    bool in_held = false;
    for (const auto& l : f.Staff().status.lines) {
        lines[l.label] = l.value;
        if (!l.label.empty()) {
            in_held = l.label == "Held back (the server refuses them)";
        }
        if (in_held) {
            held += (held.empty() ? "" : " ") + l.value;
        }
    }
    CHECK(lines["Waiting to try again"] == "1");
    CHECK(held == "1: " + words);
    CHECK(lines["Waiting to be sent"] == std::to_string(items.size()));
}
