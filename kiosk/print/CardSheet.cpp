// The PDF card sheet: cairo draws, pango sets the UTF-8 text, ZXing builds the QR matrix (the
// card list's CSV is read in CardListCsv.cpp). Nothing here reaches the store or the screen;
// errors never name people or tokens (PRIVACY.md 5, Log.h).
#include "kiosk/print/CardSheet.h"

#include <ZXing/BitMatrix.h>

#include <algorithm>
#include <exception>
#include <utility>

#include "kiosk/core/Token.h"
#include "kiosk/print/PdfCommon.h"

namespace kiosk::print {
namespace {

namespace fs = std::filesystem;
using namespace pdf;  // the shared page pieces (PdfCommon.h)

constexpr const char* kPdfScreen = "The cards could not be saved. Check the folder and try again.";

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
            const int col = slot % grid.cols;
            const int row = slot / grid.cols;
            const double x = grid.x0 + col * (kCardW + kGap);
            const double y = grid.y0 + row * (kCardH + kGap);
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

Result<PageImage> RenderCardImageImpl(const Card& card, int width) {
    const fs::path none = "preview";
    if (width < kMinPreviewWidth || width > kMaxPreviewWidth) {
        return PdfError(none, "width " + std::to_string(width) + " is out of range",
                        ErrorCode::kInvalidInput);
    }
    if (!ParseToken(card.token).ok() || !IsCleanUtf8Text(card.label) ||
        !IsCleanUtf8Text(card.role)) {
        return PdfError(none, "not a card that can be printed", ErrorCode::kInvalidInput);
    }
    auto code = EncodeQr(card.token);
    if (!code) {
        return PdfError(none, "the QR cannot be made", ErrorCode::kInternal);
    }
    return RasterizeMm(
        width, kCardW, kCardH, [&](cairo_t* cr) { DrawCard(cr, card, *code, 0, 0); },
        "card preview", kPdfScreen);
}

}  // namespace

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

Result<PageImage> RenderCardImage(const Card& card, int width) {
    try {
        return RenderCardImageImpl(card, width);
    } catch (const std::exception& e) {
        return MakeError(ErrorCode::kInternal, std::string("card preview: ") + e.what(),
                         kPdfScreen);
    }
}

}  // namespace kiosk::print
