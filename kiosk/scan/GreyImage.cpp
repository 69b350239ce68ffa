// The one image operation the decode path needs on every frame: a 2x2 box downscale, with an
// SSE2 path (x86-64 always has it) that averages 32 input bytes of two rows per step.
#include "kiosk/scan/GreyImage.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kiosk::scan {

void DownscaleHalf(const GreyView& in, GreyImage& out) {
    const int w = in.width / 2;
    const int h = in.height / 2;
    out.Resize(w, h);
    for (int y = 0; y < h; ++y) {
        const std::uint8_t* r0 = in.Row(2 * y);
        const std::uint8_t* r1 = in.Row(2 * y + 1);
        std::uint8_t* o = out.Row(y);
        int x = 0;
#if defined(__SSE2__)
        const __m128i low_bytes = _mm_set1_epi16(0x00ff);
        const __m128i one = _mm_set1_epi16(1);
        for (; x + 16 <= w; x += 16) {
            // Vertical pairs first (rounding average), then horizontal pairs in 16-bit lanes.
            const __m128i a =
                _mm_avg_epu8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r0 + 2 * x)),
                             _mm_loadu_si128(reinterpret_cast<const __m128i*>(r1 + 2 * x)));
            const __m128i b =
                _mm_avg_epu8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r0 + 2 * x + 16)),
                             _mm_loadu_si128(reinterpret_cast<const __m128i*>(r1 + 2 * x + 16)));
            const __m128i sa = _mm_srli_epi16(
                _mm_add_epi16(_mm_add_epi16(_mm_and_si128(a, low_bytes), _mm_srli_epi16(a, 8)),
                              one),
                1);
            const __m128i sb = _mm_srli_epi16(
                _mm_add_epi16(_mm_add_epi16(_mm_and_si128(b, low_bytes), _mm_srli_epi16(b, 8)),
                              one),
                1);
            _mm_storeu_si128(reinterpret_cast<__m128i*>(o + x), _mm_packus_epi16(sa, sb));
        }
#endif
        for (; x < w; ++x) {
            const unsigned sum = 2u + r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1];
            o[x] = static_cast<std::uint8_t>(sum >> 2);
        }
    }
}

}  // namespace kiosk::scan
