// USB keyboard-wedge scanners read as a device: the US key map and line assembly of the evdev
// path, and the evdev reader thread on a FIFO standing in for /dev/input/eventN (no grab
// there), including "unplugged" and a missing device. Keys typed into the window: see
// KeyScanAssemblerTest.cpp.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <linux/input.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mutex>
#include <optional>

#include "ScanTestSupport.h"
#include "TestSupport.h"
#include "kiosk/scan/EvdevKeys.h"
#include "kiosk/scan/EvdevWedge.h"

using namespace kiosk;
using namespace kiosk::scan;
using namespace kiosk::scan::test;
using std::chrono::milliseconds;

TEST_CASE("evdev keys: US layout with Shift and Caps Lock; Enter ends the line") {
    EvdevLineAssembler line;
    long t = 0;
    auto tap = [&](std::uint16_t code, bool shift = false) -> std::optional<std::string> {
        t += 3;
        if (shift) {
            line.OnKey(KEY_LEFTSHIFT, 1, milliseconds(t));
        }
        auto r = line.OnKey(code, 1, milliseconds(t));
        line.OnKey(code, 0, milliseconds(t));
        if (shift) {
            line.OnKey(KEY_LEFTSHIFT, 0, milliseconds(t));
        }
        return r;
    };
    tap(KEY_K, true);
    tap(KEY_1);
    tap(KEY_DOT);
    tap(KEY_R);
    tap(KEY_MINUS);
    tap(KEY_4);
    tap(KEY_MINUS, true);  // '_'
    tap(KEY_KP7);
    line.OnKey(KEY_CAPSLOCK, 1, milliseconds(t));
    tap(KEY_A);        // caps: 'A'
    tap(KEY_A, true);  // caps + shift: 'a'
    tap(KEY_2);        // caps does not shift digits
    line.OnKey(KEY_CAPSLOCK, 1, milliseconds(t));
    line.OnKey(KEY_B, 2, milliseconds(t));  // autorepeat is ignored
    tap(KEY_F5);                            // not a character: marked, never dropped
    const auto done = tap(KEY_ENTER);
    REQUIRE(done.has_value());
    CHECK(*done == std::string("K1.r-4_7Aa2") + EvdevLineAssembler::kUnmapped);
    CHECK_FALSE(tap(KEY_KPENTER).has_value());  // an empty line is nothing
    CHECK(UsKeyChar(KEY_SLASH, true) == '?');
    CHECK(UsKeyChar(KEY_ESC, false) == std::nullopt);
}

TEST_CASE("evdev keys: a half line from long ago is forgotten") {
    EvdevLineAssembler line(milliseconds(2000));
    line.OnKey(KEY_X, 1, milliseconds(0));
    line.OnKey(KEY_Y, 1, milliseconds(5000));
    const auto done = line.OnKey(KEY_ENTER, 1, milliseconds(5003));
    REQUIRE(done.has_value());
    CHECK(*done == "y");
}

TEST_CASE(
    "evdev reader: a missing device says so; a FIFO of key events gives scans; EOF is "
    "'unplugged'") {
    EvdevWedgeOptions missing;
    missing.device = "/dev/input/by-id/usb-kiosk-test-missing-event-kbd";
    auto r = EvdevWedge::OpenDevice(missing);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kNotFound);
    CHECK(r.error().log.find("not found") != std::string::npos);

    kiosk::test::TempDir dir;
    const auto fifo = dir.path() / "event-kbd";
    EvdevWedgeOptions regular;
    regular.device = (dir.path() / "plain").string();
    {
        std::FILE* f = std::fopen(regular.device.c_str(), "w");
        std::fclose(f);
    }
    auto g = EvdevWedge::OpenDevice(regular);  // grab on a plain file: not an input device
    REQUIRE_FALSE(g.ok());
    CHECK(g.error().log.find("not an input event device") != std::string::npos);

    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const int writer = ::open(fifo.c_str(), O_RDWR);  // RDWR: never blocks, keeps the FIFO open
    REQUIRE(writer >= 0);
    ScanQueue queue;
    EvdevWedgeOptions options;
    options.device = fifo.string();
    options.grab = false;  // a FIFO cannot be grabbed; real devices always are
    options.retry_first = milliseconds(5);
    options.retry_most = milliseconds(20);
    EvdevWedge wedge(options, queue);
    std::mutex seen_mutex;
    std::vector<ScannerStatus> seen;
    wedge.SetStateObserver([&](const ScannerStatus& s) {
        std::lock_guard lock(seen_mutex);
        seen.push_back(s);
    });
    wedge.Start();
    REQUIRE(WaitForState([&] { return wedge.Status(); }, DeviceState::kRunning));
    std::vector<input_event> events;
    auto key = [&](std::uint16_t code, std::int32_t value) {
        input_event e{};
        e.type = EV_KEY;
        e.code = code;
        e.value = value;
        events.push_back(e);
        input_event sync{};
        sync.type = EV_SYN;
        events.push_back(sync);
    };
    for (std::uint16_t code : {KEY_K, KEY_1, KEY_DOT, KEY_Z, KEY_ENTER}) {
        const bool upper = code == KEY_K;
        if (upper) {
            key(KEY_RIGHTSHIFT, 1);
        }
        key(code, 1);
        key(code, 0);
        if (upper) {
            key(KEY_RIGHTSHIFT, 0);
        }
    }
    const auto bytes = static_cast<ssize_t>(events.size() * sizeof(input_event));
    REQUIRE(::write(writer, events.data(), static_cast<std::size_t>(bytes)) == bytes);
    const auto scans = WaitForScans(queue, 1);
    REQUIRE(scans.size() == 1);
    CHECK(scans[0].payload == "K1.z");
    CHECK(scans[0].source == ScanSource::kWedgeDevice);
    CHECK(wedge.Status().scans == 1);

    ::close(writer);  // the "scanner" goes away: end of file
    auto lost = [&]() -> std::optional<ScannerStatus> {
        std::lock_guard lock(seen_mutex);
        for (const auto& s : seen) {
            if (s.state == DeviceState::kLost) {
                return s;
            }
        }
        return std::nullopt;
    };
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!lost() && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(milliseconds(2));
    }
    REQUIRE(lost().has_value());
    CHECK(lost()->detail.find("unplugged") != std::string::npos);
    ::unlink(fifo.c_str());
    wedge.Stop();
    CHECK(wedge.Status().state == DeviceState::kOff);
}
