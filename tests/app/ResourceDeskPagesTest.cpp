// ResourceDesk's page handlers driven one intent at a time (StaffIntents.h): the search page's
// paging, filters and referral buttons, the referral page's list and page language, the preview's
// page turns, Back on each page, and a saved referral that no intent edits any more.
#include <doctest/doctest.h>

#include "ResourceDeskFixture.h"

using namespace kiosk;
using namespace kiosk::test;

namespace {

/// `n` more places, each not free, so the 4 free ones stand out.
void AddPaidPlaces(Desk& d, int n) {
    std::vector<store::ResourceRow> rows;
    for (int i = 0; i < n; ++i) {
        store::ResourceRow r =
            Resource("paid-" + std::to_string(i), "Paid Place " + std::to_string(i), "employment",
                     "Mon-Fri 09:00-17:00", 45.51, -122.61);
        r.free = false;
        r.cost = "$10";
        rows.push_back(std::move(r));
    }
    REQUIRE(d.fixture.store->Directory().Upsert(rows).ok());
}

/// What the active chip of a row sends; an empty intent when none is active.
StaffIntent ActiveChip(const std::vector<ChipView>& chips) {
    for (const ChipView& c : chips) {
        if (c.active) {
            return c.intent;
        }
    }
    return StaffIntent{};
}

}  // namespace

TEST_CASE("the search page's handler: show more, free only, a language, add and remove") {
    Desk d;
    AddPaidPlaces(d, 60);  // 64 places: more than the first visit shows
    d.fixture.Do(intent::home::OpenResources{});
    CHECK(d.Resources().results.size() == 50);  // the store's default page on a fresh visit
    CHECK_FALSE(d.Resources().more_label.empty());
    d.fixture.Do(intent::resources::ShowMore{});  // kResourcePage more
    CHECK(d.Resources().results.size() == 64);
    CHECK(d.Resources().more_label.empty());
    d.fixture.Do(intent::resources::ToggleCategory{"employment"});  // a new search: one page
    CHECK(d.Resources().results.size() == static_cast<std::size_t>(kResourcePage));
    d.fixture.Do(intent::resources::ToggleCategory{"employment"});
    d.fixture.Do(intent::resources::ShowMore{});
    CHECK(d.Resources().results.size() == 2 * static_cast<std::size_t>(kResourcePage));

    d.fixture.Do(intent::resources::ToggleFree{});
    CHECK(d.Resources().free_only);
    CHECK(d.Resources().results.size() == 4);
    d.fixture.Do(intent::resources::ToggleFree{});
    CHECK(d.Resources().results.size() == 2 * static_cast<std::size_t>(kResourcePage));

    d.fixture.Do(intent::resources::FilterLanguage{"vi"});  // every place speaks en and es
    CHECK(d.Resources().results.empty());
    const auto active_language = [&] { return ActiveChip(d.Resources().languages); };
    CHECK(active_language() == StaffIntent{intent::resources::FilterLanguage{"vi"}});
    d.fixture.Do(intent::resources::FilterLanguage{""});
    CHECK(d.Resources().results.size() == 2 * static_cast<std::size_t>(kResourcePage));
    CHECK(active_language() == StaffIntent{intent::resources::FilterLanguage{""}});

    d.fixture.Do(intent::resources::ToggleFree{});  // the four known places again
    d.fixture.Do(intent::resources::Add{"fhir:HealthcareService/pantry"});
    d.fixture.Do(intent::resources::Add{"fhir:HealthcareService/shelter"});
    CHECK(d.Resources().referral_count == 2);
    d.fixture.Do(intent::resources::Remove{"fhir:HealthcareService/pantry"});
    CHECK(d.Resources().referral_count == 1);
    for (const auto& card : d.Resources().results) {
        CHECK_MESSAGE(card.in_referral == (card.id == "fhir:HealthcareService/shelter"), card.id);
    }
    d.fixture.Do(intent::roster::Sort{false});  // another page's intent: nothing happens
    CHECK(d.fixture.Staff().page == StaffPage::kResources);
    CHECK(d.Resources().referral_count == 1);
    d.fixture.Do(intent::frame::Back{});
    CHECK(d.fixture.Staff().page == StaffPage::kHome);
}

TEST_CASE("the referral page's handler: remove a place, the page's language, Back to the search") {
    Desk d;
    d.fixture.Do(intent::home::OpenResources{});
    d.fixture.Do(intent::resources::Add{"fhir:HealthcareService/pantry"});
    d.fixture.Do(intent::resources::Add{"fhir:HealthcareService/jobs"});
    d.fixture.Do(intent::resources::OpenReferral{});
    REQUIRE(d.fixture.Staff().page == StaffPage::kReferral);
    const ReferralView& r = d.fixture.Staff().referral;
    REQUIRE(r.items.size() == 2);
    d.fixture.Do(intent::referral::Remove{"fhir:HealthcareService/pantry"});
    REQUIRE(d.fixture.Staff().referral.items.size() == 1);
    CHECK(d.fixture.Staff().referral.items[0].name == "Northside Job Center");

    const auto chosen_language = [&] {
        return ActiveChip(d.fixture.Staff().referral.print_languages);
    };
    CHECK(chosen_language() == StaffIntent{intent::referral::PageLanguage{"en"}});
    d.fixture.Do(intent::referral::PageLanguage{"es"});
    CHECK(chosen_language() == StaffIntent{intent::referral::PageLanguage{"es"}});
    d.fixture.Do(intent::referral::PageLanguage{"xx"});  // no such catalogue: ignored
    CHECK(chosen_language() == StaffIntent{intent::referral::PageLanguage{"es"}});

    d.fixture.Do(intent::frame::Back{});
    CHECK(d.fixture.Staff().page == StaffPage::kResources);
    CHECK(d.Resources().referral_count == 1);
}

TEST_CASE("the preview page's handler: pages turn; once saved, only printing and leaving work") {
    Desk d;
    AddPaidPlaces(d, 4);
    d.fixture.Do(intent::home::OpenResources{});
    d.fixture.Do(intent::resources::ShowMore{});
    for (const auto& card : std::vector<ResourceCardView>(d.Resources().results)) {
        d.fixture.Do(intent::resources::Add{card.id});
    }
    REQUIRE(d.Resources().referral_count == static_cast<int>(kReferralMax));
    d.fixture.Do(intent::resources::OpenReferral{});
    d.fixture.Do(intent::referral::ScanCard{});
    d.fixture.Scan(kJose);
    d.fixture.Do(intent::referral::Preview{});
    REQUIRE(d.fixture.Staff().page == StaffPage::kPreview);
    const PreviewView& p = d.fixture.Staff().preview;
    REQUIRE(p.has_next);  // eight places do not fit on one page
    CHECK_FALSE(p.has_prev);
    const std::uint64_t first = p.page_generation;
    d.fixture.Do(intent::preview::NextPage{});
    CHECK(d.fixture.Staff().preview.has_prev);
    CHECK(d.fixture.Staff().preview.heading.rfind("Preview: page 2 of ", 0) == 0);
    CHECK(d.fixture.Staff().preview.page_generation != first);
    d.fixture.Do(intent::preview::PrevPage{});
    CHECK(d.fixture.Staff().preview.heading.rfind("Preview: page 1 of ", 0) == 0);
    d.fixture.Do(intent::preview::PrevPage{});  // already on the first page
    CHECK(d.fixture.Staff().preview.heading.rfind("Preview: page 1 of ", 0) == 0);

    // Back before saving: the referral page again, nothing saved.
    d.fixture.Do(intent::frame::Back{});
    CHECK(d.fixture.Staff().page == StaffPage::kReferral);
    d.fixture.Do(intent::referral::Preview{});
    d.fixture.Do(intent::preview::Print{});
    CHECK(d.fixture.Count("SELECT count(*) FROM referral") == 1);
    // Saved: the referral is not edited any more, not even by an intent of another page.
    d.fixture.Do(intent::referral::ToggleFirstName{});
    d.fixture.Do(intent::resources::Remove{d.fixture.Staff().referral.items.at(0).id});
    CHECK(d.fixture.Staff().page == StaffPage::kPreview);
    CHECK_FALSE(d.fixture.Staff().referral.first_name);
    CHECK(d.fixture.Staff().referral.items.size() == kReferralMax);
    // Back starts the next referral, like Done.
    d.fixture.Do(intent::frame::Back{});
    CHECK(d.fixture.Staff().page == StaffPage::kResources);
    CHECK(d.Resources().referral_count == 0);
    CHECK(d.fixture.Count("SELECT count(*) FROM referral") == 1);
}
