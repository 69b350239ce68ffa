// Weekly opening hours: the text form both ways, and "open now" with the next change on the
// clinic's wall clock, including hours past midnight and both DST days in Los Angeles.
#include <doctest/doctest.h>

#include <random>

#include "TestSupport.h"
#include "kiosk/core/Iso8601.h"
#include "kiosk/core/OpeningHours.h"

using namespace kiosk;
using kiosk::test::At;
using kiosk::test::LosAngeles;

namespace {

OpeningHours Hours(std::string_view text) {
    auto h = OpeningHours::Parse(text);
    REQUIRE_MESSAGE(h.ok(), (h.ok() ? "" : h.error().log));
    return h.value();
}

std::string Utc(std::optional<Instant> t) {
    return t ? FormatDateTimeUtc(*t) : "none";
}

OpenState State(std::string_view text, Instant t) {
    return Hours(text).StateAt(t, LosAngeles());
}

}  // namespace

TEST_CASE("the text form gives intervals per weekday; ends before starts run past midnight") {
    const auto h = Hours("Mon-Fri 09:00-17:00; Sat 10:00-14:00; Sun 22:00-02:00");
    REQUIRE(h.Intervals().size() == 7);
    CHECK(h.Intervals()[0] == OpenInterval{1, 540, 1020});
    CHECK(h.Intervals()[4] == OpenInterval{5, 540, 1020});
    CHECK(h.Intervals()[5] == OpenInterval{6, 600, 840});
    CHECK(h.Intervals()[6] == OpenInterval{7, 1320, 1560});
    CHECK(h.ToString() == "Mon-Fri 09:00-17:00; Sat 10:00-14:00; Sun 22:00-02:00");
    CHECK(h.Known());
}

TEST_CASE("day lists, Daily, several intervals a day, names in any case, wrapping ranges") {
    CHECK(Hours("Mon,Wed 08:00-12:00").Intervals() ==
          std::vector<OpenInterval>{{1, 480, 720}, {3, 480, 720}});
    CHECK(Hours("Daily 00:00-24:00").Intervals().size() == 7);
    CHECK(Hours("Daily 00:00-24:00").ToString() == "Daily 00:00-24:00");
    CHECK(Hours("Mon 09:00-12:00,13:00-17:00").Intervals() ==
          std::vector<OpenInterval>{{1, 540, 720}, {1, 780, 1020}});
    CHECK(Hours("monday 9:00-17:00;  SAT 10:00 - 14:00 ;").ToString() ==
          "Mon 09:00-17:00; Sat 10:00-14:00");
    CHECK(Hours("Fri-Mon 10:00-16:00").ToString() == "Mon,Fri-Sun 10:00-16:00");
    CHECK(Hours("Mon-Sat 08:00-20:00; Sun closed").ToString() == "Mon-Sat 08:00-20:00");
    CHECK(Hours("Sat,Sun 10:00-14:00").ToString() == "Sat,Sun 10:00-14:00");
    CHECK(Hours("Mon,Wed-Fri 10:00-14:00").ToString() == "Mon,Wed-Fri 10:00-14:00");
    CHECK(Hours("Tue closed").Known() == false);
    CHECK(Hours("").Known() == false);
    CHECK(Hours("").ToString().empty());
}

TEST_CASE("the text form survives a round trip") {
    for (const char* text :
         {"Mon-Fri 09:00-17:00; Sat 10:00-14:00; Sun 22:00-02:00", "Daily 00:00-24:00",
          "Mon,Wed 08:00-12:00", "Mon-Wed 09:00-12:00,13:00-17:00; Thu,Fri 07:30-23:59",
          "Tue,Thu,Sat 18:00-06:00", "Mon-Fri 08:00-12:00; Sat,Sun 09:00-10:00,22:00-01:15"}) {
        const auto h = Hours(text);
        CHECK(h.ToString() == text);
        CHECK(Hours(h.ToString()) == h);
    }
}

TEST_CASE("bad hours are refused with the bad part named") {
    struct Case {
        const char* text;
        const char* named;
    };
    for (const Case c :
         {Case{"Mox 09:00-17:00", "'Mox'"}, Case{"Mon 9-5", "'9-5'"},
          Case{"Mon 25:00-26:00", "'25:00-26:00'"}, Case{"Mon 09:00-09:00", "'09:00-09:00'"},
          Case{"Mon", "no times"}, Case{"09:00-17:00", "no days"},
          Case{"Mon 24:00-02:00", "'24:00-02:00'"}, Case{"Mon-Xyz 09:00-10:00", "'Mon-Xyz'"},
          Case{"Mon 09:00-17:00 and more", "'09:00-17:00 and more'"},
          Case{"Mon 09:60-10:00", "'09:60-10:00'"}}) {
        auto h = OpeningHours::Parse(c.text);
        REQUIRE_FALSE_MESSAGE(h.ok(), c.text);
        CHECK(h.error().code == ErrorCode::kInvalidInput);
        CHECK_MESSAGE(h.error().log.find(c.named) != std::string::npos, h.error().log);
    }
}

TEST_CASE("intervals given in code are sorted, merged and checked") {
    const OpeningHours h(
        {{3, 600, 700}, {1, 540, 720}, {1, 700, 800}, {9, 0, 10}, {2, 900, 800}, {4, 1320, 3000}});
    CHECK(h.Intervals() == std::vector<OpenInterval>{{1, 540, 800}, {3, 600, 700}});
    // 24 hours or more is the rest of the day and the next morning.
    const OpeningHours long_day({{5, 600, 2400}});
    CHECK(long_day.Intervals() == std::vector<OpenInterval>{{5, 600, 1440}, {6, 0, 960}});
    CHECK(Hours(long_day.ToString()) == long_day);
}

TEST_CASE("open now says until when, and closed says when it opens next") {
    // 2026-01-07 is a Wednesday.
    const char* hours = "Mon-Fri 09:00-17:00; Sat 10:00-14:00";
    auto s = State(hours, At(10, 15));
    CHECK(s.open);
    CHECK(Utc(s.changes_at) == Utc(At(17, 0)));
    s = State(hours, At(8, 59));
    CHECK_FALSE(s.open);
    CHECK(Utc(s.changes_at) == Utc(At(9, 0)));
    CHECK(State(hours, At(9, 0)).open);         // opening minute is open
    CHECK_FALSE(State(hours, At(17, 0)).open);  // closing minute is closed
    s = State(hours, At(14, 0, 10));            // Saturday as it closes: next is Monday 9:00
    CHECK_FALSE(s.open);
    CHECK(Utc(s.changes_at) == Utc(At(9, 0, 12)));
    CHECK(LosAngeles().FormatClock(*s.changes_at, ClockStyle::k12Hour) == "9:00 AM");
    CHECK(LosAngeles().IsoWeekday(*s.changes_at) == 1);
}

TEST_CASE("hours past midnight are open the next morning, on the next weekday") {
    const char* hours = "Fri 22:00-02:00; Sun 22:00-02:00";
    auto s = State(hours, At(1, 0, 10));  // Saturday 01:00
    CHECK(s.open);
    CHECK(Utc(s.changes_at) == Utc(At(2, 0, 10)));
    CHECK_FALSE(State(hours, At(2, 0, 10)).open);
    CHECK(State(hours, At(23, 30, 9)).open);  // Friday night
    s = State(hours, At(1, 59, 12));          // Monday 01:59, from Sunday's hours
    CHECK(s.open);
    CHECK(Utc(s.changes_at) == Utc(At(2, 0, 12)));
    s = State(hours, At(12, 0, 10));  // Saturday noon: next is Sunday 22:00
    CHECK_FALSE(s.open);
    CHECK(Utc(s.changes_at) == Utc(At(22, 0, 11)));
    // A run into the next day that meets that day's own hours is one opening.
    s = State("Mon 20:00-24:00; Tue 00:00-08:00", At(21, 0, 12));
    CHECK(s.open);
    CHECK(Utc(s.changes_at) == Utc(At(8, 0, 13)));
}

TEST_CASE("unknown hours are never open; always-open has no change within a week") {
    auto s = OpeningHours().StateAt(At(12, 0), LosAngeles());
    CHECK_FALSE(s.open);
    CHECK_FALSE(s.changes_at.has_value());
    for (Instant t : {At(12, 0), At(2, 30, 8, 3), At(1, 30, 1, 11), At(23, 59, 31, 12)}) {
        s = State("Daily 00:00-24:00", t);
        CHECK(s.open);
        CHECK_FALSE(s.changes_at.has_value());
    }
    // Open once a week, just closed: the next opening is within the week.
    s = State("Wed 09:00-10:00", At(10, 30));
    CHECK(Utc(s.changes_at) == Utc(At(9, 0, 14)));
}

TEST_CASE("spring forward (2026-03-08): wall-clock hours, changes at real instants") {
    // Clocks go 02:00 PST -> 03:00 PDT at 10:00 UTC.
    const char* night = "Sun 01:00-03:00";
    auto s = State(night, At(1, 30, 8, 3));
    CHECK(s.open);
    CHECK(Utc(s.changes_at) == "2026-03-08T10:00:00Z");  // 03:00 PDT, one real hour later
    CHECK_FALSE(State(night, At(3, 30, 8, 3)).open);     // after the close
    s = State(night, At(3, 30, 8, 3));
    CHECK(Utc(s.changes_at) == Utc(At(1, 0, 15, 3)));

    // Opening at a time that does not exist that day: it opens as the clock jumps.
    s = State("Sun 02:30-05:00", At(1, 45, 8, 3));
    CHECK_FALSE(s.open);
    CHECK(Utc(s.changes_at) == "2026-03-08T10:00:00Z");
    CHECK(State("Sun 02:30-05:00", At(3, 10, 8, 3)).open);

    // Saturday night past midnight ends at 04:00 PDT (11:00 UTC): five real hours after 22:00.
    s = State("Sat 22:00-04:00", At(23, 0, 7, 3));
    CHECK(s.open);
    CHECK(Utc(s.changes_at) == "2026-03-08T11:00:00Z");
}

TEST_CASE("fall back (2026-11-01): a repeated wall-clock hour is open both times") {
    // Clocks go 02:00 PDT -> 01:00 PST at 09:00 UTC; 01:00-02:00 happens twice.
    const char* hours = "Sun 00:00-01:30";
    auto s = Hours(hours).StateAt(ParseDateTime("2026-11-01T08:15:00Z").value(), LosAngeles());
    CHECK(s.open);  // 01:15 PDT
    CHECK(Utc(s.changes_at) == "2026-11-01T08:30:00Z");
    s = Hours(hours).StateAt(ParseDateTime("2026-11-01T08:45:00Z").value(), LosAngeles());
    CHECK_FALSE(s.open);                                 // 01:45 PDT
    CHECK(Utc(s.changes_at) == "2026-11-01T09:00:00Z");  // the clock goes back to 01:00
    s = Hours(hours).StateAt(ParseDateTime("2026-11-01T09:15:00Z").value(), LosAngeles());
    CHECK(s.open);  // 01:15 PST
    CHECK(Utc(s.changes_at) == "2026-11-01T09:30:00Z");

    // Saturday night past midnight ends at 02:00 PST (10:00 UTC), seven real hours in.
    s = State("Sat 20:00-02:00", At(21, 0, 31, 10));
    CHECK(s.open);
    CHECK(Utc(s.changes_at) == "2026-11-01T10:00:00Z");
    // And an ordinary day after the change opens at 09:00 PST.
    s = State("Sun 09:00-17:00", At(3, 0, 1, 11));
    CHECK(Utc(s.changes_at) == "2026-11-01T17:00:00Z");
}

TEST_CASE("changes_at is exactly the next flip of open, seen from many instants") {
    const std::vector<const char*> all = {
        "Mon-Fri 09:00-17:00; Sat 10:00-14:00; Sun 22:00-02:00", "Sun 01:00-03:00",
        "Sat 22:00-04:00; Sun 00:00-01:30,02:15-02:45", "Daily 07:00-19:00", "Tue 12:00-12:01"};
    std::mt19937 rng(20260308);
    // Random instants through 2026 plus the weeks around both DST changes.
    std::vector<Instant> times;
    const Instant start = At(0, 0, 1, 1);
    for (int i = 0; i < 60; ++i) {
        times.push_back(start + Seconds{static_cast<long long>(rng() % (365LL * 86400))});
    }
    for (int i = 0; i < 40; ++i) {
        times.push_back(At(0, 0, 5, 3) + Seconds{static_cast<long long>(rng() % (5 * 86400))});
        times.push_back(At(0, 0, 29, 10) + Seconds{static_cast<long long>(rng() % (5 * 86400))});
    }
    for (const char* text : all) {
        const auto h = Hours(text);
        for (Instant t : times) {
            const auto s = h.StateAt(t, LosAngeles());
            CHECK(s.open == h.OpenAt(OpeningHours::LocalClock(t, LosAngeles())));
            REQUIRE_MESSAGE(s.changes_at.has_value(), text << " at " << Utc(t));
            CHECK(*s.changes_at > t);
            CHECK(h.StateAt(*s.changes_at, LosAngeles()).open != s.open);
            CHECK(h.StateAt(*s.changes_at - Seconds{1}, LosAngeles()).open == s.open);
            // Nothing flips in between (checked every 17 minutes).
            for (Instant u = t; u < *s.changes_at; u += Minutes{17}) {
                if (h.OpenAt(OpeningHours::LocalClock(u, LosAngeles())) != s.open) {
                    FAIL_CHECK(text << ": flips at " << Utc(u) << " before " << Utc(s.changes_at));
                    break;
                }
            }
        }
    }
}

TEST_CASE("any text either parses to hours that round-trip or is refused; nothing crashes") {
    std::mt19937 rng(42);
    const std::string alphabet = "MonTueWedThuFriSatSunDailyclosed0123456789:-,; \t\xc3\xa9";
    int parsed = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string text;
        const size_t n = rng() % 40;
        for (size_t k = 0; k < n; ++k) {
            text += alphabet[rng() % alphabet.size()];
        }
        // Half the inputs start from a valid form and are then damaged a little.
        if (i % 2 == 0) {
            text = "Mon-Fri 09:00-17:00; Sat 10:00-14:00";
            text[rng() % text.size()] = alphabet[rng() % alphabet.size()];
        }
        auto h = OpeningHours::Parse(text);
        if (h) {
            ++parsed;
            CHECK_MESSAGE(Hours(h->ToString()) == h.value(), text);
        } else {
            CHECK(h.error().code == ErrorCode::kInvalidInput);
        }
    }
    CHECK(parsed > 100);
}
