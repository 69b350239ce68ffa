// A disk that stops taking writes under a real SQLite store (RLIMIT_FSIZE: every write past the
// first bytes of a file fails): the lobby refuses in plain words, confirms nothing, saves
// nothing, tells staff what to do, and the next scan after the disk is back just works. Also the
// status page's notice of a database that was set aside or missing at start.
#include <signal.h>
#include <sys/resource.h>

#include <map>

#include "AppFixture.h"
#include "kiosk/store/StoreRecovery.h"

using namespace kiosk;
using namespace kiosk::test;

namespace {

/// While alive, no file of this process can grow past its first bytes: a disk that takes no
/// more writes. SIGXFSZ is ignored so the write fails with an error instead of killing us.
class DiskStopsTakingWrites {
  public:
    DiskStopsTakingWrites() {
        m_old_handler = ::signal(SIGXFSZ, SIG_IGN);
        REQUIRE(::getrlimit(RLIMIT_FSIZE, &m_old) == 0);
        rlimit tiny = m_old;
        tiny.rlim_cur = 16;
        REQUIRE(::setrlimit(RLIMIT_FSIZE, &tiny) == 0);
    }
    ~DiskStopsTakingWrites() {
        ::setrlimit(RLIMIT_FSIZE, &m_old);
        ::signal(SIGXFSZ, m_old_handler);
    }
    DiskStopsTakingWrites(const DiskStopsTakingWrites&) = delete;
    DiskStopsTakingWrites& operator=(const DiskStopsTakingWrites&) = delete;

  private:
    rlimit m_old{};
    sighandler_t m_old_handler = SIG_DFL;
};

const std::string kUnknownCard = "K1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// The status page's rows by label; a row without a label continues the one above it.
std::map<std::string, StatusLine> StatusLines(AppFixture& f) {
    std::map<std::string, StatusLine> lines;
    std::string last;
    for (const auto& l : f.Staff().status.lines) {
        if (l.label.empty() && !last.empty()) {
            lines[last].value += " " + l.value;
            continue;
        }
        last = l.label;
        lines[l.label] = l;
    }
    return lines;
}

}  // namespace

TEST_CASE("a disk that takes no writes: refused in plain words, nothing saved, then it recovers") {
    AppFixture f;
    const std::string jose_rows =
        "SELECT count(*) FROM attendance WHERE person_ref = 'Patient/pat-01' AND source = 'scan'";
    {
        DiskStopsTakingWrites disk;
        f.Scan(kJose);
        REQUIRE(f.Showing() == Screen::kResult);
        CHECK(f.Result().tone == ResultTone::kSeeFrontDesk);
        CHECK(f.Result().title == "Please see the front desk");
        REQUIRE(f.Result().lines.size() == 1);
        CHECK(f.Result().lines[0] == "This kiosk can't save check-ins right now.");
        CHECK(f.AllText().find("checked in") == std::string::npos);
        for (const auto& line : f.Result().lines) {  // no session of theirs is named
            CHECK(line.find("Group") == std::string::npos);
        }
        const std::string enrolled_words = f.AllText();

        // An unknown card reads exactly the same: the screen does not tell them apart.
        f.Wait(Seconds{11});
        f.Scan(kUnknownCard);
        CHECK(f.AllText() == enrolled_words);
        f.Wait(Seconds{11});
    }
    // Nothing half-written: no attendance, outbox or audit row of José, and the file is sound.
    CHECK(f.Count(jose_rows) == 0);
    CHECK(f.Count("SELECT count(*) FROM outbox") == 0);
    CHECK(f.Count("SELECT count(*) FROM audit WHERE subject = 'Patient/pat-01'") == 0);
    {
        SQLite::Database db((f.dir.path() / "kiosk.db").string(), SQLite::OPEN_READONLY);
        CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
    }
    // Staff see what is wrong and what to do.
    f.SignIn(kFacilitatorRosa, kRosaPin);
    f.Do(intent::home::OpenStatus{});
    REQUIRE(f.Staff().page == StaffPage::kStatus);
    auto lines = StatusLines(f);
    REQUIRE(lines.count("Storage") == 1);
    CHECK(lines["Storage"].tone == StatusTone::kBad);
    CHECK(lines["Storage"].value.rfind("The disk holding " + f.dir.path().string(), 0) == 0);
    CHECK(lines["Storage"].value.find("MB free") != std::string::npos);
    f.Do(intent::frame::Cancel{});  // sign out
    f.Wait(Seconds{20});

    // The disk takes writes again: the same card checks in, no restart, and the line goes.
    f.Scan(kJose);
    CHECK(f.Result().title == "You're checked in");
    CHECK(f.Count(jose_rows) == 3);
    CHECK(f.Count("SELECT count(*) FROM outbox WHERE state = 'pending'") == 3);
    CHECK(store::StorageProblem().empty());
}

TEST_CASE("the status page says a database was lost at start until the notice expires") {
    AppFixture f;
    store::RecoveryReport report;
    report.kind = store::RecoveryReport::Kind::kMissing;
    REQUIRE(store::FinishRecovery(*f.store, report, f.clock.Now()).ok());
    f.SignIn(kFacilitatorRosa, kRosaPin);
    f.Do(intent::home::OpenStatus{});
    REQUIRE(f.Staff().page == StaffPage::kStatus);
    auto lines = StatusLines(f);
    REQUIRE(lines.count("Database") == 1);
    CHECK(lines["Database"].tone == StatusTone::kBad);
    CHECK(lines["Database"].value == report.Notice());
    CHECK(f.Staff().status.lines.front().label == "Database");  // first, where staff look
    f.Do(intent::frame::Cancel{});
    f.clock.Advance(store::kRecoveryNoticeFor);
    f.SignIn(kFacilitatorRosa, kRosaPin);
    f.Do(intent::home::OpenStatus{});
    CHECK(StatusLines(f).count("Database") == 0);
}
