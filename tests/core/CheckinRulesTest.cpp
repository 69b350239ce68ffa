// The scan rule of SCREENS.md 2 at its edges, on a fake clinic day (Los Angeles time).
#include <doctest/doctest.h>

#include "TestSupport.h"
#include "kiosk/core/CheckinRules.h"

using namespace kiosk;
using kiosk::test::At;

namespace {

// Adult mornings: three sessions with 10-minute breaks form one block.
std::vector<SessionSlot> Morning() {
    return {{"am1", At(9, 0), At(10, 0)},
            {"am2", At(10, 10), At(11, 0)},
            {"am3", At(11, 10), At(12, 0)}};
}

const CheckinWindows kWindows{};

}  // namespace

TEST_CASE("check-in opens exactly 45 minutes before the first session") {
    auto early = DecideScan(At(8, 14), Morning(), {}, kWindows);
    CHECK(early.action == ScanAction::kDenied);
    CHECK(early.reason == DenyReason::kTooEarly);
    auto open = DecideScan(At(8, 15), Morning(), {}, kWindows);
    CHECK(open.action == ScanAction::kCheckIn);
}

TEST_CASE("one scan checks in to every session of the block that has not ended") {
    auto d = DecideScan(At(8, 57), Morning(), {}, kWindows);
    REQUIRE(d.action == ScanAction::kCheckIn);
    REQUIRE(d.check_in.size() == 3);
    CHECK(d.check_in[0].session_id == "am1");
    CHECK_FALSE(d.check_in[0].late);

    auto late = DecideScan(At(10, 20), Morning(), {}, kWindows);
    REQUIRE(late.action == ScanAction::kCheckIn);
    REQUIRE(late.check_in.size() == 2);  // am1 has ended
    CHECK(late.check_in[0].session_id == "am2");
    CHECK(late.check_in[0].late == false);  // 10 minutes after am2's start is not yet late
    auto later = DecideScan(At(10, 21), Morning(), {}, kWindows);
    CHECK(later.check_in[0].late);
}

TEST_CASE("late means more than 10 minutes after the start") {
    CHECK_FALSE(DecideScan(At(9, 10), Morning(), {}, kWindows).check_in[0].late);
    CHECK(DecideScan(At(9, 10) + Seconds{1}, Morning(), {}, kWindows).check_in[0].late);
}

TEST_CASE("sessions less than 30 minutes apart form a block; 30 or more do not") {
    std::vector<SessionSlot> s = {
        {"a", At(9, 0), At(10, 0)}, {"b", At(10, 29), At(11, 0)}, {"c", At(11, 30), At(12, 0)}};
    auto blocks = GroupIntoBlocks(s, Minutes{30});
    REQUIRE(blocks.size() == 2);
    CHECK(blocks[0].size() == 2);
    CHECK(blocks[1].front().id == "c");
}

TEST_CASE("a second scan before the last session's start + grace says already in") {
    std::vector<AttendanceMark> marks = {{"am1", At(8, 57), std::nullopt},
                                         {"am2", At(8, 57), std::nullopt},
                                         {"am3", At(8, 57), std::nullopt}};
    auto d = DecideScan(At(10, 30), Morning(), marks, kWindows);
    CHECK(d.action == ScanAction::kAlreadyIn);
    CHECK(d.since == At(8, 57));
    CHECK(DecideScan(At(11, 24), Morning(), marks, kWindows).action == ScanAction::kAlreadyIn);
}

TEST_CASE("a scan after the last session's start + grace checks out of the open sessions") {
    std::vector<AttendanceMark> marks = {{"am1", At(8, 57), At(10, 0)},  // closed at its end
                                         {"am2", At(8, 57), std::nullopt},
                                         {"am3", At(8, 57), std::nullopt}};
    auto d = DecideScan(At(11, 25), Morning(), marks, kWindows);
    REQUIRE(d.action == ScanAction::kCheckOut);
    CHECK(d.check_out == std::vector<std::string>{"am2", "am3"});
}

TEST_CASE("after checking out, the same block sends the person to the front desk") {
    std::vector<AttendanceMark> marks = {{"am3", At(11, 12), At(11, 40)}};
    auto d = DecideScan(At(11, 45), Morning(), marks, kWindows);
    CHECK(d.action == ScanAction::kDenied);
    CHECK(d.reason == DenyReason::kAlreadyCheckedOut);
}

TEST_CASE("no sessions today, or all over") {
    CHECK(DecideScan(At(9, 0), {}, {}, kWindows).reason == DenyReason::kNoSessionToday);
    CHECK(DecideScan(At(12, 0), Morning(), {}, kWindows).reason == DenyReason::kSessionsOver);
}

TEST_CASE("between two blocks of one day the later block's window decides") {
    auto day = Morning();
    day.push_back({"pm1", At(18, 0), At(19, 0)});
    CHECK(DecideScan(At(14, 0), day, {}, kWindows).reason == DenyReason::kTooEarly);
    auto d = DecideScan(At(17, 20), day, {{"am1", At(8, 55), At(10, 0)}}, kWindows);
    REQUIRE(d.action == ScanAction::kCheckIn);
    CHECK(d.check_in.front().session_id == "pm1");
}

TEST_CASE("configured windows are honoured") {
    CheckinWindows w;
    w.opens_before = Minutes{15};
    w.late_after = Minutes{0};
    w.checkout_grace = Minutes{0};
    CHECK(DecideScan(At(8, 44), Morning(), {}, w).reason == DenyReason::kTooEarly);
    CHECK(DecideScan(At(9, 1), Morning(), {}, w).check_in[0].late);
    std::vector<AttendanceMark> marks = {{"am3", At(9, 0), std::nullopt}};
    CHECK(DecideScan(At(11, 10), Morning(), marks, w).action == ScanAction::kCheckOut);
}
