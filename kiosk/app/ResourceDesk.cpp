// ResourceDesk's behaviour: search, referral, participant, saving and printing. Saving writes
// the referral, one outbox item per place (a ServiceRequest each) and an audit row in one
// transaction before anything is printed, so a printer failure never loses a referral.
#include "kiosk/app/ResourceDesk.h"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "kiosk/app/ResourceMessages.h"
#include "kiosk/core/Log.h"
#include "kiosk/core/Uuid.h"

namespace kiosk {

ResourceDesk::ResourceDesk(const KioskConfig& config, const ClinicTime& time, store::Store& store,
                           const std::map<std::string, Catalog>& catalogs,
                           ReferralPrinting printing)
    : m_config(config),
      m_time(time),
      m_store(store),
      m_catalogs(catalogs),
      m_printing(std::move(printing)) {}

void ResourceDesk::Open(const std::string& staff_ref, Instant now) {
    Clear();
    m_staff_ref = staff_ref;
    m_page_language = m_config.default_language;
    Search(now);
}

void ResourceDesk::Clear() {
    if (m_job) {
        m_background.push_back(*m_job);  // still printing: followed to its end after the lock
    }
    m_job.reset();
    m_staff_ref.clear();
    m_query = {};
    m_text.clear();
    m_results = {};
    m_search_failed = false;
    m_detail.reset();
    m_typing = Typing::kNone;
    m_keyboard.Close();
    m_items.clear();
    m_participant.reset();
    m_waiting_for_card = false;
    m_card_refused = false;
    m_participant_filter.clear();
    m_candidates.clear();
    m_first_name = false;
    m_full = false;
    m_preview_page = 0;
    m_preview_pages = 0;
    m_page_image.reset();
    m_preview_error.clear();
    m_saved_id.reset();
    m_print_key = {};
    m_print_error = false;
    m_can_retry = false;
}

bool ResourceDesk::KeyboardOpen() const {
    return m_keyboard.IsOpen();
}

void ResourceDesk::Search(Instant now) {
    m_query.text = m_text;
    store::ResourceContext context;
    context.now = now;
    context.time = &m_time;
    context.origin_lat = m_config.latitude;
    context.origin_lon = m_config.longitude;
    auto found = m_search.Find(m_query, context);
    if (!found) {
        LogError("resources", "search failed: " + found.error().log);
        m_search_failed = true;
        m_results = {};
        return;
    }
    m_search_failed = false;
    m_results = std::move(found).value();
}

void ResourceDesk::AddToReferral(const std::string& id) {
    m_full = false;
    if (std::any_of(m_items.begin(), m_items.end(),
                    [&](const store::ResourceHit& h) { return h.resource.id == id; })) {
        return;
    }
    if (m_items.size() >= kReferralMax) {
        m_full = true;
        return;
    }
    for (const auto& hit : m_results.hits) {
        if (hit.resource.id == id) {
            m_items.push_back(hit);
            return;
        }
    }
    if (m_detail && m_detail->resource.id == id) {
        m_items.push_back(*m_detail);
    }
}

void ResourceDesk::LoadParticipants(Instant now) {
    m_candidates.clear();
    auto sessions =
        m_store.Clinic().SessionsWithEnrolment(m_time.StartOfDay(now), m_time.EndOfDay(now));
    if (!sessions) {
        LogError("resources", "reading today's groups failed: " + sessions.error().log);
        return;
    }
    std::map<std::string, std::string> group_of;  // person -> their first group today
    for (const auto& s : sessions.value()) {
        for (const auto& ref : s.enrolled) {
            if (ref.rfind("Patient/", 0) == 0 && !group_of.count(ref)) {
                group_of[ref] =
                    m_time.FormatClock(
                        s.start, m_config.clock_24h ? ClockStyle::k24Hour : ClockStyle::k12Hour) +
                    "  " + s.group_name;
            }
        }
    }
    std::vector<std::string> refs;
    for (const auto& [ref, _] : group_of) {
        refs.push_back(ref);
    }
    auto people = m_store.Clinic().PersonsByRef(refs);
    if (!people) {
        LogError("resources", "reading today's participants failed: " + people.error().log);
        return;
    }
    for (const auto& p : people.value()) {
        m_candidates.push_back({{p.ref, p.given, p.family}, group_of[p.ref]});
    }
    std::sort(m_candidates.begin(), m_candidates.end(), [](const auto& a, const auto& b) {
        return std::tie(a.first.family, a.first.given) < std::tie(b.first.family, b.first.given);
    });
}

bool ResourceDesk::OnParticipantCard(const CardIdentity& card) {
    if (!m_waiting_for_card) {
        return false;
    }
    if (card.kind != CardKind::kParticipant || card.person_ref.rfind("Patient/", 0) != 0) {
        m_card_refused = true;  // a family member's, staff's, revoked or unknown card
        return true;
    }
    auto people = m_store.Clinic().PersonsByRef({card.person_ref});
    if (!people || people->empty()) {
        m_card_refused = true;
        return true;
    }
    const auto& p = people->front();
    m_participant = Participant{p.ref, p.given, p.family};
    m_waiting_for_card = false;
    m_card_refused = false;
    return true;
}

const Catalog& ResourceDesk::PageCatalog() const {
    auto it = m_catalogs.find(m_page_language);
    if (it == m_catalogs.end()) {
        it = m_catalogs.find(m_config.default_language);
    }
    return it == m_catalogs.end() ? m_catalogs.begin()->second : it->second;
}

void ResourceDesk::BuildPreview(Instant now) {
    const print::ReferralDocument doc = Document(now);
    m_preview_pages = print::ReferralPageCount(doc);
    m_preview_page = std::clamp(m_preview_page, 0, std::max(0, m_preview_pages - 1));
    auto image = print::RenderReferralPage(doc, m_preview_page, 1100);
    if (!image) {
        LogError("resources", "preview failed: " + image.error().log);
        m_preview_error = image.error().log;
        m_page_image.reset();
        return;
    }
    m_preview_error.clear();
    m_page_image = std::make_shared<const print::PageImage>(std::move(image).value());
    ++m_page_generation;
}

void ResourceDesk::SaveAndPrint(Instant now) {
    if (m_items.empty() || !m_participant) {
        return;
    }
    store::Referral r;
    r.id = NewUuid();
    r.created_at = now;
    r.staff_ref = m_staff_ref;
    r.person_ref = m_participant->person_ref;
    r.kiosk_id = m_config.kiosk_id;
    r.language = m_page_language;
    r.paper = m_config.printer.paper;
    r.name_printed = m_first_name;
    std::string places;
    for (const auto& hit : m_items) {
        const auto& res = hit.resource;
        const std::string category = res.categories.empty() ? "" : res.categories.front();
        r.items.push_back({NewUuid(), res.id, res.name, category});
        places += (places.empty() ? "" : ", ") + res.id;
    }
    const Status saved = m_store.Transaction([&](store::WriteTx& tx) -> Status {
        if (auto s = m_store.Referrals().Insert(tx, r); !s) {
            return s;
        }
        for (std::size_t i = 0; i < r.items.size(); ++i) {
            const auto& res = m_items[i].resource;
            store::ReferralFact req;
            req.referral_id = r.items[i].request_id;
            req.requisition_id = r.id;
            req.patient_ref = r.person_ref;
            req.requester_ref = r.staff_ref;
            req.performer_ref = res.organization_ref;
            req.performer_display = res.organization;
            req.service_ref = res.service_ref;
            req.service_display = res.name;
            req.category = r.items[i].category;
            req.authored = now;
            if (auto s = m_store.Outbox().EnqueueReferral(tx, req, now); !s) {
                return s;
            }
        }
        return m_store.Audit().Append(
            tx, {now, m_staff_ref, "referral", r.person_ref, "referral " + r.id + ": " + places});
    });
    if (!saved) {
        LogError("resources", "saving a referral failed: " + saved.error().log);
        m_print_key = msg::kPrintSaveFailed;
        m_print_error = true;
        return;
    }
    LogInfo("resources",
            "referral " + r.id + " saved with " + std::to_string(r.items.size()) + " place(s)");
    m_saved_id = r.id;
    if (!m_printing.submit) {
        m_print_key = msg::kPrintSavedNoPrinter;
        m_print_error = false;
        return;
    }
    Submit(now);
}

void ResourceDesk::Submit(Instant now) {
    std::error_code ec;
    std::filesystem::create_directories(m_printing.spool_dir, ec);
    ::chmod(m_printing.spool_dir.c_str(), 0700);  // a page may carry a first name
    const auto pdf = m_printing.spool_dir / (*m_saved_id + ".pdf");
    if (auto s = print::WriteReferralPdf(Document(now), pdf); !s) {
        LogError("resources", "writing the referral PDF failed: " + s.error().log);
        RemovePdf(pdf);  // whatever part of it was written
        m_print_key = msg::kPrintWriteFailed;
        m_print_error = true;
        m_can_retry = true;
        RecordPrint(*m_saved_id, "failed", s.error().log, now);
        return;
    }
    const long ticket = m_printing.submit(pdf, "Referral");
    m_job = Job{*m_saved_id, ticket, pdf, print::PrintState::kQueued};
    m_print_key = msg::kPrintQueued;
    m_print_error = false;
    m_can_retry = false;
    RecordPrint(*m_saved_id, "printing", "", now);
}

void ResourceDesk::RemovePdf(const std::filesystem::path& pdf) const {
    std::error_code ec;
    if (!std::filesystem::remove(pdf, ec) && ec) {
        LogWarn("resources", "cannot remove " + pdf.string() + ": " + ec.message());
    }
}

void ResourceDesk::RecoverInterruptedPrints(Instant now) {
    auto cut = m_store.Referrals().InPrintState("printing");
    if (!cut) {
        LogError("resources", "reading unfinished prints failed: " + cut.error().log);
    } else {
        for (const std::string& id : cut.value()) {
            LogWarn("resources", "referral " + id +
                                     " was printing when the kiosk stopped: "
                                     "recorded as not printed (staff can print it again)");
            RecordPrint(id, "failed", "interrupted: the kiosk stopped while it printed", now);
        }
    }
    std::error_code ec;
    int removed = 0;
    for (const auto& entry : std::filesystem::directory_iterator(m_printing.spool_dir, ec)) {
        if (entry.path().extension() == ".pdf") {
            RemovePdf(entry.path());
            ++removed;
        }
    }
    if (removed > 0) {
        LogInfo("resources", "removed " + std::to_string(removed) +
                                 " referral page(s) an interrupted print left in " +
                                 m_printing.spool_dir.string());
    }
}

void ResourceDesk::RecordPrint(const std::string& referral_id, const std::string& state,
                               const std::string& detail, Instant now) {
    const Status s = m_store.Transaction([&](store::WriteTx& tx) -> Status {
        if (auto u = m_store.Referrals().SetPrintState(tx, referral_id, state, detail, now); !u) {
            return u;
        }
        return m_store.Audit().Append(
            tx, {now, m_staff_ref.empty() ? m_config.kiosk_id : m_staff_ref, "referral-print",
                 referral_id, state + (detail.empty() ? "" : ": " + detail)});
    });
    if (!s) {
        LogError("resources", "recording the print state failed: " + s.error().log);
    }
}

namespace {

std::string_view ProblemKey(print::PrintProblem p) {
    switch (p) {
        case print::PrintProblem::kNoQueue:
            return msg::kPrintNoQueue;
        case print::PrintProblem::kStopped:
            return msg::kPrintStopped;
        case print::PrintProblem::kOutOfPaper:
            return msg::kPrintOutOfPaper;
        case print::PrintProblem::kPaperJam:
            return msg::kPrintJam;
        case print::PrintProblem::kOffline:
            return msg::kPrintOffline;
        case print::PrintProblem::kCupsUnreachable:
            return msg::kPrintCupsDown;
        case print::PrintProblem::kTimedOut:
            return msg::kPrintTimedOut;
        case print::PrintProblem::kJobFailed:
        case print::PrintProblem::kNone:
            break;
    }
    return msg::kPrintJobFailed;
}

}  // namespace

void ResourceDesk::FollowJobs(Instant now) {
    auto settle = [&](Job& job, bool foreground) -> bool {  // true when the job has ended
        if (!m_printing.status) {
            return true;
        }
        const print::PrintStatus st = m_printing.status(job.ticket);
        if (st.state == job.last && st.state != print::PrintState::kDone &&
            st.state != print::PrintState::kFailed) {
            return false;
        }
        job.last = st.state;
        if (st.state == print::PrintState::kPrinting) {
            if (foreground) {
                m_print_key = msg::kPrintPrinting;
            }
            return false;
        }
        if (st.state == print::PrintState::kDone) {
            RecordPrint(job.referral_id, "printed", "", now);
            RemovePdf(job.pdf);  // printed: the page need not stay on disk
            if (foreground) {
                m_print_key = msg::kPrintDone;
                m_print_error = false;
            }
            LogInfo("resources", "referral " + job.referral_id + " printed");
            return true;
        }
        if (st.state == print::PrintState::kFailed) {
            RecordPrint(job.referral_id, "failed", st.detail, now);
            RemovePdf(job.pdf);  // "Try again" writes the page anew
            LogWarn("resources", "referral " + job.referral_id + " did not print: " + st.detail);
            if (foreground) {
                m_print_key = ProblemKey(st.problem);
                m_print_error = true;
                m_can_retry = true;
            }
            return true;
        }
        return false;
    };
    if (m_job && settle(*m_job, true)) {
        m_job.reset();
    }
    std::erase_if(m_background, [&](Job& j) { return settle(j, false); });
}

Instant ResourceDesk::NextWakeup(Instant now) const {
    return (m_job || !m_background.empty()) ? now + Seconds{1} : Instant::max();
}

}  // namespace kiosk
