// The Netpbm reader: a header of magic, width, height and maximum value (with '#' comments),
// then the samples, raw (big-endian when the maximum is over 255) or as decimal text.
// Replaces stb_image's PNM reader, whose header numbers overflow and whose 16-bit path read
// past its buffer (tests/fuzz/fuzz_image.cpp found both).
#include "kiosk/scan/PnmImage.h"

namespace kiosk::scan {
namespace {

constexpr long kMaxSample = 65535;

class PnmReader {
  public:
    PnmReader(const std::uint8_t* data, std::size_t size) : m_data(data), m_size(size) {}

    /// The next decimal number after whitespace and comments: -1 when there is none, -2 when it
    /// exceeds `limit`.
    long Number(long limit) {
        SkipSpaceAndComments();
        long value = 0;
        std::size_t digits = 0;
        while (m_pos < m_size && m_data[m_pos] >= '0' && m_data[m_pos] <= '9') {
            value = value * 10 + (m_data[m_pos++] - '0');
            if (value > limit) {
                return -2;
            }
            ++digits;
        }
        return digits == 0 ? -1 : value;
    }

    /// After the maximum value: exactly one whitespace byte, then the raster.
    bool OneSpace() {
        if (m_pos < m_size && IsSpace(m_data[m_pos])) {
            ++m_pos;
            return true;
        }
        return false;
    }

    std::size_t Left() const { return m_size - m_pos; }
    const std::uint8_t* Here() const { return m_data + m_pos; }

  private:
    static bool IsSpace(std::uint8_t c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
    }

    void SkipSpaceAndComments() {
        while (m_pos < m_size) {
            if (IsSpace(m_data[m_pos])) {
                ++m_pos;
            } else if (m_data[m_pos] == '#') {
                while (m_pos < m_size && m_data[m_pos] != '\n' && m_data[m_pos] != '\r') {
                    ++m_pos;
                }
            } else {
                return;
            }
        }
    }

    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_pos = 2;  // after the magic
};

std::uint8_t Scaled(long sample, long max) {
    return static_cast<std::uint8_t>((sample * 255 + max / 2) / max);
}

// ITU-R BT.601 weights out of 256, the same stb_image and ZXing use for colour to grey.
std::uint8_t Luma(unsigned r, unsigned g, unsigned b) {
    return static_cast<std::uint8_t>((r * 77U + g * 150U + b * 29U) >> 8U);
}

}  // namespace

bool LooksLikePnm(const std::uint8_t* data, std::size_t size) {
    return size >= 2 && data[0] == 'P' &&
           (data[1] == '2' || data[1] == '3' || data[1] == '5' || data[1] == '6');
}

std::string DecodePnm(const std::uint8_t* data, std::size_t size, int max_side,
                      long long max_pixels, GreyImage& out) {
    if (!LooksLikePnm(data, size)) {
        return "not a PGM or PPM picture";
    }
    const bool colour = data[1] == '3' || data[1] == '6';
    const bool plain = data[1] == '2' || data[1] == '3';
    PnmReader in(data, size);
    const long w = in.Number(max_side);
    const long h = in.Number(max_side);
    if (w == -2 || h == -2 || (w > 0 && h > 0 && static_cast<long long>(w) * h > max_pixels)) {
        return "image too large";
    }
    if (w <= 0 || h <= 0) {
        return "unreadable width or height in the PNM header";
    }
    const long max = in.Number(kMaxSample);
    if (max <= 0) {
        return "unreadable maximum value in the PNM header";
    }
    const int channels = colour ? 3 : 1;
    const std::size_t samples = static_cast<std::size_t>(w) * static_cast<std::size_t>(h) *
                                static_cast<std::size_t>(channels);
    const std::size_t bytes_per = max > 255 ? 2 : 1;
    if (!plain && (!in.OneSpace() || in.Left() < samples * bytes_per)) {
        return "the file ends before its pixels do";
    }
    out = GreyImage(static_cast<int>(w), static_cast<int>(h));
    const std::uint8_t* raw = in.Here();
    auto next = [&]() -> long {
        if (plain) {
            return in.Number(max);
        }
        const long v = bytes_per == 2 ? (raw[0] << 8) | raw[1] : raw[0];
        raw += bytes_per;
        return v <= max ? v : -2;
    };
    for (std::size_t i = 0; i < out.pixels.size(); ++i) {
        long s[3] = {0, 0, 0};
        for (int c = 0; c < channels; ++c) {
            s[c] = next();
            if (s[c] < 0) {
                return "a sample is missing or over the maximum value";
            }
        }
        out.pixels[i] = colour ? Luma(Scaled(s[0], max), Scaled(s[1], max), Scaled(s[2], max))
                               : Scaled(s[0], max);
    }
    return {};
}

}  // namespace kiosk::scan
