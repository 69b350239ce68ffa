// The printed referral (issue 6, PRIVACY.md 6): pages laid out with cairo + pango, a few
// resources per page, each with a QR code of its website or map. One layout draws both the
// PDF and the on-screen preview, so the preview is the printed page. Depends on core only.
#pragma once

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
    std::string languages;  ///< "English, Spanish"
    std::string qr_text;    ///< website or map URL the QR encodes; "" = no QR
    std::string qr_caption; ///< "Website" / "Map", printed under the QR
};

/// The words around the entries, in the page's language (the app fills them from its catalogue).
struct ReferralLabels {
    std::string title;          ///< "Places that can help"
    std::string for_name;       ///< "For {name}" with {name} replaced; "" when no name printed
    std::string date_line;      ///< "November 22, 2026"
    std::string address;        ///< "Address"
    std::string phone;
    std::string hours;
    std::string eligibility;    ///< "Who can go"
    std::string what_to_bring;
    std::string cost;
    std::string languages;
    std::string page_of;        ///< "Page {n} of {total}"
    std::string footer;         ///< a neutral line, e.g. "Call ahead: hours can change."
};

/// What a referral prints. Nothing here names the clinic's program, a diagnosis or treatment:
/// the app passes only these fields (PRIVACY.md 6).
struct ReferralDocument {
    PaperSize paper = PaperSize::kLetter;
    ReferralLabels labels;
    std::vector<ReferralEntry> entries;  ///< at least one
};

/// How many pages the document takes (entries never split across pages).
int ReferralPageCount(const ReferralDocument& doc);

/// Writes the PDF; the file appears whole or not at all (written beside `out`, then renamed).
Status WriteReferralPdf(const ReferralDocument& doc, const std::filesystem::path& out);

/// One page drawn by the same layout into pixels for the on-screen preview: RGBA, 8 bits per
/// channel, rows top to bottom, `width` pixels wide and as tall as the paper's proportions.
struct PageImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgba;
};
Result<PageImage> RenderReferralPage(const ReferralDocument& doc, int page, int width);

}  // namespace kiosk::print
