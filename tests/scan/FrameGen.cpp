// Scene rendering for FrameGen.h: a float canvas, clutter drawn first, then the card or phone
// through a pinhole-camera homography with 2x2 supersampling, then glare, blur and noise.
// Its own PRNG (SplitMix64 + Box-Muller) so frames do not depend on the standard library.
#include "FrameGen.h"

#include <stb/stb_image_write.h>

#include <ZXing/BarcodeFormat.h>
#include <ZXing/BitMatrix.h>
#include <ZXing/CharacterSet.h>
#include <ZXing/MultiFormatWriter.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>

namespace kiosk::scan::test {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kQuiet = 4;  // modules of white around the code, like the printed cards

class Rng {
  public:
    explicit Rng(std::uint64_t seed)
        : m_state(seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull) {}
    std::uint64_t Next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double Unit() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }
    double Uniform(double lo, double hi) { return lo + (hi - lo) * Unit(); }
    int Int(int lo, int hi) {
        return lo + static_cast<int>(Next() % static_cast<std::uint64_t>(hi - lo + 1));
    }
    bool Chance(double p) { return Unit() < p; }
    double Sign() { return Chance(0.5) ? 1.0 : -1.0; }
    double Normal() {
        if (m_have_spare) {
            m_have_spare = false;
            return m_spare;
        }
        double u = 0;
        do {
            u = Unit();
        } while (u <= 1e-12);
        const double v = Unit();
        const double r = std::sqrt(-2.0 * std::log(u));
        m_spare = r * std::sin(2 * kPi * v);
        m_have_spare = true;
        return r * std::cos(2 * kPi * v);
    }

  private:
    std::uint64_t m_state;
    bool m_have_spare = false;
    double m_spare = 0;
};

struct Canvas {
    int w;
    int h;
    std::vector<float> px;
    Canvas(int width, int height, float fill)
        : w(width), h(height), px(static_cast<std::size_t>(width) * height, fill) {}
    float& At(int x, int y) { return px[static_cast<std::size_t>(y) * w + x]; }
    void FillRect(double x0, double y0, double x1, double y1, float v) {
        const int ax = std::max(0, static_cast<int>(std::floor(std::min(x0, x1))));
        const int bx = std::min(w, static_cast<int>(std::ceil(std::max(x0, x1))));
        const int ay = std::max(0, static_cast<int>(std::floor(std::min(y0, y1))));
        const int by = std::min(h, static_cast<int>(std::ceil(std::max(y0, y1))));
        for (int y = ay; y < by; ++y) {
            for (int x = ax; x < bx; ++x) {
                At(x, y) = v;
            }
        }
    }
};

// --- clutter -------------------------------------------------------------------------------

void DrawTextBlock(Canvas& c, Rng& rng, double x, double y, double bw, double bh) {
    c.FillRect(x, y, x + bw, y + bh, static_cast<float>(rng.Uniform(170, 245)));
    const double glyph_h = rng.Uniform(5, 16);
    const float ink = static_cast<float>(rng.Uniform(10, 80));
    for (double ly = y + glyph_h * 0.6; ly + glyph_h < y + bh; ly += glyph_h * 1.6) {
        double lx = x + glyph_h * 0.5;
        while (lx < x + bw - glyph_h) {
            const double gw = rng.Uniform(0.25, 0.8) * glyph_h;
            if (rng.Chance(0.85)) {
                // A glyph: one or two strokes, like letters seen from a distance.
                const double stroke = std::max(1.0, glyph_h * rng.Uniform(0.12, 0.25));
                c.FillRect(lx, ly, lx + stroke, ly + glyph_h, ink);
                if (rng.Chance(0.6)) {
                    c.FillRect(lx, ly + (rng.Chance(0.5) ? 0 : glyph_h - stroke), lx + gw,
                               ly + glyph_h, ink);
                }
            }
            lx += gw + glyph_h * (rng.Chance(0.15) ? 0.9 : 0.25);
        }
    }
}

void DrawLine(Canvas& c, double x0, double y0, double x1, double y1, double thick, float v) {
    const double len = std::hypot(x1 - x0, y1 - y0);
    const int steps = static_cast<int>(len) + 1;
    for (int i = 0; i <= steps; ++i) {
        const double t = static_cast<double>(i) / steps;
        const double cx = x0 + (x1 - x0) * t;
        const double cy = y0 + (y1 - y0) * t;
        c.FillRect(cx - thick / 2, cy - thick / 2, cx + thick / 2, cy + thick / 2, v);
    }
}

void DrawClutter(Canvas& c, Rng& rng, int items) {
    const double W = c.w;
    const double H = c.h;
    for (int i = 0; i < items; ++i) {
        const double x = rng.Uniform(-0.1, 1.0) * W;
        const double y = rng.Uniform(-0.1, 1.0) * H;
        const double s = std::min(W, H);
        const float v = static_cast<float>(rng.Uniform(15, 240));
        switch (rng.Int(0, 6)) {
            case 0:
                c.FillRect(x, y, x + rng.Uniform(0.05, 0.35) * s, y + rng.Uniform(0.05, 0.35) * s,
                           v);
                break;
            case 1:
                DrawLine(c, x, y, x + rng.Uniform(-0.4, 0.4) * s, y + rng.Uniform(-0.4, 0.4) * s,
                         rng.Uniform(1, 7), v);
                break;
            case 2:
                DrawTextBlock(c, rng, x, y, rng.Uniform(0.1, 0.4) * s, rng.Uniform(0.05, 0.25) * s);
                break;
            case 3: {  // a disc
                const double r = rng.Uniform(0.02, 0.15) * s;
                for (int yy = std::max(0, static_cast<int>(y - r));
                     yy < std::min(c.h, static_cast<int>(y + r)); ++yy) {
                    for (int xx = std::max(0, static_cast<int>(x - r));
                         xx < std::min(c.w, static_cast<int>(x + r)); ++xx) {
                        if ((xx - x) * (xx - x) + (yy - y) * (yy - y) < r * r) {
                            c.At(xx, yy) = v;
                        }
                    }
                }
                break;
            }
            case 4: {  // stripes: blinds, a keyboard, a barcode on a poster
                const double period = rng.Uniform(3, 14);
                const double bw = rng.Uniform(0.05, 0.25) * s;
                const double bh = rng.Uniform(0.05, 0.25) * s;
                const float other = static_cast<float>(rng.Uniform(15, 240));
                for (double sx = x; sx < x + bw; sx += period) {
                    c.FillRect(sx, y, sx + period * rng.Uniform(0.3, 0.7), y + bh, v);
                    c.FillRect(sx + period * 0.7, y, sx + period, y + bh, other);
                }
                break;
            }
            case 5: {  // a checkerboard patch: the classic false finder pattern
                const double tile = rng.Uniform(3, 12);
                const int n = rng.Int(3, 10);
                const float dark = static_cast<float>(rng.Uniform(10, 70));
                const float light = static_cast<float>(rng.Uniform(170, 245));
                for (int ty = 0; ty < n; ++ty) {
                    for (int tx = 0; tx < n; ++tx) {
                        c.FillRect(x + tx * tile, y + ty * tile, x + (tx + 1) * tile,
                                   y + (ty + 1) * tile, (tx + ty) % 2 ? dark : light);
                    }
                }
                break;
            }
            default: {  // a soft light or shadow
                const double r = rng.Uniform(0.1, 0.5) * s;
                const double amount = rng.Uniform(-50, 50);
                for (int yy = std::max(0, static_cast<int>(y - r));
                     yy < std::min(c.h, static_cast<int>(y + r)); ++yy) {
                    for (int xx = std::max(0, static_cast<int>(x - r));
                         xx < std::min(c.w, static_cast<int>(x + r)); ++xx) {
                        const double d2 = ((xx - x) * (xx - x) + (yy - y) * (yy - y)) / (r * r);
                        if (d2 < 1) {
                            c.At(xx, yy) += static_cast<float>(amount * (1 - d2));
                        }
                    }
                }
                break;
            }
        }
    }
}

// --- the card ------------------------------------------------------------------------------

using Mat3 = std::array<double, 9>;

Mat3 Multiply(const Mat3& a, const Mat3& b) {
    Mat3 r{};
    for (int i = 0; i < 3; ++i) {
        for (int j = 0; j < 3; ++j) {
            for (int k = 0; k < 3; ++k) {
                r[i * 3 + j] += a[i * 3 + k] * b[k * 3 + j];
            }
        }
    }
    return r;
}

Mat3 Inverse(const Mat3& m) {
    const double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7],
                 i = m[8];
    const double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    const double k = 1.0 / det;
    return {(e * i - f * h) * k, (c * h - b * i) * k, (b * f - c * e) * k,
            (f * g - d * i) * k, (a * i - c * g) * k, (c * d - a * f) * k,
            (d * h - e * g) * k, (b * g - a * h) * k, (a * e - b * d) * k};
}

/// Card plane (u, v in modules, origin at the code's centre) to frame pixels.
struct Camera {
    Mat3 h;
    Mat3 inv;
    void Project(double u, double v, double& x, double& y) const {
        const double X = h[0] * u + h[1] * v + h[2];
        const double Y = h[3] * u + h[4] * v + h[5];
        const double Z = h[6] * u + h[7] * v + h[8];
        x = X / Z;
        y = Y / Z;
    }
    void Unproject(double x, double y, double& u, double& v) const {
        const double U = inv[0] * x + inv[1] * y + inv[2];
        const double V = inv[3] * x + inv[4] * y + inv[5];
        const double Z = inv[6] * x + inv[7] * y + inv[8];
        u = U / Z;
        v = V / Z;
    }
};

Camera MakeCamera(const SceneSpec& s, int modules_across) {
    const double rz = s.rotation_deg * kPi / 180;
    const double rx = s.tilt_x_deg * kPi / 180;
    const double ry = s.tilt_y_deg * kPi / 180;
    const Mat3 Rz{std::cos(rz), -std::sin(rz), 0, std::sin(rz), std::cos(rz), 0, 0, 0, 1};
    const Mat3 Rx{1, 0, 0, 0, std::cos(rx), -std::sin(rx), 0, std::sin(rx), std::cos(rx)};
    const Mat3 Ry{std::cos(ry), 0, std::sin(ry), 0, 1, 0, -std::sin(ry), 0, std::cos(ry)};
    const Mat3 R = Multiply(Ry, Multiply(Rx, Rz));
    // The camera stands about 2.5 card widths away: enough perspective to matter when tilted.
    const double D = 2.5 * modules_across;
    const double f = s.module_px * D;
    const double cx = s.center_x * s.width;
    const double cy = s.center_y * s.height;
    // H = K [r1 r2 t], with the principal point moved to where the code's centre should land.
    const Mat3 Rt{R[0], R[1], 0, R[3], R[4], 0, R[6], R[7], D};
    const Mat3 K{f, 0, cx, 0, f, cy, 0, 0, 1};
    Camera cam;
    cam.h = Multiply(K, Rt);
    cam.inv = Inverse(cam.h);
    return cam;
}

struct CardLook {
    ZXing::BitMatrix bits;
    int n = 0;                               ///< modules across the code (0: no code)
    double half_w = 0, top = 0, bottom = 0;  ///< the white area, in modules from the centre
    double bezel = 0;                        ///< phone only: the dark frame around the screen
    float light = 230, dark = 30, bezel_level = 22;
    double shade_x = 0, shade_y = 0;  ///< an uneven light across the card
    std::uint64_t text_seed = 0;
};

/// Grey value at (u, v) on the card, or a negative number outside it.
float CardSample(const CardLook& c, double u, double v) {
    if (u < -c.half_w - c.bezel || u > c.half_w + c.bezel || v < c.top - c.bezel ||
        v > c.bottom + c.bezel) {
        return -1;
    }
    if (u < -c.half_w || u > c.half_w || v < c.top || v > c.bottom) {
        return c.bezel_level;
    }
    const float light =
        static_cast<float>(c.light * (1 - c.shade_x * (u / c.half_w) - c.shade_y * (v / c.bottom)));
    const double half = c.n / 2.0;
    if (c.n > 0 && u >= -half && u < half && v >= -half && v < half) {
        const int col = static_cast<int>(std::floor(u + half));
        const int row = static_cast<int>(std::floor(v + half));
        return c.bits.get(col, row) ? c.dark : light;
    }
    // The printed label under the code: a few dark strokes, no real letters.
    if (v > half + kQuiet * 0.6 && v < half + kQuiet * 0.6 + 1.6 && std::abs(u) < c.half_w * 0.7) {
        const auto cell = static_cast<std::uint64_t>(std::floor((u + c.half_w) * 1.7));
        const std::uint64_t hsh = (cell + 1) * 0x9E3779B97F4A7C15ull ^ c.text_seed;
        if ((hsh >> 60) % 3 != 0 && std::fmod((u + c.half_w) * 1.7, 1.0) < 0.55) {
            return c.dark + 20;
        }
    }
    return light;
}

void DrawCard(Canvas& canvas, const SceneSpec& s, Rng& rng) {
    CardLook look;
    if (!s.text.empty()) {
        auto writer = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode)
                          .setEccLevel(s.ecc_level)
                          .setMargin(0);
        if (s.raw_bytes) {
            // Each byte as the Latin-1 character of that value: the code stores the bytes as is.
            std::wstring latin1;
            for (char c : s.text) {
                latin1.push_back(static_cast<wchar_t>(static_cast<unsigned char>(c)));
            }
            look.bits = writer.encode(latin1, 0, 0);
        } else {
            if (s.utf8_eci) {
                writer.setEncoding(ZXing::CharacterSet::UTF8);
            }
            look.bits = writer.encode(s.text, 0, 0);
        }
        look.n = look.bits.width();
    } else {
        look.n = 0;
    }
    const int n = look.n > 0 ? look.n : 29;
    const double half = n / 2.0;
    look.text_seed = rng.Next();
    if (s.phone) {
        look.half_w = half + kQuiet + 0.5;
        look.top = -half - kQuiet - rng.Uniform(2, 8);
        look.bottom = half + kQuiet + rng.Uniform(4, 12);
        look.bezel = rng.Uniform(1.5, 3.5);
        look.light = static_cast<float>(rng.Uniform(200, 245));
        look.dark = static_cast<float>(rng.Uniform(30, 65));
        look.bezel_level = static_cast<float>(rng.Uniform(10, 35));
    } else {
        look.half_w = half + kQuiet + rng.Uniform(0.5, 6);
        look.top = -half - kQuiet - rng.Uniform(0.5, 3);
        look.bottom = half + kQuiet + rng.Uniform(3, 6);
        look.light = static_cast<float>(rng.Uniform(185, 240));
        look.dark = static_cast<float>(rng.Uniform(15, 55));
        look.shade_x = rng.Uniform(-0.12, 0.12);
        look.shade_y = rng.Uniform(-0.12, 0.12);
    }
    const Camera cam = MakeCamera(s, n + 2 * kQuiet);
    double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
    for (double u : {-look.half_w - look.bezel, look.half_w + look.bezel}) {
        for (double v : {look.top - look.bezel, look.bottom + look.bezel}) {
            double x = 0, y = 0;
            cam.Project(u, v, x, y);
            x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
        }
    }
    const int ax = std::max(0, static_cast<int>(x0) - 1),
              bx = std::min(canvas.w, static_cast<int>(x1) + 2);
    const int ay = std::max(0, static_cast<int>(y0) - 1),
              by = std::min(canvas.h, static_cast<int>(y1) + 2);
    for (int y = ay; y < by; ++y) {
        for (int x = ax; x < bx; ++x) {
            float sum = 0;
            int covered = 0;
            for (double oy : {0.25, 0.75}) {
                for (double ox : {0.25, 0.75}) {
                    double u = 0, v = 0;
                    cam.Unproject(x + ox, y + oy, u, v);
                    const float g = CardSample(look, u, v);
                    if (g >= 0) {
                        sum += g;
                        ++covered;
                    }
                }
            }
            if (covered > 0) {
                float& p = canvas.At(x, y);
                p = (sum + p * static_cast<float>(4 - covered)) / 4.0f;
            }
        }
    }
    if (s.glare > 0 && look.n > 0) {
        // A reflection: a soft bright ellipse somewhere over the code, saturating what it covers.
        double gx = 0, gy = 0;
        cam.Project(rng.Uniform(-half * 0.6, half * 0.6), rng.Uniform(-half * 0.6, half * 0.6), gx,
                    gy);
        const double code_px = n * s.module_px;
        const double rx = code_px * rng.Uniform(0.25, 0.5);
        const double ry = code_px * rng.Uniform(0.12, 0.3);
        const double angle = rng.Uniform(0, kPi);
        const double amount = 160 * s.glare;
        for (int y = std::max(0, static_cast<int>(gy - rx));
             y < std::min(canvas.h, static_cast<int>(gy + rx)); ++y) {
            for (int x = std::max(0, static_cast<int>(gx - rx));
                 x < std::min(canvas.w, static_cast<int>(gx + rx)); ++x) {
                const double dx = x - gx, dy = y - gy;
                const double a = (dx * std::cos(angle) + dy * std::sin(angle)) / rx;
                const double b = (-dx * std::sin(angle) + dy * std::cos(angle)) / ry;
                const double d2 = a * a + b * b;
                if (d2 < 4) {
                    canvas.At(x, y) += static_cast<float>(amount * std::exp(-d2));
                }
            }
        }
    }
}

void GaussianBlur(Canvas& c, double sigma) {
    if (sigma < 0.2) {
        return;
    }
    const int r = static_cast<int>(std::ceil(sigma * 3));
    std::vector<float> k(2 * r + 1);
    float total = 0;
    for (int i = -r; i <= r; ++i) {
        k[i + r] = static_cast<float>(std::exp(-(i * i) / (2 * sigma * sigma)));
        total += k[i + r];
    }
    for (auto& v : k) {
        v /= total;
    }
    std::vector<float> tmp(c.px.size());
    for (int y = 0; y < c.h; ++y) {
        for (int x = 0; x < c.w; ++x) {
            float acc = 0;
            for (int i = -r; i <= r; ++i) {
                acc += k[i + r] * c.At(std::clamp(x + i, 0, c.w - 1), y);
            }
            tmp[static_cast<std::size_t>(y) * c.w + x] = acc;
        }
    }
    for (int y = 0; y < c.h; ++y) {
        for (int x = 0; x < c.w; ++x) {
            float acc = 0;
            for (int i = -r; i <= r; ++i) {
                acc += k[i + r] *
                       tmp[static_cast<std::size_t>(std::clamp(y + i, 0, c.h - 1)) * c.w + x];
            }
            c.At(x, y) = acc;
        }
    }
}

struct ModuleRange {
    double small_lo, small_hi, mid_lo, mid_hi, large_lo, large_hi;
};

ModuleRange RangeFor(int height) {
    if (height <= 480) {
        return {2.4, 3.2, 3.2, 6.0, 6.0, 11.0};
    }
    if (height <= 720) {
        return {2.6, 3.8, 3.8, 9.0, 9.0, 16.0};
    }
    return {3.0, 5.0, 5.0, 12.0, 12.0, 24.0};
}

}  // namespace

const char* Name(Difficulty d) {
    switch (d) {
        case Difficulty::kPlain:
            return "plain";
        case Difficulty::kRotated:
            return "rotated";
        case Difficulty::kPerspective:
            return "perspective";
        case Difficulty::kBlur:
            return "blur";
        case Difficulty::kNoise:
            return "noise";
        case Difficulty::kClutter:
            return "clutter";
        case Difficulty::kSmall:
            return "small";
        case Difficulty::kLarge:
            return "large";
        case Difficulty::kGlare:
            return "phone-glare";
    }
    return "?";
}

GreyImage RenderScene(const SceneSpec& s) {
    Rng rng(s.seed);
    // A wall, a floor, a window: a two-way gradient under the clutter.
    Canvas c(s.width, s.height, 0);
    const double base = rng.Uniform(70, 190);
    const double gx = rng.Uniform(-60, 60), gy = rng.Uniform(-60, 60);
    for (int y = 0; y < c.h; ++y) {
        for (int x = 0; x < c.w; ++x) {
            c.At(x, y) = static_cast<float>(base + gx * x / c.w + gy * y / c.h);
        }
    }
    DrawClutter(c, rng, s.clutter);
    if (!s.text.empty() || s.phone || rng.Chance(0.5)) {
        DrawCard(c, s, rng);  // with no text: a blank card or phone, as when someone walks by
    }
    GaussianBlur(c, s.blur_sigma);
    const double gain = rng.Uniform(0.85, 1.1);
    Rng noise_only(s.noise_seed);
    Rng& noise = s.noise_seed != 0 ? noise_only : rng;  // the same scene, a new exposure
    GreyImage out(s.width, s.height);
    for (int y = 0; y < c.h; ++y) {
        for (int x = 0; x < c.w; ++x) {
            const double v = c.At(x, y) * gain + noise.Normal() * s.noise_sigma;
            out.At(x, y) = static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
        }
    }
    return out;
}

std::string RandomToken(std::uint64_t seed) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    Rng rng(seed ^ 0x5EEDull);
    std::string t = "K1.";
    for (int i = 0; i < 32; ++i) {
        t.push_back(kAlphabet[rng.Next() % 64]);
    }
    return t;
}

std::vector<SceneSpec> StandardSet(int width, int height, int with_code, int without_code,
                                   std::uint64_t seed) {
    const ModuleRange m = RangeFor(height);
    std::vector<SceneSpec> out;
    for (int i = 0; i < with_code + without_code; ++i) {
        const bool code = i < with_code;
        Rng rng(seed * 1000003ull + static_cast<std::uint64_t>(i) * 7919ull + (code ? 0 : 1));
        SceneSpec s;
        s.width = width;
        s.height = height;
        s.seed = rng.Next();
        s.kind = static_cast<Difficulty>(i % 9);
        s.text = code ? RandomToken(s.seed) : "";
        s.module_px = rng.Uniform(m.mid_lo, m.mid_hi);
        s.rotation_deg = rng.Uniform(-8, 8);
        s.tilt_x_deg = rng.Uniform(-12, 12);
        s.tilt_y_deg = rng.Uniform(-12, 12);
        s.blur_sigma = rng.Uniform(0.3, 0.8);
        s.noise_sigma = rng.Uniform(2, 6);
        s.clutter = rng.Int(12, 30);
        switch (s.kind) {
            case Difficulty::kPlain:
                break;
            case Difficulty::kRotated:
                s.rotation_deg = rng.Sign() * rng.Uniform(10, 20) + 90 * rng.Int(0, 3);
                break;
            case Difficulty::kPerspective:
                s.tilt_x_deg = rng.Sign() * rng.Uniform(20, 40);
                s.tilt_y_deg = rng.Sign() * rng.Uniform(10, 30);
                break;
            case Difficulty::kBlur:
                s.blur_sigma = std::min(2.5, s.module_px * rng.Uniform(0.25, 0.4));
                break;
            case Difficulty::kNoise:
                s.noise_sigma = rng.Uniform(10, 18);
                break;
            case Difficulty::kClutter:
                s.clutter = rng.Int(60, 100);
                break;
            case Difficulty::kSmall:
                s.module_px = rng.Uniform(m.small_lo, m.small_hi);
                s.blur_sigma = rng.Uniform(0.3, 0.6);
                break;
            case Difficulty::kLarge:
                s.module_px = rng.Uniform(m.large_lo, m.large_hi);
                break;
            case Difficulty::kGlare:
                s.phone = true;
                s.glare = rng.Uniform(0.45, 0.85);
                break;
        }
        const int modules = 29 + 2 * kQuiet + 4;
        s.module_px = std::min(s.module_px, 0.8 * std::min(width, height) / modules);
        // Keep the whole code (and its quiet zone) in the frame.
        const double half_extent = modules * s.module_px * 0.62;
        s.center_x = rng.Uniform(half_extent, width - half_extent) / width;
        s.center_y = rng.Uniform(half_extent, height - half_extent) / height;
        out.push_back(std::move(s));
    }
    return out;
}

bool SaveGrey(const GreyImage& image, const std::filesystem::path& file) {
    if (file.extension() == ".png") {
        return stbi_write_png(file.c_str(), image.width, image.height, 1, image.pixels.data(),
                              image.width) != 0;
    }
    std::ofstream out(file, std::ios::binary);
    out << "P5\n" << image.width << " " << image.height << "\n255\n";
    out.write(reinterpret_cast<const char*>(image.pixels.data()),
              static_cast<std::streamsize>(image.pixels.size()));
    return static_cast<bool>(out);
}

}  // namespace kiosk::scan::test
