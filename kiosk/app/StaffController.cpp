// StaffController's life cycle: opening, scans and PIN input, the idle lock, live refreshes.
// Lock() is the one way out of the staff screens, and it clears every member that could hold a
// name. What staff touch is handled in StaffActions.cpp, the wording in StaffViewBuilder.cpp.
#include "kiosk/app/StaffController.h"

#include <algorithm>

#include "kiosk/app/StaffMessages.h"
#include "kiosk/core/Log.h"

namespace kiosk {
namespace {

RosterSettings SettingsFrom(const KioskConfig& c) {
    RosterSettings s;
    s.windows.late_after = c.windows.late_after;
    s.opens_before = c.windows.opens_before;
    s.adult_target = c.weekly_hours_adult;
    s.adolescent_target = c.weekly_hours_adolescent;
    return s;
}

}  // namespace

StaffController::StaffController(const KioskConfig& config, const kiosk::Clock& clock,
                                 const ClinicTime& time, store::Store& store,
                                 const std::map<std::string, Catalog>& catalogs,
                                 StaffEnvironment env)
    : m_config(config),
      m_clock(clock),
      m_time(time),
      m_store(store),
      m_env(std::move(env)),
      m_session(store,
                StaffSettings{config.staff_idle_lock, config.pin_attempts, config.pin_lockout,
                              config.kiosk_id},
                clock),
      m_roster(store, time, SettingsFrom(config)),
      m_corrections(store, time, config.windows, config.kiosk_id),
      m_keyboard(60),
      m_desk(config, time, store, catalogs, m_env.printing),
      m_cards(config, time, store, m_env.printing, {}) {}

std::string StaffController::Clock(Instant t) const {
    return m_time.FormatClock(t, m_config.clock_24h ? ClockStyle::k24Hour : ClockStyle::k12Hour);
}

void StaffController::Notice(std::string_view key, std::string name, bool error) {
    m_notice_key = key;
    m_notice_name = std::move(name);
    m_notice_error = error;
}

void StaffController::Open(Instant now) {
    Lock(LockReason::kCancel, now);
    m_session.Begin();
    m_page = StaffPage::kBadge;
}

void StaffController::Lock(LockReason why, Instant now) {
    if (Active()) {
        m_session.Lock(why, now);
    }
    m_roster.Clear();
    m_desk.Clear();
    m_cards.Clear();
    m_printer.reset();
    m_keyboard.Close();
    m_keyboard_for = KeyboardFor::kNone;
    m_fix.reset();
    m_undoable.clear();
    m_room.clear();
    m_session_id.clear();
    m_name_filter.clear();
    m_sort_by_status = true;
    m_notice_key = {};
    m_notice_name.clear();
    m_notice_error = false;
    m_outbox = {};
    m_oldest.reset();
    m_page = StaffPage::kBadge;
}

bool StaffController::OnScan(const CardIdentity& card, Instant now) {
    const bool staff_badge =
        card.kind == CardKind::kStaff ||
        (card.kind == CardKind::kRevoked && card.person_ref.rfind("Practitioner/", 0) == 0);
    if (!Active()) {
        if (!staff_badge) {
            return false;
        }
        m_session.Begin();  // a staff badge in the lobby starts sign-in directly
    } else if (staff_badge && m_session.Checking()) {
        return true;  // a badge read again while its PIN is checked: the check goes on, alone
    } else if (m_session.Step() == StaffStep::kBadge) {
        // The badge step asked for a staff badge: anything else is refused there.
    } else if (SignedIn() && m_page == StaffPage::kReferral && m_desk.WaitingForCard() &&
               !staff_badge) {
        // The case manager asked for the participant's card: it chooses, and does not lock.
        m_desk.OnParticipantCard(card);
        m_session.Touch();
        return true;
    } else if (!staff_badge) {
        Lock(LockReason::kParticipantScan, now);
        return false;
    } else if (SignedIn()) {
        if (card.person_ref == m_session.Who().person_ref) {
            m_session.Touch();  // their own badge again: nothing to do
            return true;
        }
        Lock(LockReason::kOtherBadge, now);
        m_session.Begin();
    }
    m_session.OfferBadge(card, now);
    m_page = m_session.Step() == StaffStep::kPin ? StaffPage::kPin : StaffPage::kBadge;
    return true;
}

bool StaffController::OnPinBurst(std::string_view payload) {
    if (m_session.Step() != StaffStep::kPin || payload.empty() || payload.size() > kMaxPinDigits ||
        !std::all_of(payload.begin(), payload.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return false;
    }
    for (char c : payload) {
        m_session.PinDigit(c);
    }
    m_session.SubmitPin();
    return true;
}

bool StaffController::OnPinText(std::string_view text, bool line_empty) {
    if (m_session.Step() != StaffStep::kPin || !line_empty || text.empty() ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return false;  // a scanner's line (tokens start with a letter) goes to the line buffer
    }
    for (char c : text) {
        m_session.PinDigit(c);
    }
    return true;
}

void StaffController::OnPinEnter() {
    if (m_session.Step() == StaffStep::kPin) {
        m_session.SubmitPin();
    }
}

void StaffController::OnPinBackspace() {
    if (m_session.Step() == StaffStep::kPin) {
        m_session.PinBackspace();
    }
}

void StaffController::GoTo(StaffPage page, Instant now) {
    m_page = page;
    ++m_list_visit;
    m_keyboard.Close();
    m_keyboard_for = KeyboardFor::kNone;
    m_fix.reset();
    if (page == StaffPage::kSessions || page == StaffPage::kRoster || page == StaffPage::kStatus) {
        Reload(now);
    }
    if (page == StaffPage::kResources) {
        m_desk.Open(m_session.Who().person_ref, now);
    }
    if (page == StaffPage::kCards) {
        m_cards.Open(m_session.Who().person_ref, now);
    }
}

void StaffController::Reload(Instant now) {
    m_next_reload = m_clock.Steady() + kRosterRefresh;
    if (m_page == StaffPage::kStatus) {
        auto summary = m_store.Outbox().Summary();
        auto oldest = m_store.Outbox().Items("pending", 1);
        if (summary && oldest) {
            m_outbox = summary.value();
            m_oldest = oldest->empty() ? std::nullopt : std::optional(oldest->front());
        } else {
            LogError("staff", "reading the outbox failed");
        }
        if (m_env.printer_status) {
            m_printer = m_env.printer_status();
        }
        return;
    }
    if (auto s = m_roster.Load(now); !s) {
        LogError("staff", "reading the rosters failed: " + s.error().log);
    }
}

std::string StaffController::NameOf(const std::string& person_ref) const {
    for (const auto& p : m_roster.People(m_session_id)) {
        if (p.ref == person_ref) {
            return p.given + " " + p.family;
        }
    }
    return person_ref;
}

void StaffController::OnIntents(const UiIntents& intents, Instant now) {
    if (!Active()) {
        return;
    }
    if (intents.touched || !intents.staff.empty()) {
        m_session.Touch();
    }
    for (const auto& intent : intents.staff) {
        Handle(intent, now);
        if (!Active()) {
            return;
        }
    }
}

void StaffController::Tick(Instant now) {
    if (!Active()) {
        return;
    }
    if (m_session.Poll(now)) {
        if (m_session.SignedIn()) {
            m_page = StaffPage::kHome;
        } else if (m_session.Step() == StaffStep::kBadge) {
            m_page = StaffPage::kBadge;
        }
    }
    if (m_session.IdleLeft() <= Seconds{0} && !m_session.Checking()) {
        Lock(LockReason::kIdle, now);
        return;
    }
    m_cards.Tick(now);
    const bool live = m_page == StaffPage::kSessions || m_page == StaffPage::kRoster ||
                      m_page == StaffPage::kStatus;
    if (SignedIn() && live && m_clock.Steady() >= m_next_reload) {
        Reload(now);
    }
}

Instant StaffController::NextWakeup(Instant now) const {
    const Instant printing = m_desk.NextWakeup(now);
    if (!Active()) {
        return printing;
    }
    if (m_session.Checking()) {
        return now;  // poll for the PIN check's answer
    }
    const Instant deadline = now + std::max(m_session.IdleLeft(), Seconds{0});
    Instant next = std::min({deadline, printing, m_cards.NextWakeup(now)});
    if (now >= deadline - kLockCountdown) {
        next = std::min(next, now + Seconds{1});  // the countdown ticks every second
    } else {
        next = std::min(next, deadline - kLockCountdown);
    }
    if (SignedIn() && (m_page == StaffPage::kSessions || m_page == StaffPage::kRoster ||
                       m_page == StaffPage::kStatus)) {
        next = std::min(next, WallTimeOf(m_clock, m_next_reload));
    }
    return next;
}

}  // namespace kiosk
