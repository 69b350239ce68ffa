// The printed referral (issue 6, PRIVACY.md 6): pages laid out with cairo + pango, a few
// resources per page, each with a QR code of its website or map. One layout draws both the
// PDF and the on-screen preview, so the preview is the printed page. Depends on core only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kiosk/core/Result.h"
#include "kiosk/print/CardSheet.h"

namespace kiosk::print {

/// One resource as printed. Every text is already in the page's language; empty parts are left
/// out (no empty headings).
struct ReferralEntry {
    std::string name;
    std::string organization;
    std::string address;
    std::string phone;
    std::vector<std::string> hours;  ///< "Mon-Fri 9:00 AM - 5:00 PM", one line each
    std::string hours_note;
    std::string eligibility;
    std::string what_to_bring;
    std::string cost;
    std::string languages;   ///< "English, Spanish"
    std::string qr_text;     ///< website or map URL the QR encodes; "" = no QR
    std::string qr_caption;  ///< "Website" / "Map", printed under the QR
};

/// The words around the entries, in the page's language (the app fills them from its catalogue).
struct ReferralLabels {
    std::string title;      ///< "Places that can help"
    std::string for_name;   ///< "For {name}" with {name} replaced; "" when no name printed
    std::string date_line;  ///< "November 22, 2026"
    std::string address;    ///< "Address"
    std::string phone;
    std::string hours;
    std::string eligibility;  ///< "Who can go"
    std::string what_to_bring;
    std::string cost;
    std::string languages;
    std::string page_of;  ///< "Page {n} of {total}"
    std::string footer;   ///< a neutral line, e.g. "Call ahead: hours can change."
};

/// What a referral prints. Nothing here names the clinic's program, a diagnosis or treatment:
/// the app passes only these fields (PRIVACY.md 6).
struct ReferralDocument {
    PaperSize paper = PaperSize::kLetter;
    ReferralLabels labels;
    std::vector<ReferralEntry> entries;  ///< at least one
};

/// How many pages the document takes (entries never split across pages); 0 when the document
/// cannot be printed (no entries, an entry without a name, a QR text over kMaxQrTextBytes).
int ReferralPageCount(const ReferralDocument& doc);

/// The longest qr_text printed as a QR code: longer ones make modules too small to scan.
inline constexpr std::size_t kMaxQrTextBytes = 300;

/// Writes the PDF; the file appears whole or not at all (written beside `out`, then renamed).
/// Each page has the title, the date, "For <name>" when given, as many whole entries as fit
/// and a footer with labels.footer and "Page n of N". Texts wrap; a very long field ends in
/// "…" after a few lines, so one entry never outgrows a page. Invalid UTF-8 and control
/// characters in the texts print as U+FFFD and spaces. kInvalidInput for a document that
/// cannot be printed (see ReferralPageCount), kStorage when the file cannot be written.
Status WriteReferralPdf(const ReferralDocument& doc, const std::filesystem::path& out);

/// One page drawn by the same layout into pixels for the on-screen preview (PageImage,
/// CardSheet.h), as tall as the paper's proportions (rounded), on white.
/// Draws page `page` (counted from 0, so the first is 0 and the last ReferralPageCount(doc) - 1)
/// `width` pixels wide (kMinPreviewWidth to kMaxPreviewWidth). kInvalidInput for a page or
/// width out of range or a document that cannot be printed.
Result<PageImage> RenderReferralPage(const ReferralDocument& doc, int page, int width);

/// Makes the fonts in `fonts_dir` (the kiosk's assets/fonts: Noto Sans) available to every
/// printed page ahead of the system's, so pages look alike on every kiosk. Call once at
/// start-up before drawing; without it the system's fonts are used. Scripts the folder lacks
/// (Chinese, say) still come from the system's fonts when installed.
Status AddPrintFonts(const std::filesystem::path& fonts_dir);

}  // namespace kiosk::print
