// A cheap search for QR finder patterns (the 1:1:3:1:1 squares in three corners), used only
// when the coarse decode found nothing: it tells the decoder where a small (or very large) code
// might be, so it never has to decode a whole full-size frame. Standard library only.
#pragma once

#include <cstdint>
#include <vector>

#include "kiosk/scan/GreyImage.h"

namespace kiosk::scan {

/// A likely finder pattern: its centre and its module size, in the scanned picture's pixels.
struct FinderCandidate {
    float x = 0;
    float y = 0;
    float module = 0;
    int hits = 1;  ///< scan rows that crossed it; more is more certain
};

/// A rectangle worth decoding and the module size expected in it, in the scanned picture's pixels.
struct CandidateRegion {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
    float module = 0;
    int patterns = 0;  ///< finder patterns inside: 3 is a whole code
};

class FinderScan {
  public:
    struct Options {
        float min_module = 1.0f;  ///< px; the box-downscaled picture still shows 1 px modules
        float max_module = 20.0f;
        int row_step = 2;          ///< scan every n-th row at least (more for larger min_module)
        int min_contrast = 36;     ///< grey levels between paper and ink in a 24 px neighbourhood
        int max_candidates = 512;  ///< a pathological frame (a checkerboard wall) stops here
    };

    FinderScan() = default;
    explicit FinderScan(Options options) : m_options(options) {}
    void SetMinModule(float px) { m_options.min_module = px; }

    /// Finds finder patterns in `image` (usually the frame halved), thresholding each pixel
    /// against the middle of the darkest and lightest grey around it. Returns them, best first.
    const std::vector<FinderCandidate>& Find(const GreyView& image);

    /// Groups the candidates into at most `max_regions` regions to decode, best first.
    std::vector<CandidateRegion> Regions(int width, int height, std::size_t max_regions) const;

  private:
    void BuildThresholds(const GreyView& image);
    int Threshold(int x, int y) const;  ///< -1 where the neighbourhood is flat
    /// The 1:1:3:1:1 runs along (dx, dy) through (cx, cy); `centre` gets the centre run's middle
    /// as a y (or, for a horizontal check, x) coordinate.
    bool CrossCheck(const GreyView& image, int cx, int cy, int dx, int dy, float module,
                    float& centre) const;
    void AddCandidate(float x, float y, float module);

    Options m_options;
    int m_blocks_x = 0;
    int m_blocks_y = 0;
    std::vector<std::uint8_t> m_block_min;
    std::vector<std::uint8_t> m_block_max;
    std::vector<std::int16_t> m_threshold;  ///< per 8x8 block; -1: flat
    std::vector<FinderCandidate> m_candidates;
};

}  // namespace kiosk::scan
