// ResourceDesk's handlers of what staff touched (StaffIntents.h), one per page: the search page,
// the referral page, the preview page, plus Back and the on-screen keyboard they share. A page
// change is written to the caller's `page`.
#include <algorithm>

#include "kiosk/app/ResourceDesk.h"

namespace kiosk {
namespace {

constexpr double kKmPerMile = 1.609344;

void Toggle(std::vector<std::string>& v, const std::string& x) {
    auto it = std::find(v.begin(), v.end(), x);
    if (it == v.end()) {
        v.push_back(x);
    } else {
        v.erase(it);
    }
}

}  // namespace

void ResourceDesk::Handle(const StaffIntent& in, StaffPage& page, Instant now) {
    if (m_saved_id && page == StaffPage::kPreview && !std::holds_alternative<PreviewIntent>(in)) {
        return;  // a saved referral is not edited any more
    }
    std::visit(Overloaded{[&](const ResourcesIntent& i) { HandleResources(i, page, now); },
                          [&](const ReferralIntent& i) { HandleReferral(i, page, now); },
                          [&](const PreviewIntent& i) { HandlePreview(i, page, now); },
                          [&](const KeyboardIntent& i) { HandleKeyboard(i, now); },
                          [](const auto&) {}},  // Back comes through Back(); other pages' intents
               in);
}

void ResourceDesk::Back(StaffPage& page, Instant now) {
    CloseKeyboard();
    if (page == StaffPage::kPreview) {
        if (m_saved_id) {  // saved: Back starts the next referral, like Done
            StartNext(page, now);
            return;
        }
        page = StaffPage::kReferral;
    } else if (page == StaffPage::kReferral) {
        m_waiting_for_card = false;
        page = StaffPage::kResources;
        Search(now);
    } else {
        page = StaffPage::kHome;
    }
}

void ResourceDesk::CloseKeyboard() {
    m_keyboard.Close();
    m_typing = Typing::kNone;
}

void ResourceDesk::HandleResources(const ResourcesIntent& in, StaffPage& page, Instant now) {
    using namespace intent::resources;
    std::visit(Overloaded{[&](const EditSearch&) {
                              m_keyboard.Open(m_text);
                              m_typing = Typing::kSearch;
                              m_detail.reset();
                          },
                          [&](const ClearSearch&) {
                              m_text.clear();
                              if (m_typing == Typing::kSearch) {
                                  m_keyboard.Open("");
                              }
                              NewSearch(now);
                          },
                          [&](const ToggleCategory& c) {
                              Toggle(m_query.categories, c.code);
                              NewSearch(now);
                          },
                          [&](const ToggleOpenNow&) {
                              m_query.open_now = !m_query.open_now;
                              Search(now);
                          },
                          [&](const ToggleFree&) {
                              m_query.free_only = !m_query.free_only;
                              Search(now);
                          },
                          [&](const FilterLanguage& l) {
                              m_query.language = l.code;
                              Search(now);
                          },
                          [&](const FilterDistance& d) { FilterByDistance(d.within, now); },
                          [&](const ShowMore&) {
                              m_query.limit += kResourcePage;
                              Search(now);
                          },
                          [&](const OpenDetail& o) { OpenDetailOf(o.resource_id); },
                          [&](const CloseDetail&) { m_detail.reset(); },
                          [&](const Add& a) { AddToReferral(a.resource_id); },
                          [&](const Remove& r) { RemoveFromReferral(r.resource_id); },
                          [&](const OpenReferral&) { OpenReferralPage(page, now); }},
               in);
}

void ResourceDesk::NewSearch(Instant now) {
    m_query.limit = kResourcePage;
    Search(now);
}

void ResourceDesk::FilterByDistance(double within, Instant now) {
    m_query.max_km.reset();
    if (within > 0) {
        m_query.max_km = m_config.distance_in_miles ? within * kKmPerMile : within;
    }
    Search(now);
}

void ResourceDesk::OpenDetailOf(const std::string& resource_id) {
    CloseKeyboard();
    for (const auto& hit : m_results.hits) {
        if (hit.resource.id == resource_id) {
            m_detail = hit;
        }
    }
}

void ResourceDesk::RemoveFromReferral(const std::string& resource_id) {
    m_full = false;
    std::erase_if(m_items,
                  [&](const store::ResourceHit& h) { return h.resource.id == resource_id; });
}

void ResourceDesk::OpenReferralPage(StaffPage& page, Instant now) {
    if (m_items.empty()) {
        return;
    }
    CloseKeyboard();
    m_detail.reset();
    LoadParticipants(now);
    page = StaffPage::kReferral;
}

void ResourceDesk::HandleReferral(const ReferralIntent& in, StaffPage& page, Instant now) {
    using namespace intent::referral;
    std::visit(Overloaded{[&](const Remove& r) { RemoveFromReferral(r.resource_id); },
                          [&](const ScanCard&) {
                              m_waiting_for_card = true;
                              m_card_refused = false;
                          },
                          [&](const Pick& p) { PickParticipant(p.person_ref); },
                          [&](const EditFilter&) {
                              m_keyboard.Open(m_participant_filter);
                              m_typing = Typing::kParticipant;
                          },
                          [&](const ToggleFirstName&) { m_first_name = !m_first_name; },
                          [&](const PageLanguage& l) {
                              if (m_catalogs.count(l.code)) {
                                  m_page_language = l.code;
                              }
                          },
                          [&](const Preview&) { OpenPreview(page, now); }},
               in);
}

void ResourceDesk::PickParticipant(const std::string& person_ref) {
    for (const auto& [p, group] : m_candidates) {
        if (p.person_ref == person_ref) {
            m_participant = p;
            m_waiting_for_card = false;
            m_card_refused = false;
        }
    }
    CloseKeyboard();
}

void ResourceDesk::OpenPreview(StaffPage& page, Instant now) {
    if (m_items.empty() || !m_participant) {
        return;
    }
    m_waiting_for_card = false;
    CloseKeyboard();
    m_preview_page = 0;
    BuildPreview(now);
    page = StaffPage::kPreview;
}

void ResourceDesk::HandlePreview(const PreviewIntent& in, StaffPage& page, Instant now) {
    using namespace intent::preview;
    std::visit(Overloaded{[&](const PrevPage&) {
                              if (m_preview_page > 0) {
                                  --m_preview_page;
                                  BuildPreview(now);
                              }
                          },
                          [&](const NextPage&) {
                              if (m_preview_page + 1 < m_preview_pages) {
                                  ++m_preview_page;
                                  BuildPreview(now);
                              }
                          },
                          [&](const Print&) {
                              if (!m_saved_id) {
                                  SaveAndPrint(now);
                              }
                          },
                          [&](const Retry&) {
                              if (m_saved_id && m_can_retry) {
                                  Submit(now);
                              }
                          },
                          [&](const Done&) { StartNext(page, now); }},
               in);
}

void ResourceDesk::StartNext(StaffPage& page, Instant now) {
    const std::string staff = m_staff_ref;
    Clear();  // a job still printing moves to the background list
    Open(staff, now);
    page = StaffPage::kResources;
}

void ResourceDesk::HandleKeyboard(const KeyboardIntent& in, Instant now) {
    if (std::holds_alternative<intent::keyboard::Done>(in)) {
        CloseKeyboard();
        return;
    }
    m_keyboard.Press(in);
    if (m_typing == Typing::kSearch) {
        m_text = m_keyboard.Text();
        NewSearch(now);  // results follow every key
    } else if (m_typing == Typing::kParticipant) {
        m_participant_filter = m_keyboard.Text();
    }
}

}  // namespace kiosk
