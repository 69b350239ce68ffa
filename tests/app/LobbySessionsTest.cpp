// PRIVACY.md 13 on the lobby's screens: the welcome schedule lists groups only, by a name that
// is theirs (or "Group session"), and a one-to-one appointment checks in with the same scan but
// is confirmed by time and room alone. The clinic's extra Appointments go in through the same
// FHIR mapping sync uses, with the free text a real server sends.
#include "AppFixture.h"

#include <nlohmann/json.hpp>

#include "kiosk/core/Iso8601.h"
#include "kiosk/core/Sha256.h"
#include "sync/FhirMapping.h"

using namespace kiosk;
using namespace kiosk::test;
using nlohmann::json;

namespace {

// A card of someone whose only appointment today is a one-to-one.
const std::string kSoloCard = "K1.OneToOneOnlyCardForLobbyTest0000";

// Words that must never reach a lobby screen: the one-to-one's service, the free text, names.
const char* const kNever[] = {"Medication", "Review", "Intake", "Jane", "Doe",     "F10",
                              "alcohol",    "Mendez", "Núñez",  "José", "relapsed"};

json Appt(const std::string& id, Instant start, Minutes length, const std::string& room,
          const std::vector<std::string>& people, json extra) {
    json a = {{"resourceType", "Appointment"},
              {"id", id},
              {"status", "booked"},
              {"start", FormatDateTimeUtc(start)},
              {"end", FormatDateTimeUtc(start + length)},
              {"description", "Intake - Jane Doe (F10.20 alcohol dependence)"},
              {"comment", "Jane Doe relapsed"},
              {"patientInstruction", "Ask for Dr. Mendez"},
              {"participant", json::array({{{"actor", {{"reference", "Location/" + room}}}}})}};
    for (const auto& p : people) {
        a["participant"].push_back({{"actor", {{"reference", p}, {"display", "Jane Doe"}}}});
    }
    a.update(extra);
    return a;
}

/// The demo's Wednesday (laid at 8:10 on March 4) plus: José's one-to-one Medication Review
/// right after his block, Jane Doe's one-to-one at 8:30, a group coded as a group with no name,
/// and a group whose name names José.
void AddClinicAppointments(AppFixture& f) {
    const Instant day = At(0, 0, 4, 3);
    const json med_review = {{"serviceType", json::array({{{"text", "Medication Review"}}})}};
    json coded = {{"serviceCategory",
                   json::array({{{"coding", json::array({{{"system", "urn:iop-kiosk:session-kind"},
                                                          {"code", "group"}}})}}})}};
    json bundle = {{"resourceType", "Bundle"}, {"entry", json::array()}};
    for (const json& r :
         {json{{"resourceType", "Patient"},
               {"id", "solo"},
               {"name", json::array({{{"given", json::array({"Jane"})}, {"family", "Doe"}}})},
               {"identifier", json::array({{{"system", "urn:iop-kiosk:credential-sha256"},
                                            {"value", Sha256Hex(kSoloCard)}}})}},
          Appt("jose-review", day + Minutes{11 * 60 + 20}, Minutes{20}, "room-birch",
               {"Patient/pat-01"}, med_review),
          Appt("jane-intake", day + Minutes{8 * 60 + 30}, Minutes{30}, "room-willow",
               {"Patient/solo"}, med_review),
          Appt("coded-group", day + Minutes{13 * 60}, Minutes{60}, "room-family", {"Patient/solo"},
               coded),
          Appt("named-group", day + Minutes{14 * 60}, Minutes{60}, "room-family",
               {"Patient/pat-01", "Patient/pat-02"},
               {{"serviceType", json::array({{{"text", "Nunez Family Circle"}}})}})}) {
        bundle["entry"].push_back({{"resource", r}});
    }
    auto batch = sync::MapBundle(bundle, sync::MappingContext{"site-main", f.clock.Now()});
    REQUIRE_MESSAGE(batch.ok(), (batch.ok() ? "" : batch.error().log));
    REQUIRE(f.store->Clinic().Apply(batch.value()).ok());
    f.Wait(Minutes{1});  // the welcome screen is rebuilt each minute
}

void CheckNothingPrivate(const AppFixture& f) {
    const std::string all = f.AllText();
    for (const char* word : kNever) {
        CHECK_MESSAGE(all.find(word) == std::string::npos, (std::string(word) + " in:\n" + all));
    }
}

}  // namespace

TEST_CASE(
    "PRIVACY 13: the welcome screen lists groups only, by their own names or 'Group session'") {
    AppFixture f;
    AddClinicAppointments(f);
    const WelcomeView& w = f.model->View().welcome;
    std::string lines;
    for (const auto& s : w.schedule) {
        lines += s.time + "  " + s.group + ", " + s.room + "\n";
    }
    // The demo's Wednesday groups and the two added groups without a name the lobby may show;
    // no 8:30 or 11:20 one-to-one.
    CHECK(lines ==
          "8:10 AM  Process Group, Oak Room\n"
          "9:10 AM  DBT Skills, Maple Room\n"
          "10:10 AM  Relapse Prevention, Oak Room\n"
          "1:00 PM  Group session, Family Room\n"
          "2:00 PM  Group session, Family Room\n"
          "2:40 PM  Teen Process Group, Birch Room\n"
          "3:50 PM  DBT Skills for Teens, Birch Room\n"
          "4:50 PM  Mindfulness & Coping, Birch Room\n");
    CheckNothingPrivate(f);
    UiIntents spanish;
    spanish.choose_language = "es";
    f.model->OnIntents(spanish);
    CHECK(f.model->View().welcome.schedule[3].group == "Sesión de grupo");
}

TEST_CASE(
    "PRIVACY 13: a one-to-one checks in with the same scan; its line has time and room only") {
    AppFixture f;
    AddClinicAppointments(f);
    f.Scan(kSoloCard);
    REQUIRE(f.Result().tone == ResultTone::kCheckedIn);
    CHECK(f.Result().lines == std::vector<std::string>{"8:30 AM  Willow Room"});
    CheckNothingPrivate(f);
    CHECK(f.Count("SELECT count(*) FROM attendance WHERE person_ref = 'Patient/solo' "
                  "AND session_id = 'jane-intake' AND source = 'scan'") == 1);
    CHECK(f.Count("SELECT count(*) FROM outbox o JOIN attendance a ON a.identifier = o.subject "
                  "WHERE a.person_ref = 'Patient/solo'") == 1);

    // José's block now ends with his one-to-one: the groups by name, the one-to-one not.
    f.Wait(Seconds{6});
    f.Scan(kJose);
    REQUIRE(f.Result().tone == ResultTone::kCheckedIn);
    CHECK(f.Result().lines == std::vector<std::string>{"8:10 AM  Process Group, Oak Room",
                                                       "9:10 AM  DBT Skills, Maple Room",
                                                       "10:10 AM  Relapse Prevention, Oak Room",
                                                       "11:20 AM  Birch Room"});
    CheckNothingPrivate(f);
}

TEST_CASE("PRIVACY 13: a group the lobby may not name is confirmed as 'Group session'") {
    AppFixture f;
    AddClinicAppointments(f);
    f.Wait(std::chrono::hours{4} + Minutes{30});  // 12:31: the 1 PM group's check-in is open
    f.Scan(kSoloCard);
    REQUIRE(f.Result().tone == ResultTone::kCheckedIn);
    CHECK(f.Result().lines == std::vector<std::string>{"1:00 PM  Group session, Family Room"});
    CheckNothingPrivate(f);
}
