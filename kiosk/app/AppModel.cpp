// Screen flow of SCREENS.md 1-3 and the lobby rules of PRIVACY.md 1-3: results name no one
// unless the clinic opted in, clear themselves, and every refusal reads "see the front desk".
#include "kiosk/app/AppModel.h"

#include "kiosk/app/CardIdentity.h"
#include "kiosk/app/Messages.h"
#include "kiosk/app/ResourceText.h"
#include "kiosk/app/StaffMessages.h"
#include "kiosk/core/Log.h"
#include "kiosk/store/StoreRecovery.h"

namespace kiosk {
namespace {

constexpr Seconds kSweepEvery{60};
constexpr Seconds kRetentionEvery{3600};
constexpr Seconds kLanguageResetAfter{60};

/// What the lobby calls a group: its public name, or the neutral label (PRIVACY.md 13).
std::string GroupLabel(const Catalog& t, const std::string& public_name) {
    return public_name.empty() ? t.Tr(msg::kGroupSession) : public_name;
}

}  // namespace

AppModel::AppModel(const KioskConfig& config, const kiosk::Clock& clock,
                   const ClinicTime& clinic_time, store::Store& store,
                   std::map<std::string, Catalog> catalogs, StaffEnvironment staff_env,
                   OutboxWake wake_sync)
    : m_config(config),
      m_clock(clock),
      m_time(clinic_time),
      m_store(store),
      m_catalogs(std::move(catalogs)),
      m_wake_sync(std::move(wake_sync)),
      m_checkin(store, clinic_time, config.windows, config.kiosk_id,
                config.lobby_name == LobbyName::kFirstName, m_wake_sync),
      m_staff(config, clock, clinic_time, store, m_catalogs, std::move(staff_env)),
      m_keys(scan::WedgeTiming::FromConfig(config.scanner)),
      m_language(config.default_language) {
    m_site_name = config.clinic_name;
    if (m_site_name.empty()) {
        if (auto site = m_store.Clinic().Site(config.site_location_id); site && site.value()) {
            m_site_name = site.value()->name;
        }
    }
    const Instant now = m_clock.Now();
    m_staff.RecoverInterruptedPrints(now);
    SweepEndedSessions(now);
    RefreshWelcome(now);
}

std::string AppModel::Clock(Instant t) const {
    return m_time.FormatClock(t, m_config.clock_24h ? ClockStyle::k24Hour : ClockStyle::k12Hour);
}

std::string AppModel::Duration(Seconds d) const {
    const auto minutes = std::chrono::duration_cast<Minutes>(d).count();
    if (minutes < 60) {
        return Text().Format(msg::kDurationMinutes, {{"minutes", std::to_string(minutes)}});
    }
    return Text().Format(msg::kDuration, {{"hours", std::to_string(minutes / 60)},
                                          {"minutes", std::to_string(minutes % 60)}});
}

scan::KeyScanAssembler::Step AppModel::OnKey(scan::KeyPress key) {
    auto step = m_keys.OnKey(std::move(key));
    ActOnKeys(step);
    return step;
}

scan::KeyScanAssembler::Step AppModel::PollKeys(scan::KeyMillis now) {
    auto step = m_keys.Poll(now);
    ActOnKeys(step);
    return step;
}

void AppModel::ActOnKeys(const scan::KeyScanAssembler::Step& step) {
    for (const scan::KeyPress& k : step.handed_on) {
        switch (k.kind) {
            case scan::KeyKind::kText:
                OnText(k.text, k.t);
                break;
            case scan::KeyKind::kEnter:
                OnEnter(k.t);
                break;
            case scan::KeyKind::kBackspace:
                OnBackspace(k.t);  // erases a PIN digit typed on a keyboard
                break;
            case scan::KeyKind::kEditing:
            case scan::KeyKind::kKeyDown:
            case scan::KeyKind::kKeyUp:
                break;
        }
    }
    if (step.scan) {
        LogDebug("scan",
                 "scan from the keyboard (" + std::to_string(step.scan->size()) + " bytes)");
        OnScan(*step.scan);
    }
}

void AppModel::OnText(std::string_view utf8, scan::KeyMillis at) {
    const Instant now = m_clock.Now();
    if (m_staff.Active() && m_staff.Typing()) {
        // Keys of a physical keyboard go where the on-screen keyboard types: one per character.
        UiIntents in;
        for (std::size_t i = 0; i < utf8.size();) {
            std::size_t n = 1;
            while (i + n < utf8.size() &&
                   (static_cast<unsigned char>(utf8[i + n]) & 0xC0) == 0x80) {
                ++n;
            }
            in.staff.push_back(intent::keyboard::Text{std::string(utf8.substr(i, n))});
            i += n;
        }
        OnIntents(in);
        return;
    }
    if (m_staff.Active() && m_staff.OnPinText(utf8, m_keys.LineEmpty(at))) {
        ShowStaff(now);
        return;
    }
    m_keys.AddToLine(utf8, at);
}

void AppModel::OnEnter(scan::KeyMillis at) {
    const Instant now = m_clock.Now();
    if (m_staff.Active() && m_staff.Typing()) {
        UiIntents in;
        in.staff.push_back(intent::keyboard::Done{});
        OnIntents(in);
        return;
    }
    if (auto line = m_keys.TakeLine(at)) {
        OnScan(*line);
    } else if (m_staff.Active()) {
        m_staff.OnPinEnter();
        ShowStaff(now);
    }
}

void AppModel::OnBackspace(scan::KeyMillis at) {
    const Instant now = m_clock.Now();
    if (m_staff.Active() && m_staff.Typing()) {
        UiIntents in;
        in.staff.push_back(intent::keyboard::Erase{});
        OnIntents(in);
        return;
    }
    if (m_staff.Active() && m_keys.LineEmpty(at)) {
        m_staff.OnPinBackspace();
        ShowStaff(now);
    }
}

void AppModel::ShowStaff(Instant now) {
    m_view.screen = Screen::kStaff;
    m_view.result = ResultView{};
    m_outcome.reset();
    m_view.staff = m_staff.Render(Text(), now);
}

void AppModel::LeaveStaff(Instant now) {
    // Nothing of the staff screens stays in the view: getting it back needs a new sign-in.
    m_view.staff = StaffView{};
    m_view.screen = Screen::kWelcome;
    m_language = m_config.default_language;
    RefreshWelcome(now);
}

void AppModel::SettleForTests() {
    m_staff.WaitForPinCheck();
    Tick();
}

void AppModel::OnScan(std::string_view payload) {
    const Instant now = m_clock.Now();
    // A half-typed line left over must not be glued to PIN digits or the next line: the newest
    // scan wins.
    m_keys.ClearLine();
    const bool staff_was_up = m_staff.Active();
    if (m_staff.OnPinBurst(payload)) {
        ShowStaff(now);
        return;
    }
    const CardIdentity card = IdentifyCard(m_store, payload, now);
    if (m_staff.OnScan(card, now)) {
        ShowStaff(now);
        return;
    }
    if (staff_was_up) {
        LeaveStaff(now);  // locked by this scan; now it is a check-in like any other
    }
    // A scanner that reads the same card twice in a row must not turn "checked in" into
    // "already checked in" (or a check-out): within the window, repeat the answer.
    const Monotonic steady = m_clock.Steady();
    if (m_outcome && !m_outcome->credential_hash.empty() &&
        card.credential_hash == m_outcome->credential_hash &&
        steady - m_last_scan_at < m_config.windows.duplicate_scan) {
        LogDebug("checkin", "same card again within the duplicate window: answer repeated");
        ShowOutcome(*m_outcome);
        return;
    }
    m_last_scan_at = steady;
    ShowOutcome(m_checkin.CheckIn(card, now));
}

void AppModel::ShowOutcome(const ScanOutcome& o) {
    m_outcome = o;
    m_result_until = m_clock.Steady() + m_config.result_seconds;
    m_cue = o.kind == ScanKind::kSeeFrontDesk ? Cue::kAttention : Cue::kSuccess;
    RenderResult();
}

void AppModel::RenderResult() {
    const ScanOutcome& o = *m_outcome;
    const Catalog& t = Text();
    ResultView r;
    switch (o.kind) {
        case ScanKind::kCheckedIn:
            r.tone = ResultTone::kCheckedIn;
            r.title = o.first_name.empty()
                          ? t.Tr(msg::kCheckedIn)
                          : t.Format(msg::kCheckedInNamed, {{"name", o.first_name}});
            for (const auto& s : o.sessions) {
                r.lines.push_back(
                    s.kind == SessionKind::kGroup
                        ? t.Format(msg::kSessionLine, {{"time", Clock(s.start)},
                                                       {"group", GroupLabel(t, s.group_name)},
                                                       {"room", s.room_name}})
                        : t.Format(msg::kAppointmentLine,
                                   {{"time", Clock(s.start)}, {"room", s.room_name}}));
            }
            break;
        case ScanKind::kCheckedOut:
            r.tone = ResultTone::kCheckedOut;
            r.title = t.Tr(msg::kCheckedOut);
            r.lines.push_back(
                t.Format(msg::kAttendedToday, {{"duration", Duration(o.attended_today)}}));
            break;
        case ScanKind::kAlreadyIn:
            r.tone = ResultTone::kAlreadyIn;
            r.title = t.Format(msg::kAlreadyIn, {{"time", Clock(o.since)}});
            break;
        case ScanKind::kSeeFrontDesk:
            r.tone = ResultTone::kSeeFrontDesk;
            r.title = t.Tr(msg::kSeeFrontDesk);
            // Nothing was saved: say so (the same words for every card, PRIVACY.md 3).
            r.lines.push_back(t.Tr(o.reason == DenyReason::kStorageFailed
                                       ? msg::kCannotSave
                                       : msg::kSeeFrontDeskHint));
            break;
    }
    r.close_hint = t.Tr(msg::kTapToClose);
    m_view.result = std::move(r);
    m_view.screen = Screen::kResult;
}

void AppModel::OnIntents(const UiIntents& intents) {
    const Instant now = m_clock.Now();
    if (m_view.screen == Screen::kStaff) {
        m_staff.OnIntents(intents, now);
        if (m_wake_sync) {
            m_wake_sync();  // a correction or a referral may have been saved
        }
        if (m_staff.Active()) {
            ShowStaff(now);
        } else {
            LeaveStaff(now);
        }
        Tick();
        return;
    }
    if (intents.open_staff) {
        m_staff.Open(now);
        ShowStaff(now);
        Tick();
        return;
    }
    if (intents.dismiss_result && m_view.screen == Screen::kResult) {
        m_result_until = m_clock.Steady();
    }
    if (!intents.choose_language.empty() && m_catalogs.count(intents.choose_language) != 0) {
        m_language = intents.choose_language;
        m_language_chosen_at = m_clock.Steady();
        if (m_view.screen == Screen::kResult) {
            RenderResult();
        }
        RefreshWelcome(now);
    }
    Tick();
}

void AppModel::Tick() {
    const Instant now = m_clock.Now();
    const Monotonic steady = m_clock.Steady();
    m_staff.FollowPrintJobs(now);
    if (m_view.screen == Screen::kStaff) {
        m_staff.Tick(now);
        if (m_staff.Active()) {
            ShowStaff(now);
        } else {
            LeaveStaff(now);
        }
    }
    if (m_view.screen == Screen::kResult && steady >= m_result_until) {
        // Nothing of the last person stays on screen, and the next one starts in the clinic's
        // language.
        m_view.screen = Screen::kWelcome;
        m_view.result = ResultView{};
        m_language = m_config.default_language;
        // m_keys' line is not cleared: the next person's scan may be arriving right now, and a
        // half-typed line is never shown and is forgotten after a pause anyway.
        RefreshWelcome(now);
    }
    if (m_language != m_config.default_language && m_view.screen == Screen::kWelcome &&
        steady - m_language_chosen_at >= kLanguageResetAfter) {
        m_language = m_config.default_language;
        RefreshWelcome(now);
    }
    if (now >= m_next_sweep) {
        SweepEndedSessions(now);
        RefreshWelcome(now);
    }
    if (std::chrono::floor<Minutes>(now) != m_welcome_minute) {
        RefreshWelcome(now);
    }
}

Instant AppModel::NextWakeup() const {
    Instant next = std::min(m_next_sweep, m_welcome_minute + Minutes{1});
    if (m_view.screen == Screen::kResult) {
        next = std::min(next, WallTimeOf(m_clock, m_result_until));
    }
    if (m_language != m_config.default_language && m_view.screen == Screen::kWelcome) {
        next = std::min(next, WallTimeOf(m_clock, m_language_chosen_at + kLanguageResetAfter));
    }
    return std::min(next, m_staff.NextWakeup(m_clock.Now()));
}

Cue AppModel::TakeCue() {
    return std::exchange(m_cue, Cue::kNone);
}

void AppModel::SweepEndedSessions(Instant now) {
    m_next_sweep = now + kSweepEvery;
    auto closed = m_checkin.CloseEndedSessions(now);
    if (!closed) {
        LogError("checkin", "closing ended sessions failed: " + closed.error().log);
    } else if (closed.value() > 0) {
        LogInfo("checkin",
                "closed " + std::to_string(closed.value()) + " check-ins at session end");
    }
    // PRIVACY.md 11 and 16: what this ISO week does not need (and the server has) is not kept.
    auto purged = m_store.PurgeDelivered(m_time.StartOfIsoWeek(now));
    if (!purged) {
        LogError("checkin", "purging what this week does not need failed: " + purged.error().log);
    } else if (purged->Total() > 0) {
        const store::PurgeReport& p = purged.value();
        LogInfo("checkin", "purged what this week does not need: " + std::to_string(p.attendance) +
                               " delivered check-in(s), " + std::to_string(p.outbox) +
                               " delivered outbox item(s), " + std::to_string(p.sessions) +
                               " session(s), " + std::to_string(p.referrals) + " referral(s), " +
                               std::to_string(p.persons) + " person(s), " +
                               std::to_string(p.credentials) + " card credential(s)");
    }
    // A damaged kiosk.db set aside at start is kept for [kiosk] damaged_db_retention_days.
    if (now >= m_next_retention) {
        m_next_retention = now + kRetentionEvery;
        store::RemoveExpiredSetAside(m_store.File(), now,
                                     Seconds{86400LL * m_config.damaged_db_retention_days});
    }
}

void AppModel::RefreshWelcome(Instant now) {
    m_welcome_minute = std::chrono::floor<Minutes>(now);
    const Catalog& t = Text();
    WelcomeView w;
    w.clinic_name = m_site_name;
    w.clock = Clock(now);
    w.date = LongDate(t, now, m_time);  // "November 22, 2026" / "22 de noviembre de 2026"
    w.prompt = t.Tr(msg::kScanPrompt);
    w.hint = t.Tr(msg::kScanHint);
    w.schedule_title = t.Tr(msg::kTodaysGroups);
    w.now_tag = t.Tr(msg::kNowTag);
    w.empty_schedule = t.Tr(msg::kNoMoreGroups);
    w.staff_label = t.Tr(msg::kWelcomeStaff);
    if (auto schedule = m_store.Clinic().Schedule(m_time.StartOfDay(now), m_time.EndOfDay(now));
        schedule) {
        for (const auto& s : schedule.value()) {
            if (s.end > now) {
                w.schedule.push_back(
                    {Clock(s.start), GroupLabel(t, s.group_name), s.room_name, s.start <= now});
            }
        }
    } else {
        LogError("app", "reading today's schedule failed: " + schedule.error().log);
    }
    for (const auto& lang : m_config.languages) {
        w.languages.push_back(
            {lang, m_catalogs.at(lang).Tr(msg::kLanguageName), lang == m_language});
    }
    m_view.welcome = std::move(w);
}

}  // namespace kiosk
