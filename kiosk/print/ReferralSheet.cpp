// The referral page layout: header, whole resource entries with their QR codes, footer. One
// set of drawing functions serves the PDF and the preview raster, and the page plan is made
// once on an unscaled surface so both break pages alike. Prints only the fields it is given
// (PRIVACY.md 6); depends on core only.
#include "kiosk/print/ReferralSheet.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <optional>
#include <string_view>
#include <utility>

#include "kiosk/print/PdfCommon.h"

namespace kiosk::print {
namespace {

namespace fs = std::filesystem;
using namespace pdf;

constexpr const char* kScreen = "The referral could not be printed. Please try again.";

// ---------------------------------------------------------------------------------------------
// Page geometry, in millimetres.

constexpr double kMarginX = 16.0;
constexpr double kMarginTop = 14.0;
constexpr double kMarginBottom = 12.0;  // most printers cannot print closer to the edge
constexpr double kFooterH = 8.0;        // rule, gap and one line of footer text
constexpr double kHeaderGap = 3.0;      // header text to its rule, and rule to the first entry
constexpr double kRuleWidthPt = 0.6;
constexpr double kSeparatorWidthPt = 0.35;

constexpr double kEntryPadTop = 3.0;
constexpr double kEntryPadBottom = 3.0;
constexpr double kNameGap = 0.8;   // name to organization
constexpr double kRowsGap = 1.6;   // organization to the first labelled row
constexpr double kRowGap = 0.7;    // between labelled rows
constexpr double kLabelGap = 3.0;  // label column to value column
constexpr double kMinLabelW = 18.0;
constexpr double kMaxLabelW = 38.0;

// QR column at the right of each entry: the symbol with its quiet zone, then the caption.
constexpr double kQrColW = 36.0;
constexpr double kQrModuleMm = 0.8;  // 8+ pixels per module on a phone photo of the page
constexpr double kMinQrSide = 24.0;
constexpr double kMaxQrSide = 34.0;
constexpr double kCaptionGap = 0.5;

constexpr double kTitlePt = 17.0;
constexpr double kDatePt = 9.5;
constexpr double kForNamePt = 12.0;
constexpr double kNamePt = 12.0;
constexpr double kOrgPt = 10.0;
constexpr double kLabelPt = 8.5;
constexpr double kValuePt = 9.0;
// Labels are smaller than values; lowering them this much puts both on one baseline.
constexpr double kLabelDrop = (kValuePt - kLabelPt) * 0.9 / 72.0 * 25.4;
constexpr double kCaptionPt = 8.0;
constexpr double kFooterPt = 8.5;

constexpr double kInk = 0.0;
constexpr double kSoftInk = 0.25;  // organization, labels
constexpr double kGreyInk = 0.4;   // date, captions, footer
constexpr double kRuleGrey = 0.6;

// Bounds that keep any one entry smaller than a page, however long its texts.
constexpr int kMaxFieldLines = 4;    // a field's text ends in "…" after this many lines
constexpr int kTightFieldLines = 1;  // used instead when an entry would still not fit a page
constexpr int kMaxNameLines = 2;
constexpr std::size_t kMaxHoursLines = 8;

// ---------------------------------------------------------------------------------------------
// Text blocks

struct TextStyle {
    double size_pt = kValuePt;
    PangoWeight weight = PANGO_WEIGHT_NORMAL;
    PangoStyle slant = PANGO_STYLE_NORMAL;
    double grey = kInk;
    PangoAlignment align = PANGO_ALIGN_LEFT;
    int max_lines = kMaxFieldLines;  ///< per paragraph; the last one shown ends in "…"
};

/// Lays `text` out `width_mm` wide with its top at `top_mm`; draws it when `draw`. Returns
/// its height in millimetres. The same call measures and draws, so they cannot disagree.
double TextBlock(cairo_t* cr, std::string_view text, const TextStyle& style, double left_mm,
                 double top_mm, double width_mm, bool draw) {
    if (text.empty()) {
        return 0.0;
    }
    LayoutPtr layout = MakeLayout(cr);
    FontPtr font = MakeFont(style.size_pt, style.weight, style.slant);
    pango_layout_set_font_description(layout.get(), font.get());
    pango_layout_set_width(layout.get(), static_cast<int>(Pt(width_mm) * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_height(layout.get(), -std::max(1, style.max_lines));
    pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
    pango_layout_set_alignment(layout.get(), style.align);
    pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
    int width_pu = 0;
    int height_pu = 0;
    pango_layout_get_size(layout.get(), &width_pu, &height_pu);
    if (draw) {
        cairo_set_source_rgb(cr, style.grey, style.grey, style.grey);
        cairo_move_to(cr, Pt(left_mm), Pt(top_mm));
        pango_cairo_show_layout(cr, layout.get());
    }
    return Mm(static_cast<double>(height_pu) / PANGO_SCALE);
}

/// The natural width of one line of `text`, for columns sized to their contents.
double TextWidth(cairo_t* cr, std::string_view text, const TextStyle& style) {
    if (text.empty()) {
        return 0.0;
    }
    LayoutPtr layout = MakeLayout(cr);
    FontPtr font = MakeFont(style.size_pt, style.weight, style.slant);
    pango_layout_set_font_description(layout.get(), font.get());
    pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
    int width_pu = 0;
    int height_pu = 0;
    pango_layout_get_size(layout.get(), &width_pu, &height_pu);
    return Mm(static_cast<double>(width_pu) / PANGO_SCALE);
}

void HorizontalRule(cairo_t* cr, double left_mm, double right_mm, double y_mm, double width_pt) {
    cairo_set_source_rgb(cr, kRuleGrey, kRuleGrey, kRuleGrey);
    cairo_set_line_width(cr, width_pt);
    cairo_move_to(cr, Pt(left_mm), Pt(y_mm));
    cairo_line_to(cr, Pt(right_mm), Pt(y_mm));
    cairo_stroke(cr);
}

// ---------------------------------------------------------------------------------------------
// The document made printable: clean texts, QR matrices, the page plan.

struct Row {
    std::string label;
    std::string value;  ///< hours: one paragraph per line
    TextStyle style;
};

struct PreparedEntry {
    std::string name;
    std::string organization;
    std::vector<Row> rows;
    std::optional<ZXing::BitMatrix> qr;
    std::string qr_caption;
    double height = 0;  ///< mm, from the plan
    int max_lines = kMaxFieldLines;
};

struct Prepared {
    PaperSize paper = PaperSize::kLetter;
    PaperMm dims{};
    std::string title;
    std::string date_line;
    std::string for_name;
    std::string footer;
    std::string page_of;
    std::vector<PreparedEntry> entries;
    double label_w = kMinLabelW;
    double header_h = 0;
    std::vector<std::vector<std::size_t>> pages;  ///< entry indices on each page

    double Left() const { return kMarginX; }
    double Right() const { return dims.w - kMarginX; }
    double ContentW() const { return dims.w - 2 * kMarginX; }
    double TextW() const { return ContentW() - kQrColW; }
    double BodyTop() const { return kMarginTop + header_h; }
    double BodyBottom() const { return dims.h - kMarginBottom - kFooterH; }
};

double QrSide(const ZXing::BitMatrix& qr) {
    return std::clamp(qr.width() * kQrModuleMm, kMinQrSide, kMaxQrSide);
}

TextStyle LabelStyle(int max_lines) {
    TextStyle style;
    style.size_pt = kLabelPt;
    style.weight = PANGO_WEIGHT_BOLD;
    style.grey = kSoftInk;
    style.max_lines = std::min(max_lines, 2);
    return style;
}

/// Draws (when `draw`) or measures one entry whose top is at `top_mm`; returns its height.
double EntryBlock(cairo_t* cr, const Prepared& doc, const PreparedEntry& entry, double top_mm,
                  int max_lines, bool draw) {
    const double left = doc.Left();
    const double text_w = doc.TextW();
    double y = top_mm + kEntryPadTop;

    TextStyle name_style;
    name_style.size_pt = kNamePt;
    name_style.weight = PANGO_WEIGHT_BOLD;
    name_style.max_lines = std::min(max_lines, kMaxNameLines);
    y += TextBlock(cr, entry.name, name_style, left, y, text_w, draw);
    if (!entry.organization.empty()) {
        TextStyle org_style;
        org_style.size_pt = kOrgPt;
        org_style.grey = kSoftInk;
        org_style.max_lines = std::min(max_lines, kMaxNameLines);
        y += kNameGap +
             TextBlock(cr, entry.organization, org_style, left, y + kNameGap, text_w, draw);
    }
    if (!entry.rows.empty()) {
        y += kRowsGap;
    }
    const double value_left = left + doc.label_w + kLabelGap;
    const double value_w = text_w - doc.label_w - kLabelGap;
    for (const Row& row : entry.rows) {
        TextStyle value_style = row.style;
        value_style.max_lines = std::min(max_lines, row.style.max_lines);
        const double label_h = TextBlock(cr, row.label, LabelStyle(max_lines), left, y + kLabelDrop,
                                         doc.label_w, draw);
        const double value_h = TextBlock(cr, row.value, value_style, value_left, y, value_w, draw);
        y += std::max(label_h, value_h) + kRowGap;
    }
    double bottom = y;

    if (entry.qr) {
        const double side = QrSide(*entry.qr);
        const double qr_left = doc.Right() - kQrColW + (kQrColW - side) / 2;
        const double qr_top = top_mm + kEntryPadTop;
        if (draw) {
            DrawQr(cr, *entry.qr, qr_left, qr_top, side);
        }
        TextStyle caption_style;
        caption_style.size_pt = kCaptionPt;
        caption_style.grey = kGreyInk;
        caption_style.align = PANGO_ALIGN_CENTER;
        caption_style.max_lines = 2;
        const double caption_top = qr_top + side + kCaptionGap;
        const double caption_h = TextBlock(cr, entry.qr_caption, caption_style,
                                           doc.Right() - kQrColW, caption_top, kQrColW, draw);
        bottom = std::max(bottom, caption_top + caption_h);
    }
    return bottom + kEntryPadBottom - top_mm;
}

/// The title and date on the first line(s), "For <name>" under them, then a rule.
double HeaderBlock(cairo_t* cr, const Prepared& doc, bool draw) {
    const double top = kMarginTop;
    const double date_w = doc.ContentW() * 0.35;
    const double title_w = doc.ContentW() - date_w - 4.0;

    TextStyle title_style;
    title_style.size_pt = kTitlePt;
    title_style.weight = PANGO_WEIGHT_BOLD;
    title_style.max_lines = 2;
    TextStyle date_style;
    date_style.size_pt = kDatePt;
    date_style.grey = kGreyInk;
    date_style.align = PANGO_ALIGN_RIGHT;
    date_style.max_lines = 2;
    const double title_h = TextBlock(cr, doc.title, title_style, doc.Left(), top, title_w, draw);
    // The date sits on the title's first line: lower it by the difference of the font sizes.
    const double date_top = top + Mm(kTitlePt - kDatePt) * 0.6;
    const double date_h =
        TextBlock(cr, doc.date_line, date_style, doc.Right() - date_w, date_top, date_w, draw);
    double y = std::max(top + title_h, date_top + date_h);
    if (!doc.for_name.empty()) {
        TextStyle for_style;
        for_style.size_pt = kForNamePt;
        for_style.max_lines = 1;
        y +=
            1.0 + TextBlock(cr, doc.for_name, for_style, doc.Left(), y + 1.0, doc.ContentW(), draw);
    }
    y += kHeaderGap;
    if (draw) {
        HorizontalRule(cr, doc.Left(), doc.Right(), y, kRuleWidthPt);
    }
    return y + kHeaderGap - top;
}

std::string PageOfText(const std::string& pattern, int page, int total) {
    std::string text = pattern.empty() ? std::string("{n} / {total}") : pattern;
    auto replace = [&text](std::string_view key, const std::string& value) {
        for (std::size_t at = text.find(key); at != std::string::npos;
             at = text.find(key, at + value.size())) {
            text.replace(at, key.size(), value);
        }
    };
    replace("{n}", std::to_string(page));
    replace("{total}", std::to_string(total));
    return text;
}

void FooterBlock(cairo_t* cr, const Prepared& doc, int page) {
    const double rule_y = doc.dims.h - kMarginBottom - kFooterH + 2.0;
    HorizontalRule(cr, doc.Left(), doc.Right(), rule_y, kSeparatorWidthPt);
    TextStyle style;
    style.size_pt = kFooterPt;
    style.grey = kGreyInk;
    style.max_lines = 1;
    const double text_top = rule_y + 1.5;
    const std::string page_of =
        PageOfText(doc.page_of, page + 1, static_cast<int>(doc.pages.size()));
    const double page_of_w = std::min(TextWidth(cr, page_of, style) + 1.0, doc.ContentW() / 2);
    TextStyle right = style;
    right.align = PANGO_ALIGN_RIGHT;
    TextBlock(cr, page_of, right, doc.Right() - page_of_w, text_top, page_of_w, true);
    TextBlock(cr, doc.footer, style, doc.Left(), text_top, doc.ContentW() - page_of_w - 6.0, true);
}

void DrawPage(cairo_t* cr, const Prepared& doc, int page) {
    HeaderBlock(cr, doc, true);
    double y = doc.BodyTop();
    const auto& indices = doc.pages[static_cast<std::size_t>(page)];
    for (std::size_t k = 0; k < indices.size(); ++k) {
        const PreparedEntry& entry = doc.entries[indices[k]];
        if (k > 0) {
            HorizontalRule(cr, doc.Left(), doc.Right(), y, kSeparatorWidthPt);
        }
        // The plan guarantees the entry fits; the clip only guards the footer against a font
        // that measures differently on this surface.
        cairo_save(cr);
        cairo_rectangle(cr, 0, Pt(y), Pt(doc.dims.w), Pt(doc.BodyBottom() - y));
        cairo_clip(cr);
        EntryBlock(cr, doc, entry, y, entry.max_lines, true);
        cairo_restore(cr);
        y += entry.height;
    }
    FooterBlock(cr, doc, page);
}

Error InvalidDocument(const std::string& why) {
    return MakeError(ErrorCode::kInvalidInput, "referral: " + why, kScreen);
}

/// A place's lines of opening hours, one per line, at most kMaxHoursLines (the last one an
/// ellipsis when there were more).
std::string HoursText(const std::vector<std::string>& hours) {
    std::string text;
    for (std::size_t h = 0; h < hours.size(); ++h) {
        std::string line = PrintableText(hours[h]);
        if (line.empty()) {
            continue;
        }
        if (h + 1 == kMaxHoursLines && h + 1 < hours.size()) {
            line = "\u2026";  // a week has at most seven lines; more is a data problem
        }
        if (!text.empty()) {
            text += '\n';
        }
        text += line;
        if (h + 1 == kMaxHoursLines) {
            break;
        }
    }
    return text;
}

/// One entry's printable text, rows and QR code; `number` (from 1) names it in errors.
Result<PreparedEntry> PrepareEntry(const ReferralEntry& e, const ReferralLabels& labels,
                                   std::size_t number) {
    TextStyle value;
    TextStyle note;
    note.slant = PANGO_STYLE_ITALIC;
    note.grey = kSoftInk;
    TextStyle hours = value;
    hours.max_lines = 2;  // per line of hours: each is short, wrapping once is plenty

    PreparedEntry out;
    out.name = PrintableText(e.name);
    if (out.name.empty()) {
        return InvalidDocument("entry " + std::to_string(number) + " has no name");
    }
    out.organization = PrintableText(e.organization);
    auto add = [&out](const std::string& label, const std::string& text, TextStyle style) {
        std::string clean = PrintableText(text);
        if (!clean.empty()) {
            out.rows.push_back(Row{PrintableText(label), std::move(clean), style});
        }
    };
    add(labels.address, e.address, value);
    add(labels.phone, e.phone, value);
    if (std::string hours_text = HoursText(e.hours); !hours_text.empty()) {
        out.rows.push_back(Row{PrintableText(labels.hours), std::move(hours_text), hours});
    }
    // The note belongs to the hours: no label of its own, set in italics under them.
    add("", e.hours_note, note);
    add(labels.eligibility, e.eligibility, value);
    add(labels.what_to_bring, e.what_to_bring, value);
    add(labels.cost, e.cost, value);
    add(labels.languages, e.languages, value);

    if (!e.qr_text.empty()) {
        if (e.qr_text.size() > kMaxQrTextBytes) {
            return InvalidDocument("entry " + std::to_string(number) + ": the QR text has " +
                                   std::to_string(e.qr_text.size()) + " bytes (at most " +
                                   std::to_string(kMaxQrTextBytes) + ")");
        }
        out.qr = EncodeQr(e.qr_text);
        if (!out.qr) {
            return InvalidDocument("entry " + std::to_string(number) +
                                   ": ZXing cannot encode the QR text");
        }
        out.qr_caption = PrintableText(e.qr_caption);
    }
    return out;
}

/// Measures the entries and lays them out on pages (doc.label_w, header_h, entry heights and
/// doc.pages), on an unscaled recording surface: 1 unit = 1 pt, as in the PDF, so the PDF, the
/// preview and the page count all follow the same plan.
Status Paginate(Prepared& doc) {
    SurfacePtr surface(cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, nullptr));
    CairoPtr cr(cairo_create(surface.get()));

    double widest = 0;
    for (const PreparedEntry& entry : doc.entries) {
        for (const Row& row : entry.rows) {
            widest = std::max(widest, TextWidth(cr.get(), row.label, LabelStyle(1)));
        }
    }
    doc.label_w = std::clamp(widest + 0.5, kMinLabelW, kMaxLabelW);
    doc.header_h = HeaderBlock(cr.get(), doc, false);

    const double body_h = doc.BodyBottom() - doc.BodyTop();
    double y = doc.BodyTop();
    doc.pages.emplace_back();
    for (std::size_t i = 0; i < doc.entries.size(); ++i) {
        PreparedEntry& entry = doc.entries[i];
        entry.height = EntryBlock(cr.get(), doc, entry, 0.0, kMaxFieldLines, false);
        if (entry.height > body_h) {
            entry.max_lines = kTightFieldLines;
            entry.height =
                std::min(EntryBlock(cr.get(), doc, entry, 0.0, kTightFieldLines, false), body_h);
        }
        if (!doc.pages.back().empty() && y + entry.height > doc.BodyBottom()) {
            doc.pages.emplace_back();
            y = doc.BodyTop();
        }
        doc.pages.back().push_back(i);
        y += entry.height;
    }
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
        return MakeError(ErrorCode::kInternal,
                         std::string("referral: measuring failed: ") +
                             cairo_status_to_string(cairo_status(cr.get())),
                         kScreen);
    }
    return Ok{};
}

Result<Prepared> Prepare(const ReferralDocument& in) {
    if (in.entries.empty()) {
        return InvalidDocument("no entries to print");
    }
    Prepared doc;
    doc.paper = in.paper;
    doc.dims = PaperDims(in.paper);
    doc.title = PrintableText(in.labels.title);
    doc.date_line = PrintableText(in.labels.date_line);
    doc.for_name = PrintableText(in.labels.for_name);
    doc.footer = PrintableText(in.labels.footer);
    doc.page_of = PrintableText(in.labels.page_of);
    for (std::size_t i = 0; i < in.entries.size(); ++i) {
        auto entry = PrepareEntry(in.entries[i], in.labels, i + 1);
        if (!entry) {
            return entry.error();
        }
        doc.entries.push_back(std::move(entry).value());
    }
    if (auto s = Paginate(doc); !s) {
        return s.error();
    }
    return doc;
}

Status WriteReferralPdfImpl(const ReferralDocument& in, const fs::path& out) {
    auto prepared = Prepare(in);
    if (!prepared.ok()) {
        const Error& e = prepared.error();
        return MakeError(e.code, e.log + " (" + out.string() + ")", e.screen);
    }
    const Prepared& doc = prepared.value();
    const auto failure =
        WritePdfAtomically(out, doc.paper, static_cast<int>(doc.pages.size()),
                           [&doc](cairo_t* cr, int page) { DrawPage(cr, doc, page); });
    if (failure) {
        return MakeError(failure->code, "referral " + out.string() + ": " + failure->why, kScreen);
    }
    return Ok{};
}

Result<PageImage> RenderReferralPageImpl(const ReferralDocument& in, int page, int width) {
    if (width < kMinPreviewWidth || width > kMaxPreviewWidth) {
        return InvalidDocument("preview width " + std::to_string(width) + " is out of range");
    }
    auto prepared = Prepare(in);
    if (!prepared.ok()) {
        return prepared.error();
    }
    const Prepared& doc = prepared.value();
    if (page < 0 || page >= static_cast<int>(doc.pages.size())) {
        return InvalidDocument("page " + std::to_string(page) + " of " +
                               std::to_string(doc.pages.size()) + " (counted from 0)");
    }
    return RasterizeMm(
        width, doc.dims.w, doc.dims.h, [&](cairo_t* cr) { DrawPage(cr, doc, page); },
        "referral preview", kScreen);
}

}  // namespace

int ReferralPageCount(const ReferralDocument& doc) {
    try {
        auto prepared = Prepare(doc);
        return prepared.ok() ? static_cast<int>(prepared->pages.size()) : 0;
    } catch (const std::exception&) {
        return 0;
    }
}

Status WriteReferralPdf(const ReferralDocument& doc, const std::filesystem::path& out) {
    try {
        return WriteReferralPdfImpl(doc, out);
    } catch (const std::exception& e) {
        return MakeError(ErrorCode::kInternal,
                         "referral " + out.string() + ": unexpected failure: " + e.what(), kScreen);
    }
}

Result<PageImage> RenderReferralPage(const ReferralDocument& doc, int page, int width) {
    try {
        return RenderReferralPageImpl(doc, page, width);
    } catch (const std::exception& e) {
        return MakeError(ErrorCode::kInternal,
                         std::string("referral preview: unexpected failure: ") + e.what(), kScreen);
    }
}

}  // namespace kiosk::print
