// The Cards page's behaviour and words (CardsPage.h).
#include "kiosk/app/CardsPage.h"

#include <sys/stat.h>

#include <array>

#include "kiosk/app/ResourceMessages.h"
#include "kiosk/app/StaffMessages.h"
#include "kiosk/core/Log.h"
#include "kiosk/core/Uuid.h"

namespace kiosk {
namespace {

constexpr int kCardPreviewWidth = 856;  ///< 10 pixels a millimetre
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kReasons = {
    {{"lost", msg::kCardsReasonLost},
     {"stolen", msg::kCardsReasonStolen},
     {"damaged", msg::kCardsReasonDamaged}}};

}  // namespace

CardsPage::CardsPage(const KioskConfig& config, const ClinicTime& time, store::Store& store,
                     ReferralPrinting printing, OutboxWake wake)
    : m_config(config),
      m_desk(store, time, config.kiosk_id, std::move(wake)),
      m_printing(std::move(printing)),
      m_keyboard(40) {}

void CardsPage::Open(const std::string& staff_ref, Instant now) {
    Clear();
    m_staff_ref = staff_ref;
    Reload(now);
}

void CardsPage::Clear() {
    DropNewCard();
    m_keyboard.Close();
    m_staff_ref.clear();
    m_filter.clear();
    m_lines.clear();
    m_revoke.reset();
    m_notice_key = {};
    m_notice_name.clear();
    m_notice_error = false;
}

void CardsPage::DropNewCard() {
    if (m_new && !m_new->pdf.empty() && m_new->status.state != print::PrintState::kQueued) {
        std::error_code ec;
        std::filesystem::remove(m_new->pdf, ec);  // it holds the token
    }
    m_new.reset();
}

void CardsPage::Reload(Instant now) {
    m_lines.clear();
    auto people = m_desk.FindParticipants(m_filter, now);
    if (!people) {
        LogError("cards", "reading this week's participants failed: " + people.error().log);
        return;
    }
    for (auto& p : people.value()) {
        auto has = m_desk.HasCard(p.ref, now);
        m_lines.push_back(Line{std::move(p), has.ok() && has.value()});
    }
}

std::string CardsPage::NameOf(const std::string& person_ref) const {
    for (const auto& l : m_lines) {
        if (l.person.ref == person_ref) {
            return l.person.given + " " + l.person.family;
        }
    }
    return person_ref;
}

void CardsPage::Handle(const StaffIntent& in, StaffPage& page, Instant now) {
    std::visit(Overloaded{[&](const CardsIntent& i) { HandleCards(i, page, now); },
                          [&](const PreviewIntent& i) { HandlePreview(i, page, now); },
                          [&](const KeyboardIntent& i) {
                              if (std::holds_alternative<intent::keyboard::Done>(i)) {
                                  m_keyboard.Close();
                                  return;
                              }
                              m_keyboard.Press(i);
                              m_filter = m_keyboard.Text();  // the list narrows as staff type
                              Reload(now);
                          },
                          [](const auto&) {}},
               in);
}

void CardsPage::HandleCards(const CardsIntent& in, StaffPage& page, Instant now) {
    using namespace intent::cards;
    std::visit(Overloaded{[&](const EditFilter&) { m_keyboard.Open(m_filter); },
                          [&](const ClearFilter&) {
                              m_filter.clear();
                              m_keyboard.Close();
                              Reload(now);
                          },
                          [&](const NewCard& n) { StartNewCard(n.person_ref, page); },
                          [&](const Revoke& r) {
                              m_revoke = RevokeDialog{r.person_ref, NameOf(r.person_ref), {}};
                          },
                          [&](const ChooseReason& c) {
                              if (m_revoke) {
                                  m_revoke->reason = c.code;
                              }
                          },
                          [&](const Confirm&) { ConfirmRevoke(now); },
                          [&](const Cancel&) { m_revoke.reset(); }},
               in);
}

void CardsPage::StartNewCard(const std::string& person_ref, StaffPage& page) {
    DropNewCard();
    auto card = CardDesk::Prepare(person_ref);
    const std::string name = NameOf(person_ref);
    if (!card) {
        LogError("cards", "a new card could not be made: " + card.error().log);
        return;
    }
    auto image = print::RenderCardImage({"participant", name, card->token}, kCardPreviewWidth);
    if (!image) {
        LogError("cards", "the new card could not be drawn: " + image.error().log);
        m_notice_key = msg::kCardsFailed;
        m_notice_error = true;
        return;
    }
    PendingCard pending;  // built whole, then kept (clang cannot emplace() a nested struct
                          // with member initializers while the class is incomplete)
    pending.card = std::move(card).value();
    pending.name = name;
    pending.image = std::make_shared<const print::PageImage>(std::move(image).value());
    pending.generation = ++m_generation;
    m_new = std::move(pending);
    m_notice_key = {};
    page = StaffPage::kCardPreview;
}

void CardsPage::HandlePreview(const PreviewIntent& in, StaffPage& page, Instant now) {
    using namespace intent::preview;
    if (std::holds_alternative<Done>(in)) {
        Back(page, now);
    } else if (std::holds_alternative<Print>(in) || std::holds_alternative<Retry>(in)) {
        PrintNewCard(now);
    }
}

void CardsPage::PrintNewCard(Instant now) {
    if (!m_new || !m_printing.submit ||
        (m_new->ticket && m_new->status.state != print::PrintState::kFailed)) {
        return;
    }
    if (!m_new->issued) {
        // Issued when it goes to the printer: from here the new card works and the old does not.
        if (auto s = m_desk.Issue(m_new->card, m_staff_ref, now); !s) {
            LogError("cards", "issuing the card failed: " + s.error().log);
            m_notice_key = msg::kCardsFailed;
            m_notice_error = true;
            return;
        }
        m_new->issued = true;
    }
    if (m_new->pdf.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(m_printing.spool_dir, ec);
        ::chmod(m_printing.spool_dir.c_str(), 0700);  // the page holds a token until printed
        m_new->pdf = m_printing.spool_dir / ("card-" + NewUuid() + ".pdf");
        auto paper = print::ParsePaperSize(m_config.printer.paper);
        const print::Card card{"participant", m_new->name, m_new->card.token};
        if (auto s = print::WriteCardSheetPdf(
                {card}, m_new->pdf, paper ? paper.value() : print::PaperSize::kLetter, false);
            !s) {
            LogError("cards", "the card's page could not be written: " + s.error().log);
            m_new->pdf.clear();
            m_new->ticket = 0;
            m_new->status = {0, print::PrintState::kFailed, print::PrintProblem::kJobFailed, 0,
                             "the page could not be written"};
            return;
        }
    }
    m_new->ticket = m_printing.submit(m_new->pdf, "Card");
    m_new->status = {*m_new->ticket, print::PrintState::kQueued, print::PrintProblem::kNone, 0, {}};
}

void CardsPage::Tick(Instant /*now*/) {
    if (!m_new || !m_new->ticket || !m_printing.status || *m_new->ticket == 0) {
        return;
    }
    const print::PrintState before = m_new->status.state;
    if (before == print::PrintState::kDone || before == print::PrintState::kFailed) {
        return;
    }
    m_new->status = m_printing.status(*m_new->ticket);
    if (m_new->status.state == print::PrintState::kDone) {
        std::error_code ec;
        std::filesystem::remove(m_new->pdf, ec);
        m_new->pdf.clear();
        LogInfo("cards", "a new card was printed");
    } else if (m_new->status.state == print::PrintState::kFailed) {
        LogWarn("cards", "the new card did not print: " + m_new->status.detail);
    }
}

Instant CardsPage::NextWakeup(Instant now) const {
    const bool printing = m_new && m_new->ticket && *m_new->ticket != 0 &&
                          (m_new->status.state == print::PrintState::kQueued ||
                           m_new->status.state == print::PrintState::kPrinting);
    return printing ? now + Seconds{1} : Instant::max();
}

void CardsPage::ConfirmRevoke(Instant now) {
    if (!m_revoke || m_revoke->reason.empty()) {
        return;
    }
    const Status s = m_desk.Revoke(m_revoke->person_ref, m_staff_ref, m_revoke->reason, now);
    m_notice_name = m_revoke->name;
    m_notice_key = s ? msg::kCardsRevoked : msg::kCardsFailed;
    m_notice_error = !s;
    if (!s) {
        LogError("cards", "revoking failed: " + s.error().log);
    }
    m_revoke.reset();
    Reload(now);
}

void CardsPage::Back(StaffPage& page, Instant now) {
    m_keyboard.Close();
    m_revoke.reset();
    if (page == StaffPage::kCardPreview) {
        if (m_new && m_new->issued) {
            m_notice_key = msg::kCardsIssued;
            m_notice_name = m_new->name;
            m_notice_error = false;
        }
        DropNewCard();
        page = StaffPage::kCards;
        Reload(now);
        return;
    }
    Clear();
    page = StaffPage::kHome;
}

void CardsPage::Render(const Catalog& t, StaffView& v, StaffPage page) const {
    v.title = t.Tr(msg::kCardsTitle);
    if (!m_notice_key.empty()) {
        v.notice = t.Format(m_notice_key, {{"name", m_notice_name}});
        v.notice_is_error = m_notice_error;
    }
    if (page == StaffPage::kCardPreview) {
        RenderPreview(t, v.preview);
        return;
    }
    RenderList(t, v.cards);
    if (m_keyboard.IsOpen()) {
        v.keyboard =
            m_keyboard.View({t.Tr(msg::kCardsFilter), t.Tr(msg::kKeySpace), t.Tr(msg::kKeyErase),
                             t.Tr(msg::kKeyShift), t.Tr(msg::kKeyDone)});
    }
}

void CardsPage::RenderList(const Catalog& t, CardsView& c) const {
    c.heading = t.Tr(msg::kCardsHeading);
    c.filter_label = t.Tr(msg::kCardsFilter);
    c.filter_text = m_filter;
    c.clear_filter_label = t.Tr(msg::kStaffClear);
    c.new_card_label = t.Tr(msg::kCardsNew);
    c.revoke_label = t.Tr(msg::kCardsRevoke);
    if (m_lines.empty()) {
        c.empty = t.Tr(msg::kCardsNobody);
    }
    for (const auto& l : m_lines) {
        c.lines.push_back({l.person.ref, l.person.given + " " + l.person.family,
                           t.Tr(l.has_card ? msg::kCardsWorks : msg::kCardsNone),
                           l.has_card ? StatusTone::kGood : StatusTone::kWarning, l.has_card});
    }
    if (m_revoke) {
        CardDialogView d;
        d.title = t.Format(msg::kCardsRevokeTitle, {{"name", m_revoke->name}});
        d.prompt = t.Tr(msg::kCardsRevokePrompt);
        for (const auto& [code, key] : kReasons) {
            d.reasons.push_back({std::string(code), t.Tr(key), m_revoke->reason == code});
        }
        d.confirm_label = t.Tr(msg::kCardsRevokeConfirm);
        d.cancel_label = t.Tr(msg::kStaffCancel);
        d.can_confirm = !m_revoke->reason.empty();
        c.dialog = std::move(d);
    }
}

void CardsPage::RenderPreview(const Catalog& t, PreviewView& p) const {
    if (!m_new) {
        return;
    }
    p.heading = t.Format(msg::kCardsPreviewHeading, {{"name", m_new->name}});
    p.page = m_new->image;
    p.page_generation = m_new->generation;
    p.done_label = t.Tr(msg::kPreviewDone);
    const print::PrintState state = m_new->status.state;
    const bool sent = m_new->ticket.has_value();
    if (!m_printing.submit) {
        p.status = t.Tr(msg::kCardsNoPrinter);
        p.status_tone = StatusTone::kWarning;
        return;
    }
    if (!sent) {
        p.print_label = t.Tr(msg::kCardsPrint);
        p.can_print = true;
        p.status = t.Tr(msg::kCardsPreviewNote);
        p.status_tone = StatusTone::kInfo;
    } else if (state == print::PrintState::kDone) {
        p.status = t.Tr(msg::kCardsPrinted);
        p.status_tone = StatusTone::kGood;
    } else if (state == print::PrintState::kFailed) {
        p.status = t.Format(msg::kCardsPrintFailed, {{"why", m_new->status.detail}});
        p.status_tone = StatusTone::kBad;
        p.retry_label = t.Tr(msg::kPreviewRetry);
    } else {
        p.status = t.Tr(msg::kCardsPrinting);
        p.status_tone = StatusTone::kInfo;
    }
}

}  // namespace kiosk
