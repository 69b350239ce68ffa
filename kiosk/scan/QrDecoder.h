// The camera's decode strategy (COMPATIBILITY.md): QR only; a whole-frame pass at a coarse scale
// (half size up to 1080p), and only when that finds nothing, a finder
// pattern search at full size that sends a few small regions to the decoder at the scale their
// modules need. Empty frames cost one coarse pass and one cheap scan. Depends on core only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/scan/FinderScan.h"
#include "kiosk/scan/GreyImage.h"

namespace kiosk::scan {

enum class DecodePass { kCoarse, kRegion };

struct QrHit {
    std::string payload;  ///< the code's bytes as stored (no character set conversion), bounded
    bool eci = false;     ///< the code declared a character set (ECI); cards never do
    DecodePass pass = DecodePass::kCoarse;
};

class QrDecoder {
  public:
    struct Options {
        int coarse_max_width = 1000;  ///< halve the frame (at least once) until this narrow
        long long scan_max_pixels = 1'000'000;  ///< the finder search's level
        std::size_t max_regions = 3;            ///< regions decoded per frame at most
        int min_patterns = 1;                   ///< finder patterns a region needs
        int region_budget_divisor = 6;  ///< regions decode at most 1/n of the frame's pixels
        bool region_search = true;
    };
    struct Counters {
        std::uint64_t frames = 0;
        std::uint64_t coarse_hits = 0;
        std::uint64_t region_hits = 0;
        std::uint64_t regions_tried = 0;
        double ms_downscale = 0;  ///< time in each stage, summed (for the benchmark)
        double ms_coarse = 0;
        double ms_search = 0;
        double ms_regions = 0;
    };

    QrDecoder() = default;
    explicit QrDecoder(Options options) : m_options(options) {}

    /// The first QR code found in the frame, if any. Not thread-safe: one decoder per thread.
    std::optional<QrHit> Decode(const GreyView& frame);

    const Counters& Stats() const { return m_counters; }

  private:
    const GreyView& Level(int level);

    Options m_options;
    Counters m_counters;
    FinderScan m_finder;
    GreyView m_full;
    std::vector<GreyImage> m_levels;  ///< m_levels[i] is the frame halved i + 1 times
    std::vector<GreyView> m_views;
    int m_built = 0;
};

/// Decodes one still picture (a file) with the same strategy plus ZXing's slower options, for
/// `kiosk decode`: a scanned card sheet may hold a code at any scale.
std::optional<QrHit> DecodeStill(const GreyView& image);

}  // namespace kiosk::scan
