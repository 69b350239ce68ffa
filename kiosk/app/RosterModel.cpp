// One Load reads a week of one clinic site (tens of sessions, hundreds of rows): a few
// milliseconds, cheap enough to repeat every few seconds while staff look at a roster.
#include "kiosk/app/RosterModel.h"

#include <algorithm>
#include <set>

namespace kiosk {
namespace {

std::optional<AttendanceMark> MarkOf(const store::AttendanceRow* row) {
    if (row == nullptr) {
        return std::nullopt;
    }
    return AttendanceMark{row->session_id, row->checked_in, row->checked_out};
}

}  // namespace

RosterModel::RosterModel(store::Store& store, const ClinicTime& time, RosterSettings settings)
    : m_store(store), m_time(time), m_settings(settings) {}

void RosterModel::Clear() {
    m_loaded = false;
    m_today.clear();
    m_week.clear();
    m_attendance.clear();
    m_people.clear();
}

Status RosterModel::Load(Instant now) {
    Clear();
    m_now = now;
    m_week_start = m_time.StartOfIsoWeek(now);
    m_week_end = m_time.EndOfIsoWeek(now);
    auto week = m_store.Clinic().SessionsWithEnrolment(m_week_start, m_week_end);
    if (!week) {
        return week.error();
    }
    auto attendance = m_store.Attendance().InWindow(m_week_start, m_week_end);
    if (!attendance) {
        return attendance.error();
    }
    m_week = std::move(week).value();
    m_attendance = std::move(attendance).value();
    std::set<std::string> refs;
    for (const auto& s : m_week) {
        refs.insert(s.enrolled.begin(), s.enrolled.end());
        if (!s.facilitator_ref.empty()) {
            refs.insert(s.facilitator_ref);
        }
    }
    auto people = m_store.Clinic().PersonsByRef({refs.begin(), refs.end()});
    if (!people) {
        return people.error();
    }
    for (auto& p : people.value()) {
        m_people.emplace(p.ref, std::move(p));
    }
    const Instant day_start = m_time.StartOfDay(now);
    const Instant day_end = m_time.EndOfDay(now);
    for (const auto& s : m_week) {
        if (s.start < day_start || s.start >= day_end) {
            continue;
        }
        RosterSession r;
        r.row = s;
        if (auto f = m_people.find(s.facilitator_ref); f != m_people.end()) {
            r.facilitator = f->second.given + " " + f->second.family;
        }
        r.expected = static_cast<int>(s.enrolled.size());
        for (const auto& a : m_attendance) {
            if (a.session_id == s.id &&
                std::binary_search(s.enrolled.begin(), s.enrolled.end(), a.person_ref)) {
                ++r.arrived;
            }
        }
        m_today.push_back(std::move(r));
    }
    m_loaded = true;
    return Ok{};
}

const RosterSession* RosterModel::Session(const std::string& id) const {
    for (const auto& s : m_today) {
        if (s.row.id == id) {
            return &s;
        }
    }
    return nullptr;
}

Seconds RosterModel::TargetFor(const std::string& ref) const {
    auto p = m_people.find(ref);
    if (p == m_people.end() || !p->second.cohort) {
        return Seconds{0};
    }
    return *p->second.cohort == "adolescent" ? m_settings.adolescent_target
                                             : m_settings.adult_target;
}

std::vector<RosterPerson> RosterModel::People(const std::string& session_id) const {
    std::vector<RosterPerson> out;
    const RosterSession* session = Session(session_id);
    if (session == nullptr) {
        return out;
    }
    const store::SessionRow& s = session->row;
    const SessionSlot slot{s.id, s.start, s.end};
    for (const auto& ref : s.enrolled) {
        RosterPerson p;
        p.ref = ref;
        if (auto known = m_people.find(ref); known != m_people.end()) {
            p.given = known->second.given;
            p.family = known->second.family;
        }
        std::vector<SessionSlot> slots;
        std::vector<AttendanceMark> marks;
        for (const auto& w : m_week) {
            if (std::binary_search(w.enrolled.begin(), w.enrolled.end(), ref)) {
                slots.push_back({w.id, w.start, w.end});
            }
        }
        const store::AttendanceRow* here = nullptr;
        for (const auto& a : m_attendance) {
            if (a.person_ref != ref) {
                continue;
            }
            marks.push_back({a.session_id, a.checked_in, a.checked_out});
            if (a.session_id == s.id) {
                here = &a;
            }
        }
        if (here != nullptr) {
            p.attendance = *here;
        }
        p.status = StatusInSession(slot, MarkOf(here), m_now, m_settings.windows);
        p.week = ProgressInWeek(slots, marks, m_week_start, m_week_end, m_now, TargetFor(ref));
        const bool running_or_soon = m_now < s.end && m_now >= s.start - m_settings.opens_before;
        p.can_check_in = here == nullptr && running_or_soon;
        p.can_check_out = here != nullptr && !here->checked_out && m_now < s.end;
        out.push_back(std::move(p));
    }
    std::sort(out.begin(), out.end(), [](const RosterPerson& a, const RosterPerson& b) {
        return std::tie(a.family, a.given, a.ref) < std::tie(b.family, b.given, b.ref);
    });
    return out;
}

}  // namespace kiosk
