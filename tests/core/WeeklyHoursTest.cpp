// Attended time for the weekly IOP target: clipped to sessions, weeks and now; DST-safe.
#include <doctest/doctest.h>

#include "TestSupport.h"
#include "kiosk/core/WeeklyHours.h"

using namespace kiosk;
using kiosk::test::At;
using kiosk::test::LosAngeles;
using std::chrono::hours;

TEST_CASE("time outside the session does not count; open check-ins count up to now") {
    const auto& tz = LosAngeles();
    const Instant now = At(12, 30);
    std::vector<AttendedSession> s = {
        {At(9, 0), At(10, 0), At(8, 40), At(10, 0)},        // early arrival: 60 min
        {At(10, 10), At(11, 0), At(8, 40), At(10, 40)},     // left early: 30 min
        {At(11, 10), At(12, 0), At(11, 30), std::nullopt},  // late, still open: 30 min
    };
    CHECK(AttendedInWeek(s, tz.StartOfIsoWeek(now), tz.EndOfIsoWeek(now), now) == Minutes{120});
    CHECK(AttendedInWeek(s, tz.StartOfIsoWeek(now), tz.EndOfIsoWeek(now), At(11, 40)) ==
          Minutes{100});
}

TEST_CASE("overlapping sessions are not counted twice") {
    std::vector<AttendedSession> s = {{At(9, 0), At(10, 0), At(9, 0), At(10, 0)},
                                      {At(9, 30), At(10, 30), At(9, 0), At(10, 30)}};
    CHECK(AttendedInWeek(s, At(0, 0, 5), At(0, 0, 12), At(23, 0)) == Minutes{90});
}

TEST_CASE("three IOP mornings make the adult target of 9 hours") {
    const auto& tz = LosAngeles();
    std::vector<AttendedSession> s;
    for (unsigned day : {5u, 7u, 9u}) {  // Mon, Wed, Fri
        s.push_back({At(9, 0, day), At(12, 0, day), At(8, 50, day), At(12, 0, day)});
    }
    const Instant fri = At(13, 0, 9);
    CHECK(AttendedInWeek(s, tz.StartOfIsoWeek(fri), tz.EndOfIsoWeek(fri), fri) == hours{9});
}

TEST_CASE("a session across the DST change counts real elapsed time") {
    // Saturday 31 Oct 23:00 to Sunday 1 Nov 03:00 local is 5 real hours (01:00-02:00 twice).
    const auto& tz = LosAngeles();
    const Instant start = At(23, 0, 31, 10), end = At(3, 0, 1, 11);
    std::vector<AttendedSession> s = {{start, end, start, end}};
    CHECK(AttendedInWeek(s, tz.StartOfIsoWeek(start), tz.EndOfIsoWeek(start), end) == hours{5});
}

TEST_CASE("a session across midnight Sunday splits between ISO weeks") {
    const auto& tz = LosAngeles();
    const Instant start = At(23, 0, 11), end = At(1, 0, 12);  // Sun 23:00 -> Mon 01:00
    std::vector<AttendedSession> s = {{start, end, start, end}};
    CHECK(AttendedInWeek(s, tz.StartOfIsoWeek(start), tz.EndOfIsoWeek(start), end) == hours{1});
    CHECK(AttendedInWeek(s, tz.StartOfIsoWeek(end), tz.EndOfIsoWeek(end), end) == hours{1});
}
