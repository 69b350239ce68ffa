// Card list CSV reading and the PDF card sheet: cairo draws, pango sets the UTF-8 text, ZXing
// builds the QR matrix. Nothing here reaches the store or the screen; errors name lines, never
// people or tokens (PRIVACY.md 5, Log.h).
#include "kiosk/print/CardSheet.h"

#include <ZXing/BitMatrix.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <system_error>
#include <utility>

#include "kiosk/core/Token.h"
#include "kiosk/print/PdfCommon.h"

namespace kiosk::print {
namespace {

namespace fs = std::filesystem;
using namespace pdf;  // the shared page pieces (PdfCommon.h)

constexpr std::uintmax_t kMaxCsvBytes = 4 * 1024 * 1024;
constexpr std::size_t kMaxLabelBytes = 200;
constexpr std::size_t kMaxRoleBytes = 100;

constexpr const char* kCsvScreen = "The card list could not be read.";
constexpr const char* kPdfScreen = "The cards could not be saved. Check the folder and try again.";

// ---------------------------------------------------------------------------------------------
// CSV

/// Splits one CSV record (RFC 4180 quoting, one line). Returns why it is malformed, if it is.
std::optional<std::string> SplitCsvLine(std::string_view line, std::vector<std::string>& fields) {
    fields.clear();
    std::size_t i = 0;
    const std::size_t n = line.size();
    while (true) {
        const std::string field_no = std::to_string(fields.size() + 1);
        std::string field;
        std::size_t j = i;
        while (j < n && (line[j] == ' ' || line[j] == '\t')) {
            ++j;
        }
        if (j < n && line[j] == '"') {
            i = j + 1;
            bool closed = false;
            while (i < n) {
                if (line[i] == '"') {
                    if (i + 1 < n && line[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    closed = true;
                    ++i;
                    break;
                }
                field += line[i++];
            }
            if (!closed) {
                return "field " + field_no + " opens a quote that is not closed on the same line";
            }
            while (i < n && (line[i] == ' ' || line[i] == '\t')) {
                ++i;
            }
            if (i < n && line[i] != ',') {
                return "field " + field_no +
                       " has text after its closing quote (write a quote inside quotes as \"\")";
            }
        } else {
            const std::size_t comma = std::min(line.find(',', i), n);
            const std::string_view raw = line.substr(i, comma - i);
            if (raw.find('"') != std::string_view::npos) {
                return "field " + field_no +
                       " has a quote inside it; put the whole field in quotes and write the "
                       "inner quote as \"\"";
            }
            field = std::string(TrimSpaces(raw));
            i = comma;
        }
        fields.push_back(std::move(field));
        if (i < n && line[i] == ',') {
            ++i;
            continue;
        }
        return std::nullopt;
    }
}

Error CsvError(const fs::path& csv, std::size_t line_no, const std::string& why) {
    std::string where = csv.string();
    if (line_no > 0) {
        where += ":" + std::to_string(line_no);
    }
    return MakeError(ErrorCode::kInvalidInput, "card list " + where + ": " + why, kCsvScreen);
}

Result<std::vector<Card>> ReadCardsCsvImpl(const fs::path& csv) {
    std::error_code ec;
    const auto status = fs::status(csv, ec);
    if (ec || !fs::exists(status)) {
        return MakeError(ErrorCode::kNotFound, "card list " + csv.string() + ": no such file",
                         kCsvScreen);
    }
    if (!fs::is_regular_file(status)) {
        return CsvError(csv, 0, "not a regular file");
    }
    const auto size = fs::file_size(csv, ec);
    if (ec) {
        return CsvError(csv, 0, "cannot read its size: " + ec.message());
    }
    if (size > kMaxCsvBytes) {
        return CsvError(csv, 0,
                        "too large (" + std::to_string(size) + " bytes; the limit is " +
                            std::to_string(kMaxCsvBytes) + ")");
    }
    std::ifstream in(csv, std::ios::binary);
    if (!in) {
        return CsvError(csv, 0, std::string("cannot open: ") + std::strerror(errno));
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        return CsvError(csv, 0, "read error");
    }
    if (text.starts_with("\xEF\xBB\xBF")) {  // spreadsheets like to add a UTF-8 BOM
        text.erase(0, 3);
    }

    std::vector<Card> cards;
    std::map<std::string, std::size_t> token_lines;  // token -> line, to catch repeats
    std::vector<std::string> fields;
    std::size_t header_size = 0;
    std::size_t role_col = 0;
    std::size_t name_col = 0;
    std::size_t token_col = 0;
    bool have_header = false;

    std::size_t pos = 0;
    std::size_t line_no = 0;
    while (pos < text.size()) {
        const std::size_t eol = std::min(text.find('\n', pos), text.size());
        std::string_view line(text.data() + pos, eol - pos);
        pos = eol + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (TrimSpaces(line).empty()) {
            continue;
        }
        if (auto why = SplitCsvLine(line, fields)) {
            return CsvError(csv, line_no, *why);
        }

        if (!have_header) {
            std::map<std::string, std::size_t> columns;
            for (std::size_t i = 0; i < fields.size(); ++i) {
                const std::string name = AsciiLower(TrimSpaces(fields[i]));
                if (name.empty()) {
                    continue;
                }
                if (!columns.emplace(name, i).second) {
                    return CsvError(csv, line_no, "the header names column '" + name + "' twice");
                }
            }
            for (const char* required : {"role", "name", "token"}) {
                if (!columns.contains(required)) {
                    return CsvError(csv, line_no,
                                    std::string("the header has no '") + required +
                                        "' column (it needs role, name and token)");
                }
            }
            role_col = columns["role"];
            name_col = columns["name"];
            token_col = columns["token"];
            header_size = fields.size();
            have_header = true;
            continue;
        }

        if (fields.size() != header_size) {
            return CsvError(csv, line_no,
                            "has " + std::to_string(fields.size()) + " fields but the header has " +
                                std::to_string(header_size));
        }
        Card card{fields[role_col], fields[name_col], fields[token_col]};
        if (card.label.empty()) {
            return CsvError(csv, line_no, "the name is empty");
        }
        if (card.label.size() > kMaxLabelBytes || !IsCleanUtf8Text(card.label)) {
            return CsvError(csv, line_no,
                            "the name is not plain UTF-8 text of at most " +
                                std::to_string(kMaxLabelBytes) + " bytes");
        }
        if (card.role.size() > kMaxRoleBytes || !IsCleanUtf8Text(card.role)) {
            return CsvError(csv, line_no,
                            "the role is not plain UTF-8 text of at most " +
                                std::to_string(kMaxRoleBytes) + " bytes");
        }
        if (!ParseToken(card.token).ok()) {
            return CsvError(csv, line_no,
                            "the token is not a card token (" + std::string(kTokenPrefixV1) +
                                " followed by " + std::to_string(kTokenMinBody) + "-" +
                                std::to_string(kTokenMaxBody) + " URL-safe base64 characters)");
        }
        const auto [it, fresh] = token_lines.emplace(card.token, line_no);
        if (!fresh) {
            return CsvError(csv, line_no,
                            "the token repeats the one on line " + std::to_string(it->second));
        }
        cards.push_back(std::move(card));
    }

    if (!have_header) {
        return CsvError(csv, 0, "is empty; it needs a header row with role, name and token");
    }
    if (cards.empty()) {
        return CsvError(csv, line_no, "has a header but no cards");
    }
    return cards;
}

// ---------------------------------------------------------------------------------------------
// Layout. Everything is in millimetres until it reaches cairo, whose PDF unit is the point.

constexpr double kCardW = 85.6;  // ISO/IEC 7810 ID-1
constexpr double kCardH = 54.0;
constexpr double kMinMargin = 10.0;  // most printers cannot print closer to the edge
constexpr double kGap = 6.0;         // room between cards for the cut marks
constexpr double kFooterH = 8.0;     // kept free on every page so demo and real sheets match

// Card content, relative to the card's top-left corner.
constexpr double kQrBox =
    40.0;  // QR including its 4-module quiet zone: a 29-module symbol is 31 mm
constexpr double kQrTop = 1.5;
constexpr double kLabelTop = kQrTop + kQrBox + 0.5;
constexpr double kRoleTop = kLabelTop + 4.8;
constexpr double kTextSide = 4.0;
constexpr double kLabelPt = 9.5;
constexpr double kRolePt = 7.0;
constexpr double kFooterPt = 8.0;

constexpr double kMarkOffset = 1.0;  // cut marks start this far from the card edge
constexpr double kMarkLen = 1.8;     // and stay short of the middle of the gap
constexpr double kMarkWidthPt = 0.3;
constexpr double kMarkGrey = 0.55;

struct Grid {
    int cols = 0;
    int rows = 0;
    double x0 = 0;  // top-left of the first card
    double y0 = 0;
};

Grid LayoutGrid(PaperSize paper) {
    const PaperMm p = PaperDims(paper);
    Grid g;
    const double usable_w = p.w - 2 * kMinMargin;
    const double usable_h = p.h - 2 * kMinMargin - kFooterH;
    g.cols = static_cast<int>((usable_w + kGap) / (kCardW + kGap));
    g.rows = static_cast<int>((usable_h + kGap) / (kCardH + kGap));
    const double grid_w = g.cols * kCardW + (g.cols - 1) * kGap;
    const double grid_h = g.rows * kCardH + (g.rows - 1) * kGap;
    g.x0 = (p.w - grid_w) / 2;
    g.y0 = kMinMargin + (usable_h - grid_h) / 2;
    return g;
}

// ---------------------------------------------------------------------------------------------
// Drawing

/// One line of centred text whose top sits at `top_mm`; too long a line ends in "…".
void DrawTextLine(cairo_t* cr, std::string_view text, double left_mm, double top_mm,
                  double width_mm, double size_pt, bool bold, double grey) {
    LayoutPtr layout = MakeLayout(cr);
    FontPtr font = MakeFont(size_pt, bold ? PANGO_WEIGHT_SEMIBOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout.get(), font.get());
    pango_layout_set_single_paragraph_mode(layout.get(), TRUE);
    pango_layout_set_width(layout.get(), static_cast<int>(Pt(width_mm) * PANGO_SCALE));
    pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
    pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
    pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
    cairo_set_source_rgb(cr, grey, grey, grey);
    cairo_move_to(cr, Pt(left_mm), Pt(top_mm));
    pango_cairo_show_layout(cr, layout.get());
}

void DrawCutMarks(cairo_t* cr, double x, double y) {
    cairo_set_source_rgb(cr, kMarkGrey, kMarkGrey, kMarkGrey);
    cairo_set_line_width(cr, kMarkWidthPt);
    const double near = kMarkOffset;
    const double far = kMarkOffset + kMarkLen;
    for (const double cx : {x, x + kCardW}) {
        const double out = cx == x ? -1.0 : 1.0;
        for (const double cy : {y, y + kCardH}) {
            const double down = cy == y ? -1.0 : 1.0;
            // The horizontal mark continues the card's top or bottom edge outwards...
            cairo_move_to(cr, Pt(cx + out * near), Pt(cy));
            cairo_line_to(cr, Pt(cx + out * far), Pt(cy));
            // ...and the vertical one its left or right edge.
            cairo_move_to(cr, Pt(cx), Pt(cy + down * near));
            cairo_line_to(cr, Pt(cx), Pt(cy + down * far));
        }
    }
    cairo_stroke(cr);
}

void DrawCard(cairo_t* cr, const Card& card, const ZXing::BitMatrix& qr, double x, double y) {
    DrawCutMarks(cr, x, y);
    DrawQr(cr, qr, x + (kCardW - kQrBox) / 2, y + kQrTop, kQrBox);
    DrawTextLine(cr, card.label, x + kTextSide, y + kLabelTop, kCardW - 2 * kTextSide, kLabelPt,
                 true, 0.0);
    if (!card.role.empty()) {
        DrawTextLine(cr, card.role, x + kTextSide, y + kRoleTop, kCardW - 2 * kTextSide, kRolePt,
                     false, 0.3);
    }
}

Error PdfError(const fs::path& out, const std::string& why, ErrorCode code = ErrorCode::kStorage) {
    return MakeError(code, "card sheet " + out.string() + ": " + why, kPdfScreen);
}

Status WriteCardSheetPdfImpl(const std::vector<Card>& cards, const fs::path& out, PaperSize paper,
                             bool demo) {
    if (cards.empty()) {
        return PdfError(out, "no cards to print", ErrorCode::kInvalidInput);
    }
    // The sheet is the last line of defence for PRIVACY.md 5: only well-formed tokens become
    // QR codes, and text must be clean before pango sees it.
    for (std::size_t i = 0; i < cards.size(); ++i) {
        const std::string which = "card " + std::to_string(i + 1) + ": ";
        if (!ParseToken(cards[i].token).ok()) {
            return PdfError(out, which + "the token is not a card token", ErrorCode::kInvalidInput);
        }
        if (!IsCleanUtf8Text(cards[i].label) || !IsCleanUtf8Text(cards[i].role)) {
            return PdfError(out, which + "the label or role is not plain UTF-8 text",
                            ErrorCode::kInvalidInput);
        }
    }

    // Encode every QR before touching the disk, so a bad card leaves no file behind.
    std::vector<ZXing::BitMatrix> codes;
    codes.reserve(cards.size());
    for (std::size_t i = 0; i < cards.size(); ++i) {
        auto code = EncodeQr(cards[i].token);
        if (!code) {
            return PdfError(out, "card " + std::to_string(i + 1) + ": the QR cannot be made",
                            ErrorCode::kInternal);
        }
        codes.push_back(std::move(*code));
    }

    const PaperMm dims = PaperDims(paper);
    const Grid grid = LayoutGrid(paper);
    const int per_page = grid.cols * grid.rows;
    const int pages = static_cast<int>((cards.size() + static_cast<std::size_t>(per_page) - 1) /
                                       static_cast<std::size_t>(per_page));
    const auto failure = WritePdfAtomically(out, paper, pages, [&](cairo_t* cr, int page) {
        const std::size_t first =
            static_cast<std::size_t>(page) * static_cast<std::size_t>(per_page);
        const std::size_t end = std::min(cards.size(), first + static_cast<std::size_t>(per_page));
        for (std::size_t i = first; i < end; ++i) {
            const int slot = static_cast<int>(i - first);
            const double x = grid.x0 + (slot % grid.cols) * (kCardW + kGap);
            const double y = grid.y0 + (slot / grid.cols) * (kCardH + kGap);
            DrawCard(cr, cards[i], codes[i], x, y);
        }
        if (demo) {
            DrawTextLine(cr, "Demo cards \u2014 not for real patients", kMinMargin,
                         dims.h - kMinMargin - kFooterH / 2 - 2.0, dims.w - 2 * kMinMargin,
                         kFooterPt, false, 0.35);
        }
    });
    if (failure) {
        return PdfError(out, failure->why, failure->code);
    }
    return Ok{};
}

}  // namespace

Result<std::vector<Card>> ReadCardsCsv(const std::filesystem::path& csv) {
    try {
        return ReadCardsCsvImpl(csv);
    } catch (const std::exception& e) {
        return MakeError(ErrorCode::kInternal,
                         "card list " + csv.string() + ": unexpected failure: " + e.what(),
                         kCsvScreen);
    } catch (...) {
        return MakeError(ErrorCode::kInternal, "card list " + csv.string() + ": unexpected failure",
                         kCsvScreen);
    }
}

Result<PaperSize> ParsePaperSize(std::string_view name) {
    const std::string lower = AsciiLower(TrimSpaces(name));
    if (lower == "letter") {
        return PaperSize::kLetter;
    }
    if (lower == "a4") {
        return PaperSize::kA4;
    }
    return MakeError(ErrorCode::kInvalidInput,
                     "unknown paper size '" + EscapeForLog(name, 16) + "' (use letter or a4)",
                     "Choose letter or A4 paper.");
}

int CardsPerPage(PaperSize paper) {
    const Grid grid = LayoutGrid(paper);
    return grid.cols * grid.rows;
}

Status WriteCardSheetPdf(const std::vector<Card>& cards, const std::filesystem::path& out,
                         PaperSize paper, bool demo) {
    try {
        return WriteCardSheetPdfImpl(cards, out, paper, demo);
    } catch (const std::exception& e) {
        return PdfError(out, std::string("unexpected failure: ") + e.what(), ErrorCode::kInternal);
    } catch (...) {
        return PdfError(out, "unexpected failure", ErrorCode::kInternal);
    }
}

}  // namespace kiosk::print
