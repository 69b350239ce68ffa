// The Resources & referrals pages' behaviour (SCREENS.md 7): the search and its filters, the
// detail pane, the referral being built, choosing the participant, the preview of the printed
// page, saving (referral + one ServiceRequest per place in the outbox + audit, one transaction)
// and printing through the spooler, followed to the end. StaffController owns one and routes
// intents here; ResourceDeskView.cpp words the pages. No drawing; driven by doctest.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/app/CardIdentity.h"
#include "kiosk/app/Catalog.h"
#include "kiosk/app/OnScreenKeyboard.h"
#include "kiosk/app/StaffViews.h"
#include "kiosk/core/Config.h"
#include "kiosk/directory/ResourceSearch.h"
#include "kiosk/print/PrintSpooler.h"
#include "kiosk/print/ReferralSheet.h"
#include "kiosk/store/Store.h"

namespace kiosk {

/// How referrals reach paper: the spooler thread in the kiosk, a fake in tests. Empty
/// `submit`: no printer is configured (referrals are saved, not printed).
struct ReferralPrinting {
    std::function<long(const std::filesystem::path& pdf, const std::string& title)> submit;
    std::function<print::PrintStatus(long ticket)> status;
    std::filesystem::path spool_dir;  ///< where PDFs wait for the printer (owner-only)
    std::string queue_name;           ///< for messages
};

inline constexpr int kResourcePage = 30;        ///< results per "Show more"
inline constexpr std::size_t kReferralMax = 8;  ///< places in one referral

class ResourceDesk {
  public:
    ResourceDesk(const KioskConfig& config, const ClinicTime& time, store::Store& store,
                 const std::map<std::string, Catalog>& catalogs, ReferralPrinting printing);

    /// Opens the search page fresh for `staff_ref` (a case manager).
    void Open(const std::string& staff_ref, Instant now);
    /// Forgets everything that could name a person or a search (the lock). Print jobs already
    /// handed to the printer are still followed to their end by FollowJobs.
    void Clear();

    /// A staff intent on one of the three pages (ResourceDeskActions.cpp): each page's intents
    /// go to that page's handler; `page` is moved when the intent changes page.
    void Handle(const StaffIntent& intent, StaffPage& page, Instant now);
    /// The frame's Back on one of the three pages.
    void Back(StaffPage& page, Instant now);
    /// Keyboard keys while the search box or the participant filter is being typed.
    bool KeyboardOpen() const;
    /// A card scanned while the referral page waits for the participant's card. True when it was
    /// taken (a participant chosen, or refused with a message); false: not waiting for one.
    bool OnParticipantCard(const CardIdentity& card);
    bool WaitingForCard() const { return m_waiting_for_card; }

    /// Polls print jobs (also after a lock) and records how they ended. A page that printed or
    /// failed is removed from the spool folder (a retry writes it again).
    void FollowJobs(Instant now);
    /// At start (PRIVACY.md 16): a referral still "printing" was cut off by the kiosk stopping;
    /// it is recorded as failed (with an audit row), and every PDF left in the spool folder,
    /// which no job of this run can be using yet, is removed.
    void RecoverInterruptedPrints(Instant now);
    /// When FollowJobs wants to run again; Instant::max() when nothing is printing.
    Instant NextWakeup(Instant now) const;

    void Render(const Catalog& t, StaffView& v, Instant now) const;

    // For tests.
    const store::ResourceResults& Results() const { return m_results; }
    const std::optional<std::string>& SavedReferral() const { return m_saved_id; }

  private:
    struct Job {
        std::string referral_id;
        long ticket = 0;
        std::filesystem::path pdf;
        print::PrintState last = print::PrintState::kQueued;
    };
    struct Participant {
        std::string person_ref;
        std::string given;
        std::string family;
    };

    // The pages' handlers and their steps (ResourceDeskActions.cpp).
    void HandleResources(const ResourcesIntent& intent, StaffPage& page, Instant now);
    void HandleReferral(const ReferralIntent& intent, StaffPage& page, Instant now);
    void HandlePreview(const PreviewIntent& intent, StaffPage& page, Instant now);
    void HandleKeyboard(const KeyboardIntent& intent, Instant now);
    void CloseKeyboard();
    void NewSearch(Instant now);  ///< from the first page of results
    void FilterByDistance(double within, Instant now);
    void OpenDetailOf(const std::string& resource_id);
    void RemoveFromReferral(const std::string& resource_id);
    void OpenReferralPage(StaffPage& page, Instant now);
    void PickParticipant(const std::string& person_ref);
    void OpenPreview(StaffPage& page, Instant now);
    void StartNext(StaffPage& page, Instant now);  ///< an empty referral, back on the search

    void Search(Instant now);
    void AddToReferral(const std::string& id);
    void LoadParticipants(Instant now);
    void BuildPreview(Instant now);
    void SaveAndPrint(Instant now);
    void Submit(Instant now);
    void RecordPrint(const std::string& referral_id, const std::string& state,
                     const std::string& detail, Instant now);
    void RemovePdf(const std::filesystem::path& pdf) const;
    const Catalog& PageCatalog() const;
    // The pages in words (ResourceDeskView.cpp).
    bool InReferral(const std::string& id) const;
    void RenderSearch(const Catalog& t, ResourcesView& s, Instant now) const;
    void RenderFilters(const Catalog& t, ResourcesView& s) const;
    std::string SearchSummary(const Catalog& t) const;
    ResourceDetailView DetailView(const Catalog& t, Instant now) const;
    void RenderReferral(const Catalog& t, ReferralView& r) const;
    void RenderPreview(const Catalog& t, PreviewView& p) const;
    print::ReferralDocument Document(Instant now) const;

    const KioskConfig& m_config;
    const ClinicTime& m_time;
    store::Store& m_store;
    directory::ResourceSearch m_search{m_store};
    const std::map<std::string, Catalog>& m_catalogs;
    ReferralPrinting m_printing;

    std::string m_staff_ref;
    // search
    store::ResourceQuery m_query;
    std::string m_text;
    store::ResourceResults m_results;
    bool m_search_failed = false;
    std::optional<store::ResourceHit> m_detail;
    // the on-screen keyboard's target
    enum class Typing { kNone, kSearch, kParticipant } m_typing = Typing::kNone;
    OnScreenKeyboard m_keyboard{60};
    // referral
    std::vector<store::ResourceHit> m_items;
    std::optional<Participant> m_participant;
    bool m_waiting_for_card = false;
    bool m_card_refused = false;
    std::string m_participant_filter;
    std::vector<std::pair<Participant, std::string>> m_candidates;  ///< with their group line
    bool m_first_name = false;
    std::string m_page_language;
    bool m_full = false;
    // preview and printing
    int m_preview_page = 0;
    int m_preview_pages = 0;
    std::shared_ptr<const print::PageImage> m_page_image;
    std::uint64_t m_page_generation = 0;
    std::string m_preview_error;
    std::optional<std::string> m_saved_id;
    std::optional<Job> m_job;       ///< this referral's job, while its pages are up
    std::vector<Job> m_background;  ///< jobs left running by a lock or "Done"
    std::string_view m_print_key;   ///< the print status message
    bool m_print_error = false;
    bool m_can_retry = false;
};

}  // namespace kiosk
