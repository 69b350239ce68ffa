// The Open Referral HSDS import: small 3.0 and 2.0.1 packages written here (quoted commas, a
// byte order mark, a line break inside a field, bad rows, a taxonomy the kiosk does not know)
// go into a real store file; the rows, the report's skipped lines and a re-import are checked.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "TestSupport.h"
#include "kiosk/directory/HsdsImport.h"

using namespace kiosk;
using namespace kiosk::directory;
namespace fs = std::filesystem;

namespace {

void Write(const fs::path& dir, const std::string& name, const std::string& text) {
    std::ofstream out(dir / name, std::ios::binary);
    out << text;
}

/// The import's day: the expired and holiday rows are judged against it.
HsdsOptions Options() {
    HsdsOptions o;
    o.now = test::At(12, 0);  // 2026-01-07
    return o;
}

void WriteHsds3(const fs::path& dir, bool with_tenant_help = true) {
    Write(dir, "datapackage.json", R"({"name": "test-directory", "profile": "tabular-data-package",
      "version": "3.0.0", "resources": [
        {"name": "organization", "path": "organizations.csv"},
        {"name": "service", "path": "services.csv"},
        {"name": "location", "path": "locations.csv"},
        {"name": "schedule", "path": "data/schedules.csv"},
        {"name": "funding", "path": "funding.csv"}]})");
    Write(dir, "organizations.csv",
          "id,name,description,website\n"
          "org-1,\"Harbor Food Bank, Inc.\",Food for all,https://harbor.example.org\n"
          "org-2,Eastside Legal,,,\n");  // a trailing comma: one empty field too many
    // A byte order mark, a field with commas and a line break, doubled quotes, bad rows.
    Write(
        dir, "services.csv",
        "\xEF\xBB\xBFid,organization_id,name,description,url,status,fees_description,"
        "eligibility_description,minimum_age,maximum_age,application_process,last_modified\r\n"
        "svc-1,org-1,Harbor Pantry,\"Groceries, produce, and diapers\r\nevery week\",,active,,"
        "Lives in the county,18,,Walk in,2025-03-01T10:00:00Z\r\n" +
            std::string(with_tenant_help
                            ? "svc-2,org-2,Tenant Help,\"Advice on \"\"no cause\"\" evictions\","
                              "https://legal.example.org,active,\"Sliding scale, $0-$40\",,,,,\r\n"
                            : "") +
            "svc-3,org-1,Mystery Service,Something,,active,,,,,,\r\n"
            "svc-4,org-9,Closed Thing,,,inactive,,,,,,\r\n"
            ",org-1,No Id Service,,,active,,,,,,\r\n");
    Write(dir, "locations.csv",
          "id,name,latitude,longitude\n"
          "loc-1,Harbor Main,45.5,-122.6\n"
          "loc-2,Harbor East,45.51,-122.55\n"
          "loc-3,Legal Office,not-a-number,-122.6\n");
    Write(
        dir, "addresses.csv",
        "id,location_id,address_1,address_2,city,state_province,postal_code,country,address_type\n"
        "a-1,loc-1,100 SE Main St,,Portland,OR,97214,US,physical\n"
        "a-2,loc-1,PO Box 9,,Portland,OR,97208,US,postal\n"
        "a-3,loc-2,\"200 NE 82nd Ave, Unit B\",,Portland,OR,97220,US,physical\n"
        "a-4,loc-9,1 Nowhere,,Portland,OR,97201,US,physical\n");
    Write(dir, "service_at_location.csv",
          "id,service_id,location_id,description\n"
          "sal-1,svc-1,loc-1,Main pantry\n"
          "sal-2,svc-1,loc-2,\n" +
              std::string(with_tenant_help ? "sal-3,svc-2,loc-3,\n" : "") +
              "sal-4,svc-99,loc-1,\n");
    Write(dir, "taxonomy_terms.csv",
          "id,code,name,description,parent_id,taxonomy\n"
          "t-food,BD-1800.2000,Food Pantries,,,AIRS\n"
          "t-legal,,Landlord/Tenant Legal Help,,,local\n"
          "t-vets,YF-9000,Veterans,,,AIRS\n"
          "t-formula,,Infant formula,,t-food,local\n");
    Write(dir, "attributes.csv",
          "id,link_id,taxonomy_term_id,link_type,link_entity,value\n"
          "at-1,svc-1,t-formula,,service,\n"
          "at-2,svc-2,t-legal,,service,\n"
          "at-3,svc-3,t-vets,,service,\n"
          "at-4,svc-1,t-missing,,service,\n"
          "at-5,org-1,t-food,,organization,\n");
    Write(dir, "phones.csv",
          "id,location_id,service_id,organization_id,contact_id,service_at_location_id,number,"
          "extension,type,description\n"
          "p-1,,,org-1,,,503-555-0101,,voice,\n"
          "p-2,,svc-2,,,,503-555-0102,12,voice,\n"
          "p-3,,,,,sal-2,503-555-0103,,fax,\n");
    fs::create_directories(dir / "data");
    Write(dir / "data", "schedules.csv",
          "id,service_id,location_id,service_at_location_id,valid_from,valid_to,dtstart,freq,"
          "interval,byday,opens_at,closes_at,description\n"
          "s-1,,,sal-1,,,,WEEKLY,,\"MO,TU,WE,TH,FR\",09:00,17:00,\n"
          "s-2,,,sal-1,,,,WEEKLY,1,SA,10:00:00,14:00:00,\n"
          "s-3,svc-1,loc-2,,,,,WEEKLY,,WE,22:00,02:00,Late pantry\n"
          "s-4,svc-2,,,,,,WEEKLY,,\"TU,TH\",25:00,19:00,\n"
          "s-5,svc-2,,,,,,MONTHLY,,1SA,10:00,12:00,Free clinic day\n"
          "s-6,svc-2,,,2020-01-01,2020-12-31,,WEEKLY,,MO,09:00,17:00,\n"
          "s-7,svc-2,,,,,,WEEKLY,2,FR,13:00,15:00,\n");
    Write(dir, "languages.csv",
          "id,service_id,location_id,phone_id,name,code,note\n"
          "l-1,svc-1,,,English,en,\n"
          "l-2,svc-1,,,Spanish,,\n"
          "l-3,svc-2,,,Vietnamese,vi-VN,\n"
          "l-4,svc-1,,,Klingon,,\n"
          "l-5,svc-1,,,French,fr,note,shifted\n");
    Write(dir, "cost_options.csv",
          "id,service_id,valid_from,valid_to,option,currency,amount,amount_description\n"
          "c-1,svc-1,,,,,0,\n");
    Write(dir, "required_documents.csv",
          "id,service_id,document,uri\n"
          "d-1,svc-1,Photo ID,\n"
          "d-2,svc-1,Proof of address,\n"
          "d-3,svc-77,Lease,\n");
}

void WriteHsds2(const fs::path& dir, bool with_datapackage = true) {
    if (with_datapackage) {
        Write(dir, "datapackage.json", R"({"name": "old-directory", "version": "2.0.1"})");
    }
    Write(dir, "organizations.csv", "id,name,url\no1,Riverside Aid,riverside.example.org\n");
    Write(dir, "services.csv",
          "id,organization_id,name,description,url,status,fees\n"
          "s1,o1,Clothing Closet,\"Coats, shoes, and more\",,active,Free\n"
          "s2,o1,Job Club,Weekly job club,,active,$5 per session\n");
    Write(dir, "services_at_location.csv",
          "id,service_id,location_id,description\nx1,s1,l1,\nx2,s2,l1,\n");
    Write(dir, "locations.csv",
          "id,organization_id,name,latitude,longitude\nl1,o1,Riverside Hall,45.49,-122.60\n");
    Write(dir, "physical_addresses.csv",
          "id,location_id,attention,address_1,address_2,address_3,address_4,city,state_province,"
          "postal_code,country\n"
          "pa1,l1,,12 SE Oak St,,,,Milwaukie,OR,97222,US\n");
    Write(dir, "regular_schedules.csv",
          "id,service_id,location_id,service_at_location_id,weekday,opens_at,closes_at\n"
          "r1,s1,,,Monday,09:00,12:00\n"
          "r2,s1,,,3,9:00 AM,12:00 PM\n"
          "r3,,,x2,Tuesday,18:00,20:00\n"
          "r4,s1,,,Funday,09:00,12:00\n");
    Write(dir, "holiday_schedules.csv",
          "id,service_id,location_id,service_at_location_id,closed,opens_at,closes_at,start_date,"
          "end_date\n"
          "h1,s1,,,true,,,2026-12-25,2026-12-25\n"
          "h2,s1,,,true,,,2025-12-25,2025-12-25\n");
    Write(dir, "services_taxonomy.csv",
          "id,service_id,taxonomy_id,taxonomy_detail\nst1,s1,tx1,\nst2,s2,tx2,\n");
    Write(
        dir, "taxonomy.csv",
        "id,name,parent_id,parent_name,vocabulary\ntx1,Clothing,,,local\ntx2,Employment,,,local\n");
    Write(dir, "eligibility.csv", "id,service_id,eligibility\ne1,s2,Adults 18+\n");
    Write(dir, "languages.csv",
          "id,service_id,location_id,language\ng1,s1,,\"English, Spanish\"\ng2,,l1,Russian\n");
    Write(dir, "required_documents.csv", "id,service_id,document\nrd1,s2,Resume\n");
}

std::unique_ptr<store::Store> OpenStore(const fs::path& dir) {
    auto s = store::Store::Open(dir / "kiosk.db");
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().log));
    return std::move(s).value();
}

store::ResourceRow Get(store::Store& st, const std::string& id) {
    auto r = st.Directory().Resource(id);
    REQUIRE(r.ok());
    REQUIRE_MESSAGE(r.value().has_value(), id);
    return *r.value();
}

std::vector<std::string> Lines(const std::vector<HsdsIssue>& issues) {
    std::vector<std::string> out;
    for (const auto& i : issues) {
        out.push_back(i.file + ":" + std::to_string(i.line) + " " + i.what);
    }
    return out;
}

}  // namespace

TEST_CASE("an HSDS 3.0 package becomes one resource per service at a location") {
    test::TempDir data, package;
    WriteHsds3(package.path());
    auto st = OpenStore(data.path());
    auto report = ImportHsds(package.path(), *st, Options());
    REQUIRE_MESSAGE(report.ok(), (report.ok() ? "" : report.error().log));
    CHECK(report->version == "3.0");
    CHECK(report->version_from == "datapackage.json");
    CHECK(report->applied);
    CHECK(report->imported == 3);
    CHECK(report->services == 2);
    CHECK(report->removed == 0);
    CHECK(st->Directory().Count().value() == 3);

    CHECK(
        Lines(report->skipped) ==
        std::vector<std::string>{
            "addresses.csv:5 unknown location 'loc-9'",
            "attributes.csv:5 unknown taxonomy term 't-missing'",
            "languages.csv:6 has 8 fields but the header has 7",
            "required_documents.csv:4 unknown service 'svc-77'",
            "schedules.csv:5 bad time '25:00' in opens_at",
            "service_at_location.csv:5 unknown service 'svc-99'",
            "services.csv:5 service 'svc-3' has no category the kiosk knows (taxonomy: 'Veterans')",
            "services.csv:6 service 'svc-4' is inactive",
            "services.csv:7 no id",
        });
    CHECK(Lines(report->notes) ==
          std::vector<std::string>{
              "locations.csv:4 location 'loc-3': bad coordinates 'not-a-number,-122.6'; kept "
              "without a map position",
              "schedules.csv:7 valid only from '2020-01-01' to '2020-12-31'; left out",
              "languages.csv:5 unknown language 'Klingon' left out",
          });
    bool saw_services = false;
    for (const auto& [file, rows] : report->tables) {
        if (file == "services.csv") {
            saw_services = true;
            CHECK(rows == 5);  // the quoted line break does not make a sixth
        }
    }
    CHECK(saw_services);

    const auto main = Get(*st, "hsds:svc-1@loc-1");
    CHECK(main.source == "hsds");
    CHECK(main.name == "Harbor Pantry");
    CHECK(main.organization == "Harbor Food Bank, Inc.");
    CHECK(main.organization_ref.empty());
    CHECK(main.service_ref.empty());
    CHECK(main.description ==
          "Groceries, produce, and diapers\nevery week\n\nHow to apply: Walk in\n\nMain pantry");
    CHECK(main.categories ==
          std::vector<std::string>{"food"});  // "Infant formula" under "Food Pantries"
    CHECK(main.address ==
          "100 SE Main St, Portland, OR 97214");  // the physical one, not the PO box
    REQUIRE(main.latitude);
    CHECK(*main.latitude == doctest::Approx(45.5));
    CHECK(main.phone == "503-555-0101");
    CHECK(main.website == "https://harbor.example.org");
    CHECK(main.hours.ToString() == "Mon-Fri 09:00-17:00; Sat 10:00-14:00");
    CHECK(main.languages == std::vector<std::string>{"en", "es"});
    CHECK(main.eligibility == "Lives in the county\nAges 18 and up");
    CHECK(main.cost == "Free");
    CHECK(main.free);
    CHECK(main.what_to_bring == "Photo ID; Proof of address");
    CHECK(main.updated == "2025-03-01T10:00:00Z");

    const auto east = Get(*st, "hsds:svc-1@loc-2");
    CHECK(east.address == "200 NE 82nd Ave, Unit B, Portland, OR 97220");
    CHECK(east.hours.ToString() == "Wed 22:00-02:00");  // past midnight
    CHECK(east.hours_note == "Late pantry");
    CHECK(east.phone == "503-555-0101");  // the fax line is not a phone to call

    const auto legal = Get(*st, "hsds:svc-2@loc-3");
    CHECK(legal.name == "Tenant Help");
    CHECK(legal.description == "Advice on \"no cause\" evictions");
    CHECK(legal.categories == std::vector<std::string>{"housing", "legal-aid"});
    CHECK_FALSE(legal.latitude);
    CHECK(legal.phone == "503-555-0102 ext. 12");
    CHECK(legal.website == "https://legal.example.org");
    CHECK_FALSE(legal.hours.Known());
    CHECK(legal.hours_note ==
          "1st Saturday of the month 10:00-12:00; Free clinic day; Every 2 weeks: Fri 13:00-15:00");
    CHECK(legal.cost == "Sliding scale, $0-$40");
    CHECK_FALSE(legal.free);
    CHECK(legal.languages == std::vector<std::string>{"vi"});

    CHECK_FALSE(st->Directory().Resource("hsds:svc-3@loc-1").value());
    CHECK_FALSE(st->Directory().Resource("hsds:svc-3").value());
}

TEST_CASE("a re-import replaces the previous one and removes what is gone, other sources stay") {
    test::TempDir data, package;
    WriteHsds3(package.path());
    auto st = OpenStore(data.path());
    store::ResourceRow fhir;
    fhir.id = "fhir:HealthcareService/hs-1";
    fhir.source = "fhir";
    fhir.name = "Synced Pantry";
    fhir.categories = {"food"};
    REQUIRE(st->Directory().Upsert({fhir}).ok());
    REQUIRE(ImportHsds(package.path(), *st, Options()).ok());
    CHECK(st->Directory().Count().value() == 4);

    WriteHsds3(package.path(), /*with_tenant_help=*/false);
    auto again = ImportHsds(package.path(), *st, Options());
    REQUIRE(again.ok());
    CHECK(again->imported == 2);
    CHECK(again->removed == 1);
    CHECK_FALSE(st->Directory().Resource("hsds:svc-2@loc-3").value());
    CHECK(st->Directory().Resource("hsds:svc-1@loc-1").value());
    CHECK(st->Directory().Resource("fhir:HealthcareService/hs-1").value());
    CHECK(st->Directory().Count().value() == 3);

    // A package with nothing usable leaves the directory as it was.
    test::TempDir empty;
    Write(empty.path(), "organizations.csv", "id,name\norg-1,Somebody\n");
    Write(empty.path(), "services.csv", "id,organization_id,name\nsvc-1,org-1,Unnamed Thing\n");
    auto nothing = ImportHsds(empty.path(), *st, Options());
    REQUIRE(nothing.ok());
    CHECK_FALSE(nothing->applied);
    CHECK(
        Lines(nothing->skipped) ==
        std::vector<std::string>{
            "services.csv:2 service 'svc-1' has no category the kiosk knows (no taxonomy terms)"});
    CHECK(st->Directory().Count().value() == 3);
}

TEST_CASE("an HSDS 2.0.1 package: physical addresses, weekday schedules, holidays, fees") {
    test::TempDir data, package;
    WriteHsds2(package.path());
    auto st = OpenStore(data.path());
    auto report = ImportHsds(package.path(), *st, Options());
    REQUIRE_MESSAGE(report.ok(), (report.ok() ? "" : report.error().log));
    CHECK(report->version == "2.0");
    CHECK(report->imported == 2);
    CHECK(Lines(report->skipped) ==
          std::vector<std::string>{"regular_schedules.csv:5 bad weekday 'Funday'"});
    CHECK(report->notes.empty());

    const auto closet = Get(*st, "hsds:s1@l1");
    CHECK(closet.name == "Clothing Closet");
    CHECK(closet.organization == "Riverside Aid");
    CHECK(closet.description == "Coats, shoes, and more");
    CHECK(closet.categories == std::vector<std::string>{"clothing"});
    CHECK(closet.address == "12 SE Oak St, Milwaukie, OR 97222");
    CHECK(closet.hours.ToString() == "Mon,Wed 09:00-12:00");
    CHECK(closet.hours_note == "Closed 2026-12-25");  // last year's holiday is not mentioned
    CHECK(closet.languages == std::vector<std::string>{"en", "es", "ru"});
    CHECK(closet.cost == "Free");
    CHECK(closet.free);
    CHECK(closet.website == "https://riverside.example.org");

    const auto club = Get(*st, "hsds:s2@l1");
    CHECK(club.categories == std::vector<std::string>{"employment"});
    CHECK(club.hours.ToString() == "Tue 18:00-20:00");
    CHECK(club.cost == "$5 per session");
    CHECK_FALSE(club.free);
    CHECK(club.eligibility == "Adults 18+");
    CHECK(club.what_to_bring == "Resume");
    CHECK(club.languages == std::vector<std::string>{"ru"});

    // Without datapackage.json the layout tells the version.
    test::TempDir bare;
    WriteHsds2(bare.path(), /*with_datapackage=*/false);
    auto by_files = ImportHsds(bare.path(), *st, Options());
    REQUIRE(by_files.ok());
    CHECK(by_files->version == "2.0");
    CHECK(by_files->version_from == "the files present");
}

TEST_CASE("a package without its services file is an error naming it; nothing changes") {
    test::TempDir data, package;
    auto st = OpenStore(data.path());
    Write(package.path(), "organizations.csv", "id,name\norg-1,Somebody\n");
    auto r = ImportHsds(package.path(), *st, Options());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().log.find("services.csv is missing") != std::string::npos);

    Write(package.path(), "services.csv", "name,description\nFood,Food\n");
    r = ImportHsds(package.path(), *st, Options());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().log == "services.csv has no 'id' column");
    CHECK(st->Directory().Count().value() == 0);

    auto missing = ImportHsds(package.path() / "nowhere", *st, Options());
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().log.find("is not a folder") != std::string::npos);
}

TEST_CASE("kiosk resources import prints the report for the IT person") {
    test::TempDir data, package;
    WriteHsds3(package.path());
    std::FILE* out = std::tmpfile();
    REQUIRE(out);
    CHECK(RunResourcesImport(package.path().string(), data.path().string(), out) == 0);
    std::rewind(out);
    std::string text;
    char buf[512];
    while (std::fgets(buf, sizeof buf, out)) {
        text += buf;
    }
    std::fclose(out);
    CHECK(text.find("Read an Open Referral HSDS 3.0 package") != std::string::npos);
    CHECK(text.find("Imported 3 resources from 2 services") != std::string::npos);
    CHECK(text.find("Rows left out (9):") != std::string::npos);
    CHECK(text.find("  services.csv line 7: no id\n") != std::string::npos);
    CHECK(text.find("The resource directory now holds 3 resources.") != std::string::npos);

    std::FILE* err = std::tmpfile();
    CHECK(RunResourcesImport((package.path() / "missing").string(), data.path().string(), err) ==
          1);
    CHECK(RunResourcesImport(package.path().string(), (data.path() / "nope").string(), err) == 2);
    std::fclose(err);
}

TEST_CASE("hostile bytes in a CSV are cleaned, never trusted") {
    test::TempDir data, package;
    auto st = OpenStore(data.path());
    Write(package.path(), "organizations.csv", "id,name\norg-1,Food\xff Bank\n");
    std::string services =
        "id,organization_id,name,description\n"
        "svc-1,org-1,Food\x01 Pantry\x7f,\"ok\"\n"
        "svc-2,org-1,Meal";
    services += '\0';
    services += " Site,fine\nsvc-3,org-1,\"Soup Kitchen,never closed\n";
    Write(package.path(), "services.csv", services);
    auto report = ImportHsds(package.path(), *st, Options());
    REQUIRE_MESSAGE(report.ok(), (report.ok() ? "" : report.error().log));
    CHECK(report->imported == 3);
    CHECK(Get(*st, "hsds:svc-1").name == "Food Pantry");
    CHECK(Get(*st, "hsds:svc-1").organization == "Food\xEF\xBF\xBD Bank");  // U+FFFD
    CHECK(Get(*st, "hsds:svc-2").name == "Meal Site");
    // An unclosed quote runs to the end of the file: one field, kept as text.
    CHECK(Get(*st, "hsds:svc-3").name == "Soup Kitchen,never closed");
}
