// Shared drawing and file pieces of the printed pages (card sheets, referrals). Nothing here
// knows what a page is about; it must not depend on store, app or UI.
#include "kiosk/print/PdfCommon.h"

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangofc-fontmap.h>

#include <ZXing/BarcodeFormat.h>
#include <ZXing/MultiFormatWriter.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <system_error>
#include <utility>

#include "kiosk/print/ReferralSheet.h"

namespace kiosk::print {

namespace fs = std::filesystem;

Status AddPrintFonts(const fs::path& fonts_dir) {
    std::error_code ec;
    if (!fs::is_directory(fonts_dir, ec)) {
        return MakeError(ErrorCode::kConfig,
                         "print fonts: " + fonts_dir.string() + " is not a folder");
    }
    FcConfig* config = FcConfigGetCurrent();
    if (config == nullptr ||
        !FcConfigAppFontAddDir(config, reinterpret_cast<const FcChar8*>(fonts_dir.c_str()))) {
        return MakeError(ErrorCode::kConfig,
                         "print fonts: fontconfig could not add " + fonts_dir.string());
    }
    // A font map made before this call has cached the old font set.
    PangoFontMap* map = pango_cairo_font_map_get_default();
    if (PANGO_IS_FC_FONT_MAP(map)) {
        pango_fc_font_map_config_changed(PANGO_FC_FONT_MAP(map));
    }
    return Ok{};
}

namespace pdf {

PaperMm PaperDims(PaperSize paper) {
    switch (paper) {
        case PaperSize::kA4:
            return {210.0, 297.0};
        case PaperSize::kLetter:
            break;
    }
    return {215.9, 279.4};
}

LayoutPtr MakeLayout(cairo_t* cr) {
    LayoutPtr layout(pango_cairo_create_layout(cr));
    PangoContext* context = pango_layout_get_context(layout.get());
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context, options);
    cairo_font_options_destroy(options);
    pango_context_set_round_glyph_positions(context, FALSE);
    pango_layout_context_changed(layout.get());
    return layout;
}

FontPtr MakeFont(double size_pt, PangoWeight weight, PangoStyle style) {
    FontPtr font(pango_font_description_from_string(kFontFamily));
    pango_font_description_set_weight(font.get(), weight);
    pango_font_description_set_style(font.get(), style);
    pango_font_description_set_absolute_size(font.get(), size_pt * PANGO_SCALE);
    return font;
}

bool IsCleanUtf8Text(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7F) {
                return false;
            }
            ++i;
            continue;
        }
        int extra = 0;
        std::uint32_t cp = 0;
        std::uint32_t min = 0;
        if ((c & 0xE0) == 0xC0) {
            extra = 1, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (i + static_cast<std::size_t>(extra) >= s.size()) {
            return false;
        }
        for (int k = 1; k <= extra; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
            if ((cc & 0xC0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
            (cp >= 0x80 && cp < 0xA0)) {
            return false;
        }
        i += static_cast<std::size_t>(extra) + 1;
    }
    return true;
}

std::string PrintableText(std::string_view s) {
    gchar* valid = g_utf8_make_valid(s.data(), static_cast<gssize>(s.size()));
    std::string out;
    out.reserve(s.size());
    bool pending_space = false;
    for (const gchar* p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
        const gunichar ch = g_utf8_get_char(p);
        // Controls and Unicode line/paragraph separators would start new lines in pango.
        const bool blank = ch == ' ' || g_unichar_iscntrl(ch) || ch == 0x2028 || ch == 0x2029;
        if (blank) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) {
            out += ' ';
            pending_space = false;
        }
        out.append(p, static_cast<std::size_t>(g_utf8_next_char(p) - p));
    }
    g_free(valid);
    return out;
}

std::string_view TrimSpaces(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

std::string AsciiLower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::optional<ZXing::BitMatrix> EncodeQr(const std::string& text) {
    try {
        const auto writer = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode)
                                .setEccLevel(kEccLevelM)
                                .setMargin(kQuietZoneModules);
        return writer.encode(text, 0, 0);  // 0 x 0: one cell per module
    } catch (const std::exception&) {
        return std::nullopt;  // ZXing throws when the text does not fit a version-40 symbol
    }
}

void DrawQr(cairo_t* cr, const ZXing::BitMatrix& matrix, double left_mm, double top_mm,
            double side_mm) {
    const double module = side_mm / matrix.width();
    cairo_new_path(cr);
    for (int y = 0; y < matrix.height(); ++y) {
        int x = 0;
        while (x < matrix.width()) {
            if (!matrix.get(x, y)) {
                ++x;
                continue;
            }
            const int start = x;
            while (x < matrix.width() && matrix.get(x, y)) {
                ++x;
            }
            cairo_rectangle(cr, Pt(left_mm + start * module), Pt(top_mm + y * module),
                            Pt((x - start) * module), Pt(module));
        }
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    cairo_fill(cr);
}

namespace {

/// Where cairo's PDF bytes go: a ".partial" file next to the target, kept only once it is
/// complete. Its own FILE* keeps the errno of a failed write; an exception anywhere still
/// closes and removes it.
class PartialFile {
  public:
    explicit PartialFile(fs::path target) : m_target(std::move(target)) {
        m_partial = fs::path(m_target).concat(".partial");
        m_file = std::fopen(m_partial.c_str(), "wb");
        if (m_file == nullptr) {
            m_errno = errno;
        }
    }
    ~PartialFile() {
        if (m_file != nullptr) {
            std::fclose(m_file);
        }
        if (!m_committed) {
            std::error_code ignored;
            fs::remove(m_partial, ignored);
        }
    }
    PartialFile(const PartialFile&) = delete;
    PartialFile& operator=(const PartialFile&) = delete;

    bool is_open() const { return m_file != nullptr; }
    /// errno of the last failure, or 0.
    int last_errno() const { return m_errno; }

    static cairo_status_t Write(void* closure, const unsigned char* data, unsigned int length) {
        auto* self = static_cast<PartialFile*>(closure);
        if (std::fwrite(data, 1, length, self->m_file) != length) {
            self->m_errno = errno != 0 ? errno : EIO;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        return CAIRO_STATUS_SUCCESS;
    }

    /// Flushes, closes and renames into place. A full disk often shows up only here.
    std::optional<std::string> Commit() {
        std::FILE* file = std::exchange(m_file, nullptr);
        if (std::fflush(file) != 0) {
            m_errno = errno;
            std::fclose(file);
            return std::string("cannot write: ") + std::strerror(m_errno);
        }
        if (std::fclose(file) != 0) {
            m_errno = errno;
            return std::string("cannot write: ") + std::strerror(m_errno);
        }
        std::error_code ec;
        fs::rename(m_partial, m_target, ec);
        if (ec) {
            return "cannot put the file in place: " + ec.message();
        }
        m_committed = true;
        return std::nullopt;
    }

  private:
    fs::path m_target;
    fs::path m_partial;
    std::FILE* m_file = nullptr;
    int m_errno = 0;
    bool m_committed = false;
};

}  // namespace

Result<PageImage> RasterizeMm(int width, double w_mm, double h_mm,
                              const std::function<void(cairo_t*)>& draw, const char* what,
                              const char* screen) {
    const double scale = width / Pt(w_mm);
    const int height = static_cast<int>(std::lround(Pt(h_mm) * scale));
    SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
        return MakeError(ErrorCode::kInternal, std::string(what) + ": no image surface", screen);
    }
    {
        CairoPtr cr(cairo_create(surface.get()));
        cairo_set_source_rgb(cr.get(), 1, 1, 1);
        cairo_paint(cr.get());
        cairo_scale(cr.get(), scale, scale);  // from here on, as in the PDF: 1 unit = 1 pt
        draw(cr.get());
        if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
            return MakeError(ErrorCode::kInternal,
                             std::string(what) + ": drawing failed: " +
                                 cairo_status_to_string(cairo_status(cr.get())),
                             screen);
        }
    }
    cairo_surface_flush(surface.get());

    // cairo keeps native-endian 0xAARRGGBB words with premultiplied colour; screens and
    // textures want straight R, G, B, A bytes.
    PageImage image;
    image.width = width;
    image.height = height;
    image.rgba.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4);
    const unsigned char* data = cairo_image_surface_get_data(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    std::size_t o = 0;
    for (int row = 0; row < height; ++row) {
        const auto* words = reinterpret_cast<const std::uint32_t*>(data + row * stride);
        for (int col = 0; col < width; ++col) {
            const std::uint32_t px = words[col];
            const std::uint32_t a = px >> 24;
            auto straight = [a](std::uint32_t c) -> std::uint8_t {
                return static_cast<std::uint8_t>(
                    a == 0 ? 0 : std::min<std::uint32_t>(255, (c * 255 + a / 2) / a));
            };
            image.rgba[o++] = straight((px >> 16) & 0xFF);
            image.rgba[o++] = straight((px >> 8) & 0xFF);
            image.rgba[o++] = straight(px & 0xFF);
            image.rgba[o++] = static_cast<std::uint8_t>(a);
        }
    }
    return image;
}

std::optional<PdfFailure> WritePdfAtomically(const fs::path& out, PaperSize paper, int pages,
                                             const std::function<void(cairo_t*, int)>& draw_page) {
    std::error_code ec;
    if (fs::is_directory(out, ec)) {
        return PdfFailure{ErrorCode::kStorage, "is a directory"};
    }
    PartialFile file(out);
    if (!file.is_open()) {
        return PdfFailure{ErrorCode::kStorage, std::string("cannot create the file: ") +
                                                   std::strerror(file.last_errno())};
    }
    const PaperMm dims = PaperDims(paper);
    SurfacePtr surface(
        cairo_pdf_surface_create_for_stream(&PartialFile::Write, &file, Pt(dims.w), Pt(dims.h)));
    cairo_status_t status = cairo_surface_status(surface.get());
    if (status == CAIRO_STATUS_SUCCESS) {
        CairoPtr cr(cairo_create(surface.get()));
        for (int page = 0; page < pages; ++page) {
            cairo_save(cr.get());
            draw_page(cr.get(), page);
            cairo_restore(cr.get());
            cairo_show_page(cr.get());
        }
        status = cairo_status(cr.get());
        cr.reset();
        cairo_surface_finish(surface.get());  // writes the rest of the PDF through Write()
        if (status == CAIRO_STATUS_SUCCESS) {
            status = cairo_surface_status(surface.get());
        }
    }
    surface.reset();
    if (status != CAIRO_STATUS_SUCCESS) {
        if (status == CAIRO_STATUS_WRITE_ERROR && file.last_errno() != 0) {
            return PdfFailure{ErrorCode::kStorage,
                              std::string("cannot write: ") + std::strerror(file.last_errno())};
        }
        return PdfFailure{ErrorCode::kInternal,
                          std::string("drawing failed: ") + cairo_status_to_string(status)};
    }
    if (auto why = file.Commit()) {
        return PdfFailure{ErrorCode::kStorage, *why};
    }
    return std::nullopt;
}

}  // namespace pdf
}  // namespace kiosk::print
