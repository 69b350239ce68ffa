// The data behind the roster screens: today's sessions with arrived-of-expected counts, and one
// session's people with their status and week. Read from the store in one go (Load) and again
// every few seconds while a roster is open, so check-ins from the sync thread show up live.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/app/RosterRules.h"
#include "kiosk/core/ClinicTime.h"
#include "kiosk/store/Store.h"

namespace kiosk {

struct RosterSettings {
    RosterWindows windows;
    Minutes opens_before{45};  ///< manual check-in opens as a scan's does (config [checkin])
    Seconds adult_target{9 * 3600};
    Seconds adolescent_target{6 * 3600};
};

struct RosterSession {
    store::SessionRow row;
    std::string facilitator;  ///< "Rosa Delgado", or "" when unknown
    int arrived = 0;          ///< enrolled people with a check-in (checked out included)
    int expected = 0;         ///< enrolled people
};

struct RosterPerson {
    std::string ref;
    std::string given;
    std::string family;
    RosterStatus status;
    WeekProgress week;
    std::optional<store::AttendanceRow> attendance;  ///< in this session
    bool can_check_in = false;
    bool can_check_out = false;
};

class RosterModel {
  public:
    RosterModel(store::Store& store, const ClinicTime& time, RosterSettings settings);

    /// Reads today's sessions and this ISO week's sessions, attendance and people.
    Status Load(Instant now);
    void Clear();
    bool Loaded() const { return m_loaded; }

    const std::vector<RosterSession>& Today() const { return m_today; }
    const RosterSession* Session(const std::string& id) const;
    /// Everyone enrolled in the session, in name order (family, given).
    std::vector<RosterPerson> People(const std::string& session_id) const;

  private:
    Seconds TargetFor(const std::string& ref) const;

    store::Store& m_store;
    const ClinicTime& m_time;
    RosterSettings m_settings;
    bool m_loaded = false;
    Instant m_now{};
    Instant m_week_start{};
    Instant m_week_end{};
    std::vector<RosterSession> m_today;
    std::vector<store::SessionRow> m_week;
    std::vector<store::AttendanceRow> m_attendance;
    std::map<std::string, store::PersonRow> m_people;
};

}  // namespace kiosk
