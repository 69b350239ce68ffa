// What staff touched, one small struct per action, grouped by the page (or part of the frame)
// that sends it: a StaffIntent is one of those groups, each a std::variant of its page's actions.
// The ui builds them; StaffController hands each group to that page's handler (StaffActions.cpp,
// and ResourceDeskActions.cpp for the Resources & referrals pages). Plain data: no logic here.
#pragma once

#include <string>
#include <variant>

namespace kiosk {
namespace intent {

namespace frame {  // the staff frame's top bar, on every page
struct Cancel {    ///< leave sign-in, or sign out
    bool operator==(const Cancel&) const = default;
};
struct Back {  ///< one page up (what "up" is depends on the page)
    bool operator==(const Back&) const = default;
};
}  // namespace frame

namespace pin {  // the PIN pad
struct Digit {
    char digit = '0';
    bool operator==(const Digit&) const = default;
};
struct Erase {
    bool operator==(const Erase&) const = default;
};
struct Submit {
    bool operator==(const Submit&) const = default;
};
}  // namespace pin

namespace home {  // the tiles of the staff home page
struct OpenRosters {
    bool operator==(const OpenRosters&) const = default;
};
struct OpenStatus {
    bool operator==(const OpenStatus&) const = default;
};
struct OpenResources {
    bool operator==(const OpenResources&) const = default;
};
struct OpenCards {
    bool operator==(const OpenCards&) const = default;
};
}  // namespace home

namespace sessions {  // today's sessions
struct ChooseRoom {
    std::string room_id;  ///< "" = all rooms
    bool operator==(const ChooseRoom&) const = default;
};
struct OpenSession {
    std::string session_id;
    bool operator==(const OpenSession&) const = default;
};
}  // namespace sessions

namespace roster {  // one session's roster
struct Sort {
    bool by_status = true;  ///< false: by name
    bool operator==(const Sort&) const = default;
};
struct EditFilter {  ///< the on-screen keyboard on the name filter
    bool operator==(const EditFilter&) const = default;
};
struct ClearFilter {
    bool operator==(const ClearFilter&) const = default;
};
struct CheckIn {  ///< opens the "by hand" dialog
    std::string person_ref;
    bool operator==(const CheckIn&) const = default;
};
struct CheckOut {  ///< opens the "by hand" dialog
    std::string person_ref;
    bool operator==(const CheckOut&) const = default;
};
struct Undo {  ///< a manual check-in of this sign-in
    std::string person_ref;
    bool operator==(const Undo&) const = default;
};
}  // namespace roster

namespace correction {  // the "by hand" dialog over a roster
struct ChooseReason {
    std::string code;  ///< "forgot-card", ..., "other"
    bool operator==(const ChooseReason&) const = default;
};
struct EditText {  ///< the keyboard on the "other" reason's text
    bool operator==(const EditText&) const = default;
};
struct Confirm {
    bool operator==(const Confirm&) const = default;
};
struct Cancel {
    bool operator==(const Cancel&) const = default;
};
}  // namespace correction

namespace keyboard {  // the on-screen keyboard (and a physical keyboard's keys while it is up)
struct Text {
    std::string text;  ///< UTF-8 text of one key
    bool operator==(const Text&) const = default;
};
struct Erase {
    bool operator==(const Erase&) const = default;
};
struct Shift {
    bool operator==(const Shift&) const = default;
};
struct Accents {
    bool operator==(const Accents&) const = default;
};
struct Done {  ///< closes the keyboard (its owner's action)
    bool operator==(const Done&) const = default;
};
}  // namespace keyboard

namespace resources {  // the directory search, its filters, cards and detail pane
struct EditSearch {    ///< the keyboard on the search box
    bool operator==(const EditSearch&) const = default;
};
struct ClearSearch {
    bool operator==(const ClearSearch&) const = default;
};
struct ToggleCategory {
    std::string code;
    bool operator==(const ToggleCategory&) const = default;
};
struct ToggleOpenNow {
    bool operator==(const ToggleOpenNow&) const = default;
};
struct ToggleFree {
    bool operator==(const ToggleFree&) const = default;
};
struct FilterLanguage {
    std::string code;  ///< "" = any
    bool operator==(const FilterLanguage&) const = default;
};
struct FilterDistance {
    double within = 0;  ///< in the clinic's unit (miles or km); 0 = any distance
    bool operator==(const FilterDistance&) const = default;
};
struct ShowMore {
    bool operator==(const ShowMore&) const = default;
};
struct OpenDetail {
    std::string resource_id;
    bool operator==(const OpenDetail&) const = default;
};
struct CloseDetail {
    bool operator==(const CloseDetail&) const = default;
};
struct Add {  ///< to the referral
    std::string resource_id;
    bool operator==(const Add&) const = default;
};
struct Remove {  ///< from the referral
    std::string resource_id;
    bool operator==(const Remove&) const = default;
};
struct OpenReferral {
    bool operator==(const OpenReferral&) const = default;
};
}  // namespace resources

namespace referral {  // the referral being built and its participant
struct Remove {
    std::string resource_id;
    bool operator==(const Remove&) const = default;
};
struct ScanCard {  ///< the next participant card chooses the participant
    bool operator==(const ScanCard&) const = default;
};
struct Pick {
    std::string person_ref;
    bool operator==(const Pick&) const = default;
};
struct EditFilter {  ///< the keyboard on the participant name filter
    bool operator==(const EditFilter&) const = default;
};
struct ToggleFirstName {
    bool operator==(const ToggleFirstName&) const = default;
};
struct PageLanguage {
    std::string code;  ///< the printed page's language
    bool operator==(const PageLanguage&) const = default;
};
struct Preview {
    bool operator==(const Preview&) const = default;
};
}  // namespace referral

namespace preview {  // the printed page and printing
struct PrevPage {
    bool operator==(const PrevPage&) const = default;
};
struct NextPage {
    bool operator==(const NextPage&) const = default;
};
struct Print {
    bool operator==(const Print&) const = default;
};
struct Retry {
    bool operator==(const Retry&) const = default;
};
struct Done {  ///< back to the search with an empty referral
    bool operator==(const Done&) const = default;
};
}  // namespace preview

namespace cards {    // the Cards page: participants of this week's groups, their cards
struct EditFilter {  ///< the keyboard on the name filter
    bool operator==(const EditFilter&) const = default;
};
struct ClearFilter {
    bool operator==(const ClearFilter&) const = default;
};
struct NewCard {  ///< the new card's preview (nothing changes until it is printed)
    std::string person_ref;
    bool operator==(const NewCard&) const = default;
};
struct Revoke {  ///< opens the revoke dialog
    std::string person_ref;
    bool operator==(const Revoke&) const = default;
};
struct ChooseReason {
    std::string code;  ///< "lost", "stolen", "damaged"
    bool operator==(const ChooseReason&) const = default;
};
struct Confirm {  ///< the revoke dialog's
    bool operator==(const Confirm&) const = default;
};
struct Cancel {
    bool operator==(const Cancel&) const = default;
};
}  // namespace cards

}  // namespace intent

using FrameIntent = std::variant<intent::frame::Cancel, intent::frame::Back>;
using PinIntent = std::variant<intent::pin::Digit, intent::pin::Erase, intent::pin::Submit>;
using HomeIntent = std::variant<intent::home::OpenRosters, intent::home::OpenStatus,
                                intent::home::OpenResources, intent::home::OpenCards>;
using SessionsIntent = std::variant<intent::sessions::ChooseRoom, intent::sessions::OpenSession>;
using RosterIntent =
    std::variant<intent::roster::Sort, intent::roster::EditFilter, intent::roster::ClearFilter,
                 intent::roster::CheckIn, intent::roster::CheckOut, intent::roster::Undo>;
using CorrectionIntent =
    std::variant<intent::correction::ChooseReason, intent::correction::EditText,
                 intent::correction::Confirm, intent::correction::Cancel>;
using KeyboardIntent =
    std::variant<intent::keyboard::Text, intent::keyboard::Erase, intent::keyboard::Shift,
                 intent::keyboard::Accents, intent::keyboard::Done>;
using ResourcesIntent =
    std::variant<intent::resources::EditSearch, intent::resources::ClearSearch,
                 intent::resources::ToggleCategory, intent::resources::ToggleOpenNow,
                 intent::resources::ToggleFree, intent::resources::FilterLanguage,
                 intent::resources::FilterDistance, intent::resources::ShowMore,
                 intent::resources::OpenDetail, intent::resources::CloseDetail,
                 intent::resources::Add, intent::resources::Remove,
                 intent::resources::OpenReferral>;
using ReferralIntent =
    std::variant<intent::referral::Remove, intent::referral::ScanCard, intent::referral::Pick,
                 intent::referral::EditFilter, intent::referral::ToggleFirstName,
                 intent::referral::PageLanguage, intent::referral::Preview>;
using PreviewIntent =
    std::variant<intent::preview::PrevPage, intent::preview::NextPage, intent::preview::Print,
                 intent::preview::Retry, intent::preview::Done>;

using CardsIntent =
    std::variant<intent::cards::EditFilter, intent::cards::ClearFilter, intent::cards::NewCard,
                 intent::cards::Revoke, intent::cards::ChooseReason, intent::cards::Confirm,
                 intent::cards::Cancel>;

/// One thing staff touched. Any page's struct converts to it: `StaffIntent i = pin::Digit{'4'};`
using StaffIntent =
    std::variant<FrameIntent, PinIntent, HomeIntent, SessionsIntent, RosterIntent, CorrectionIntent,
                 KeyboardIntent, ResourcesIntent, ReferralIntent, PreviewIntent, CardsIntent>;

/// For std::visit with one lambda per alternative.
template <class... Fs>
struct Overloaded : Fs... {
    using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace kiosk
