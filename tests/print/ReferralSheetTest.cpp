// Printed referrals as a participant gets them: the PDF read back with poppler's pdfinfo,
// pdftotext and pdffonts, QR codes decoded by ZXing from a 150 dpi raster, and the on-screen
// preview compared pixel by pixel with poppler's own rendering of the same page.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "TestSupport.h"
#include "kiosk/print/ReferralSheet.h"
#include "print/PrintTestSupport.h"

namespace fs = std::filesystem;
using kiosk::ErrorCode;
using kiosk::print::AddPrintFonts;
using kiosk::print::PageImage;
using kiosk::print::PaperSize;
using kiosk::print::ReferralDocument;
using kiosk::print::ReferralEntry;
using kiosk::print::ReferralPageCount;
using kiosk::print::RenderReferralPage;
using kiosk::print::WriteReferralPdf;
using kiosk::test::DecodePage;
using kiosk::test::GreyImage;
using kiosk::test::PdfPageCount;
using kiosk::test::PdfPageSize;
using kiosk::test::PdfText;
using kiosk::test::RasterisePage;
using kiosk::test::ReadFile;
using kiosk::test::Run;
using kiosk::test::TempDir;
using kiosk::test::Tool;
using kiosk::test::WriteFile;

namespace {

/// The kiosk's own fonts, as the app loads them at start-up (once per process).
void UseKioskFonts() {
    static const bool added = [] {
        const auto status = AddPrintFonts(fs::path(KIOSK_TEST_ASSETS) / "fonts");
        REQUIRE_MESSAGE(status.ok(), (status.ok() ? "" : status.error().log));
        return true;
    }();
    CHECK(added);
}

ReferralEntry FoodBank() {
    ReferralEntry e;
    e.name = "Eastside Food Pantry";
    e.organization = "Community Action Partners";
    e.address = "1420 Alvarado Street, Los Angeles, CA 90026";
    e.phone = "(213) 555-0142";
    e.hours = {"Mon-Fri 9:00 AM - 5:00 PM", "Sat 10:00 AM - 2:00 PM"};
    e.hours_note = "Closed on public holidays";
    e.eligibility = "Anyone who lives in Los Angeles County";
    e.what_to_bring = "A photo ID and a bag for groceries";
    e.cost = "Free";
    e.languages = "English, Spanish";
    e.qr_text = "https://example.org/pantry/eastside";
    e.qr_caption = "Website";
    return e;
}

ReferralEntry Housing() {
    ReferralEntry e;
    e.name = "Casa Esperanza Housing Help";
    e.organization = "Esperanza Services";
    e.address = "88 Boyle Avenue, Los Angeles, CA 90033";
    e.phone = "(323) 555-0188";
    e.hours = {"Mon-Thu 8:30 AM - 4:30 PM"};
    e.eligibility = "Adults who need a place to live";
    e.what_to_bring = "Proof of income if you have it";
    e.cost = "No cost";
    e.languages = "Spanish, English";
    e.qr_text = "https://example.org/maps/casa-esperanza";
    e.qr_caption = "Map";
    return e;
}

ReferralEntry JobCenter() {
    ReferralEntry e;
    e.name = "Westlake Job Center";
    e.address = "2000 Wilshire Boulevard, Los Angeles, CA 90057";
    e.phone = "(213) 555-0175";
    e.hours = {"Tue-Sat 10:00 AM - 6:00 PM"};
    e.what_to_bring = "A résumé if you have one";
    e.cost = "Free";
    e.languages = "English";
    // No QR for this one: the entry must still print whole, without an empty caption.
    return e;
}

ReferralDocument SampleDocument(PaperSize paper, const std::string& first_name) {
    ReferralDocument doc;
    doc.paper = paper;
    doc.labels.title = "Places that can help";
    doc.labels.for_name = first_name.empty() ? "" : "For " + first_name;
    doc.labels.date_line = "November 22, 2026";
    doc.labels.address = "Address";
    doc.labels.phone = "Phone";
    doc.labels.hours = "Hours";
    doc.labels.eligibility = "Who can go";
    doc.labels.what_to_bring = "What to bring";
    doc.labels.cost = "Cost";
    doc.labels.languages = "Languages";
    doc.labels.page_of = "Page {n} of {total}";
    doc.labels.footer = "Call ahead: hours can change.";
    doc.entries = {FoodBank(), Housing(), JobCenter()};
    return doc;
}

/// Ten distinct entries, each with a unique marker in its first and last lines.
ReferralDocument TenEntries() {
    ReferralDocument doc = SampleDocument(PaperSize::kLetter, "");
    doc.entries.clear();
    for (int i = 1; i <= 10; ++i) {
        ReferralEntry e = i % 2 == 0 ? FoodBank() : Housing();
        e.name = "Resource number " + std::to_string(i);
        e.languages = "English, Spanish, marker" + std::to_string(i) + "end";
        e.qr_text = "https://example.org/r/" + std::to_string(i);
        doc.entries.push_back(e);
    }
    return doc;
}

/// pdftotext's output with every run of whitespace made one space: lines wrap where the
/// layout chose, and a test should not care where.
std::string Flat(const std::string& text) {
    std::string out;
    bool space = false;
    for (const char c : text) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space) {
            out += ' ';
            space = false;
        }
        out += c;
    }
    return out;
}

std::vector<std::string> Words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> words;
    std::string word;
    while (in >> word) {
        words.push_back(word);
    }
    return words;
}

/// Every word the document may print: its labels and fields, the page numbers.
std::set<std::string> AllowedWords(const ReferralDocument& doc, int pages) {
    std::set<std::string> allowed;
    auto add = [&allowed](const std::string& text) {
        for (const std::string& w : Words(text)) {
            allowed.insert(w);
        }
    };
    const auto& l = doc.labels;
    for (const std::string* s :
         {&l.title, &l.for_name, &l.date_line, &l.address, &l.phone, &l.hours, &l.eligibility,
          &l.what_to_bring, &l.cost, &l.languages, &l.footer}) {
        add(*s);
    }
    for (int n = 1; n <= pages; ++n) {
        std::string page_of = l.page_of;
        page_of.replace(page_of.find("{n}"), 3, std::to_string(n));
        page_of.replace(page_of.find("{total}"), 7, std::to_string(pages));
        add(page_of);
    }
    for (const ReferralEntry& e : doc.entries) {
        for (const std::string* s :
             {&e.name, &e.organization, &e.address, &e.phone, &e.hours_note, &e.eligibility,
              &e.what_to_bring, &e.cost, &e.languages, &e.qr_caption}) {
            add(*s);
        }
        for (const std::string& h : e.hours) {
            add(h);
        }
    }
    return allowed;
}

void CheckSample(PaperSize paper, const std::string& expected_size, const std::string& name) {
    UseKioskFonts();
    TempDir dir;
    const fs::path pdf = dir.path() / "referral.pdf";
    const ReferralDocument doc = SampleDocument(paper, name);
    REQUIRE(ReferralPageCount(doc) == 1);
    const auto written = WriteReferralPdf(doc, pdf);
    REQUIRE_MESSAGE(written.ok(), (written.ok() ? "" : written.error().log));
    CHECK_FALSE(fs::exists(fs::path(pdf).concat(".partial")));
    CHECK(PdfPageCount(pdf) == 1);
    CHECK(PdfPageSize(pdf).find(expected_size) != std::string::npos);

    const std::string text = Flat(PdfText(pdf));
    for (const char* expected : {"Places that can help",
                                 "November 22, 2026",
                                 "Eastside Food Pantry",
                                 "Community Action Partners",
                                 "1420 Alvarado Street, Los Angeles, CA 90026",
                                 "(213) 555-0142",
                                 "Mon-Fri 9:00 AM - 5:00 PM",
                                 "Sat 10:00 AM - 2:00 PM",
                                 "Closed on public holidays",
                                 "Who can go",
                                 "Anyone who lives in Los Angeles County",
                                 "What to bring",
                                 "A photo ID and a bag for groceries",
                                 "English, Spanish",
                                 "Website",
                                 "Casa Esperanza Housing Help",
                                 "88 Boyle Avenue",
                                 "(323) 555-0188",
                                 "Map",
                                 "Westlake Job Center",
                                 "A résumé if you have one",
                                 "Tue-Sat 10:00 AM - 6:00 PM",
                                 "Call ahead: hours can change.",
                                 "Page 1 of 1"}) {
        CHECK_MESSAGE(text.find(expected) != std::string::npos, expected << " not printed");
    }
    // The first name only when the case manager chose to print it.
    if (name.empty()) {
        CHECK(text.find("For ") == std::string::npos);
    } else {
        CHECK(text.find("For " + name) != std::string::npos);
    }
    // Entries print in the order given.
    CHECK(text.find("Eastside Food Pantry") < text.find("Casa Esperanza"));
    CHECK(text.find("Casa Esperanza") < text.find("Westlake Job Center"));
    // Nothing but the given fields: every printed word comes from the document (the URLs
    // live in the QR codes only).
    const std::set<std::string> allowed = AllowedWords(doc, 1);
    for (const std::string& word : Words(text)) {
        CHECK_MESSAGE(allowed.contains(word), "stray text on the page: " << word);
    }
    CHECK(text.find("example.org") == std::string::npos);

    const auto codes = DecodePage(pdf, 1, dir.path());
    CHECK(std::multiset<std::string>(codes.begin(), codes.end()) ==
          std::multiset<std::string>{"https://example.org/pantry/eastside",
                                     "https://example.org/maps/casa-esperanza"});
}

struct WordBox {
    double x_min = 0;
    double y_min = 0;
    double x_max = 0;
    double y_max = 0;
    std::string text;
};

/// Every word pdftotext -bbox finds, with its box in points from the page's top-left corner.
std::vector<WordBox> WordBoxes(const fs::path& pdf) {
    const auto out =
        Run({Tool(KIOSK_PDFTOTEXT, "pdftotext"), "-bbox", "-enc", "UTF-8", pdf.string(), "-"});
    REQUIRE(out.exit_code == 0);
    static const std::regex kWord(
        R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>)re");
    std::vector<WordBox> words;
    for (auto it = std::sregex_iterator(out.out.begin(), out.out.end(), kWord);
         it != std::sregex_iterator(); ++it) {
        const std::smatch& m = *it;
        words.push_back(
            WordBox{std::stod(m[1]), std::stod(m[2]), std::stod(m[3]), std::stod(m[4]), m[5]});
    }
    return words;
}

/// Mean of `image` over blocks of `block` x `block` pixels: a downscale that forgives
/// anti-aliasing differences but not a moved line of text.
std::vector<double> BlockMeans(const std::vector<double>& grey, int width, int height, int block) {
    const int bw = width / block;
    const int bh = height / block;
    std::vector<double> out(static_cast<std::size_t>(bw) * static_cast<std::size_t>(bh), 0.0);
    for (int by = 0; by < bh; ++by) {
        for (int bx = 0; bx < bw; ++bx) {
            double sum = 0;
            for (int y = by * block; y < (by + 1) * block; ++y) {
                for (int x = bx * block; x < (bx + 1) * block; ++x) {
                    sum += grey[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                                static_cast<std::size_t>(x)];
                }
            }
            out[static_cast<std::size_t>(by) * static_cast<std::size_t>(bw) +
                static_cast<std::size_t>(bx)] = sum / (block * block);
        }
    }
    return out;
}

std::vector<double> GreyOf(const PageImage& image) {
    std::vector<double> grey(static_cast<std::size_t>(image.width) *
                             static_cast<std::size_t>(image.height));
    for (std::size_t i = 0; i < grey.size(); ++i) {
        const auto* px = &image.rgba[i * 4];
        grey[i] = 0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2];
    }
    return grey;
}

std::vector<double> GreyOf(const GreyImage& image) {
    return std::vector<double>(image.pixels.begin(), image.pixels.end());
}

/// Mean absolute difference (0-255) of two same-sized grey images after an 8x8 block mean.
double BlockDifference(const std::vector<double>& a, const std::vector<double>& b, int width,
                       int height) {
    const auto ma = BlockMeans(a, width, height, 8);
    const auto mb = BlockMeans(b, width, height, 8);
    double sum = 0;
    for (std::size_t i = 0; i < ma.size(); ++i) {
        sum += std::abs(ma[i] - mb[i]);
    }
    return sum / static_cast<double>(ma.size());
}

}  // namespace

TEST_CASE("a referral on Letter: size, every field, the first name, nothing else, the QR codes") {
    CheckSample(PaperSize::kLetter, "612 x 792 pts", "Ana");
}

TEST_CASE("a referral on A4 without a first name") {
    CheckSample(PaperSize::kA4, "595.276 x 841.89 pts", "");
}

TEST_CASE("ten entries take several pages, none split, each page numbered") {
    UseKioskFonts();
    TempDir dir;
    const fs::path pdf = dir.path() / "ten.pdf";
    const ReferralDocument doc = TenEntries();
    const int pages = ReferralPageCount(doc);
    CHECK(pages >= 3);
    CHECK(pages <= 4);  // as many entries per page as fit: 3-4 of this size
    REQUIRE(WriteReferralPdf(doc, pdf).ok());
    REQUIRE(PdfPageCount(pdf) == pages);

    std::vector<int> page_of(11, 0);
    std::set<std::string> decoded;
    for (int page = 1; page <= pages; ++page) {
        CAPTURE(page);
        const std::string text = Flat(PdfText(pdf, page));
        CHECK(text.find("Page " + std::to_string(page) + " of " + std::to_string(pages)) !=
              std::string::npos);
        CHECK(text.find("Places that can help") != std::string::npos);
        int on_page = 0;
        for (int i = 1; i <= 10; ++i) {
            const bool first =
                text.find("Resource number " + std::to_string(i) + " ") != std::string::npos ||
                text.ends_with("Resource number " + std::to_string(i));
            const bool last = text.find("marker" + std::to_string(i) + "end") != std::string::npos;
            // An entry's first and last lines are on the same page, or neither is.
            CHECK_MESSAGE(first == last, "entry " << i << " is split across pages");
            if (first) {
                CHECK_MESSAGE(page_of[static_cast<std::size_t>(i)] == 0, "entry " << i << " twice");
                page_of[static_cast<std::size_t>(i)] = page;
                ++on_page;
            }
        }
        if (page < pages) {
            CHECK(on_page >= 3);
        }
        for (const std::string& code : DecodePage(pdf, page, dir.path())) {
            decoded.insert(code);
        }
    }
    for (int i = 1; i <= 10; ++i) {
        CHECK_MESSAGE(page_of[static_cast<std::size_t>(i)] > 0, "entry " << i << " missing");
        if (i > 1) {
            CHECK(page_of[static_cast<std::size_t>(i)] >= page_of[static_cast<std::size_t>(i - 1)]);
        }
        CHECK(decoded.contains("https://example.org/r/" + std::to_string(i)));
    }
}

TEST_CASE("the preview is the printed page") {
    UseKioskFonts();
    TempDir dir;
    const fs::path pdf = dir.path() / "ten.pdf";
    const ReferralDocument doc = TenEntries();
    REQUIRE(WriteReferralPdf(doc, pdf).ok());

    constexpr int kWidth = 816;  // Letter at 96 dpi
    const auto preview = RenderReferralPage(doc, 0, kWidth);
    REQUIRE_MESSAGE(preview.ok(), (preview.ok() ? "" : preview.error().log));
    const PageImage& image = preview.value();
    CHECK(image.width == kWidth);
    CHECK(image.height == 1056);  // 11 in at 96 dpi: the paper's proportions
    REQUIRE(image.rgba.size() == static_cast<std::size_t>(image.width * image.height * 4));

    // Opaque, white paper with ink on it.
    std::size_t dark = 0;
    std::size_t white = 0;
    bool opaque = true;
    for (std::size_t i = 0; i < image.rgba.size(); i += 4) {
        opaque = opaque && image.rgba[i + 3] == 255;
        const int sum = image.rgba[i] + image.rgba[i + 1] + image.rgba[i + 2];
        dark += sum < 3 * 100 ? 1 : 0;
        white += sum == 3 * 255 ? 1 : 0;
    }
    const double pixels = static_cast<double>(image.width) * image.height;
    CHECK(opaque);
    CHECK(dark > pixels * 0.02);  // text and QR codes
    CHECK(white > pixels * 0.6);  // margins and space between

    // poppler's rendering of the same PDF page at the same size.
    const GreyImage printed = RasterisePage(pdf, 1, dir.path(), 0, kWidth);
    REQUIRE(printed.width == image.width);
    REQUIRE(printed.height == image.height);
    const double same_page =
        BlockDifference(GreyOf(image), GreyOf(printed), image.width, image.height);
    MESSAGE("preview vs printed page 1: mean block difference " << same_page);
    CHECK(same_page < 2.5);

    // The measure can tell pages apart: page 2 of the PDF is not the preview of page 1.
    const GreyImage other = RasterisePage(pdf, 2, dir.path(), 0, kWidth);
    REQUIRE(other.width == image.width);
    const double other_page =
        BlockDifference(GreyOf(image), GreyOf(other), image.width, image.height);
    MESSAGE("preview of page 1 vs printed page 2: " << other_page);
    CHECK(other_page > 3 * same_page);

    // Every page has a preview; the last one is numbered like the PDF.
    const int pages = ReferralPageCount(doc);
    CHECK(RenderReferralPage(doc, pages - 1, 200).ok());
    CHECK_FALSE(RenderReferralPage(doc, pages, 200).ok());
    CHECK_FALSE(RenderReferralPage(doc, -1, 200).ok());
    CHECK_FALSE(RenderReferralPage(doc, 0, 0).ok());

    // A4 keeps A4's proportions.
    ReferralDocument a4 = doc;
    a4.paper = PaperSize::kA4;
    const auto a4_preview = RenderReferralPage(a4, 0, 420);
    REQUIRE(a4_preview.ok());
    CHECK(a4_preview->height == 594);
}

TEST_CASE("a very long entry wraps and is cut short instead of running off the page") {
    UseKioskFonts();
    TempDir dir;
    const fs::path pdf = dir.path() / "long.pdf";
    ReferralDocument doc = SampleDocument(PaperSize::kLetter, "Ana");
    ReferralEntry& e = doc.entries[0];
    e.name = "A resource with a very long name that goes on and on well past the end of one line";
    std::string eligibility;
    for (int i = 0; i < 150; ++i) {
        eligibility += "word" + std::to_string(i) + " ";
    }
    eligibility += "TAILMARK";
    e.eligibility = eligibility;
    e.hours.clear();
    for (int i = 0; i < 20; ++i) {
        e.hours.push_back("Slot " + std::to_string(i) + " 9:00 AM - 5:00 PM");
    }
    e.what_to_bring =
        "Supercalifragilisticexpialidociousandthensomemoreletterswithoutanyspace"
        "sothatthewordcannotwrapatallunlessitisbrokenbycharacters";
    REQUIRE(WriteReferralPdf(doc, pdf).ok());
    const int pages = PdfPageCount(pdf);
    CHECK(pages == ReferralPageCount(doc));
    CHECK(pages <= 2);
    const std::string text = Flat(PdfText(pdf));
    CHECK(text.find("word0 word1") != std::string::npos);  // the start is printed
    CHECK(text.find("Slot 0 ") != std::string::npos);
    CHECK(text.find("Slot 19") == std::string::npos);  // a week's worth of lines at most
    // The footer is still there, on every page, and the other entries follow.
    CHECK(text.find("Page " + std::to_string(pages) + " of " + std::to_string(pages)) !=
          std::string::npos);
    CHECK(text.find("Casa Esperanza Housing Help") != std::string::npos);

    // Where every word sits: inside the margins and above the footer rule, so nothing ran off
    // the page. The cut text is carried by its "…" alone (cairo keeps the elided words as the
    // ellipsis' ActualText, so copy and paste still get them): one narrow box.
    const auto words = WordBoxes(pdf);
    REQUIRE_FALSE(words.empty());
    constexpr double kPt = 72.0 / 25.4;
    bool tail_seen = false;
    for (const WordBox& w : words) {
        CAPTURE(w.text);
        CHECK(w.x_min >= 15.0 * kPt);
        CHECK(w.x_max <= (215.9 - 15.0) * kPt);
        CHECK(w.y_min >= 13.0 * kPt);
        CHECK(w.y_max <= (279.4 - 11.0) * kPt);
        const bool footer = w.text == "Page" || w.text == "of" ||
                            w.text.find_first_not_of("0123456789") == std::string::npos ||
                            w.text == "Call" || w.text == "ahead:" || w.text == "hours" ||
                            w.text == "can" || w.text == "change.";
        if (!footer) {
            CHECK(w.y_max <= (279.4 - 12.0 - 6.0) * kPt);  // above the footer rule
        }
        if (w.text.find("TAILMARK") != std::string::npos) {
            tail_seen = true;
            CHECK(w.text.find("word149") != std::string::npos);  // the whole cut run...
            CHECK(w.x_max - w.x_min < 12.0);                     // ...in one "…" glyph
        }
    }
    CHECK(tail_seen);
}

TEST_CASE(
    "accents, ñ, Vietnamese and Chinese print; control characters and bad bytes do not "
    "break the page") {
    UseKioskFonts();
    TempDir dir;
    const fs::path pdf = dir.path() / "intl.pdf";
    ReferralDocument doc = SampleDocument(PaperSize::kA4, "Begoña");
    doc.labels.title = "Lugares que pueden ayudar";
    doc.labels.what_to_bring = "Qué llevar";
    doc.labels.page_of = "Página {n} de {total}";
    doc.entries[0].name = "Despensa de comida Año Nuevo";
    doc.entries[0].what_to_bring = "Identificación con foto; niños bienvenidos";
    doc.entries[1].name = "Trung tâm hỗ trợ nhà ở";
    doc.entries[1].eligibility = "Người lớn cần chỗ ở";
    doc.entries[2].name = "社区食物银行";
    doc.entries[2].hours_note = "Line one\nline two\ttabbed \x01 bad \xff\xfe byte";
    const auto written = WriteReferralPdf(doc, pdf);
    REQUIRE_MESSAGE(written.ok(), (written.ok() ? "" : written.error().log));
    const std::string text = Flat(PdfText(pdf));
    for (const char* expected :
         {"Lugares que pueden ayudar", "For Begoña", "Despensa de comida Año Nuevo", "Qué llevar",
          "niños bienvenidos", "Trung tâm hỗ trợ nhà ở", "Người lớn cần chỗ ở",
          "Line one line two tabbed bad", "Página 1 de 1"}) {
        CHECK_MESSAGE(text.find(expected) != std::string::npos, expected << " not printed");
    }
    // Chinese prints as Chinese only where a CJK font is installed; it must never fail.
    const std::string fc_list = kiosk::test::FindTool("", "fc-list");
    if (!fc_list.empty() && !Run({fc_list, ":lang=zh"}).out.empty()) {
        CHECK(text.find("社区食物银行") != std::string::npos);
    }
    CHECK(RenderReferralPage(doc, 0, 300).ok());
}

TEST_CASE("the page is set in the kiosk's Noto Sans") {
    UseKioskFonts();
    TempDir dir;
    const fs::path pdf = dir.path() / "fonts.pdf";
    REQUIRE(WriteReferralPdf(SampleDocument(PaperSize::kLetter, ""), pdf).ok());
    const auto fonts = Run({Tool(KIOSK_PDFFONTS, "pdffonts"), pdf.string()});
    REQUIRE(fonts.exit_code == 0);
    CHECK_MESSAGE(fonts.out.find("NotoSans-Regular") != std::string::npos, fonts.out);
    CHECK_MESSAGE(fonts.out.find("NotoSans-Bold") != std::string::npos, fonts.out);
    CHECK(AddPrintFonts(dir.path() / "no-such-folder").error().code == ErrorCode::kConfig);
}

TEST_CASE("a referral that cannot be printed fails plainly and leaves no file") {
    UseKioskFonts();
    TempDir dir;
    const fs::path out = dir.path() / "r.pdf";

    SUBCASE("no entries") {
        ReferralDocument doc = SampleDocument(PaperSize::kLetter, "");
        doc.entries.clear();
        CHECK(ReferralPageCount(doc) == 0);
        const auto status = WriteReferralPdf(doc, out);
        REQUIRE_FALSE(status.ok());
        CHECK(status.error().code == ErrorCode::kInvalidInput);
        CHECK(status.error().log.find("no entries") != std::string::npos);
        CHECK_FALSE(status.error().screen.empty());
        CHECK_FALSE(RenderReferralPage(doc, 0, 400).ok());
    }
    SUBCASE("an entry without a name") {
        ReferralDocument doc = SampleDocument(PaperSize::kLetter, "");
        doc.entries[1].name = " \n ";
        const auto status = WriteReferralPdf(doc, out);
        REQUIRE_FALSE(status.ok());
        CHECK(status.error().log.find("entry 2") != std::string::npos);
    }
    SUBCASE("a QR text too long to scan") {
        ReferralDocument doc = SampleDocument(PaperSize::kLetter, "");
        doc.entries[0].qr_text = "https://example.org/" + std::string(400, 'a');
        const auto status = WriteReferralPdf(doc, out);
        REQUIRE_FALSE(status.ok());
        CHECK(status.error().code == ErrorCode::kInvalidInput);
        CHECK(status.error().log.find("QR") != std::string::npos);
    }
    SUBCASE("a folder that does not exist") {
        const fs::path missing = dir.path() / "no-such-folder" / "r.pdf";
        const auto status = WriteReferralPdf(SampleDocument(PaperSize::kLetter, ""), missing);
        REQUIRE_FALSE(status.ok());
        CHECK(status.error().code == ErrorCode::kStorage);
        CHECK(status.error().log.find("No such file or directory") != std::string::npos);
    }
    SUBCASE("an existing referral is replaced whole") {
        WriteFile(out, "old");
        REQUIRE(WriteReferralPdf(SampleDocument(PaperSize::kLetter, ""), out).ok());
        CHECK(ReadFile(out).starts_with("%PDF-"));
        CHECK(PdfPageCount(out) == 1);
    }
    CHECK_FALSE(fs::exists(fs::path(out).concat(".partial")));
    if (fs::exists(out)) {
        CHECK(ReadFile(out).starts_with("%PDF-"));
    }
}
