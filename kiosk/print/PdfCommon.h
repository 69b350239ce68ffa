// Pieces every printed page shares: paper sizes in millimetres, cairo/pango handles, text
// options that make a PDF and an on-screen raster lay out alike, vector QR codes from ZXing's
// writer and the atomic ".partial" PDF file. Internal to kiosk/print; depends on core only.
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include <ZXing/BitMatrix.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/Result.h"
#include "kiosk/print/CardSheet.h"

namespace kiosk::print {

namespace pdf {

inline constexpr double kPtPerMm = 72.0 / 25.4;
constexpr double Pt(double mm) {
    return mm * kPtPerMm;
}
constexpr double Mm(double pt) {
    return pt / kPtPerMm;
}

/// The family asked of fontconfig: the bundled Noto Sans first, then any sans-serif.
inline constexpr const char* kFontFamily = "Noto Sans, DejaVu Sans, Sans";

struct PaperMm {
    double w;
    double h;
};
PaperMm PaperDims(PaperSize paper);

struct CairoDeleter {
    void operator()(cairo_t* cr) const { cairo_destroy(cr); }
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct GDeleter {
    void operator()(PangoLayout* l) const { g_object_unref(l); }
    void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoDeleter>;
using LayoutPtr = std::unique_ptr<PangoLayout, GDeleter>;
using FontPtr = std::unique_ptr<PangoFontDescription, GDeleter>;

/// A pango layout for `cr` whose metrics do not depend on the surface: no hinting, no glyph
/// positions rounded to device pixels. A PDF (1 unit = 1 pt) and a raster scaled to points
/// therefore break lines at the same places.
LayoutPtr MakeLayout(cairo_t* cr);

/// A font of kFontFamily at `size_pt` (absolute: device units, which are points here).
FontPtr MakeFont(double size_pt, PangoWeight weight = PANGO_WEIGHT_NORMAL,
                 PangoStyle style = PANGO_STYLE_NORMAL);

/// Strict UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF) and no control characters,
/// so pango never has to guess and a stray newline cannot split a label.
bool IsCleanUtf8Text(std::string_view s);

/// `s` made printable: invalid UTF-8 becomes U+FFFD, control characters (tabs, newlines)
/// become spaces, runs of spaces collapse and the ends are trimmed.
std::string PrintableText(std::string_view s);

std::string_view TrimSpaces(std::string_view s);
std::string AsciiLower(std::string_view s);

inline constexpr int kQuietZoneModules = 4;
inline constexpr int kEccLevelM = 4;  // MultiFormatWriter maps 0-8 onto L/M/Q/H; 3-4 is M

/// The QR matrix of `text` (ECC M, 4-module quiet zone included, one cell per module), or
/// nullopt when ZXing cannot encode it (too long).
std::optional<ZXing::BitMatrix> EncodeQr(const std::string& text);

/// The QR as one filled path of module runs: one path, so no hairline seams between modules
/// when a viewer or printer rasterises it. The quiet zone is the page's own white.
void DrawQr(cairo_t* cr, const ZXing::BitMatrix& matrix, double left_mm, double top_mm,
            double side_mm);

/// Why a PDF could not be written: a code and log text without the file's name (the caller
/// says which document it was).
struct PdfFailure {
    ErrorCode code = ErrorCode::kStorage;
    std::string why;
};

/// Draws into pixels: a white `w_mm` x `h_mm` area `width` pixels wide, `draw` called with
/// cairo's unit scaled to the point as in a PDF. kInternal (with `screen` for staff) when
/// cairo fails.
Result<PageImage> RasterizeMm(int width, double w_mm, double h_mm,
                              const std::function<void(cairo_t*)>& draw, const char* what,
                              const char* screen);

/// Writes a PDF of `pages` pages of `paper` to `out`, whole or not at all: cairo writes to
/// "<out>.partial", which is renamed into place only once complete. `draw_page(cr, i)` draws
/// page i (from 0) in millimetre-free cairo user space where 1 unit = 1 pt.
std::optional<PdfFailure> WritePdfAtomically(const std::filesystem::path& out, PaperSize paper,
                                             int pages,
                                             const std::function<void(cairo_t*, int)>& draw_page);

}  // namespace pdf
}  // namespace kiosk::print
