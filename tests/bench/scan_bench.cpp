// scan_bench: the camera decode pipeline against ZXing's default options and zbar on the same
// generated frames (640x480, 1280x720, 1920x1080; with and without a code), and
// scan-to-confirmation latency: frame handed to the camera thread -> decode -> queue -> main
// thread -> AppModel::OnScan (real SQLite commit) -> the confirmation's ImGui frame built.
// Run pinned to one core on a quiet machine:  taskset -c 1 build/tests/scan/scan_bench
#include <imgui.h>
#include <time.h>
#include <unistd.h>

#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#if defined(KIOSK_BENCH_ZBAR)
#include "scan_bench_zbar.h"
#endif

#include "FrameGen.h"
#include "kiosk/app/AppModel.h"
#include "kiosk/app/DemoClinic.h"
#include "kiosk/core/Log.h"
#include "kiosk/scan/CameraScanner.h"
#include "kiosk/scan/QrDecoder.h"
#include "kiosk/ui/Screens.h"

using namespace kiosk;
using namespace kiosk::scan;
using namespace kiosk::scan::test;
using Steady = std::chrono::steady_clock;

namespace {

double ThreadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Series {
    std::vector<double> wall;
    std::vector<double> cpu;
    int ok = 0;
    int n = 0;
    static double Pct(std::vector<double> v, double p) {
        if (v.empty()) {
            return 0;
        }
        std::sort(v.begin(), v.end());
        const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
        return v[std::min(i, v.size() - 1)];
    }
    double Median() const { return Pct(wall, 0.5); }
    double P99() const { return Pct(wall, 0.99); }
    double CpuMedian() const { return Pct(cpu, 0.5); }
    double Rate() const { return n ? 100.0 * ok / n : 0; }
};

/// A decoder under test: returns the decoded bytes, or "" for none.
using Decoder = std::function<std::string(const GreyImage&)>;

std::string ZxingDefaults(const GreyImage& f) {
    const ZXing::ImageView v(f.pixels.data(), f.width, f.height, ZXing::ImageFormat::Lum);
    const ZXing::Result r = ZXing::ReadBarcode(v, ZXing::DecodeHints{});
    return r.isValid() ? std::string(r.bytes().begin(), r.bytes().end()) : std::string();
}

struct Frame {
    GreyImage image;
    std::string text;
    Difficulty kind;
};

void Measure(const std::vector<Frame>& frames, const Decoder& decode, Series& with, Series& without,
             std::map<std::string, Series>* by_kind) {
    for (const Frame& f : frames) {
        const auto t0 = Steady::now();
        const double c0 = ThreadCpuMs();
        const std::string got = decode(f.image);
        const double c1 = ThreadCpuMs();
        const double ms = std::chrono::duration<double, std::milli>(Steady::now() - t0).count();
        Series& s = f.text.empty() ? without : with;
        s.wall.push_back(ms);
        s.cpu.push_back(c1 - c0);
        ++s.n;
        const bool ok = f.text.empty() ? got.empty() : got == f.text;
        s.ok += ok ? 1 : 0;
        if (by_kind != nullptr && !f.text.empty()) {
            Series& k = (*by_kind)[Name(f.kind)];
            ++k.n;
            k.ok += ok ? 1 : 0;
        }
    }
}

// --- scan-to-confirmation latency ------------------------------------------------------------

/// Frames handed over one at a time by the benchmark, as a camera would deliver them.
class PushSource final : public FrameSource {
  public:
    Status Open() override { return Ok{}; }
    Result<FrameWait> Next(GreyImage& frame, std::chrono::milliseconds timeout) override {
        std::unique_lock lock(m_mutex);
        if (!m_cv.wait_for(lock, timeout, [this] { return !m_frames.empty() || m_end; })) {
            return FrameWait::kTimeout;
        }
        if (m_frames.empty()) {
            return FrameWait::kEnd;
        }
        frame = std::move(m_frames.front());
        m_frames.pop_front();
        return FrameWait::kFrame;
    }
    void Close() override {}
    std::string Describe() const override { return "bench"; }
    void Push(GreyImage f) {
        {
            std::lock_guard lock(m_mutex);
            m_frames.push_back(std::move(f));
        }
        m_cv.notify_all();
    }
    void End() {
        {
            std::lock_guard lock(m_mutex);
            m_end = true;
        }
        m_cv.notify_all();
    }

  private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<GreyImage> m_frames;
    bool m_end = false;
};

struct Card {
    std::string role;
    std::string token;
};

std::vector<Card> ReadCards(const std::filesystem::path& csv) {
    std::ifstream in(csv);
    std::string line;
    std::getline(in, line);
    std::vector<Card> out;
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::string role, name, token;
        std::getline(ss, role, ',');
        if (line.find('"') != std::string::npos) {  // "Núñez, José": skip to after the quotes
            ss.ignore(1);
            std::getline(ss, name, '"');
            ss.ignore(1);
        } else {
            std::getline(ss, name, ',');
        }
        std::getline(ss, token, ',');
        out.push_back(Card{role, token});
    }
    return out;
}

Series Latency(int samples, const std::filesystem::path& work) {
    const std::filesystem::path assets = KIOSK_BENCH_ASSETS;
    const auto cards = ReadCards(assets / "demo" / "cards.csv");
    std::vector<std::pair<std::string, GreyImage>> card_frames;
    int seed = 1;
    for (const Card& c : cards) {
        if (c.role == "participant") {
            SceneSpec s;
            s.width = 1280;
            s.height = 720;
            s.text = c.token;
            s.module_px = 5;
            s.seed = static_cast<std::uint64_t>(seed++);
            card_frames.emplace_back(c.token, RenderScene(s));
        }
    }
    const GreyImage empty = RenderScene(StandardSet(1280, 720, 0, 1, 99)[0]);

    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1280, 800);
    ui::Theme theme;
    ui::BuildTheme(theme, ui::ScaleFor(1280, 800), assets / "fonts");
    unsigned char* pixels = nullptr;
    int tw = 0, th = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);

    Series lat;
    int round = 0;
    while (static_cast<int>(lat.wall.size()) < samples && round < 50) {
        const auto dir = work / ("round-" + std::to_string(round++));
        std::filesystem::create_directories(dir);
        auto store = store::Store::Open(dir / "kiosk.db", AuditKey{});  // scans write audit rows
        if (!store) {
            std::fprintf(stderr, "store: %s\n", store.error().log.c_str());
            break;
        }
        KioskConfig config;
        config.timezone = "UTC";
        SystemClock clock;
        const auto clinic_time = ClinicTime::ForZone("UTC").value();
        if (auto s = SeedDemoClinic(*store.value(), assets / "demo" / "clinic.json", "site-main",
                                    clock.Now());
            !s) {
            std::fprintf(stderr, "seed: %s\n", s.error().log.c_str());
            break;
        }
        std::map<std::string, Catalog> catalogs;
        for (const char* lang : {"en", "es"}) {
            catalogs.emplace(lang, Catalog::LoadMo(std::filesystem::path(KIOSK_BENCH_I18N) /
                                                       (std::string(lang) + ".mo"),
                                                   lang)
                                       .value());
        }
        AppModel model(config, clock, clinic_time, *store.value(), std::move(catalogs));

        // The main loop's wait: the queue's waker is what SDL_PushEvent is in the kiosk.
        ScanQueue queue;
        std::mutex wake_mutex;
        std::condition_variable wake_cv;
        bool woken = false;
        queue.SetWaker([&] {
            std::lock_guard lock(wake_mutex);
            woken = true;
            wake_cv.notify_all();
        });
        auto source = std::make_unique<PushSource>();
        PushSource* push = source.get();
        CameraScanner camera(std::move(source), CameraScannerOptions{}, queue);
        camera.Start();
        for (const auto& [token, frame] : card_frames) {
            push->Push(empty);
            push->Push(frame);
            // Wait for the scan as the main loop does, then do what its iteration does.
            for (;;) {
                std::unique_lock lock(wake_mutex);
                wake_cv.wait_for(lock, std::chrono::seconds(5), [&] { return woken; });
                woken = false;
                lock.unlock();
                auto scans = queue.Drain();
                if (scans.empty()) {
                    continue;
                }
                for (const ScanEvent& s : scans) {
                    model.OnScan(s.payload);
                }
                model.Tick();
                ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
                ImGui::NewFrame();
                ui::DrawFrame(model.View(), theme);
                ImGui::Render();
                const double ms =
                    std::chrono::duration<double, std::milli>(Steady::now() - scans.back().seen_at)
                        .count();
                const bool checked_in = model.View().screen == Screen::kResult &&
                                        model.View().result.tone == ResultTone::kCheckedIn;
                if (checked_in) {  // only real commits count; others are not check-in time
                    lat.wall.push_back(ms);
                    ++lat.ok;
                }
                ++lat.n;
                break;
            }
        }
        push->End();
        camera.Stop();
        queue.SetWaker({});
    }
    ImGui::DestroyContext();
    return lat;
}

}  // namespace

int main(int argc, char** argv) {
    int with_code = 180, without_code = 90, latency_samples = 100, seed = 42, peers = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i];
        const int v = std::atoi(argv[i + 1]);
        if (k == "--frames")
            with_code = v;
        else if (k == "--empty")
            without_code = v;
        else if (k == "--latency")
            latency_samples = v;
        else if (k == "--seed")
            seed = v;
        else if (k == "--peers")
            peers = v;  // 0: this pipeline only (for tuning)
        else {
            std::fprintf(stderr,
                         "usage: scan_bench [--frames N] [--empty N] [--latency N] [--seed N] "
                         "[--peers 0|1]\n");
            return 2;
        }
    }
    SetLogLevel(LogLevel::kError);
    struct Res {
        int w, h;
    };
    std::printf(
        "Generated set per resolution: %d frames with a code (each of the 9 difficulties %d "
        "times), "
        "%d without. Times per frame in ms (wall clock; CPU-time median in brackets).\n\n",
        with_code, with_code / 9, without_code);
    std::printf(
        "| frames | decoder | median ms | p99 ms | success | median ms (no code) | p99 ms (no "
        "code) | "
        "no false read | x slower than pipeline (code / no code) |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|\n");
    std::map<std::string, std::map<std::string, Series>> kinds;
    for (const Res r : {Res{640, 480}, Res{1280, 720}, Res{1920, 1080}}) {
        std::vector<Frame> frames;
        for (const SceneSpec& s :
             StandardSet(r.w, r.h, with_code, without_code, static_cast<std::uint64_t>(seed))) {
            frames.push_back(Frame{RenderScene(s), s.text, s.kind});
        }
        struct Candidate {
            std::string name;
            Decoder decode;
        };
        QrDecoder pipeline;
        std::vector<Candidate> decoders;
        decoders.push_back({"this pipeline", [&](const GreyImage& f) {
                                const auto hit = pipeline.Decode(f.View());
                                return hit ? hit->payload : std::string();
                            }});
        if (peers != 0) {
            decoders.push_back({"ZXing 1.4 defaults", ZxingDefaults});
        }
#if defined(KIOSK_BENCH_ZBAR)
        if (peers == 0) {
            // (this pipeline only)
        } else {
            auto zbar_all = std::make_shared<ZbarReader>(false);
            auto zbar_qr = std::make_shared<ZbarReader>(true);
            decoders.push_back({"zbar defaults", [zbar_all](const GreyImage& f) {
                                    return zbar_all->Read(f.pixels.data(), f.width, f.height);
                                }});
            decoders.push_back({"zbar QR only", [zbar_qr](const GreyImage& f) {
                                    return zbar_qr->Read(f.pixels.data(), f.width, f.height);
                                }});
        }
#endif
        double base_with = 0, base_without = 0;
        for (const Candidate& c : decoders) {
            Series with, without;
            Measure(frames, c.decode, with, without,
                    c.name == "this pipeline" ? &kinds[std::to_string(r.w)] : nullptr);
            if (c.name == "this pipeline") {
                base_with = with.Median();
                base_without = without.Median();
            }
            std::printf(
                "| %dx%d | %s | %.2f (%.2f) | %.2f | %.1f%% | %.2f (%.2f) | %.2f | %.1f%% | %s |\n",
                r.w, r.h, c.name.c_str(), with.Median(), with.CpuMedian(), with.P99(), with.Rate(),
                without.Median(), without.CpuMedian(), without.P99(), without.Rate(),
                c.name == "this pipeline"
                    ? "1"
                    : (std::to_string(with.Median() / base_with).substr(0, 5) + " / " +
                       std::to_string(without.Median() / base_without).substr(0, 5))
                          .c_str());
            std::fflush(stdout);
        }
        const auto& st = pipeline.Stats();
        const double f = static_cast<double>(st.frames);
        std::printf(
            "|  | pipeline: %llu frames, %llu read by the coarse pass, %llu by a region (%llu "
            "regions tried); "
            "mean ms a frame: downscale %.2f, coarse %.2f, finder search %.2f, regions %.2f "
            "|||||||| \n",
            static_cast<unsigned long long>(st.frames),
            static_cast<unsigned long long>(st.coarse_hits),
            static_cast<unsigned long long>(st.region_hits),
            static_cast<unsigned long long>(st.regions_tried), st.ms_downscale / f,
            st.ms_coarse / f, st.ms_search / f, st.ms_regions / f);
    }
    std::printf("\nPipeline success by difficulty (code frames):\n\n| difficulty |");
    for (const auto& [res, m] : kinds) {
        std::printf(" width %s |", res.c_str());
    }
    std::printf("\n|---|---|---|---|\n");
    for (int d = 0; d < 9; ++d) {
        const char* name = Name(static_cast<Difficulty>(d));
        std::printf("| %s |", name);
        for (auto& [res, m] : kinds) {
            std::printf(" %d/%d |", m[name].ok, m[name].n);
        }
        std::printf("\n");
    }
    if (latency_samples > 0) {
        const auto work =
            std::filesystem::temp_directory_path() / ("scan-bench-" + std::to_string(::getpid()));
        const Series lat = Latency(latency_samples, work);
        std::filesystem::remove_all(work);
        std::printf(
            "\nScan-to-confirmation (1280x720 card frame handed to the camera thread -> decode -> "
            "queue -> "
            "main thread -> OnScan with its SQLite commit (WAL, synchronous=FULL) -> the "
            "confirmation's "
            "ImGui frame built): %zu check-ins, median %.1f ms, p99 %.1f ms, max %.1f ms.\n",
            lat.wall.size(), lat.Median(), lat.P99(), Series::Pct(lat.wall, 1.0));
    }
    return 0;
}
