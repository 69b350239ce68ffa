// Printable sheets of QR cards: reads a card list (CSV) and lays the cards out on PDF pages for
// a clinic printer. A card's QR holds only its token (PRIVACY.md 5). Depends on core only; no
// store, no app, no UI.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/Result.h"

namespace kiosk::print {

/// One card to print. `token` is exactly what the QR encodes; `label` and `role` are printed
/// under the QR in small text.
struct Card {
    std::string role;
    std::string label;
    std::string token;
};

/// Reads a card list: a CSV with a header row naming at least `role`, `name` and `token` (any
/// order; other columns such as `pin` are ignored). Fields may be quoted ("Núñez, José"), with
/// doubled quotes and line breaks inside quotes as spreadsheets write them; text is UTF-8.
/// Every token must follow the card token grammar, and no token may repeat. A bad file is a
/// kInvalidInput error whose log text names the file and the line.
Result<std::vector<Card>> ReadCardsCsv(const std::filesystem::path& csv);

/// Reads a list of people to issue cards to (`kiosk card issue --csv`): a CSV with a header
/// row naming a `person` column (other columns are ignored) holding one reference per row,
/// Patient/ID or Practitioner/ID, none twice. Errors as ReadCardsCsv's.
Result<std::vector<std::string>> ReadPeopleCsv(const std::filesystem::path& csv);

enum class PaperSize { kLetter, kA4 };

/// Pixels for an on-screen preview: RGBA, 8 bits per channel, not premultiplied, rows top to
/// bottom.
struct PageImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgba;
};
inline constexpr int kMinPreviewWidth = 50;
inline constexpr int kMaxPreviewWidth = 6000;

/// "letter" or "a4" (any case), for command lines and config.
Result<PaperSize> ParsePaperSize(std::string_view name);

/// How many cards fit on one page of `paper`.
int CardsPerPage(PaperSize paper);

/// Writes `cards` as a PDF of credit-card sized cards (85.6 x 54 mm) in a grid with light cut
/// marks; each card has a vector QR code (ECC level M, 4-module quiet zone, over 30 mm wide)
/// with the person's label and role under it. With `demo`, each page gets the footer
/// "Demo cards — not for real patients". The file appears whole or not at all: it is written
/// next to `out` and renamed into place. Never throws.
Status WriteCardSheetPdf(const std::vector<Card>& cards, const std::filesystem::path& out,
                         PaperSize paper, bool demo);

/// One card drawn as on the sheet, for the staff screen's preview: `width` pixels wide
/// (kMinPreviewWidth to kMaxPreviewWidth) and as tall as the card's proportions, on white.
/// kInvalidInput for a token that is not a card token or text that is not clean.
Result<PageImage> RenderCardImage(const Card& card, int width);

}  // namespace kiosk::print
