// The sync thread and the command line: a local change goes out at once when the app wakes the
// thread (Nudge()), a wake-up with nothing new sends nothing, the thread does not poll the
// outbox between rounds, Stop() is prompt even with a request hanging, and
// `kiosk sync --once` reports success and failure with its exit code.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "TestClinic.h"

using namespace kiosk;
using namespace kiosk::test;
using nlohmann::json;
using std::chrono::steady_clock;

namespace {

template <class F>
bool WaitFor(F done, std::chrono::milliseconds limit) {
    const auto until = steady_clock::now() + limit;
    while (!done() && steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return done();
}

}  // namespace

TEST_CASE("the sync thread sends a local change at once and stops promptly") {
    auto& server = SharedServer();
    server.ResetData();
    const auto& c = TestClinic::Get();
    TestKiosk kiosk(server);
    kiosk.options.interval = std::chrono::seconds{600};  // only local changes wake it
    REQUIRE(kiosk.Engine().Start().ok());
    REQUIRE(WaitFor([&] { return kiosk.board.Read().last_success.has_value(); },
                    std::chrono::seconds(30)));
    CHECK(kiosk.board.Read().configured);

    // Nudged: delivered in well under the interval.
    const auto id = kiosk.CheckIn(c.sessions[0], TestClinic::Patient(5), c.starts[0]);
    kiosk.Engine().Nudge();
    CHECK(WaitFor([&] { return kiosk.OutboxState(id) == "delivered"; }, std::chrono::seconds(10)));

    // A wake-up with nothing new in the outbox starts no round: no request reaches the server.
    const auto requests = server.Stats().at("total").get<long long>();
    kiosk.Engine().Nudge();
    // Not woken (a writer that does not know the engine): nothing polls the outbox, so the row
    // waits for the next round (600 s away) well past the old one-second poll...
    const auto id2 = kiosk.CheckIn(c.sessions[0], TestClinic::Patient(6), c.starts[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    CHECK(kiosk.OutboxState(id2) == "pending");
    CHECK(server.Stats().at("total").get<long long>() == requests);
    // ...and a wake-up sends it.
    kiosk.Engine().Nudge();
    CHECK(WaitFor([&] { return kiosk.OutboxState(id2) == "delivered"; }, std::chrono::seconds(10)));
    CHECK(server.EncountersWith(id2) == 1);

    // A request that hangs does not hold up Stop(); the item stays queued.
    server.Faults(json::array({json{{"match", {{"method", "POST"}, {"path", "/Encounter"}}},
                                    {"action", "delay"},
                                    {"ms", 20000},
                                    {"commit", false}}}));
    const auto id3 = kiosk.CheckIn(c.sessions[0], TestClinic::Patient(7), c.starts[0]);
    kiosk.Engine().Nudge();
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    const auto t0 = steady_clock::now();
    kiosk.Engine().Stop();
    CHECK(std::chrono::duration<double>(steady_clock::now() - t0).count() < 3.0);
    CHECK(kiosk.OutboxState(id3) == "pending");
    server.Faults(json::array());
}

TEST_CASE("kiosk sync --once: exit 0 with a summary, non-zero with a clear message") {
    if (!std::filesystem::exists(KIOSK_BINARY)) {
        MESSAGE("kiosk binary not built; skipping the command-line check");
        return;
    }
    auto& server = SharedServer();
    server.ResetData();
    TempDir dir;
    const auto key = dir.path() / "audit.key";
    const auto write_config = [&](const std::string& url) {
        const auto file = dir.path() / "kiosk.toml";
        std::ofstream(file) << "[server]\nurl = \"" << url << "\"\nca_file = \""
                            << (TestPki() / "ca.crt").string()
                            << "\"\n[clinic]\nsite_location_id = \"site-main\"\ntimezone = "
                               "\"America/Los_Angeles\"\n"
                            << "[kiosk]\nid = \"cli-1\"\ndata_dir = \""
                            << (dir.path() / "data").string() << "\"\n"
                            << "[audit]\nkey_file = \"" << key.string() << "\"\n";
        return file;
    };
    auto no_key = Shell(std::string(KIOSK_BINARY) + " sync --once --config " +
                        write_config(server.base()).string());
    CHECK(no_key.code != 0);  // the key file is named, with the command that makes it
    CHECK_MESSAGE(no_key.out.find("audit init-key --out " + key.string()) != std::string::npos,
                  no_key.out);
    REQUIRE(CreateAuditKey(key).ok());
    auto ok = Shell(std::string(KIOSK_BINARY) + " sync --once --config " +
                    write_config(server.base()).string());
    CHECK_MESSAGE(ok.code == 0, ok.out);
    CHECK(ok.out.find("pulled") != std::string::npos);
    CHECK(ok.out.find("(full pull)") != std::string::npos);
    CHECK(std::filesystem::exists(dir.path() / "data" / "kiosk.db"));

    auto down = Shell(std::string(KIOSK_BINARY) + " sync --once --config " +
                      write_config("https://127.0.0.1:1/fhir/R4").string());
    CHECK(down.code != 0);
    CHECK_MESSAGE(down.out.find("cannot connect") != std::string::npos, down.out);
    CHECK(down.out.find("nothing was lost") != std::string::npos);

    auto usage =
        Shell(std::string(KIOSK_BINARY) + " sync --config " + write_config(server.base()).string());
    CHECK(usage.code != 0);  // --once is required
}
