// What the Resources & referrals tests share: a printer the test steers, known places, and a
// case manager signed in over the demo clinic with only those places in the directory.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "AppFixture.h"

namespace kiosk::test {

// A printer the test steers: every submitted PDF is kept, and the answer comes from `next`.
struct FakePrinter {
    std::vector<std::filesystem::path> submitted;
    std::vector<std::string> titles;
    std::vector<print::PrintStatus> next;  ///< answers, first first; the last one repeats

    ReferralPrinting Hooks(const std::filesystem::path& spool) {
        ReferralPrinting p;
        p.spool_dir = spool;
        p.queue_name = "Front_Desk";
        p.submit = [this](const std::filesystem::path& pdf, const std::string& title) {
            // Keep a copy: the desk deletes a printed PDF.
            const auto copy =
                pdf.parent_path() / ("copy-" + std::to_string(submitted.size()) + ".pdf");
            std::filesystem::copy_file(pdf, copy,
                                       std::filesystem::copy_options::overwrite_existing);
            submitted.push_back(copy);
            titles.push_back(title);
            return static_cast<long>(submitted.size());
        };
        p.status = [this](long ticket) {
            print::PrintStatus s;
            if (!next.empty()) {
                s = next.front();
                if (next.size() > 1) {
                    next.erase(next.begin());
                }
            }
            s.ticket = ticket;
            return s;
        };
        return p;
    }
};

inline print::PrintStatus State(print::PrintState state,
                                print::PrintProblem problem = print::PrintProblem::kNone,
                                std::string detail = "") {
    print::PrintStatus s;
    s.state = state;
    s.problem = problem;
    s.detail = std::move(detail);
    return s;
}

inline store::ResourceRow Resource(const std::string& id, const std::string& name,
                                   const std::string& category, const std::string& hours,
                                   double lat, double lon) {
    store::ResourceRow r;
    r.id = "fhir:HealthcareService/" + id;
    r.source = "fhir";
    r.name = name;
    r.organization = name + " Inc.";
    r.organization_ref = "Organization/org-" + id;
    r.service_ref = "HealthcareService/" + id;
    r.categories = {category};
    r.address = "100 Test St, Portland, OR 97201";
    r.latitude = lat;
    r.longitude = lon;
    r.phone = "503-555-0100";
    r.website = "https://example.org/" + id;
    r.hours = OpeningHours::Parse(hours).value();
    r.languages = {"en", "es"};
    r.eligibility = "Adults in Multnomah County";
    r.cost = "Free";
    r.free = true;
    r.what_to_bring = "Photo ID and a piece of mail";
    r.updated = "2026-02-01T00:00:00Z";
    return r;
}

struct Desk {
    explicit Desk(bool with_printer = true) {
        fixture.config.latitude = 45.5123;
        fixture.config.longitude = -122.6158;
        // Only these four: the demo directory the fixture seeded is set aside.
        REQUIRE(fixture.store->Directory()
                    .Upsert({Resource("pantry", "Eastside Food Pantry", "food",
                                      "Mon-Fri 09:00-17:00", 45.52, -122.60),
                             Resource("shelter", "Harbor Night Shelter", "housing",
                                      "Daily 19:00-07:00", 45.50, -122.65),
                             Resource("jobs", "Northside Job Center", "employment",
                                      "Mon-Thu 08:00-16:00", 45.58, -122.68),
                             Resource("rent", "Rent Help Line", "housing", "", 45.40, -122.80)})
                    .ok());
        REQUIRE(fixture.store->Directory()
                    .RemoveNotIn("fhir",
                                 {"fhir:HealthcareService/pantry", "fhir:HealthcareService/shelter",
                                  "fhir:HealthcareService/jobs", "fhir:HealthcareService/rent"})
                    .ok());
        REQUIRE(fixture.store->Directory().Count().value() == 4);
        Start(with_printer);
        fixture.SignIn(kCaseManagerLucia, kLuciaPin);
        REQUIRE(fixture.Staff().page == StaffPage::kHome);
    }
    /// A new AppModel over the same store and spool folder: the kiosk starting again.
    void Start(bool with_printer = true) {
        fixture.model.reset();
        std::map<std::string, Catalog> catalogs;
        for (const char* lang : {"en", "es"}) {
            catalogs.emplace(
                lang,
                Catalog::LoadMo(std::string(KIOSK_TEST_I18N) + "/" + lang + ".mo", lang).value());
        }
        StaffEnvironment env;
        env.version = "test";
        if (with_printer) {
            env.printing = printer.Hooks(fixture.dir.path() / "spool");
        }
        fixture.model =
            std::make_unique<AppModel>(fixture.config, fixture.clock, LosAngeles(), *fixture.store,
                                       std::move(catalogs), std::move(env));
    }
    const ResourcesView& Resources() const { return fixture.Staff().resources; }
    std::vector<std::string> Names() const {
        std::vector<std::string> names;
        for (const auto& c : Resources().results) {
            names.push_back(c.name);
        }
        return names;
    }
    void Type(const std::string& text) {
        fixture.Do(intent::resources::EditSearch{});
        for (char c : text) {
            fixture.Do(intent::keyboard::Text{std::string(1, c)});
        }
    }
    bool Has(const std::string& name) const {
        const auto names = Names();
        return std::find(names.begin(), names.end(), name) != names.end();
    }
    /// Builds a referral for José (scanned) with the pantry and the shelter, up to the preview.
    void ToPreview(bool first_name) {
        fixture.Do(intent::home::OpenResources{});
        fixture.Do(intent::resources::Add{"fhir:HealthcareService/pantry"});
        fixture.Do(intent::resources::Add{"fhir:HealthcareService/shelter"});
        fixture.Do(intent::resources::OpenReferral{});
        fixture.Do(intent::referral::ScanCard{});
        fixture.Scan(kJose);
        REQUIRE(fixture.Staff().referral.participant_name == "José Núñez");
        if (first_name) {
            fixture.Do(intent::referral::ToggleFirstName{});
        }
        fixture.Do(intent::referral::Preview{});
        REQUIRE(fixture.Staff().page == StaffPage::kPreview);
    }

    AppFixture fixture;
    FakePrinter printer;
};

}  // namespace kiosk::test
