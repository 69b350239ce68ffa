// The camera thread's state machine with a scripted source: a missing camera is a clear state
// and message, not a crash; unplug and replug recover by themselves with growing delays; the
// V4L2 source explains a missing or wrong device.
#include <doctest/doctest.h>

#include <fstream>
#include <mutex>

#include "ScanTestSupport.h"
#include "TestSupport.h"
#include "kiosk/scan/CameraScanner.h"
#include "kiosk/scan/ReplayFrameSource.h"
#include "kiosk/scan/V4l2FrameSource.h"

using namespace kiosk;
using namespace kiosk::scan;
using namespace kiosk::scan::test;
using std::chrono::milliseconds;

namespace {

struct Recorder {
    std::mutex mutex;
    std::vector<ScannerStatus> seen;
    void operator()(const ScannerStatus& s) {
        std::lock_guard lock(mutex);
        seen.push_back(s);
    }
    std::vector<DeviceState> States() {
        std::lock_guard lock(mutex);
        std::vector<DeviceState> out;
        for (const auto& s : seen) {
            out.push_back(s.state);
        }
        return out;
    }
};

CameraScannerOptions Fast() {
    CameraScannerOptions o;
    o.retry_first = milliseconds(5);
    o.retry_most = milliseconds(20);
    o.same_code = milliseconds(1000);
    return o;
}

}  // namespace

TEST_CASE(
    "unplugged, plugged in, unplugged mid-stream, back again: each state shown, scans go on") {
    const std::string a = RandomToken(1), b = RandomToken(2);
    std::vector<ScriptedSource::Opening> script;
    script.push_back({false, {}, false});                        // not there at start
    script.push_back({false, {}, false});                        // still not there
    script.push_back({true, {QrFrame(a, 640, 480, 5)}, false});  // plugged in; then unplugged
    script.push_back({false, {}, false});                        // gone for a moment
    script.push_back({true, {QrFrame(b, 640, 480, 5)}, true});   // back; then the script ends
    auto source = std::make_unique<ScriptedSource>(std::move(script));
    ScriptedSource* raw = source.get();
    ScanQueue queue;
    Recorder recorder;
    CameraScanner camera(std::move(source), Fast(), queue);
    camera.SetStateObserver(std::ref(recorder));
    camera.Start();
    REQUIRE(WaitForState([&] { return camera.Status(); }, DeviceState::kEnded));
    const ScannerStatus end = camera.Status();
    camera.Stop();

    const std::vector<DeviceState> want{
        DeviceState::kStarting, DeviceState::kMissing,  DeviceState::kStarting,
        DeviceState::kMissing,  DeviceState::kStarting, DeviceState::kRunning,
        DeviceState::kLost,     DeviceState::kStarting, DeviceState::kLost,
        DeviceState::kStarting, DeviceState::kRunning,  DeviceState::kEnded,
        DeviceState::kOff};
    CHECK(recorder.States() == want);
    {
        std::lock_guard lock(recorder.mutex);
        CHECK(recorder.seen[1].detail.find("not plugged in") != std::string::npos);
        CHECK(recorder.seen[1].detail.find("next try in") != std::string::npos);
        CHECK(recorder.seen[6].detail.find("unplugged") != std::string::npos);
    }
    CHECK(end.reconnects == 1);
    CHECK(end.frames == 2);
    CHECK(end.scans == 2);
    CHECK(raw->Opens() == 5);
    CHECK(raw->Closes() == 2);  // each opening that worked was closed again
    const auto scans = queue.Drain();
    REQUIRE(scans.size() == 2);
    CHECK(scans[0].payload == a);
    CHECK(scans[1].payload == b);
}

TEST_CASE("a camera that never comes keeps retrying quietly and stops promptly") {
    ScanQueue queue;
    auto source = std::make_unique<ScriptedSource>(std::vector<ScriptedSource::Opening>{});
    ScriptedSource* raw = source.get();
    CameraScannerOptions options = Fast();
    CameraScanner camera(std::move(source), options, queue);
    camera.Start();
    REQUIRE(WaitForState([&] { return camera.Status(); }, DeviceState::kMissing));
    std::this_thread::sleep_for(milliseconds(100));
    const auto t0 = std::chrono::steady_clock::now();
    camera.Stop();
    CHECK(std::chrono::steady_clock::now() - t0 < milliseconds(500));
    CHECK(raw->Opens() >= 3);  // retried, with delays capped at 20 ms here
    CHECK(camera.Status().state == DeviceState::kOff);
    CHECK(queue.Drain().empty());
}

TEST_CASE("a camera that stops sending frames is reopened") {
    // A source that opens, then only ever times out.
    class Silent final : public FrameSource {
      public:
        Status Open() override {
            ++opens;
            return Ok{};
        }
        Result<FrameWait> Next(GreyImage&, milliseconds timeout) override {
            std::this_thread::sleep_for(std::min(timeout, milliseconds(5)));
            return FrameWait::kTimeout;
        }
        void Close() override {}
        std::string Describe() const override { return "silent"; }
        std::atomic<int> opens{0};
    };
    auto source = std::make_unique<Silent>();
    Silent* raw = source.get();
    ScanQueue queue;
    CameraScannerOptions options = Fast();
    options.stall_after = milliseconds(30);
    CameraScanner camera(std::move(source), options, queue);
    camera.Start();
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (raw->opens < 3 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(milliseconds(5));
    }
    camera.Stop();
    CHECK(raw->opens >= 3);
}

TEST_CASE("V4L2: a missing camera is a clear kNotFound message, a non-camera is refused") {
    V4l2FrameSource missing(V4l2Options{"/dev/video-kiosk-test-missing", 1280, 720, 30});
    auto r = missing.Open();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kNotFound);
    CHECK(r.error().log.find("/dev/video-kiosk-test-missing not found") != std::string::npos);
    CHECK(r.error().log.find("plugged in") != std::string::npos);
    GreyImage frame;
    CHECK_FALSE(missing.Next(frame, milliseconds(1)).ok());

    kiosk::test::TempDir dir;
    const auto file = dir.path() / "video0";
    std::ofstream(file) << "not a camera";
    V4l2FrameSource regular(V4l2Options{file.string(), 640, 480, 30});
    auto rr = regular.Open();
    REQUIRE_FALSE(rr.ok());
    CHECK(rr.error().code == ErrorCode::kConfig);
    CHECK(rr.error().log.find("not a video device") != std::string::npos);

    V4l2FrameSource dev_null(V4l2Options{"/dev/null", 640, 480, 30});
    auto rn = dev_null.Open();
    REQUIRE_FALSE(rn.ok());
    CHECK(rn.error().log.find("/dev/null") != std::string::npos);
    CHECK_MESSAGE(rn.error().log.find("V4L2") != std::string::npos, rn.error().log);
}

TEST_CASE(
    "the camera thread over a missing V4L2 device: 'not connected, retrying', never a crash") {
    ScanQueue queue;
    int wakes = 0;
    queue.SetWaker([&] { ++wakes; });
    CameraScannerOptions options = Fast();
    CameraScanner camera(std::make_unique<V4l2FrameSource>(
                             V4l2Options{"/dev/video-kiosk-test-missing", 1280, 720, 30}),
                         options, queue);
    camera.Start();
    REQUIRE(WaitForState([&] { return camera.Status(); }, DeviceState::kMissing));
    const ScannerStatus s = camera.Status();
    CHECK(std::string(Describe(s.state)) == "not connected, retrying");
    CHECK(s.device == "/dev/video-kiosk-test-missing");
    CHECK(s.detail.find("not found") != std::string::npos);
    camera.Stop();
    queue.SetWaker({});
    CHECK(wakes >= 1);  // the status screen is told
}

TEST_CASE("the preview is a small copy, only when asked for") {
    const GreyImage card = QrFrame(RandomToken(3), 1280, 720, 6);
    ScanQueue queue;
    CameraScannerOptions options = Fast();
    options.preview = true;
    options.preview_width = 320;
    options.preview_every = milliseconds(0);
    CameraScanner camera(std::make_unique<ReplayFrameSource>(std::vector<GreyImage>{card}, 0),
                         options, queue);
    camera.Start();
    REQUIRE(WaitForState([&] { return camera.Status(); }, DeviceState::kEnded));
    GreyImage preview;
    std::uint64_t generation = 0;
    REQUIRE(camera.CopyPreview(preview, generation));
    CHECK(preview.width == 320);
    CHECK(preview.height == 180);
    CHECK_FALSE(camera.CopyPreview(preview, generation));  // nothing newer
    camera.Stop();

    CameraScanner no_preview(std::make_unique<ReplayFrameSource>(std::vector<GreyImage>{card}, 0),
                             Fast(), queue);
    no_preview.Start();
    REQUIRE(WaitForState([&] { return no_preview.Status(); }, DeviceState::kEnded));
    std::uint64_t g2 = 0;
    CHECK_FALSE(no_preview.CopyPreview(preview, g2));
}
