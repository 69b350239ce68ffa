// Image files (PNG, JPEG, PGM/PPM) read as 8-bit grey, for `kiosk decode` and for replaying
// recorded or generated camera frames. Files are untrusted: size and dimensions are capped
// before any pixel is decoded. Depends on core only.
#pragma once

#include <filesystem>

#include "kiosk/core/Result.h"
#include "kiosk/scan/GreyImage.h"

namespace kiosk::scan {

inline constexpr std::uintmax_t kMaxImageFileBytes = 64ull * 1024 * 1024;
inline constexpr int kMaxImageSide = 8192;
inline constexpr long long kMaxImagePixels = 40'000'000;

/// Reads a PNG, JPEG or binary/ASCII PNM file and converts it to grey. A file that is missing,
/// unreadable, too big or not a supported image is a kInvalidInput (or kNotFound) error whose
/// log text names the file and the reason.
Result<GreyImage> LoadGreyImage(const std::filesystem::path& file);

/// The same from bytes already in memory; `name` is used in messages.
Result<GreyImage> DecodeGreyImage(const std::uint8_t* data, std::size_t size,
                                  const std::string& name);

}  // namespace kiosk::scan
