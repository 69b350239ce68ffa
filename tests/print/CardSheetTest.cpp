// Card sheets as a person gets them: the demo card list printed to PDF, then read back with
// poppler's pdfinfo/pdftotext and rasterised with pdftoppm at 150 dpi, every QR decoded by
// ZXing's reader. No mocks; a missing tool is a failure that names the package.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "TestSupport.h"
#include "kiosk/print/CardSheet.h"
#include "print/PrintTestSupport.h"

namespace fs = std::filesystem;
using kiosk::ErrorCode;
using kiosk::print::Card;
using kiosk::print::CardsPerPage;
using kiosk::print::PaperSize;
using kiosk::print::ParsePaperSize;
using kiosk::print::ReadCardsCsv;
using kiosk::print::WriteCardSheetPdf;
using kiosk::test::DecodePage;
using kiosk::test::PdfPageCount;
using kiosk::test::PdfPageSize;
using kiosk::test::PdfText;
using kiosk::test::ReadFile;
using kiosk::test::TempDir;
using kiosk::test::WriteFile;

namespace {

const fs::path kDemoCards = fs::path(KIOSK_TEST_ASSETS) / "demo" / "cards.csv";
constexpr const char* kDemoFooter = "Demo cards — not for real patients";

/// Prints `cards`, then checks pages, text and every QR against the list.
void CheckPrintedSheet(const std::vector<Card>& cards, PaperSize paper, bool demo,
                       const std::string& expected_size) {
    TempDir dir;
    const fs::path pdf = dir.path() / "cards.pdf";
    const auto written = WriteCardSheetPdf(cards, pdf, paper, demo);
    REQUIRE_MESSAGE(written.ok(), (written.ok() ? "" : written.error().log));
    CHECK_FALSE(fs::exists(fs::path(pdf).concat(".partial")));

    const int per_page = CardsPerPage(paper);
    CHECK(per_page >= 8);
    const int pages = static_cast<int>((cards.size() + static_cast<std::size_t>(per_page) - 1) /
                                       static_cast<std::size_t>(per_page));
    CHECK(PdfPageCount(pdf) == pages);
    CHECK(PdfPageSize(pdf).find(expected_size) != std::string::npos);

    const std::string text = PdfText(pdf);
    for (const Card& card : cards) {
        CHECK_MESSAGE(text.find(card.label) != std::string::npos, card.label << " not printed");
        CHECK_MESSAGE(text.find(card.role) != std::string::npos, card.role << " not printed");
        // The token lives in the QR only, never as readable text on the card.
        CHECK(text.find(card.token) == std::string::npos);
    }
    if (demo) {
        // One footer per page (pdftotext separates pages with form feeds).
        std::size_t footers = 0;
        for (std::size_t at = text.find(kDemoFooter); at != std::string::npos;
             at = text.find(kDemoFooter, at + 1)) {
            ++footers;
        }
        CHECK(footers == static_cast<std::size_t>(pages));
    } else {
        CHECK(text.find("Demo") == std::string::npos);
    }

    std::multiset<std::string> decoded;
    for (int page = 1; page <= pages; ++page) {
        const auto texts = DecodePage(pdf, page, dir.path());
        const int on_page =
            std::min(per_page, static_cast<int>(cards.size()) - (page - 1) * per_page);
        CHECK_MESSAGE(static_cast<int>(texts.size()) == on_page, "page " << page);
        decoded.insert(texts.begin(), texts.end());
    }
    std::multiset<std::string> tokens;
    for (const Card& card : cards) {
        tokens.insert(card.token);
    }
    CHECK(decoded == tokens);
}

}  // namespace

TEST_CASE("the demo card list reads whole, names in UTF-8, pin ignored") {
    const auto cards = ReadCardsCsv(kDemoCards);
    REQUIRE_MESSAGE(cards.ok(), (cards.ok() ? "" : cards.error().log));
    REQUIRE(cards->size() == 54);
    CHECK(cards->front().role == "facilitator");
    CHECK(cards->front().label == "Rosa Delgado");
    CHECK(cards->front().token == "K1.WFzBcerPgEmh7LaR7IS66fvfxuSNMKqL");
    const auto jose = std::find_if(cards->begin(), cards->end(),
                                   [](const Card& c) { return c.label == "José Núñez"; });
    REQUIRE(jose != cards->end());
    CHECK(jose->role == "participant");
    CHECK(jose->token == "K1.r-4to8Wn_Lo5tDXCXwjVygNGlvxm4gWX");
}

TEST_CASE("a card list may reorder columns, quote fields, add columns, use CRLF and a BOM") {
    TempDir dir;
    const fs::path csv = dir.path() / "cards.csv";
    WriteFile(csv,
              "\xEF\xBB\xBF"
              "Token, Name ,notes,ROLE\r\n"
              "K1.AAAAAAAAAAAAAAAAAAAAAAAA,\"Núñez, José\",\"said \"\"hi\"\"\",participant\r\n"
              "\r\n"
              " K1.BBBBBBBBBBBBBBBBBBBBBBBB , Grace O'Neill ,,\"front-desk\"\r\n");
    const auto cards = ReadCardsCsv(csv);
    REQUIRE_MESSAGE(cards.ok(), (cards.ok() ? "" : cards.error().log));
    REQUIRE(cards->size() == 2);
    CHECK(cards.value()[0].label == "Núñez, José");
    CHECK(cards.value()[0].role == "participant");
    CHECK(cards.value()[0].token == "K1.AAAAAAAAAAAAAAAAAAAAAAAA");
    CHECK(cards.value()[1].label == "Grace O'Neill");
    CHECK(cards.value()[1].role == "front-desk");
    CHECK(cards.value()[1].token == "K1.BBBBBBBBBBBBBBBBBBBBBBBB");
}

TEST_CASE("a spreadsheet's quoted line breaks and doubled quotes are read; lines still count") {
    TempDir dir;
    const fs::path csv = dir.path() / "cards.csv";
    const std::string header = "role,name,notes,token\r\n";
    const std::string two_line_notes =
        "participant,\"Ana \"\"Annie\"\" "
        "Lee\",\"prefers\r\nmornings\",K1.AAAAAAAAAAAAAAAAAAAAAAAA\r\n";
    const std::string plain = "staff,Grace,,K1.BBBBBBBBBBBBBBBBBBBBBBBB\r\n";
    WriteFile(csv, header + two_line_notes + plain);
    const auto cards = ReadCardsCsv(csv);
    REQUIRE_MESSAGE(cards.ok(), (cards.ok() ? "" : cards.error().log));
    REQUIRE(cards->size() == 2);
    CHECK(cards.value()[0].label == "Ana \"Annie\" Lee");
    CHECK(cards.value()[0].token == "K1.AAAAAAAAAAAAAAAAAAAAAAAA");
    CHECK(cards.value()[1].label == "Grace");

    // The record after a two-line one starts on line 4, and an error there says so.
    WriteFile(csv, header + two_line_notes + "staff,Grace,,SECRET-NOT-A-TOKEN\r\n");
    auto bad = ReadCardsCsv(csv);
    REQUIRE_FALSE(bad.ok());
    CHECK_MESSAGE(
        bad.error().log.find("cards.csv:4: the token is not a card token") != std::string::npos,
        bad.error().log);
    WriteFile(csv, header + two_line_notes + two_line_notes);
    bad = ReadCardsCsv(csv);
    REQUIRE_FALSE(bad.ok());
    CHECK_MESSAGE(bad.error().log.find("cards.csv:4: the token repeats the one on line 2") !=
                      std::string::npos,
                  bad.error().log);
    // A quote left open swallows the rest of the file: the error names the line it opened on.
    WriteFile(csv, header + plain + "participant,\"Ana,,K1.AAAAAAAAAAAAAAAAAAAAAAAA\r\n" + plain);
    bad = ReadCardsCsv(csv);
    REQUIRE_FALSE(bad.ok());
    CHECK_MESSAGE(bad.error().log.find("cards.csv:3: field 2 opens a quote that is not closed") !=
                      std::string::npos,
                  bad.error().log);
}

TEST_CASE("a bad card list is an error naming the file and the line, never the token") {
    TempDir dir;
    const fs::path csv = dir.path() / "bad.csv";
    const std::string good = "participant,Ana,K1.AAAAAAAAAAAAAAAAAAAAAAAA\n";
    struct Case {
        const char* what;
        std::string text;
        std::string where;  // "bad.csv:N" expected in the log
        std::string why;    // a phrase of the explanation
    };
    const std::vector<Case> cases = {
        {"missing column", "role,name,pin\nparticipant,Ana,1234\n", "bad.csv:1",
         "no 'token' column"},
        {"column twice", "role,name,token,name\n", "bad.csv:1", "twice"},
        {"unclosed quote",
         "role,name,token\n" + good + "participant,\"Ana,K1.BBBBBBBBBBBBBBBBBBBBBBBB\n",
         "bad.csv:3", "not closed"},
        {"text after quote", "role,name,token\nparticipant,\"Ana\" B,K1.BBBBBBBBBBBBBBBBBBBBBBBB\n",
         "bad.csv:2", "after its closing quote"},
        {"quote in bare field",
         "role,name,token\nparticipant,Ana \"B\",K1.BBBBBBBBBBBBBBBBBBBBBBBB\n", "bad.csv:2",
         "quote inside"},
        {"too few fields", "role,name,token\n" + good + "participant,Ana\n", "bad.csv:3",
         "has 2 fields but the header has 3"},
        {"not a token", "role,name,token\nparticipant,Ana,SECRET-NOT-A-TOKEN\n", "bad.csv:2",
         "not a card token"},
        {"token repeats", "role,name,token\n" + good + good, "bad.csv:3", "line 2"},
        {"empty name", "role,name,token\nparticipant,,K1.AAAAAAAAAAAAAAAAAAAAAAAA\n", "bad.csv:2",
         "name is empty"},
        {"bad UTF-8", "role,name,token\nparticipant,Jos\xE9,K1.AAAAAAAAAAAAAAAAAAAAAAAA\n",
         "bad.csv:2", "UTF-8"},
        {"header only", "role,name,token\n", "bad.csv:1", "no cards"},
        {"empty file", "", "bad.csv", "empty"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.what);
        WriteFile(csv, c.text);
        const auto cards = ReadCardsCsv(csv);
        REQUIRE_FALSE(cards.ok());
        const auto& error = cards.error();
        CHECK(error.code == ErrorCode::kInvalidInput);
        CHECK_MESSAGE(error.log.find(c.where) != std::string::npos, error.log);
        CHECK_MESSAGE(error.log.find(c.why) != std::string::npos, error.log);
        CHECK(error.log.find("SECRET") == std::string::npos);
        CHECK(error.log.find("AAAAAAAAAAAA") == std::string::npos);
        CHECK(error.log.find("BBBBBBBBBBBB") == std::string::npos);
        CHECK_FALSE(error.screen.empty());
    }

    const auto missing = ReadCardsCsv(dir.path() / "nope.csv");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == ErrorCode::kNotFound);
    CHECK(missing.error().log.find("nope.csv") != std::string::npos);
}

TEST_CASE("the demo cards print on Letter: pages, names, footer and every QR scan back") {
    const auto cards = ReadCardsCsv(kDemoCards);
    REQUIRE(cards.ok());
    CheckPrintedSheet(cards.value(), PaperSize::kLetter, true, "612 x 792 pts");
}

TEST_CASE("the demo cards print on A4 without the demo footer when asked") {
    const auto cards = ReadCardsCsv(kDemoCards);
    REQUIRE(cards.ok());
    CheckPrintedSheet(cards.value(), PaperSize::kA4, false, "595.276 x 841.89 pts");
}

TEST_CASE("a single card prints on one page") {
    CheckPrintedSheet(
        {Card{"participant", "Luis Ángel Peña", "K1.uDUqbUDSXF7ty_3EEhWXjcuSrzkWqg-n"}},
        PaperSize::kLetter, true, "612 x 792 pts");
}

TEST_CASE("printing fails plainly and leaves no file behind") {
    TempDir dir;
    const std::vector<Card> one = {Card{"participant", "Ana", "K1.AAAAAAAAAAAAAAAAAAAAAAAA"}};

    SUBCASE("no cards") {
        const fs::path out = dir.path() / "empty.pdf";
        const auto status = WriteCardSheetPdf({}, out, PaperSize::kLetter, false);
        REQUIRE_FALSE(status.ok());
        CHECK(status.error().code == ErrorCode::kInvalidInput);
        CHECK(status.error().log.find("no cards") != std::string::npos);
        CHECK_FALSE(fs::exists(out));
    }
    SUBCASE("a folder that does not exist") {
        const fs::path out = dir.path() / "no-such-folder" / "cards.pdf";
        const auto status = WriteCardSheetPdf(one, out, PaperSize::kLetter, false);
        REQUIRE_FALSE(status.ok());
        CHECK(status.error().code == ErrorCode::kStorage);
        CHECK_MESSAGE(status.error().log.find("No such file or directory") != std::string::npos,
                      status.error().log);
        CHECK(status.error().log.find("cards.pdf") != std::string::npos);
        CHECK_FALSE(status.error().screen.empty());
    }
    SUBCASE("the path is a folder") {
        const auto status = WriteCardSheetPdf(one, dir.path(), PaperSize::kA4, false);
        REQUIRE_FALSE(status.ok());
        CHECK(status.error().log.find("is a directory") != std::string::npos);
    }
    SUBCASE("a card whose token is not a token") {
        const fs::path out = dir.path() / "bad.pdf";
        const std::vector<Card> bad = {one[0], Card{"participant", "Bo", "Clinic name here"}};
        const auto status = WriteCardSheetPdf(bad, out, PaperSize::kLetter, false);
        REQUIRE_FALSE(status.ok());
        CHECK(status.error().code == ErrorCode::kInvalidInput);
        CHECK(status.error().log.find("card 2") != std::string::npos);
        CHECK(status.error().log.find("Clinic") == std::string::npos);
        CHECK_FALSE(fs::exists(out));
        CHECK(fs::is_empty(dir.path()));
    }
    SUBCASE("a label with a control character") {
        const fs::path out = dir.path() / "bad.pdf";
        const auto status =
            WriteCardSheetPdf({Card{"participant", "Ana\nB", "K1.AAAAAAAAAAAAAAAAAAAAAAAA"}}, out,
                              PaperSize::kLetter, false);
        REQUIRE_FALSE(status.ok());
        CHECK_FALSE(fs::exists(out));
    }
    SUBCASE("an existing sheet is replaced whole") {
        const fs::path out = dir.path() / "cards.pdf";
        WriteFile(out, "old");
        REQUIRE(WriteCardSheetPdf(one, out, PaperSize::kLetter, false).ok());
        CHECK(ReadFile(out).starts_with("%PDF-"));
        CHECK(PdfPageCount(out) == 1);
    }
}

TEST_CASE("paper sizes by name") {
    CHECK(ParsePaperSize("letter").value() == PaperSize::kLetter);
    CHECK(ParsePaperSize("A4").value() == PaperSize::kA4);
    CHECK(ParsePaperSize(" Letter ").value() == PaperSize::kLetter);
    CHECK_FALSE(ParsePaperSize("legal").ok());
    CHECK(CardsPerPage(PaperSize::kLetter) == 8);
    CHECK(CardsPerPage(PaperSize::kA4) == 8);
}
