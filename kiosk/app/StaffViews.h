// Plain view structs of the staff screens (SCREENS.md 4-6 and 8) and what staff can do on them.
// Already translated and formatted: the ui lays them out and reports StaffIntents
// (StaffIntents.h), nothing more. Participant names appear only in these structs, never in the
// lobby's views.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kiosk/app/ResourceViews.h"
#include "kiosk/app/StaffIntents.h"

namespace kiosk {

enum class StaffPage {
    kBadge,
    kPin,
    kHome,
    kSessions,
    kRoster,
    kStatus,
    kResources,
    kReferral,
    kPreview,
    kCards,       ///< participants of this week's groups and their cards
    kCardPreview  ///< a new card before it is printed (drawn as the referral preview is)
};

/// How a roster status is shown: colour, icon and words together.
enum class StatusTone { kNeutral, kGood, kWarning, kBad, kInfo };

struct BadgePageView {
    std::string prompt;
    std::string hint;
    std::string message;  ///< why the last badge was refused, empty otherwise
};

struct PinPadView {
    std::string prompt;
    std::string staff_name;  ///< whose badge was scanned (staff see their own name)
    int entered = 0;         ///< digits entered: drawn as dots, the digits never leave the model
    std::string message;     ///< "Wrong PIN ..." or "Checking ..."
    bool busy = false;       ///< a check is running: the pad takes no input
    std::string ok_label;
    std::string erase_label;
};

struct HomeTile {
    std::string label;
    std::string note;  ///< a second line, e.g. "coming in a later version"
    HomeIntent opens;
    bool enabled = true;
};

struct HomeView {
    std::string greeting;
    std::vector<HomeTile> tiles;
};

struct RoomChip {
    std::string id;  ///< "" = all rooms
    std::string label;
    bool active = false;
};

struct SessionLineView {
    std::string id;
    std::string time;
    std::string group;
    std::string room;
    std::string facilitator;
    std::string arrived;  ///< "5 of 18 arrived"
    bool running = false;
    bool ended = false;
};

struct SessionsView {
    std::string heading;
    std::vector<RoomChip> rooms;
    std::vector<SessionLineView> sessions;
    std::string empty;
    std::string now_tag;
    std::string ended_tag;
    /// The row the list opens on: the first session not yet ended (the last one when all have
    /// ended), so staff land on what is happening now rather than on the night's ended rows.
    int start_row = 0;
};

struct RosterLineView {
    std::string person_ref;
    std::string name;
    std::string status;
    StatusTone tone = StatusTone::kNeutral;
    std::string hours;    ///< "4 h 10 min of 9 h"; "" for family members
    std::string at_risk;  ///< "At risk" when the week's target is out of reach, else ""
    std::string by_hand;  ///< "by hand" when staff recorded it
    bool can_check_in = false;
    bool can_check_out = false;
    bool can_undo = false;
};

struct RosterView {
    std::string heading;  ///< "9:00 AM  Process Group, Oak Room"
    std::string detail;   ///< "Rosa Delgado  ·  5 of 18 arrived"
    std::string filter_label;
    std::string filter_text;
    std::string clear_filter_label;
    std::string sort_label;
    std::string sort_name_label;
    std::string sort_status_label;
    bool sorted_by_status = true;
    std::vector<RosterLineView> lines;
    std::string empty;
    std::string check_in_label;
    std::string check_out_label;
    std::string undo_label;
};

struct StatusLine {
    std::string label;
    std::string value;
    StatusTone tone = StatusTone::kNeutral;
};

struct StatusView {
    std::vector<StatusLine> lines;
};

struct ReasonOption {
    std::string code;
    std::string label;
    bool chosen = false;
};

/// The "by hand" dialog over a roster: a reason from a short list, or "other" with text.
struct CorrectionView {
    std::string title;  ///< "Check in by hand: José Núñez"
    std::string prompt;
    std::vector<ReasonOption> reasons;
    bool wants_text = false;  ///< "other" chosen: the text line shows
    std::string text;
    std::string text_placeholder;
    std::string confirm_label;
    std::string cancel_label;
    bool can_confirm = false;
};

struct KeyView {
    std::string label;
    KeyboardIntent press;
    float width = 1.0f;   ///< in key units
    bool active = false;  ///< shift or accents engaged
};

/// The on-screen keyboard (touch-sized keys, letters, digits, Spanish accents).
struct KeyboardView {
    std::string title;
    std::string text;
    std::vector<std::vector<KeyView>> rows;
};

struct CardLineView {
    std::string person_ref;
    std::string name;
    std::string card;  ///< "Card works" / "No card that works"
    StatusTone tone = StatusTone::kNeutral;
    bool can_revoke = false;
};

/// The revoke dialog over the Cards page: a reason from a short list.
struct CardDialogView {
    std::string title;  ///< "Revoke the card of José Núñez"
    std::string prompt;
    std::vector<ReasonOption> reasons;
    std::string confirm_label;
    std::string cancel_label;
    bool can_confirm = false;
};

/// The Cards page (SCREENS.md 9): find a participant of this week's groups, give a new card,
/// revoke a lost one.
struct CardsView {
    std::string heading;
    std::string filter_label;
    std::string filter_text;
    std::string clear_filter_label;
    std::vector<CardLineView> lines;
    std::string empty;
    std::string new_card_label;
    std::string revoke_label;
    std::optional<CardDialogView> dialog;
};

struct StaffView {
    StaffPage page = StaffPage::kBadge;
    std::string title;
    std::string signed_in_as;  ///< empty before sign-in
    std::string back_label;    ///< empty: no back button on this page
    std::string cancel_label;  ///< "Cancel" during sign-in, "Sign out" after
    /// Changes whenever a page, a room, a sort or a name filter is chosen anew: paged lists then
    /// go back to their start row instead of keeping the page an earlier visit left them on.
    unsigned list_visit = 0;
    std::string countdown;  ///< shown in the last seconds before the idle lock
    std::string notice;     ///< result of the last action
    bool notice_is_error = false;
    BadgePageView badge;
    PinPadView pin;
    HomeView home;
    SessionsView sessions;
    RosterView roster;
    StatusView status;
    ResourcesView resources;
    ReferralView referral;
    PreviewView preview;  ///< the referral's pages, or a new card (kCardPreview)
    CardsView cards;
    std::optional<CorrectionView> correction;
    std::optional<KeyboardView> keyboard;
};

}  // namespace kiosk
