// ResourceDesk's pages in words (ResourceViews.h) and the printed referral's content. The page
// carries only what PRIVACY.md 6 allows: the places, the date, and the participant's first
// name only when the case manager ticked it; never the clinic's program or treatment words.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "kiosk/app/Messages.h"
#include "kiosk/app/OnScreenKeyboard.h"
#include "kiosk/app/ResourceDesk.h"
#include "kiosk/app/ResourceMessages.h"
#include "kiosk/app/ResourceText.h"
#include "kiosk/app/StaffMessages.h"
#include "kiosk/core/ResourceCategory.h"

namespace kiosk {
namespace {

constexpr const char* kFilterLanguages[] = {"en", "es", "vi", "zh", "ru", "so", "ar", "uk"};
constexpr std::array<const char*, 4> kDistancesMi{"1", "3", "5", "10"};
constexpr std::array<const char*, 4> kDistancesKm{"2", "5", "10", "25"};

/// A map link for places without a website: opens in any phone's browser or map app.
std::string MapLink(const store::ResourceRow& r) {
    if (!r.latitude || !r.longitude) {
        return {};
    }
    char buf[128];
    std::snprintf(buf, sizeof buf,
                  "https://www.openstreetmap.org/?mlat=%.5f&mlon=%.5f#map=17/%.5f/%.5f",
                  *r.latitude, *r.longitude, *r.latitude, *r.longitude);
    return buf;
}

}  // namespace

print::ReferralDocument ResourceDesk::Document(Instant now) const {
    const Catalog& t = PageCatalog();
    const ClockStyle style = m_config.clock_24h ? ClockStyle::k24Hour : ClockStyle::k12Hour;
    print::ReferralDocument doc;
    doc.paper = m_config.printer.paper == "a4" ? print::PaperSize::kA4 : print::PaperSize::kLetter;
    auto& l = doc.labels;
    l.title = t.Tr(msg::kPageTitle);
    if (m_first_name && m_participant && !m_participant->given.empty()) {
        l.for_name = t.Format(msg::kPageFor, {{"name", m_participant->given}});
    }
    l.date_line = LongDate(t, now, m_time);
    l.address = t.Tr(msg::kPageAddress);
    l.phone = t.Tr(msg::kPagePhone);
    l.hours = t.Tr(msg::kPageHours);
    l.eligibility = t.Tr(msg::kPageEligibility);
    l.what_to_bring = t.Tr(msg::kPageBring);
    l.cost = t.Tr(msg::kPageCost);
    l.languages = t.Tr(msg::kPageLanguages);
    l.page_of = t.Tr(msg::kPagePageOf);
    l.footer = t.Tr(msg::kPageFooter);
    for (const auto& hit : m_items) {
        const auto& r = hit.resource;
        print::ReferralEntry e;
        e.name = r.name;
        e.organization = r.organization == r.name ? "" : r.organization;
        e.address = r.address;
        e.phone = r.phone;
        e.hours = HoursLines(t, r.hours, style);
        e.hours_note = r.hours_note;
        e.eligibility = r.eligibility;
        e.what_to_bring = r.what_to_bring;
        e.cost = r.cost;
        e.languages = LanguageList(t, r.languages);
        if (!r.website.empty()) {
            e.qr_text = r.website;
            e.qr_caption = t.Tr(msg::kPageWebsite);
        } else {
            e.qr_text = MapLink(r);
            e.qr_caption = e.qr_text.empty() ? "" : t.Tr(msg::kPageMap);
        }
        doc.entries.push_back(std::move(e));
    }
    return doc;
}

bool ResourceDesk::InReferral(const std::string& id) const {
    return std::any_of(m_items.begin(), m_items.end(),
                       [&](const store::ResourceHit& h) { return h.resource.id == id; });
}

void ResourceDesk::Render(const Catalog& t, StaffView& v, Instant now) const {
    v.title = t.Tr(msg::kResourcesTitle);
    if (m_keyboard.IsOpen()) {
        v.keyboard =
            m_keyboard.View({t.Tr(m_typing == Typing::kSearch ? msg::kResourcesKeyboardTitle
                                                              : msg::kReferralFilter),
                             t.Tr(msg::kKeySpace), t.Tr(msg::kKeyErase), t.Tr(msg::kKeyShift),
                             t.Tr(msg::kKeyDone)});
    }
    RenderSearch(t, v.resources, now);
    if (m_full) {
        v.notice = t.Format(msg::kResourcesReferralFull, {{"count", std::to_string(kReferralMax)}});
        v.notice_is_error = true;
    }
    RenderReferral(t, v.referral);
    RenderPreview(t, v.preview);
}

void ResourceDesk::RenderSearch(const Catalog& t, ResourcesView& s, Instant now) const {
    const ClockStyle style = m_config.clock_24h ? ClockStyle::k24Hour : ClockStyle::k12Hour;
    RenderFilters(t, s);
    s.summary = SearchSummary(t);
    s.empty = t.Tr(msg::kResourcesNone);
    s.card_add_label = t.Tr(msg::kResourcesCardAdd);
    s.card_remove_label = t.Tr(msg::kResourcesRemove);
    s.added_label = t.Tr(msg::kResourcesAddedMark);
    if (static_cast<long long>(m_results.hits.size()) < m_results.total) {
        s.more_label = t.Tr(msg::kResourcesMore);
    }
    for (const auto& hit : m_results.hits) {
        const auto& r = hit.resource;
        ResourceCardView c;
        c.id = r.id;
        c.name = r.name;
        c.organization = r.organization == r.name ? "" : r.organization;
        c.categories = CategoryList(t, r.categories);
        c.open_text = OpenText(t, r.hours, hit.open, now, m_time, style);
        c.open_now = hit.open.open;
        c.distance = hit.km ? DistanceText(t, *hit.km, m_config.distance_in_miles) : "";
        c.address = r.address;
        c.phone = r.phone;
        c.in_referral = InReferral(r.id);
        c.selected = m_detail && m_detail->resource.id == r.id;
        s.results.push_back(std::move(c));
    }
    if (m_detail) {
        s.detail = DetailView(t, now);
    }
    s.referral_count = static_cast<int>(m_items.size());
    s.referral_label =
        t.Format(msg::kResourcesReferralButton, {{"count", std::to_string(m_items.size())}});
}

void ResourceDesk::RenderFilters(const Catalog& t, ResourcesView& s) const {
    s.search_label = t.Tr(msg::kResourcesSearch);
    s.search_text = m_text;
    s.search_placeholder = t.Tr(msg::kResourcesSearchPlaceholder);
    s.clear_label = t.Tr(msg::kResourcesClear);
    for (auto code : kResourceCategories) {
        const std::string c(code);
        s.categories.push_back({intent::resources::ToggleCategory{c}, t.Tr("category." + c),
                                std::find(m_query.categories.begin(), m_query.categories.end(),
                                          c) != m_query.categories.end()});
    }
    s.open_now_label = t.Tr(msg::kResourcesOpenNow);
    s.open_now = m_query.open_now;
    s.free_label = t.Tr(msg::kResourcesFree);
    s.free_only = m_query.free_only;
    s.language_label = t.Tr(msg::kResourcesLanguage);
    s.languages.push_back({intent::resources::FilterLanguage{""}, t.Tr(msg::kResourcesAny),
                           m_query.language.empty()});
    for (const char* code : kFilterLanguages) {
        s.languages.push_back({intent::resources::FilterLanguage{code},
                               t.Tr(std::string("lang.") + code), m_query.language == code});
    }
    s.distance_label = t.Tr(msg::kResourcesDistance);
    s.distances.push_back(
        {intent::resources::FilterDistance{0}, t.Tr(msg::kResourcesAny), !m_query.max_km});
    if (m_config.latitude) {  // no clinic coordinates: distance cannot be measured
        const bool miles = m_config.distance_in_miles;
        for (const char* n : miles ? kDistancesMi : kDistancesKm) {
            const double km = std::atof(n) * (miles ? 1.609344 : 1.0);
            const bool active = m_query.max_km && std::abs(*m_query.max_km - km) < 1e-6;
            s.distances.push_back(
                {intent::resources::FilterDistance{std::atof(n)},
                 t.Format(miles ? msg::kResourcesWithinMi : msg::kResourcesWithinKm, {{"n", n}}),
                 active});
        }
    }
}

std::string ResourceDesk::SearchSummary(const Catalog& t) const {
    if (m_search_failed) {
        return t.Tr(msg::kResourcesSearchFailed);
    }
    if (!m_results.corrections.empty()) {
        std::string words;
        for (const auto& [typed, meant] : m_results.corrections) {
            words += (words.empty() ? "" : ", ") + meant;
        }
        return t.Format(msg::kResourcesCorrected, {{"words", words}});
    }
    if (m_results.total == 1) {
        return t.Tr(msg::kResourcesCountOne);
    }
    if (static_cast<long long>(m_results.hits.size()) < m_results.total) {
        return t.Format(msg::kResourcesCountShown,
                        {{"shown", std::to_string(m_results.hits.size())},
                         {"count", std::to_string(m_results.total)}});
    }
    return t.Format(msg::kResourcesCount, {{"count", std::to_string(m_results.total)}});
}

ResourceDetailView ResourceDesk::DetailView(const Catalog& t, Instant now) const {
    const ClockStyle style = m_config.clock_24h ? ClockStyle::k24Hour : ClockStyle::k12Hour;
    const auto& r = m_detail->resource;
    ResourceDetailView d;
    d.id = r.id;
    d.name = r.name;
    d.organization = r.organization == r.name ? "" : r.organization;
    d.categories = CategoryList(t, r.categories);
    d.open_text = OpenText(t, r.hours, m_detail->open, now, m_time, style);
    d.open_now = m_detail->open.open;
    d.description = r.description;
    auto fact = [&](std::string_view label, const std::string& text) {
        if (!text.empty()) {
            d.facts.push_back({t.Tr(label), text});
        }
    };
    fact(msg::kResourcesFactAddress, r.address);
    fact(msg::kResourcesFactPhone, r.phone);
    fact(msg::kResourcesFactWebsite, r.website);
    std::string hours;
    for (const auto& line : HoursLines(t, r.hours, style)) {
        hours += (hours.empty() ? "" : "\n") + line;
    }
    if (!r.hours_note.empty()) {
        hours += (hours.empty() ? "" : "\n") + r.hours_note;
    }
    fact(msg::kResourcesFactHours, hours.empty() ? t.Tr(msg::kResourcesHoursUnknown) : hours);
    fact(msg::kResourcesFactEligibility, r.eligibility);
    fact(msg::kResourcesFactBring, r.what_to_bring);
    fact(msg::kResourcesFactCost, r.cost);
    fact(msg::kResourcesFactLanguages, LanguageList(t, r.languages));
    if (m_detail->km) {
        fact(msg::kResourcesFactDistance,
             DistanceText(t, *m_detail->km, m_config.distance_in_miles));
    }
    fact(msg::kResourcesFactUpdated, r.updated.substr(0, 10));
    d.in_referral = InReferral(r.id);
    d.add_label = t.Tr(msg::kResourcesAdd);
    d.remove_label = t.Tr(msg::kResourcesRemove);
    d.close_label = t.Tr(msg::kResourcesClose);
    return d;
}

void ResourceDesk::RenderReferral(const Catalog& t, ReferralView& r) const {
    r.heading = t.Tr(msg::kReferralTitle);
    for (const auto& hit : m_items) {
        r.items.push_back(
            {hit.resource.id, hit.resource.name,
             hit.resource.organization == hit.resource.name ? "" : hit.resource.organization,
             t.Tr(msg::kResourcesRemove)});
    }
    r.add_more_label = t.Tr(msg::kReferralAddMore);
    r.participant_label = t.Tr(msg::kReferralFor);
    if (m_participant) {
        r.participant_name = m_participant->given + " " + m_participant->family;
    }
    r.scan_label = t.Tr(msg::kReferralScan);
    r.waiting_for_scan = m_waiting_for_card;
    r.scan_prompt = t.Tr(m_card_refused ? msg::kReferralNotParticipant : msg::kReferralScanPrompt);
    r.pick_label = t.Tr(msg::kReferralPick);
    r.filter_label = t.Tr(msg::kReferralFilter);
    r.filter_text = m_participant_filter;
    const std::string filter = FoldForSearch(m_participant_filter);
    for (const auto& [p, group] : m_candidates) {
        if (!filter.empty() &&
            FoldForSearch(p.given + " " + p.family).find(filter) == std::string::npos) {
            continue;
        }
        r.participants.push_back({p.person_ref, p.given + " " + p.family, group,
                                  m_participant && m_participant->person_ref == p.person_ref});
    }
    r.first_name_label = t.Tr(msg::kReferralFirstName);
    r.first_name = m_first_name;
    r.print_language_label = t.Tr(msg::kReferralPageLanguage);
    for (const auto& lang : m_config.languages) {
        if (m_catalogs.count(lang)) {
            r.print_languages.push_back({intent::referral::PageLanguage{lang},
                                         m_catalogs.at(lang).Tr(msg::kLanguageName),
                                         m_page_language == lang});
        }
    }
    r.preview_label = t.Tr(msg::kReferralPreview);
    r.can_preview = !m_items.empty() && m_participant.has_value();
    if (m_items.empty()) {
        r.missing = t.Tr(msg::kReferralNeedPlaces);
    } else if (!m_participant) {
        r.missing = t.Tr(msg::kReferralNeedPerson);
    }
    if (m_candidates.empty()) {
        r.participants.clear();
    }
}

void ResourceDesk::RenderPreview(const Catalog& t, PreviewView& p) const {
    p.heading =
        t.Format(msg::kPreviewHeading, {{"page", std::to_string(m_preview_page + 1)},
                                        {"pages", std::to_string(std::max(1, m_preview_pages))}});
    p.page = m_page_image;
    p.page_generation = m_page_generation;
    p.prev_label = t.Tr(msg::kPreviewPrev);
    p.next_label = t.Tr(msg::kPreviewNext);
    p.has_prev = m_preview_page > 0;
    p.has_next = m_preview_page + 1 < m_preview_pages;
    p.print_label = t.Tr(m_printing.submit ? msg::kPreviewPrint : msg::kPreviewSaveOnly);
    p.can_print = !m_saved_id && m_page_image != nullptr;
    if (!m_preview_error.empty()) {
        p.status = t.Format(msg::kPreviewFailedRender, {{"why", m_preview_error}});
        p.status_tone = StatusTone::kBad;
    } else if (!m_print_key.empty()) {
        p.status = t.Format(m_print_key, {{"queue", m_printing.queue_name}});
        p.status_tone = m_print_error                              ? StatusTone::kBad
                        : m_print_key == msg::kPrintDone           ? StatusTone::kGood
                        : m_print_key == msg::kPrintSavedNoPrinter ? StatusTone::kWarning
                                                                   : StatusTone::kInfo;
    }
    p.retry_label = m_can_retry ? t.Tr(msg::kPreviewRetry) : "";
    p.done_label = t.Tr(msg::kPreviewDone);
}

}  // namespace kiosk
