// The Resources & referrals pages driven like a case manager would (SCREENS.md 7), over the real
// store with the demo clinic, a few known resources and a fake printer: search as you type,
// filters, the detail pane, a referral for a participant chosen by card or from today's
// groups, the preview, saving (referral + ServiceRequests in the outbox + audit) and printing
// that fails, is retried and ends; plus the privacy rules of the printed page (PRIVACY.md 6).
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "ResourceDeskFixture.h"
#include "kiosk/app/ResourceText.h"

using namespace kiosk;
using namespace kiosk::test;

namespace {

std::string PdfText(const std::filesystem::path& pdf) {
    const std::string cmd = "pdftotext -layout '" + pdf.string() + "' - 2>/dev/null";
    std::string out;
    if (FILE* p = popen(cmd.c_str(), "r")) {
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, p)) > 0) {
            out.append(buf, n);
        }
        pclose(p);
    }
    return out;
}

}  // namespace

TEST_CASE("a case manager searches as they type, filters, and opens a place's details") {
    Desk d;
    const HomeTile& tile = d.fixture.Staff().home.tiles.at(1);
    CHECK(tile.label == "Resources & referrals");
    CHECK(tile.enabled);
    CHECK(tile.opens == HomeIntent{intent::home::OpenResources{}});
    d.fixture.Do(intent::home::OpenResources{});
    REQUIRE(d.fixture.Staff().page == StaffPage::kResources);
    CHECK(d.Resources().categories.size() == 13);
    CHECK(d.Resources().categories.front().label == "Housing");
    CHECK(d.Resources().results.size() >= 4);
    CHECK(d.Resources().card_add_label == "Add");
    CHECK(d.Resources().added_label == "Added");

    d.Type("hous");  // a prefix: the screen follows every key
    CHECK(d.fixture.Staff().keyboard.has_value());
    CHECK(d.Resources().search_text == "hous");
    CHECK(d.Has("Harbor Night Shelter"));
    CHECK(d.Has("Rent Help Line"));
    CHECK_FALSE(d.Has("Eastside Food Pantry"));
    CHECK(d.Resources().summary == "2 places");
    d.fixture.Do(intent::keyboard::Done{});
    CHECK_FALSE(d.fixture.Staff().keyboard.has_value());

    d.fixture.Do(intent::resources::ClearSearch{});
    d.fixture.Do(intent::resources::ToggleCategory{"food"});
    CHECK(d.Names() == std::vector<std::string>{"Eastside Food Pantry"});
    d.fixture.Do(intent::resources::ToggleCategory{"food"});  // off again

    // Wednesday 8:00: the pantry opens at 9, the shelter closes at 7, the job center opened at 8.
    d.fixture.Do(intent::resources::ToggleOpenNow{});
    CHECK(d.Names() == std::vector<std::string>{"Northside Job Center"});
    CHECK(d.Resources().results.front().open_text == "Open until 4:00 PM");
    CHECK(d.Resources().results.front().open_now);
    d.fixture.Do(intent::resources::ToggleOpenNow{});

    d.fixture.Do(intent::resources::FilterDistance{3});  // miles from the clinic
    CHECK_FALSE(d.Has("Rent Help Line"));                // about 15 miles away
    CHECK(d.Has("Eastside Food Pantry"));
    d.fixture.Do(intent::resources::FilterDistance{0});

    d.fixture.Do(intent::resources::OpenDetail{"fhir:HealthcareService/pantry"});
    const auto& detail = d.Resources().detail;
    REQUIRE(detail.has_value());
    CHECK(detail->name == "Eastside Food Pantry");
    CHECK(detail->open_text == "Closed · opens 9:00 AM");
    std::map<std::string, std::string> facts;
    for (const auto& f : detail->facts) {
        facts[f.label] = f.text;
    }
    CHECK(facts["Hours"] == "Mon–Fri 9:00 AM – 5:00 PM");
    CHECK(facts["What to bring"] == "Photo ID and a piece of mail");
    CHECK(facts["Languages"] == "English, Spanish");
    CHECK(facts["Phone"] == "503-555-0100");
    CHECK(facts.count("Distance from the clinic") == 1);
    d.fixture.Do(intent::resources::CloseDetail{});
    CHECK_FALSE(d.Resources().detail.has_value());

    // A physical keyboard types into the search too while the on-screen keyboard is up.
    d.fixture.Do(intent::resources::EditSearch{});
    d.fixture.Do(intent::resources::ClearSearch{});
    d.fixture.model->OnText("pantr");
    d.fixture.model->OnBackspace();
    d.fixture.model->OnText("ry");
    CHECK(d.Resources().search_text == "pantry");
    CHECK(d.Names() == std::vector<std::string>{"Eastside Food Pantry"});
    d.fixture.model->OnEnter();  // Enter closes the keyboard, like Done
    CHECK_FALSE(d.fixture.Staff().keyboard.has_value());
    CHECK(d.fixture.Staff().page == StaffPage::kResources);

    d.Type("zzqx");
    CHECK(d.Resources().results.empty());
    CHECK(d.Resources().empty == "Nothing matches. Try fewer words or fewer filters.");
}

TEST_CASE("a referral is saved with one ServiceRequest per place, printed, and audited") {
    Desk d;
    d.printer.next = {State(print::PrintState::kPrinting), State(print::PrintState::kDone)};
    d.ToPreview(false);
    const PreviewView& p = d.fixture.Staff().preview;
    REQUIRE(p.page != nullptr);
    CHECK(p.page->width == 1100);
    CHECK(p.page->height == doctest::Approx(1100 * 11 / 8.5).epsilon(0.002));  // Letter
    CHECK(p.heading == "Preview: page 1 of 1");
    CHECK(p.print_label == "Save and print");
    CHECK(p.can_print);
    CHECK(d.fixture.Count("SELECT count(*) FROM referral") == 0);  // nothing saved by a preview

    d.fixture.Do(intent::preview::Print{});  // saved, handed to the spooler, and polled at once
    CHECK(d.fixture.Staff().preview.status == "Saved. Printing...");
    REQUIRE(d.printer.submitted.size() == 1);
    CHECK(d.printer.titles[0] == "Referral");  // the job name never names the participant
    CHECK(d.fixture.Count("SELECT count(*) FROM referral WHERE person_ref = 'Patient/pat-01' "
                          "AND staff_ref LIKE 'Practitioner/%' AND print_state = 'printing'") == 1);
    CHECK(d.fixture.Count("SELECT count(*) FROM referral_item") == 2);
    CHECK(d.fixture.Count(
              "SELECT count(*) FROM outbox WHERE kind = 'referral' AND state = 'pending' "
              "AND payload LIKE '%\"patient\":\"Patient/pat-01\"%' "
              "AND payload LIKE '%\"requisition\":\"' || (SELECT id FROM referral) || '\"%'") == 2);
    CHECK(d.fixture.Count("SELECT count(*) FROM outbox WHERE kind = 'referral' "
                          "AND payload LIKE '%Organization/org-pantry%'") == 1);
    CHECK(d.fixture.Count("SELECT count(*) FROM audit WHERE action = 'referral' AND subject = "
                          "'Patient/pat-01'") == 1);

    d.fixture.Wait(Seconds{1});
    CHECK(d.fixture.Staff().preview.status == "Printed. The referral is saved.");
    CHECK(d.fixture.Staff().preview.status_tone == StatusTone::kGood);
    CHECK(d.fixture.Count("SELECT count(*) FROM referral WHERE print_state = 'printed' AND "
                          "printed_at IS NOT NULL") == 1);
    CHECK(
        d.fixture.Count(
            "SELECT count(*) FROM audit WHERE action = 'referral-print' AND detail = 'printed'") ==
        1);
    CHECK_FALSE(d.fixture.Staff().preview.can_print);  // saved once; Done starts the next one

    const std::string text = PdfText(d.printer.submitted[0]);
    CHECK(text.find("Eastside Food Pantry") != std::string::npos);
    CHECK(text.find("Harbor Night Shelter") != std::string::npos);
    CHECK(text.find("Photo ID and a piece of mail") != std::string::npos);
    CHECK(text.find("José") == std::string::npos);  // the name box was not ticked
    for (const char* never :
         {"Cedar Grove", "IOP", "treatment", "Treatment", "recovery", "Núñez"}) {
        CHECK_MESSAGE(text.find(never) == std::string::npos, never);
    }
    for (const auto& f : std::filesystem::directory_iterator(d.fixture.dir.path() / "spool")) {
        // printed: the page (which may carry a first name) is not left on disk
        CHECK_MESSAGE(f.path().filename().string().rfind("copy-", 0) == 0, f.path());
    }

    d.fixture.Do(intent::preview::Done{});
    CHECK(d.fixture.Staff().page == StaffPage::kResources);
    CHECK(d.Resources().referral_count == 0);
}

TEST_CASE("a printer out of paper is a clear message with a retry, and the referral stays saved") {
    Desk d;
    d.printer.next = {
        State(print::PrintState::kFailed, print::PrintProblem::kOutOfPaper, "media-empty-error")};
    d.ToPreview(true);
    d.fixture.Do(intent::preview::Print{});
    d.fixture.Wait(Seconds{1});
    const PreviewView& p = d.fixture.Staff().preview;
    CHECK(p.status ==
          "The printer is out of paper. The referral is saved. Add paper, then try again.");
    CHECK(p.status_tone == StatusTone::kBad);
    CHECK(p.retry_label == "Try again");
    CHECK(d.fixture.Count("SELECT count(*) FROM referral WHERE print_state = 'failed' "
                          "AND print_detail = 'media-empty-error'") == 1);
    CHECK(d.fixture.Count("SELECT count(*) FROM outbox WHERE kind = 'referral'") == 2);

    d.printer.next = {State(print::PrintState::kDone)};
    d.fixture.Do(intent::preview::Retry{});
    d.fixture.Wait(Seconds{1});
    CHECK(d.fixture.Staff().preview.status == "Printed. The referral is saved.");
    CHECK(d.printer.submitted.size() == 2);
    CHECK(d.fixture.Count("SELECT count(*) FROM referral") == 1);  // not saved twice
    CHECK(d.fixture.Count("SELECT count(*) FROM outbox WHERE kind = 'referral'") ==
          2);  // nor queued twice
    CHECK(PdfText(d.printer.submitted[1]).find("For José") !=
          std::string::npos);  // ticked: first name only
    CHECK(PdfText(d.printer.submitted[1]).find("Núñez") == std::string::npos);
}

TEST_CASE("no referral page stays on disk after a failed print, or one a restart cut off") {
    Desk d;
    const auto spool = d.fixture.dir.path() / "spool";
    d.printer.next = {
        State(print::PrintState::kFailed, print::PrintProblem::kOutOfPaper, "media-empty-error")};
    d.ToPreview(true);  // the page carries José's first name
    d.fixture.Do(intent::preview::Print{});
    REQUIRE(d.printer.submitted.size() == 1);
    SQLite::Database db((d.fixture.dir.path() / "kiosk.db").string(), SQLite::OPEN_READONLY);
    const std::string id = db.execAndGet("SELECT id FROM referral").getString();
    const auto pdf = spool / (id + ".pdf");
    CHECK(std::filesystem::exists(d.printer.submitted[0]));  // the printer's copy of the page
    CHECK(d.fixture.Count("SELECT count(*) FROM referral WHERE print_state = 'failed'") == 1);
    CHECK_FALSE(std::filesystem::exists(pdf));  // failed: not left behind

    // "Try again" writes the page anew; the kiosk dies while it prints.
    d.printer.next = {State(print::PrintState::kPrinting)};
    d.fixture.Do(intent::preview::Retry{});
    d.fixture.Wait(Seconds{1});
    REQUIRE(d.printer.submitted.size() == 2);
    CHECK(std::filesystem::exists(pdf));
    CHECK(d.fixture.Count("SELECT count(*) FROM referral WHERE print_state = 'printing'") == 1);
    d.Start();  // the next start
    CHECK_FALSE(std::filesystem::exists(pdf));
    for (const auto& f : std::filesystem::directory_iterator(spool)) {
        CHECK_MESSAGE(f.path().extension() != ".pdf", f.path());  // the test's copies too
    }
    CHECK(d.fixture.Count("SELECT count(*) FROM referral WHERE print_state = 'failed' AND "
                          "print_detail LIKE 'interrupted%'") == 1);
    CHECK(d.fixture.Count("SELECT count(*) FROM audit WHERE action = 'referral-print' AND "
                          "detail LIKE 'failed: interrupted%'") == 1);
    CHECK(d.fixture.Count("SELECT count(*) FROM outbox WHERE kind = 'referral'") == 2);
}

TEST_CASE("signing out while a referral prints still records how the printing ended") {
    Desk d;
    d.printer.next = {State(print::PrintState::kPrinting)};
    d.ToPreview(false);
    d.fixture.Do(intent::preview::Print{});
    d.fixture.Do(intent::frame::Cancel{});  // sign out
    CHECK(d.fixture.Showing() == Screen::kWelcome);
    d.printer.next = {State(print::PrintState::kDone)};
    d.fixture.Wait(Seconds{1});
    CHECK(d.fixture.Count("SELECT count(*) FROM referral WHERE print_state = 'printed'") == 1);
}

TEST_CASE("without a printer the referral is saved and staff are told nothing printed") {
    Desk d(false);
    d.ToPreview(false);
    CHECK(d.fixture.Staff().preview.print_label == "Save (no printer)");
    d.fixture.Do(intent::preview::Print{});
    CHECK(d.fixture.Staff().preview.status ==
          "Saved. No printer is set up on this kiosk, so nothing was printed.");
    CHECK(d.fixture.Count("SELECT count(*) FROM referral WHERE print_state = 'saved'") == 1);
    CHECK(d.fixture.Count("SELECT count(*) FROM outbox WHERE kind = 'referral'") == 2);
}

TEST_CASE("choosing the participant: by card only when asked, or from today's groups") {
    Desk d;
    d.fixture.Do(intent::home::OpenResources{});
    d.fixture.Do(intent::resources::Add{"fhir:HealthcareService/jobs"});
    d.fixture.Do(intent::resources::OpenReferral{});
    const ReferralView& r = d.fixture.Staff().referral;
    CHECK_FALSE(r.can_preview);
    CHECK(r.missing == "Choose who it is for.");
    REQUIRE_FALSE(r.participants.empty());  // today's demo groups
    const std::string linda_ref = [&] {
        for (const auto& p : r.participants) {
            if (p.name == "Linda Patterson") {
                return p.person_ref;
            }
        }
        return std::string();
    }();
    REQUIRE_FALSE(linda_ref.empty());
    d.fixture.Do(intent::referral::EditFilter{});
    for (char c : std::string("linda")) {
        d.fixture.Do(intent::keyboard::Text{std::string(1, c)});
    }
    REQUIRE(d.fixture.Staff().referral.participants.size() == 1);
    d.fixture.Do(intent::referral::Pick{linda_ref});
    CHECK(d.fixture.Staff().referral.participant_name == "Linda Patterson");
    CHECK(d.fixture.Staff().referral.can_preview);

    // A staff badge while waiting for the participant's card is not a participant.
    d.fixture.Do(intent::referral::ScanCard{});
    CHECK(d.fixture.Staff().referral.waiting_for_scan);
    CHECK(d.fixture.Staff().referral.scan_prompt ==
          "Hold the participant's card to the scanner now.");

    // Not waiting for a card: a participant's scan locks the staff screens (PRIVACY.md 8).
    d.fixture.Do(intent::frame::Back{});
    d.fixture.Scan(kLinda);
    CHECK(d.fixture.Showing() != Screen::kStaff);
    CHECK(d.fixture.AllText().find("Linda") == std::string::npos);
}

TEST_CASE("the directory's words: hours, open state, distance and dates in both languages") {
    auto es = Catalog::LoadMo(std::string(KIOSK_TEST_I18N) + "/es.mo", "es").value();
    auto en = Catalog::LoadMo(std::string(KIOSK_TEST_I18N) + "/en.mo", "en").value();
    const auto hours =
        OpeningHours::Parse("Mon-Fri 09:00-17:00; Sat 10:00-14:00; Sun 00:00-24:00").value();
    CHECK(HoursLines(en, hours, ClockStyle::k12Hour) ==
          std::vector<std::string>{"Mon–Fri 9:00 AM – 5:00 PM", "Sat 10:00 AM – 2:00 PM",
                                   "Sun open 24 hours"});
    CHECK(HoursLines(es, hours, ClockStyle::k24Hour) ==
          std::vector<std::string>{"lun–vie 9:00 – 17:00", "sáb 10:00 – 14:00",
                                   "dom abierto las 24 horas"});
    const auto night = OpeningHours::Parse("Fri 22:00-02:00").value();
    CHECK(HoursLines(en, night, ClockStyle::k12Hour) ==
          std::vector<std::string>{"Fri 10:00 PM – 2:00 AM"});
    CHECK(DistanceText(en, 3.9, true) == "2.4 mi");
    CHECK(DistanceText(es, 25.2, false) == "25 km");
    CHECK(LongDate(en, At(9, 0, 22, 11), LosAngeles()) == "November 22, 2026");
    CHECK(LongDate(es, At(9, 0, 22, 11), LosAngeles()) == "22 de noviembre de 2026");
    const Instant fri_23 = At(23, 0, 9, 1);  // Friday 2026-01-09
    CHECK(OpenText(en, night, night.StateAt(fri_23, LosAngeles()), fri_23, LosAngeles(),
                   ClockStyle::k12Hour) == "Open until 2:00 AM");
    const Instant sat_3 = At(3, 0, 10, 1);
    CHECK(OpenText(es, night, night.StateAt(sat_3, LosAngeles()), sat_3, LosAngeles(),
                   ClockStyle::k24Hour) == "Cerrado · abre el vie a las 22:00");
    CHECK(OpenText(en, OpeningHours{}, {}, sat_3, LosAngeles(), ClockStyle::k12Hour) ==
          "Hours not listed");
    CHECK(CategoryList(es, {"housing", "legal-aid"}) == "Vivienda · Ayuda legal");
}
