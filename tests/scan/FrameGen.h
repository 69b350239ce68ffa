// Synthetic camera frames for the scan tests, the benchmark and the e2e replay: a QR card or a
// phone screen placed in a cluttered lobby scene with rotation, perspective, blur, noise and
// glare. Deterministic: the same spec and seed give the same pixels on every machine.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kiosk/scan/GreyImage.h"

namespace kiosk::scan::test {

/// What makes a generated frame hard; the benchmark reports success per kind.
enum class Difficulty {
    kPlain,
    kRotated,
    kPerspective,
    kBlur,
    kNoise,
    kClutter,
    kSmall,
    kLarge,
    kGlare
};
const char* Name(Difficulty d);

struct SceneSpec {
    int width = 1280;
    int height = 720;
    std::string text;  ///< what the QR holds; empty: a frame with no code
    Difficulty kind = Difficulty::kPlain;
    double module_px = 6;     ///< module size at the code's centre, in frame pixels
    double rotation_deg = 0;  ///< in the image plane
    double tilt_x_deg = 0;    ///< perspective: the card leans back or forward
    double tilt_y_deg = 0;    ///< perspective: the card turns left or right
    double center_x = 0.5;    ///< where the code's centre lands, as a fraction of the frame
    double center_y = 0.5;
    double blur_sigma = 0;   ///< Gaussian blur of the whole frame, in pixels
    double noise_sigma = 3;  ///< Gaussian sensor noise, in grey levels
    int clutter = 20;        ///< shapes, text lines and patterns in the background
    bool phone = false;      ///< a phone screen (dark bezel, grey "black") instead of a card
    double glare = 0;        ///< 0..1: a bright reflection across part of the code
    int ecc_level = 4;       ///< ZXing writer level 0-8; 4 is M like the printed cards
    bool raw_bytes = false;  ///< `text` is bytes, stored as they are (byte mode, no ECI)
    bool utf8_eci = false;   ///< `text` is UTF-8, stored with an ECI 26 (UTF-8) tag
    std::uint64_t seed = 1;
    std::uint64_t noise_seed = 0;  ///< non-zero: the sensor noise alone comes from this seed
};

/// Draws the scene.
GreyImage RenderScene(const SceneSpec& spec);

/// The generated set for one resolution: `with_code` frames holding a random valid kiosk token
/// (each difficulty in turn, with mild amounts of the others) and `without_code` frames of the
/// same kinds of scene with no code. Deterministic in `seed`.
std::vector<SceneSpec> StandardSet(int width, int height, int with_code, int without_code,
                                   std::uint64_t seed);

/// A random but valid-looking version-1 token ("K1." + 32 URL-safe base64 characters).
std::string RandomToken(std::uint64_t seed);

/// Writes PNG (by extension .png) or binary PGM; false on failure.
bool SaveGrey(const GreyImage& image, const std::filesystem::path& file);

}  // namespace kiosk::scan::test
