// ZXing-C++ 1.4 behind the QrDecoder strategy. Hints are fixed: QR only, no rotation retries
// (QR finder patterns are rotation invariant), no internal downscale (we pick the scale), one
// symbol. Payload bytes come from Result::bytes(): exactly what the code stores.
#include "kiosk/scan/QrDecoder.h"

#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <chrono>

#include "kiosk/scan/ScanEvent.h"

namespace kiosk::scan {
namespace {

constexpr float kBestModuleMax = 7.0f;  // ZXing's 40 px threshold window reads modules up to ~8 px
constexpr float kCoarseModuleMin = 2.5f;  // and needs a little over 2 px to sample them
constexpr int kCoarseMinWidth = 320;
constexpr float kMinModule = 2.0f;

ZXing::DecodeHints FastHints() {
    ZXing::DecodeHints h;
    h.setFormats(ZXing::BarcodeFormat::QRCode)
        .setTryHarder(false)
        .setTryRotate(false)
        .setTryDownscale(false)
        .setMaxNumberOfSymbols(1)
        .setBinarizer(ZXing::Binarizer::LocalAverage);
    return h;
}

std::optional<QrHit> Read(const GreyView& v, const ZXing::DecodeHints& hints, DecodePass pass) {
    if (v.width < 21 || v.height < 21) {
        return std::nullopt;
    }
    const ZXing::ImageView image(v.data, v.width, v.height, ZXing::ImageFormat::Lum, v.stride);
    const ZXing::Result r = ZXing::ReadBarcode(image, hints);
    if (!r.isValid() || r.format() != ZXing::BarcodeFormat::QRCode) {
        return std::nullopt;
    }
    const ZXing::ByteArray& bytes = r.bytes();
    QrHit hit;
    hit.payload =
        BoundPayload(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    hit.eci = r.hasECI();
    hit.pass = pass;
    return hit;
}

}  // namespace

const GreyView& QrDecoder::Level(int level) {
    if (level == 0) {
        return m_full;
    }
    while (m_built < level) {
        if (static_cast<int>(m_levels.size()) <= m_built) {
            m_levels.emplace_back();
            m_views.emplace_back();
        }
        DownscaleHalf(m_built == 0 ? m_full : m_views[static_cast<std::size_t>(m_built) - 1],
                      m_levels[static_cast<std::size_t>(m_built)]);
        m_views[static_cast<std::size_t>(m_built)] =
            m_levels[static_cast<std::size_t>(m_built)].View();
        ++m_built;
    }
    return m_views[static_cast<std::size_t>(level) - 1];
}

std::optional<QrHit> QrDecoder::Decode(const GreyView& frame) {
    static const ZXing::DecodeHints kHints = FastHints();
    ++m_counters.frames;
    m_full = frame;
    m_built = 0;
    if (frame.Empty()) {
        return std::nullopt;
    }
    // Halved at least once (640x480 -> 320x240: most codes have 4+ px modules), more while wider
    // than coarse_max_width (1080p -> 960x540). Smaller modules are the region search's.
    int coarse = frame.width >= 2 * kCoarseMinWidth ? 1 : 0;
    while ((frame.width >> coarse) > m_options.coarse_max_width &&
           (frame.width >> (coarse + 1)) >= kCoarseMinWidth) {
        ++coarse;
    }
    using Steady = std::chrono::steady_clock;
    auto t = Steady::now();
    auto lap = [&t](double& into) {
        const auto now = Steady::now();
        into += std::chrono::duration<double, std::milli>(now - t).count();
        t = now;
    };
    const GreyView& coarse_view = Level(coarse);
    lap(m_counters.ms_downscale);
    auto coarse_hit = Read(coarse_view, kHints, DecodePass::kCoarse);
    lap(m_counters.ms_coarse);
    if (coarse_hit) {
        ++m_counters.coarse_hits;
        return coarse_hit;
    }
    if (!m_options.region_search || frame.width < 64 || frame.height < 64) {
        return std::nullopt;
    }
    // The search runs on the finest level of at most about 1 MP (the halved frame at 1080p):
    // box averaging keeps 3 px modules visible as 1.5 px ones, at a quarter of the cost.
    int scan_level = 0;
    while (static_cast<long long>(frame.width >> scan_level) * (frame.height >> scan_level) >
           m_options.scan_max_pixels) {
        ++scan_level;
    }
    const GreyView& scanned = Level(scan_level);
    // Modules under 2 full-size pixels cannot be decoded anyway; at smaller sizes sensor noise
    // forms 1:1:3:1:1 runs by chance.
    m_finder.SetMinModule(kMinModule / static_cast<float>(1 << scan_level));
    lap(m_counters.ms_downscale);
    m_finder.Find(scanned);
    const auto regions = m_finder.Regions(scanned.width, scanned.height, m_options.max_regions);
    lap(m_counters.ms_search);
    // Regions together never cost more than decoding a part of the full frame.
    long long budget =
        static_cast<long long>(frame.width) * frame.height / m_options.region_budget_divisor;
    for (const CandidateRegion& sr : regions) {
        if (sr.patterns < m_options.min_patterns) {
            continue;
        }
        const int k = 1 << scan_level;
        const CandidateRegion r{
            sr.x * k,   sr.y * k, sr.width * k, sr.height * k, sr.module * static_cast<float>(k),
            sr.patterns};
        // Modules the coarse pass reads well were already read there: for a code that is not
        // whole (fewer than three patterns), only smaller ones (decoded at full size) and larger
        // ones (at the level that brings them to <= 7 px) are left.
        const float coarse_scale = static_cast<float>(1 << coarse);
        if (r.patterns < 3 && r.module >= kCoarseModuleMin * coarse_scale &&
            r.module <= kBestModuleMax * coarse_scale) {
            continue;
        }
        int level = 0;
        while (r.module / static_cast<float>(1 << level) > kBestModuleMax &&
               (frame.width >> (level + 1)) >= 64) {
            ++level;
        }
        if (level == coarse) {
            continue;  // a crop of the very picture the coarse pass already read
        }
        const long long area = static_cast<long long>(r.width >> level) * (r.height >> level);
        if (area > budget) {
            continue;
        }
        budget -= area;
        ++m_counters.regions_tried;
        const GreyView& v = Level(level);
        const GreyView crop =
            v.Crop(r.x >> level, r.y >> level, r.width >> level, r.height >> level);
        auto hit = Read(crop, kHints, DecodePass::kRegion);
        lap(m_counters.ms_regions);
        if (hit) {
            ++m_counters.region_hits;
            return hit;
        }
    }
    return std::nullopt;
}

std::optional<QrHit> DecodeStill(const GreyView& image) {
    QrDecoder decoder;
    if (auto hit = decoder.Decode(image)) {
        return hit;
    }
    // A still is decoded once: ZXing's thorough defaults (all scales, rotations, harder search),
    // still QR only, are affordable here.
    ZXing::DecodeHints thorough;
    thorough.setFormats(ZXing::BarcodeFormat::QRCode).setMaxNumberOfSymbols(1);
    return Read(image, thorough, DecodePass::kRegion);
}

}  // namespace kiosk::scan
