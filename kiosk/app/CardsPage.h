// The Cards page of the staff screens (SCREENS.md 9), for front-desk staff and case managers:
// this week's participants found by name, a new card previewed and then printed (it is issued,
// and the earlier card stops, only when it goes to the printer), a lost card revoked with a
// reason. CardDesk does the writes; this page holds what staff chose and the one new card's
// token until the page is left or the screens lock. Driven by doctest with a FakeClock.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/app/CardDesk.h"
#include "kiosk/app/Catalog.h"
#include "kiosk/app/OnScreenKeyboard.h"
#include "kiosk/app/ResourceDesk.h"
#include "kiosk/app/StaffViews.h"
#include "kiosk/core/Config.h"

namespace kiosk {

class CardsPage {
  public:
    CardsPage(const KioskConfig& config, const ClinicTime& time, store::Store& store,
              ReferralPrinting printing, OutboxWake wake);

    /// Opens the list fresh for `staff_ref` (who issues and revokes).
    void Open(const std::string& staff_ref, Instant now);
    /// Forgets everything: the list, the filter, a new card's token (the lock, leaving).
    void Clear();
    bool KeyboardOpen() const { return m_keyboard.IsOpen(); }

    /// A staff intent on the Cards page or the new card's preview; `page` is moved when it
    /// changes page.
    void Handle(const StaffIntent& intent, StaffPage& page, Instant now);
    /// The frame's Back on either page.
    void Back(StaffPage& page, Instant now);
    /// Follows the new card's print job.
    void Tick(Instant now);
    Instant NextWakeup(Instant now) const;

    void Render(const Catalog& t, StaffView& v, StaffPage page) const;

  private:
    struct Line {
        store::PersonRow person;
        bool has_card = false;
    };
    struct PendingCard {
        IssuedCard card;
        std::string name;
        std::shared_ptr<const print::PageImage> image;
        std::uint64_t generation = 0;
        bool issued = false;
        std::optional<long> ticket;
        std::filesystem::path pdf;
        print::PrintStatus status;
    };
    struct RevokeDialog {
        std::string person_ref;
        std::string name;
        std::string reason;  ///< the chosen reason code
    };

    void HandleCards(const CardsIntent& in, StaffPage& page, Instant now);
    void HandlePreview(const PreviewIntent& in, StaffPage& page, Instant now);
    void Reload(Instant now);
    void StartNewCard(const std::string& person_ref, StaffPage& page);
    void PrintNewCard(Instant now);
    void ConfirmRevoke(Instant now);
    void DropNewCard();
    std::string NameOf(const std::string& person_ref) const;
    void RenderList(const Catalog& t, CardsView& c) const;
    void RenderPreview(const Catalog& t, PreviewView& p) const;

    const KioskConfig& m_config;
    CardDesk m_desk;
    ReferralPrinting m_printing;
    OnScreenKeyboard m_keyboard;
    std::string m_staff_ref;
    std::string m_filter;
    std::vector<Line> m_lines;
    std::optional<RevokeDialog> m_revoke;
    std::optional<PendingCard> m_new;
    std::uint64_t m_generation = 0;
    std::string_view m_notice_key;  ///< worded at render time
    std::string m_notice_name;
    bool m_notice_error = false;
};

}  // namespace kiosk
