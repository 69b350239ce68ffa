// Plain view structs of the Resources & referrals pages (SCREENS.md 7): search, category tiles,
// filters, result cards, the detail pane, the referral being built, the participant chooser and
// the print preview. Translated and formatted by ResourceController; the ui only lays them out.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/app/StaffIntents.h"
#include "kiosk/print/ReferralSheet.h"

namespace kiosk {

enum class StatusTone;

struct ChipView {
    StaffIntent intent;  ///< sent back when tapped (a category, a language, a distance)
    std::string label;
    bool active = false;
};

/// One result as a large card.
struct ResourceCardView {
    std::string id;
    std::string name;
    std::string organization;
    std::string categories;  ///< "Housing · Food"
    std::string
        open_text;  ///< "Open until 5:00 PM", "Closed · opens Mon 9:00 AM", "Hours not listed"
    bool open_now = false;  ///< drawn green with an icon
    std::string distance;   ///< "2.4 km"; "" when unknown
    std::string address;
    std::string phone;
    bool in_referral = false;
    bool selected = false;  ///< its detail is open
};

struct LabelledText {
    std::string label;
    std::string text;
};

/// The detail pane of one resource.
struct ResourceDetailView {
    std::string id;
    std::string name;
    std::string organization;
    std::string categories;
    std::string open_text;
    bool open_now = false;
    std::string description;
    std::vector<LabelledText> facts;  ///< Address, Phone, Website, Hours (lines joined by \n), Who
                                      ///< can go, What to bring, Cost, Languages, Distance
    bool in_referral = false;
    std::string add_label;     ///< "Add to referral"
    std::string remove_label;  ///< "Remove from referral"
    std::string close_label;
};

struct ResourcesView {
    std::string search_label;        ///< "Search"
    std::string search_text;         ///< what was typed
    std::string search_placeholder;  ///< "Type a word: housing, food, jobs..."
    std::string clear_label;
    std::vector<ChipView> categories;  ///< the 13 tiles; arg = category code
    std::string open_now_label;
    bool open_now = false;
    std::string free_label;
    bool free_only = false;
    std::string language_label;       ///< "Language"
    std::vector<ChipView> languages;  ///< arg "" = any
    std::string distance_label;       ///< "Distance"
    std::vector<ChipView> distances;  ///< arg "" = any, "2", "5", "10", "25" (km)
    std::string summary;              ///< "42 places", "Showing results for housing"
    std::vector<ResourceCardView> results;
    std::string empty;       ///< shown when results is empty
    std::string more_label;  ///< "Show more" when more results exist, else ""
    std::optional<ResourceDetailView> detail;
    std::string referral_label;  ///< "Referral (3)"
    int referral_count = 0;
    std::string card_add_label;     ///< the button on a card: "Add"
    std::string card_remove_label;  ///< the button on a card in the referral: "Remove"
    std::string added_label;        ///< the mark on a card in the referral: "Added"
};

struct ReferralItemView {
    std::string id;
    std::string name;
    std::string organization;
    std::string remove_label;
};

struct ParticipantOption {
    std::string person_ref;
    std::string name;   ///< staff see names on staff pages only
    std::string group;  ///< "9:00 AM Process Group"
    bool chosen = false;
};

struct ReferralView {
    std::string heading;  ///< "Referral"
    std::vector<ReferralItemView> items;
    std::string add_more_label;     ///< back to the search
    std::string participant_label;  ///< "For"
    std::string participant_name;   ///< chosen person, "" until chosen
    std::string scan_label;         ///< "Scan their card"
    bool waiting_for_scan = false;  ///< the next participant card chooses (does not lock)
    std::string scan_prompt;        ///< "Hold their card to the scanner now"
    std::string pick_label;         ///< "Or pick from today's groups"
    std::string filter_label;       ///< tap to type a name filter (keyboard)
    std::string filter_text;
    std::vector<ParticipantOption> participants;
    std::string first_name_label;  ///< "Print their first name on the page"
    bool first_name = false;
    std::string print_language_label;  ///< "Language of the page"
    std::vector<ChipView> print_languages;
    std::string preview_label;  ///< "Preview"
    bool can_preview = false;   ///< at least one item and a participant
    std::string missing;        ///< what is still needed, in words
};

/// The page as it will print, and printing.
struct PreviewView {
    std::string heading;                           ///< "Preview: page 1 of 2"
    std::shared_ptr<const print::PageImage> page;  ///< RGBA pixels of the current page
    std::uint64_t page_generation = 0;             ///< changes whenever `page` does
    std::string prev_label;
    std::string next_label;
    bool has_prev = false;
    bool has_next = false;
    std::string print_label;  ///< "Print"; "" when printing is not possible (no printer)
    bool can_print = false;
    std::string status;  ///< "Saved. Printing...", "Printed", "The printer is out of paper..."
    StatusTone status_tone{};
    std::string retry_label;  ///< "" unless a retry makes sense
    std::string done_label;   ///< "Done": back to the search with an empty referral
};

}  // namespace kiosk
