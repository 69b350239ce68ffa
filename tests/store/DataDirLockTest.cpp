// The data directory's lock within one process (flock locks belong to the open file, so two
// opens here conflict as two processes would): a command waits a bounded time for a command and
// gets the lock once it is let go; a kiosk's lock is refused at once; messages name the holder.
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "TestSupport.h"
#include "kiosk/store/DataDirLock.h"

using kiosk::store::DataDirLock;
using kiosk::test::TempDir;
using namespace std::chrono;

namespace {

double SecondsSince(steady_clock::time_point t) {
    return duration<double>(steady_clock::now() - t).count();
}

}  // namespace

TEST_CASE("a command waits for another command's lock, and gets it when it is let go") {
    TempDir dir;
    auto first = DataDirLock::Acquire(dir.path(), "kiosk resources import", seconds{1});
    REQUIRE(first.ok());
    std::ifstream in(dir.path() / "kiosk.lock");
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str() == std::to_string(::getpid()) + " kiosk resources import\n");

    auto started = steady_clock::now();
    auto refused = DataDirLock::Acquire(dir.path(), "kiosk sync --once", seconds{1});
    REQUIRE_FALSE(refused.ok());
    CHECK(SecondsSince(started) >= 0.9);
    CHECK(refused.error().log.find(
              dir.path().string() + " is in use by 'kiosk resources import' (pid " +
              std::to_string(::getpid()) + "), still after 1 s") != std::string::npos);
    CHECK(refused.error().log.find("Wait for it to finish") != std::string::npos);

    std::thread release([&] {
        std::this_thread::sleep_for(milliseconds{400});
        first.value().reset();
    });
    started = steady_clock::now();
    auto second = DataDirLock::Acquire(dir.path(), "kiosk sync --once", seconds{10});
    release.join();
    REQUIRE_MESSAGE(second.ok(), (second.ok() ? "" : second.error().log));
    CHECK(SecondsSince(started) >= 0.3);
    CHECK(SecondsSince(started) < 5);
}

TEST_CASE("beside a running kiosk a command, or a second kiosk, is refused at once") {
    TempDir dir;
    auto kiosk = DataDirLock::Acquire(dir.path(), DataDirLock::kKioskWindow, seconds{1});
    REQUIRE(kiosk.ok());
    for (const char* who : {"kiosk sync --once", DataDirLock::kKioskWindow}) {
        CAPTURE(who);
        const auto started = steady_clock::now();
        auto refused = DataDirLock::Acquire(dir.path(), who, seconds{30});
        REQUIRE_FALSE(refused.ok());
        CHECK(SecondsSince(started) < 2);
        CHECK(refused.error().log.find("is in use by 'kiosk' (pid " + std::to_string(::getpid()) +
                                       ")") != std::string::npos);
        CHECK(refused.error().log.find("systemctl stop iop-kiosk") != std::string::npos);
    }
    kiosk.value().reset();
    CHECK(DataDirLock::Acquire(dir.path(), "kiosk sync --once", seconds{1}).ok());
}

TEST_CASE("a data directory the lock file cannot be made in is named") {
    TempDir dir;
    auto r = DataDirLock::Acquire(dir.path() / "missing", "kiosk", seconds{1});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().log.find("cannot open the lock file " + (dir.path() / "missing").string()) !=
          std::string::npos);
}
