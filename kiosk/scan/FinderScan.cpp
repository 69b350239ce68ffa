// Finder pattern search: local thresholds from 8x8 blocks (the middle of the min and max over a
// 3x3 block neighbourhood), a transition scan of every few rows that skips flat blocks, the
// 1:1:3:1:1 test on five runs, and cross-checks vertically and diagonally through the centre.
#include "kiosk/scan/FinderScan.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kiosk::scan {
namespace {

constexpr int kBlock = 8;

bool NearModule(float run, float module, float tolerance) {
    return std::abs(run - module) <= module * tolerance + 1.0f;
}

/// d1 l1 D l2 d3 with widths 1:1:3:1:1 (loose: few pixels a module, blur and perspective).
bool IsFinderRuns(const int* len, float module) {
    return len[2] > std::max(len[1], len[3]) &&
           NearModule(static_cast<float>(len[2]), 3 * module, 0.5f) &&
           NearModule(static_cast<float>(len[0]), module, 0.7f) &&
           NearModule(static_cast<float>(len[1]), module, 0.7f) &&
           NearModule(static_cast<float>(len[3]), module, 0.7f) &&
           NearModule(static_cast<float>(len[4]), module, 0.7f);
}

/// Min and max of each 8-pixel group of one row, folded into the block row's running values.
void FoldRow(const std::uint8_t* row, int width, std::uint8_t* mins, std::uint8_t* maxs) {
    int x = 0;
#if defined(__SSE2__)
    for (; x + 16 <= width; x += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + x));
        // Fold each 8-byte half down to its first byte: min/max over 8 pixels.
        __m128i a = _mm_min_epu8(v, _mm_srli_epi64(v, 8));
        a = _mm_min_epu8(a, _mm_srli_epi64(a, 16));
        a = _mm_min_epu8(a, _mm_srli_epi64(a, 32));
        __m128i b = _mm_max_epu8(v, _mm_srli_epi64(v, 8));
        b = _mm_max_epu8(b, _mm_srli_epi64(b, 16));
        b = _mm_max_epu8(b, _mm_srli_epi64(b, 32));
        const int block = x / kBlock;
        const auto a0 = static_cast<std::uint8_t>(_mm_cvtsi128_si32(a) & 0xff);
        const auto a1 = static_cast<std::uint8_t>(_mm_extract_epi16(a, 4) & 0xff);
        const auto b0 = static_cast<std::uint8_t>(_mm_cvtsi128_si32(b) & 0xff);
        const auto b1 = static_cast<std::uint8_t>(_mm_extract_epi16(b, 4) & 0xff);
        mins[block] = std::min(mins[block], a0);
        mins[block + 1] = std::min(mins[block + 1], a1);
        maxs[block] = std::max(maxs[block], b0);
        maxs[block + 1] = std::max(maxs[block + 1], b1);
    }
#endif
    for (; x < width; ++x) {
        const int block = x / kBlock;
        mins[block] = std::min(mins[block], row[x]);
        maxs[block] = std::max(maxs[block], row[x]);
    }
}

}  // namespace

void FinderScan::BuildThresholds(const GreyView& image) {
    m_blocks_x = (image.width + kBlock - 1) / kBlock;
    m_blocks_y = (image.height + kBlock - 1) / kBlock;
    const auto count = static_cast<std::size_t>(m_blocks_x) * m_blocks_y;
    m_block_min.assign(count, 255);
    m_block_max.assign(count, 0);
    for (int y = 0; y < image.height; ++y) {
        const std::size_t base = static_cast<std::size_t>(y / kBlock) * m_blocks_x;
        FoldRow(image.Row(y), image.width, &m_block_min[base], &m_block_max[base]);
    }
    m_threshold.assign(count, -1);
    for (int by = 0; by < m_blocks_y; ++by) {
        for (int bx = 0; bx < m_blocks_x; ++bx) {
            int lo = 255, hi = 0;
            for (int ny = std::max(0, by - 1); ny <= std::min(m_blocks_y - 1, by + 1); ++ny) {
                for (int nx = std::max(0, bx - 1); nx <= std::min(m_blocks_x - 1, bx + 1); ++nx) {
                    const std::size_t i = static_cast<std::size_t>(ny) * m_blocks_x + nx;
                    lo = std::min<int>(lo, m_block_min[i]);
                    hi = std::max<int>(hi, m_block_max[i]);
                }
            }
            if (hi - lo >= m_options.min_contrast) {
                m_threshold[static_cast<std::size_t>(by) * m_blocks_x + bx] =
                    static_cast<std::int16_t>((lo + hi + 1) / 2);
            }
        }
    }
}

int FinderScan::Threshold(int x, int y) const {
    return m_threshold[static_cast<std::size_t>(y / kBlock) * m_blocks_x + x / kBlock];
}

bool FinderScan::CrossCheck(const GreyView& image, int cx, int cy, int dx, int dy, float module,
                            float& centre) const {
    auto dark = [&](int x, int y) {
        const int t = Threshold(x, y);
        return t >= 0 && image.Row(y)[x] < t;
    };
    if (!dark(cx, cy)) {
        return false;
    }
    const int limit = static_cast<int>(module * 4.5f) + 3;
    // Steps from (x, y) along (sx, sy) while the colour is `want`; returns the run length.
    auto walk = [&](int& x, int& y, int sx, int sy, bool want) {
        int n = 0;
        while (x >= 0 && y >= 0 && x < image.width && y < image.height && dark(x, y) == want &&
               n <= limit) {
            x += sx;
            y += sy;
            ++n;
        }
        return n;
    };
    int ax = cx, ay = cy, bx = cx + dx, by = cy + dy;
    const int centre_a = walk(ax, ay, -dx, -dy, true);
    const int centre_b = walk(bx, by, dx, dy, true);
    const int centre_start = (dy != 0 ? ay : ax) + (dy != 0 ? dy : dx);
    const int light_a = walk(ax, ay, -dx, -dy, false);
    const int dark_a = walk(ax, ay, -dx, -dy, true);
    const int light_b = walk(bx, by, dx, dy, false);
    const int dark_b = walk(bx, by, dx, dy, true);
    const int len[5] = {dark_a, light_a, centre_a + centre_b, light_b, dark_b};
    const int total = len[0] + len[1] + len[2] + len[3] + len[4];
    // Along a line through the centre of concentric squares the rings keep their 1:1:3:1:1
    // widths; only the scale changes with the angle (and with perspective).
    const float scaled = static_cast<float>(total) / 7.0f;
    if (scaled < module * 0.4f || scaled > module * 2.5f || !IsFinderRuns(len, scaled)) {
        return false;
    }
    centre = static_cast<float>(centre_start) + static_cast<float>(len[2]) / 2.0f;
    return true;
}

void FinderScan::AddCandidate(float x, float y, float module) {
    for (auto& c : m_candidates) {
        const float ratio = std::max(c.module, module) / std::min(c.module, module);
        if (ratio < 1.6f && std::hypot(c.x - x, c.y - y) < std::max(2.0f * c.module, 3.0f)) {
            const auto h = static_cast<float>(c.hits);
            c.x = (c.x * h + x) / (h + 1);
            c.y = (c.y * h + y) / (h + 1);
            c.module = (c.module * h + module) / (h + 1);
            ++c.hits;
            return;
        }
    }
    if (static_cast<int>(m_candidates.size()) < m_options.max_candidates) {
        m_candidates.push_back(FinderCandidate{x, y, module, 1});
    }
}

const std::vector<FinderCandidate>& FinderScan::Find(const GreyView& image) {
    m_candidates.clear();
    if (image.width < kBlock * 3 || image.height < kBlock * 3) {
        return m_candidates;
    }
    BuildThresholds(image);
    const float min_total = 7 * m_options.min_module;
    const float max_total = 7 * m_options.max_module;
    // The last six transitions of the current row: five runs end at each new transition.
    std::array<int, 6> edges{};
    // Every row that a centre run (3 modules tall) of the smallest module size must cross twice.
    const int row_step =
        std::max(m_options.row_step, static_cast<int>(1.5f * m_options.min_module));
    for (int y = row_step / 2; y < image.height; y += row_step) {
        const std::uint8_t* row = image.Row(y);
        const std::int16_t* thresholds =
            &m_threshold[static_cast<std::size_t>(y / kBlock) * m_blocks_x];
        int seen = 0;  // transitions since the last flat block
        bool dark = false;
        for (int bx = 0; bx < m_blocks_x; ++bx) {
            const int t = thresholds[bx];
            const int x_end = std::min(image.width, (bx + 1) * kBlock);
            if (t < 0) {
                seen = 0;
                continue;
            }
            for (int x = bx * kBlock; x < x_end; ++x) {
                const bool d = row[x] < t;
                if (d == dark) {
                    continue;
                }
                dark = d;
                std::copy(edges.begin() + 1, edges.end(), edges.begin());
                edges[5] = x;
                if (++seen < 6 || d) {
                    continue;  // five runs ending here must start and end dark: test at dark->light
                }
                const int len[5] = {edges[1] - edges[0], edges[2] - edges[1], edges[3] - edges[2],
                                    edges[4] - edges[3], edges[5] - edges[4]};
                const auto total = static_cast<float>(edges[5] - edges[0]);
                if (total < min_total || total > max_total) {
                    continue;
                }
                const float module = total / 7.0f;
                if (!IsFinderRuns(len, module)) {
                    continue;
                }
                const int cx = (edges[2] + edges[3]) / 2;
                float cy = 0, diagonal = 0;
                // Vertically through the centre, then diagonally through the refined centre: text
                // and stripes pass one test often, all three rarely.
                if (CrossCheck(image, cx, y, 0, 1, module, cy) &&
                    CrossCheck(image, cx, static_cast<int>(cy), 1, 1, module, diagonal)) {
                    AddCandidate(static_cast<float>(edges[2] + edges[3]) / 2.0f, cy, module);
                }
            }
        }
    }
    std::stable_sort(
        m_candidates.begin(), m_candidates.end(),
        [](const FinderCandidate& a, const FinderCandidate& b) { return a.hits > b.hits; });
    return m_candidates;
}

namespace {

bool SimilarModule(const FinderCandidate& a, const FinderCandidate& b) {
    return std::max(a.module, b.module) / std::min(a.module, b.module) < 1.7f;
}

/// Three finder patterns that may be one code's, with `a` the corner holding the right angle.
struct Triple {
    float score;  ///< lower is better
    std::size_t a, b, c;
};

/// Candidates i < j < k as one code: two equal sides at a right angle (give or take
/// perspective), 14 (version 1) to about 50 modules long. Nothing when they do not fit.
std::optional<Triple> ScoreTriple(const std::vector<FinderCandidate>& all, std::size_t i,
                                  std::size_t j, std::size_t k) {
    const FinderCandidate* p[3] = {&all[i], &all[j], &all[k]};
    if (!SimilarModule(*p[0], *p[1]) || !SimilarModule(*p[0], *p[2]) ||
        !SimilarModule(*p[1], *p[2])) {
        return std::nullopt;
    }
    const std::size_t idx[3] = {i, j, k};
    const float d01 = std::hypot(p[0]->x - p[1]->x, p[0]->y - p[1]->y);
    const float d02 = std::hypot(p[0]->x - p[2]->x, p[0]->y - p[2]->y);
    const float d12 = std::hypot(p[1]->x - p[2]->x, p[1]->y - p[2]->y);
    // The corner opposite the longest side has the right angle.
    std::size_t corner = 0;
    float s1 = d01, s2 = d02, hyp = d12;
    if (d01 >= d02 && d01 >= d12) {
        corner = 2, s1 = d02, s2 = d12, hyp = d01;
    } else if (d02 >= d01 && d02 >= d12) {
        corner = 1, s1 = d01, s2 = d12, hyp = d02;
    }
    const float module = (p[0]->module + p[1]->module + p[2]->module) / 3;
    const float side = (s1 + s2) / 2;
    const float skew = std::abs(s1 - s2) / side;
    const float right = std::abs(hyp / std::sqrt(s1 * s1 + s2 * s2) - 1);
    if (side < 11 * module || side > 60 * module || skew > 0.45f || right > 0.2f) {
        return std::nullopt;
    }
    // Best first: square-shaped, one module size, and seen on several scan rows (a real
    // pattern is crossed by 3+ rows; noise and text by one).
    const float lo = std::min({p[0]->module, p[1]->module, p[2]->module});
    const float hi = std::max({p[0]->module, p[1]->module, p[2]->module});
    const int hits = std::min({p[0]->hits, p[1]->hits, p[2]->hits});
    const float score = skew + 2 * right + (hi / lo - 1) + 0.6f / static_cast<float>(hits);
    return Triple{score, idx[corner], idx[(corner + 1) % 3], idx[(corner + 2) % 3]};
}

/// Every fitting triple among the first `n` candidates, best-shaped first.
std::vector<Triple> RankTriples(const std::vector<FinderCandidate>& all, std::size_t n) {
    std::vector<Triple> triples;
    auto could_pair = [](const FinderCandidate& a, const FinderCandidate& b) {
        const float module = std::max(a.module, b.module);
        const float d = std::hypot(a.x - b.x, a.y - b.y);
        return SimilarModule(a, b) && d >= 11 * module && d <= 85 * module;  // a side or diagonal
    };
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n; ++j) {
            if (!could_pair(all[i], all[j])) {
                continue;
            }
            for (std::size_t k = j + 1; k < n; ++k) {
                if (auto t = ScoreTriple(all, i, j, k)) {
                    triples.push_back(*t);
                }
            }
        }
    }
    std::sort(triples.begin(), triples.end(),
              [](const Triple& x, const Triple& y) { return x.score < y.score; });
    return triples;
}

}  // namespace

std::vector<CandidateRegion> FinderScan::Regions(int width, int height,
                                                 std::size_t max_regions) const {
    std::vector<CandidateRegion> out;
    const std::size_t n = std::min<std::size_t>(m_candidates.size(), 40);  // the most-seen ones
    std::vector<bool> used(n, false);
    auto add = [&](float x0, float y0, float x1, float y1, float module, float margin,
                   int patterns) {
        CandidateRegion r;
        r.x = std::max(0, static_cast<int>(x0 - margin));
        r.y = std::max(0, static_cast<int>(y0 - margin));
        r.width = std::min(width, static_cast<int>(x1 + margin) + 1) - r.x;
        r.height = std::min(height, static_cast<int>(y1 + margin) + 1) - r.y;
        r.module = module;
        r.patterns = patterns;
        if (r.width > 0 && r.height > 0 && out.size() < max_regions) {
            out.push_back(r);
        }
    };
    for (const Triple& t : RankTriples(m_candidates, n)) {
        if (used[t.a] || used[t.b] || used[t.c]) {
            continue;
        }
        used[t.a] = used[t.b] = used[t.c] = true;
        const FinderCandidate& a = m_candidates[t.a];
        const FinderCandidate& b = m_candidates[t.b];
        const FinderCandidate& c = m_candidates[t.c];
        // The fourth corner completes the parallelogram; the box holds all four plus the
        // finder's half width and the quiet zone.
        const float dx = b.x + c.x - a.x, dy = b.y + c.y - a.y;
        const float module = std::max({a.module, b.module, c.module});
        add(std::min({a.x, b.x, c.x, dx}), std::min({a.y, b.y, c.y, dy}),
            std::max({a.x, b.x, c.x, dx}), std::max({a.y, b.y, c.y, dy}), module, 9 * module, 3);
    }
    // Then pairs (glare or a finger may hide one pattern), then lone patterns seen on several rows.
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n && !used[i]; ++j) {
            const FinderCandidate& a = m_candidates[i];
            const FinderCandidate& b = m_candidates[j];
            const float distance = std::hypot(a.x - b.x, a.y - b.y);
            const float module = std::max(a.module, b.module);
            if (used[j] || !SimilarModule(a, b) || distance < 11 * module ||
                distance > 85 * module) {
                continue;
            }
            used[i] = used[j] = true;
            add(std::min(a.x, b.x), std::min(a.y, b.y), std::max(a.x, b.x), std::max(a.y, b.y),
                module, distance + 9 * module, 2);
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (!used[i] && m_candidates[i].hits >= 2) {
            const FinderCandidate& a = m_candidates[i];
            add(a.x, a.y, a.x, a.y, a.module, 36 * a.module, 1);
        }
    }
    return out;
}

}  // namespace kiosk::scan
