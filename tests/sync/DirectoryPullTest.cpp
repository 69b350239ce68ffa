// The resource directory through a real pull: services become searchable rows, an Organization
// renamed on the server re-maps its services at the next delta though they did not change, a
// service made unusable leaves, and a full pull drops what the server no longer has.
#include <doctest/doctest.h>

#include <thread>

#include "TestClinic.h"

using namespace kiosk;
using namespace kiosk::test;
using nlohmann::json;

namespace {

json Ref(const std::string& ref) {
    return json{{"reference", ref}};
}

json Service(const std::string& id, const std::string& name, const std::string& category) {
    json s{{"resourceType", "HealthcareService"},
           {"id", id},
           {"active", true},
           {"name", name},
           {"providedBy", Ref("Organization/dp-org-1")},
           {"location", json::array({Ref("Location/dp-loc-1")})},
           {"availableTime", json::array({json{{"daysOfWeek", json::array({"mon", "tue"})},
                                               {"availableStartTime", "09:00:00"},
                                               {"availableEndTime", "17:00:00"}}})}};
    if (!category.empty()) {
        s["category"] = json::array(
            {json{{"coding", json::array({json{{"system", "urn:iop-kiosk:resource-category"},
                                               {"code", category}}})}}});
    }
    return s;
}

void SeedDirectory(FhirTestServer& server) {
    REQUIRE(
        server
            .Put("Organization/dp-org-1",
                 json{{"resourceType", "Organization"}, {"id", "dp-org-1"}, {"name", "Harbor Aid"}})
            .status == 201);
    REQUIRE(server
                .Put("Location/dp-loc-1",
                     json{{"resourceType", "Location"},
                          {"id", "dp-loc-1"},
                          {"address",
                           {{"line", json::array({"12 SE Oak St"})},
                            {"city", "Portland"},
                            {"state", "OR"},
                            {"postalCode", "97214"}}},
                          {"position", {{"latitude", 45.51}, {"longitude", -122.64}}}})
                .status == 201);
    REQUIRE(server.Put("HealthcareService/dp-hs-1", Service("dp-hs-1", "Harbor Pantry", "food"))
                .status == 201);
    REQUIRE(
        server.Put("HealthcareService/dp-hs-2", Service("dp-hs-2", "Harbor Rent Help", "housing"))
            .status == 201);
    REQUIRE(server.Put("HealthcareService/dp-hs-3", Service("dp-hs-3", "Harbor Hall", "")).status ==
            201);
}

std::optional<store::ResourceRow> Row(TestKiosk& kiosk, const std::string& id) {
    auto r = kiosk.store().Directory().Resource("fhir:HealthcareService/" + id);
    REQUIRE(r.ok());
    return r.value();
}

}  // namespace

TEST_CASE("a delta pull re-maps the services of a renamed organization and drops unusable ones") {
    auto& server = SharedServer();
    server.ResetData();
    SeedDirectory(server);
    TestKiosk kiosk(server);
    kiosk.options.pull.overlap = std::chrono::seconds{0};  // so the delta holds only what changed
    std::this_thread::sleep_for(std::chrono::milliseconds(2200));

    auto first = kiosk.Sync();
    REQUIRE_MESSAGE(first.ok(), (first.ok() ? "" : first.error().log));
    CHECK(first->pull.full);
    CHECK(first->pull.problems.empty());
    auto pantry = Row(kiosk, "dp-hs-1");
    REQUIRE(pantry);
    CHECK(pantry->organization == "Harbor Aid");
    CHECK(pantry->organization_ref == "Organization/dp-org-1");
    CHECK(pantry->address == "12 SE Oak St, Portland, OR 97214");
    CHECK(pantry->categories == std::vector<std::string>{"food"});
    CHECK(pantry->hours.ToString() == "Mon,Tue 09:00-17:00");
    CHECK(Row(kiosk, "dp-hs-2"));
    CHECK_FALSE(Row(kiosk, "dp-hs-3"));  // no category the kiosk knows
    CHECK_FALSE(Row(kiosk, "hs-1"));     // the test clinic's services have none either
    CHECK(kiosk.store().Directory().Count().value() == 2);

    json org = server.Get("Organization/dp-org-1").json;
    org["name"] = "Harbor Community Aid";
    REQUIRE(server.Put("Organization/dp-org-1", org).status == 200);
    json rent = server.Get("HealthcareService/dp-hs-2").json;
    rent["active"] = false;
    REQUIRE(server.Put("HealthcareService/dp-hs-2", rent).status == 200);

    auto delta = kiosk.Sync();
    REQUIRE_MESSAGE(delta.ok(), (delta.ok() ? "" : delta.error().log));
    CHECK_FALSE(delta->pull.full);
    pantry = Row(kiosk, "dp-hs-1");
    REQUIRE(pantry);
    CHECK(pantry->organization == "Harbor Community Aid");  // the service itself did not change
    CHECK_FALSE(Row(kiosk, "dp-hs-2"));
    CHECK(kiosk.store().Directory().Count().value() == 1);
}

TEST_CASE("a full pull removes the rows of services the server no longer has") {
    auto& server = SharedServer();
    server.ResetData();
    SeedDirectory(server);
    TestKiosk kiosk(server);
    kiosk.options.pull.full_every = std::chrono::hours{0};  // every pull is a full one
    REQUIRE(kiosk.Sync().ok());
    CHECK(Row(kiosk, "dp-hs-1"));
    CHECK(Row(kiosk, "dp-hs-2"));

    REQUIRE(server.Delete("HealthcareService/dp-hs-1").status == 200);
    auto r = kiosk.Sync();
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().log));
    CHECK(r->pull.full);
    CHECK_FALSE(Row(kiosk, "dp-hs-1"));
    CHECK(Row(kiosk, "dp-hs-2"));
    CHECK(kiosk.store().Directory().Count().value() == 1);
}
