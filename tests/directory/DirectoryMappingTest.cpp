// The resource directory's FHIR mapping: the demo bundle as the case manager will search it,
// services a real server publishes only in part, published category codes and words, and hours
// that run past midnight.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "TestSupport.h"
#include "kiosk/core/GeoDistance.h"
#include "kiosk/core/ResourceCategory.h"
#include "kiosk/directory/DirectoryMapping.h"

using namespace kiosk;
using namespace kiosk::directory;
using nlohmann::json;

namespace {

json DemoDirectory() {
    std::ifstream in(std::string(KIOSK_TEST_ASSETS) + "/demo/directory.json", std::ios::binary);
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
}

const store::ResourceRow* Named(const std::vector<store::ResourceRow>& rows,
                                const std::string& name) {
    for (const auto& r : rows) {
        if (r.name == name) {
            return &r;
        }
    }
    return nullptr;
}

json Service(json extra) {
    json s{{"resourceType", "HealthcareService"}, {"id", "hs-x"}, {"name", "Test Service"}};
    s.update(extra);
    return s;
}

json KioskCategory(const std::string& code) {
    return json::array({json{
        {"coding", json::array({json{{"system", kResourceCategorySystem}, {"code", code}}})}}});
}

}  // namespace

TEST_CASE("the demo directory maps 150+ resources covering every category") {
    const auto report = MapDirectoryBundle(DemoDirectory());
    CHECK(report.skipped.empty());
    REQUIRE(report.rows.size() >= 150);

    std::map<std::string, int> per_category;
    std::set<std::string> ids, languages;
    int free = 0, charged = 0, by_appointment = 0, always_open = 0, past_midnight = 0, weekend = 0;
    int with_phone = 0;
    for (const auto& r : report.rows) {
        CHECK_MESSAGE(!r.categories.empty(), r.id);
        for (const auto& c : r.categories) {
            CHECK_MESSAGE(ResourceCategoryCode(c).has_value(), c);
            ++per_category[c];
        }
        CHECK(ids.insert(r.id).second);
        CHECK(r.id.rfind("fhir:HealthcareService/", 0) == 0);
        CHECK(r.source == "fhir");
        CHECK(r.service_ref == r.id.substr(5));
        CHECK(r.organization_ref.rfind("Organization/", 0) == 0);
        CHECK_FALSE(r.organization.empty());
        CHECK_FALSE(r.address.empty());
        REQUIRE(r.latitude);
        REQUIRE(r.longitude);
        const double km = HaversineKm(45.5123, -122.6158, *r.latitude, *r.longitude);
        CHECK_MESSAGE((km >= 0.3 && km <= 25.0), r.name << " is " << km << " km away");
        // Fictional numbers only, never the clinic's own; some walk-in groups publish none.
        CHECK_MESSAGE((r.phone.empty() || r.phone.rfind("503-555-01", 0) == 0),
                      r.name << " " << r.phone);
        CHECK(r.phone != "503-555-0142");
        with_phone += !r.phone.empty();
        for (const auto& text : {r.name, r.organization, r.description, r.address}) {
            CHECK_MESSAGE(text.find("Cedar Grove") == std::string::npos, text);
        }
        languages.insert(r.languages.begin(), r.languages.end());
        (r.free ? free : charged)++;
        by_appointment += !r.hours.Known() && !r.hours_note.empty();
        for (const auto& i : r.hours.Intervals()) {
            always_open += i.open == 0 && i.close == 1440 && i.weekday == 7;
            past_midnight += i.close > 1440;
            weekend += i.weekday >= 6;
        }
    }
    CHECK(per_category.size() == kResourceCategories.size());
    for (auto c : kResourceCategories) {
        CHECK_MESSAGE(per_category[std::string(c)] >= 8, c);
    }
    for (auto tag : {"en", "es", "vi", "ru", "zh", "so"}) {
        CHECK_MESSAGE(languages.count(tag) == 1, tag);
    }
    CHECK(with_phone >= 130);
    CHECK(free > 100);
    CHECK(charged >= 15);
    CHECK(by_appointment >= 10);
    CHECK(always_open >= 5);
    CHECK(past_midnight >= 5);
    CHECK(weekend >= 20);
}

TEST_CASE("a demo service reads as the case manager will see it") {
    const auto rows = MapDirectoryBundle(DemoDirectory()).rows;
    const auto* shelter = Named(rows, "Eastbank Night Shelter");
    REQUIRE(shelter);
    CHECK(shelter->categories == std::vector<std::string>{"housing"});
    CHECK(shelter->organization == "Eastbank Shelter Alliance");
    CHECK(shelter->hours.ToString() == "Daily 19:00-07:00");
    CHECK(shelter->hours_note == "Check-in until 22:00");
    CHECK(shelter->languages == std::vector<std::string>{"en", "es"});
    CHECK(shelter->free);
    CHECK(shelter->cost == "Free");
    CHECK(shelter->eligibility == "Adults 18 and older");
    CHECK(shelter->what_to_bring == "Photo ID if you have one (not required)");
    CHECK(shelter->website == "https://eastbank-shelter.example.org");
    CHECK(shelter->address.find(", Portland, OR 97214") != std::string::npos);

    const auto* rent = Named(rows, "Rent Assistance Program");
    REQUIRE(rent);
    CHECK(rent->categories == std::vector<std::string>{"housing", "money"});
    CHECK(rent->what_to_bring ==
          "Lease; eviction notice if you have one; proof of income for the last 30 days; photo ID");
    CHECK(rent->hours.ToString() == "Mon-Thu 10:00-16:00");

    const auto* counseling = Named(rows, "Sliding-Scale Counseling");
    REQUIRE(counseling);
    CHECK_FALSE(counseling->free);
    CHECK(counseling->cost == "$10-$60 a session, sliding scale");

    const auto* expunge = Named(rows, "Expungement Clinic");
    REQUIRE(expunge);
    CHECK_FALSE(expunge->hours.Known());
    CHECK(expunge->hours_note.find("Second Saturday") != std::string::npos);

    const auto* crisis = Named(rows, "24-Hour Crisis Line");
    REQUIRE(crisis);
    CHECK(crisis->hours.ToString() == "Daily 00:00-24:00");
}

TEST_CASE("a service missing most parts still maps; unusable ones are skipped with a reason") {
    // Only a name and a category in words: no organization, place, hours or phone.
    json bare = Service({{"category", json::array({json{{"text", "Food pantry"}}})}});
    auto row = MapHealthcareService(bare, nullptr, nullptr);
    REQUIRE(row.ok());
    CHECK(row->id == "fhir:HealthcareService/hs-x");
    CHECK(row->categories == std::vector<std::string>{"food"});
    CHECK(row->organization.empty());
    CHECK(row->organization_ref.empty());
    CHECK(row->address.empty());
    CHECK_FALSE(row->latitude);
    CHECK_FALSE(row->hours.Known());
    CHECK(row->languages.empty());
    CHECK_FALSE(row->free);

    // A reference to an Organization the kiosk does not hold: the ref is kept, the name is not.
    json referenced = Service({{"category", KioskCategory("legal-aid")},
                               {"providedBy", json{{"reference", "Organization/org-9"}}}});
    row = MapHealthcareService(referenced, nullptr, nullptr);
    REQUIRE(row.ok());
    CHECK(row->organization_ref == "Organization/org-9");

    // No name: the organization's name stands in.
    json unnamed = Service({{"category", KioskCategory("food")}});
    unnamed.erase("name");
    json org{{"resourceType", "Organization"}, {"id", "org-1"}, {"name", "Corner Pantry"}};
    row = MapHealthcareService(unnamed, &org, nullptr);
    REQUIRE(row.ok());
    CHECK(row->name == "Corner Pantry");

    auto skipped = MapHealthcareService(
        Service({{"category", json::array({json{{"text", "Pet grooming"}}})}}), nullptr, nullptr);
    REQUIRE_FALSE(skipped.ok());
    CHECK(skipped.error().log ==
          "HealthcareService/hs-x: no category the kiosk knows (Pet grooming)");
    auto none = MapHealthcareService(Service({{"name", "Sunrise Hall"}}), nullptr, nullptr);
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().log == "HealthcareService/hs-x: no category the kiosk knows (none given)");
    auto inactive = MapHealthcareService(
        Service({{"active", false}, {"category", KioskCategory("food")}}), nullptr, nullptr);
    REQUIRE_FALSE(inactive.ok());
    CHECK(inactive.error().log == "HealthcareService/hs-x: inactive");

    // In a bundle: one skipped, the rest mapped, and references resolved by fullUrl too.
    json bundle{
        {"resourceType", "Bundle"},
        {"type", "searchset"},
        {"entry",
         json::array(
             {json{
                  {"fullUrl", "urn:uuid:org-a"},
                  {"resource", {{"resourceType", "Organization"}, {"id", "a"}, {"name", "Org A"}}}},
              json{{"resource", Service({{"id", "hs-1"},
                                         {"category", KioskCategory("food")},
                                         {"providedBy", {{"reference", "urn:uuid:org-a"}}}})}},
              json{{"resource", Service({{"id", "hs-2"}})}}})}};
    auto report = MapDirectoryBundle(bundle);
    REQUIRE(report.rows.size() == 1);
    CHECK(report.rows[0].organization == "Org A");
    CHECK(report.skipped ==
          std::vector<std::string>{
              "HealthcareService/hs-2: no category the kiosk knows (none given)"});
}

TEST_CASE("hours ending before they start run past midnight into the next day") {
    json s = Service(
        {{"category", KioskCategory("recovery-support")},
         {"availableTime",
          json::array(
              {json{{"daysOfWeek", json::array({"fri", "sat"})},
                    {"availableStartTime", "22:00:00"},
                    {"availableEndTime", "02:00:00"}},
               json{{"daysOfWeek", json::array({"mon"})},
                    {"availableStartTime", "09:00:00"},
                    {"availableEndTime", "17:00:00"}},
               json{{"daysOfWeek", json::array({"sun"})}, {"allDay", true}},
               // Half a time says nothing: left out.
               json{{"daysOfWeek", json::array({"tue"})}, {"availableStartTime", "09:00:00"}}})},
         {"notAvailable",
          json::array({json{{"description", "Closed for the holidays"},
                            {"during", {{"start", "2026-12-24"}, {"end", "2026-12-26"}}}}})},
         {"availabilityExceptions", "Call first on Sundays"}});
    auto row = MapHealthcareService(s, nullptr, nullptr);
    REQUIRE(row.ok());
    CHECK(
        row->hours.Intervals() ==
        std::vector<OpenInterval>{{1, 540, 1020}, {5, 1320, 1560}, {6, 1320, 1560}, {7, 0, 1440}});
    CHECK(row->hours.ToString() == "Mon 09:00-17:00; Fri,Sat 22:00-02:00; Sun 00:00-24:00");
    CHECK(row->hours_note ==
          "Closed for the holidays (2026-12-24 to 2026-12-26); Call first on Sundays");
    using test::At;
    const auto& la = test::LosAngeles();
    // 2026-01-10 is a Saturday: open at 01:00 (Friday's night), closed at 03:00, open at 23:00.
    CHECK(row->hours.StateAt(At(1, 0, 10), la).open);
    CHECK_FALSE(row->hours.StateAt(At(3, 0, 10), la).open);
    CHECK(row->hours.StateAt(At(23, 0, 10), la).open);
    // Sunday 01:30: Saturday's night still running.
    CHECK(row->hours.StateAt(At(1, 30, 11), la).open);
    CHECK_FALSE(row->hours.StateAt(At(8, 0, 6), la).open);  // Tuesday: the half time was dropped
}

TEST_CASE("published category codes and words become kiosk categories") {
    CHECK(CategoriesForCode(kServiceCategorySystem, "18") == std::vector<std::string>{"housing"});
    CHECK(CategoriesForCode(kServiceCategorySystem, "12") ==
          std::vector<std::string>{"recovery-support"});
    CHECK(CategoriesForCode("http://example.org/other", "18").empty());
    CHECK(CategoriesForCode(
              "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes",
              "food-insecurity") == std::vector<std::string>{"food"});
    CHECK(CategoriesForCode("", "utility-insecurity") == std::vector<std::string>{"utilities"});
    CHECK(CategoriesForCode("https://211taxonomy.org", "BD-1800.2000") ==
          std::vector<std::string>{"food"});
    CHECK(CategoriesForCode("AIRS", "BH-1800") == std::vector<std::string>{"housing"});
    CHECK(CategoriesForCode("", "RX-8450") == std::vector<std::string>{"recovery-support"});
    CHECK(CategoriesForCode("", "LN") == std::vector<std::string>{"health-care"});
    CHECK(CategoriesForCode("", "YF-5000").empty());
    CHECK(CategoriesForCode(kResourceCategorySystem, "childcare") ==
          std::vector<std::string>{"childcare"});
    CHECK(CategoriesForCode(kResourceCategorySystem, "pets").empty());

    CHECK(CategoriesForWords("Emergency Food Pantries") == std::vector<std::string>{"food"});
    CHECK(CategoriesForWords("Tenant rights legal clinic") ==
          std::vector<std::string>{"housing", "legal-aid"});
    CHECK(CategoriesForWords("Mental health counseling") ==
          std::vector<std::string>{"mental-health"});
    CHECK(CategoriesForWords("Guardería infantil") == std::vector<std::string>{"childcare"});
    CHECK(CategoriesForWords("Business license renewals").empty());  // "bus" is a whole word only

    // The kiosk's own codes win over anything else the service says; published codes over words.
    json own = Service(
        {{"category",
          json::array(
              {json{{"coding",
                     json::array({json{{"system", kResourceCategorySystem}, {"code", "employment"}},
                                  json{{"system", kServiceCategorySystem}, {"code", "18"}}})},
                    {"text", "Food"}}})}});
    CHECK(MapHealthcareService(own, nullptr, nullptr)->categories ==
          std::vector<std::string>{"employment"});
    json coded = Service(
        {{"type", json::array({json{{"coding", json::array({json{{"system", kServiceCategorySystem},
                                                                 {"code", "21"},
                                                                 {"display", "Legal"}}})},
                                    {"text", "Food bank"}}})}});
    CHECK(MapHealthcareService(coded, nullptr, nullptr)->categories ==
          std::vector<std::string>{"legal-aid"});
    json by_program = Service({{"program", json::array({json{{"text", "SNAP outreach"}}})}});
    CHECK(MapHealthcareService(by_program, nullptr, nullptr)->categories ==
          std::vector<std::string>{"food"});
}

TEST_CASE("cost, languages, telecom, eligibility and what to bring") {
    json org{
        {"resourceType", "Organization"},
        {"id", "org-1"},
        {"name", "Helping Hands"},
        {"telecom", json::array({json{{"system", "phone"}, {"value", "503-555-0177"}},
                                 json{{"system", "url"}, {"value", "www.helping.example.org"}}})},
        {"address",
         json::array(
             {json{{"line", json::array({"1 Main St"})}, {"city", "Gresham"}, {"state", "OR"}}})}};
    json loc{{"resourceType", "Location"},
             {"id", "loc-1"},
             {"address",
              {{"line", json::array({"200 SE Stark St", "Suite 4"})},
               {"city", "Portland"},
               {"state", "OR"},
               {"postalCode", "97214"}}},
             {"position", {{"latitude", 45.52}, {"longitude", -122.66}}}};
    json s = Service(
        {{"category", KioskCategory("money")},
         {"providedBy", {{"reference", "Organization/org-1"}}},
         {"serviceProvisionCode",
          json::array({json{{"coding", json::array({json{{"system", kServiceProvisionSystem},
                                                         {"code", "disc"}}})}}})},
         {"communication",
          json::array({json{{"coding", json::array({json{{"code", "es-MX"}}})}},
                       json{{"text", "Vietnamese"}},
                       json{{"coding", json::array({json{{"system", "urn:ietf:bcp:47"},
                                                         {"code", "en-US"}}})}},
                       json{{"coding", json::array({json{{"code", "spa"}}})}}})},
         {"eligibility",
          json::array({json{{"code", {{"text", "Adults"}}}, {"comment", "18 and older"}},
                       json{{"comment", "Lives in Oregon"}}})},
         {"comment", "Budget coaching."},
         {"extraDetails", "One-on-one sessions.\nWhat to bring: Pay stubs; a recent bill"}});
    auto row = MapHealthcareService(s, &org, &loc);
    REQUIRE(row.ok());
    CHECK_FALSE(row->free);
    CHECK(row->cost == "Discounts available");
    CHECK(row->languages == std::vector<std::string>{"es", "vi", "en"});
    CHECK(row->eligibility == "Adults: 18 and older\nLives in Oregon");
    CHECK(row->description == "Budget coaching.\n\nOne-on-one sessions.");
    CHECK(row->what_to_bring == "Pay stubs; a recent bill");
    CHECK(row->phone == "503-555-0177");  // the organization's, the service has none
    CHECK(row->website == "https://www.helping.example.org");
    CHECK(row->address == "200 SE Stark St, Suite 4, Portland, OR 97214");
    CHECK(row->latitude == doctest::Approx(45.52));

    // The extension wins over the extraDetails line; without a Location the org's address is used.
    s["extension"] = json::array({json{{"url", kWhatToBringExtension}, {"valueString", "Photo ID"}},
                                  json{{"url", kWhatToBringExtension}, {"valueString", "Lease"}}});
    s["serviceProvisionCode"] = json::array({json{
        {"coding", json::array({json{{"system", kServiceProvisionSystem}, {"code", "free"}}})},
        {"text", "Free for everyone"}}});
    row = MapHealthcareService(s, &org, nullptr);
    REQUIRE(row.ok());
    CHECK(row->what_to_bring == "Photo ID; Lease");
    CHECK(row->free);
    CHECK(row->cost == "Free for everyone");
    CHECK(row->address == "1 Main St, Gresham, OR");
    CHECK_FALSE(row->latitude);
}

TEST_CASE("vocabulary helpers") {
    CHECK(LanguageTag("en-US") == "en");
    CHECK(LanguageTag("ES") == "es");
    CHECK(LanguageTag("zho") == "zh");
    CHECK(LanguageTag("Somali") == "so");
    CHECK(LanguageTag("Español") == "es");
    CHECK(LanguageTag("hmn") == "hmn");
    CHECK(LanguageTag("Klingon").empty());
    CHECK(LanguageTag("any").empty());
    CHECK(LanguageTag("").empty());

    CHECK(ParseClockMinutes("09:00") == 540);
    CHECK(ParseClockMinutes("9:30:00") == 570);
    CHECK(ParseClockMinutes("17:30:00Z") == 1050);
    CHECK(ParseClockMinutes("17:30:00-08:00") == 1050);
    CHECK(ParseClockMinutes("5:30 PM") == 1050);
    CHECK(ParseClockMinutes("12 am") == 0);
    CHECK(ParseClockMinutes("24:00") == 1440);
    CHECK_FALSE(ParseClockMinutes("25:00"));
    CHECK_FALSE(ParseClockMinutes("9"));
    CHECK_FALSE(ParseClockMinutes("noon"));
    CHECK_FALSE(ParseClockMinutes("09:7"));

    CHECK(MakeOpenInterval(1, 1320, 120) == OpenInterval{1, 1320, 1560});
    CHECK(MakeOpenInterval(2, 0, 1439) == OpenInterval{2, 0, 1440});
    CHECK(MakeOpenInterval(3, 0, 0) == OpenInterval{3, 0, 1440});
    CHECK_FALSE(MakeOpenInterval(8, 0, 60));

    CHECK(CostReadsFree("Free"));
    CHECK(CostReadsFree("No cost to you"));
    CHECK_FALSE(CostReadsFree("Free for members; $5 otherwise"));
    CHECK_FALSE(CostReadsFree("Sliding scale, free for some"));
    CHECK_FALSE(CostReadsFree("$20"));

    CHECK(WebsiteUrl("http://a.example.org") == "http://a.example.org");
    CHECK(WebsiteUrl("mailto:x@example.org").empty());
    CHECK(
        ReferencedId(json{{"reference", "https://fhir.example.org/R4/Organization/o1/_history/3"}},
                     "Organization") == "o1");
    CHECK(ReferencedId(json{{"reference", "Location/l1"}}, "Organization").empty());
}
