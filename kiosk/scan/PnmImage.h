// Netpbm pictures (PGM and PPM, binary P5/P6 and plain P2/P3, 8- or 16-bit samples) read as
// 8-bit grey. A strict reader of our own: every number in the header is bounded and every
// sample checked against the file's end. Depends on core only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "kiosk/scan/GreyImage.h"

namespace kiosk::scan {

/// True when the bytes start like a Netpbm grey or colour picture ("P2", "P3", "P5" or "P6").
bool LooksLikePnm(const std::uint8_t* data, std::size_t size);

/// Decodes into `out`; returns "" or why the file cannot be read. Samples are scaled from the
/// file's maximum value to 0..255; colour becomes grey with BT.601 weights. Pictures wider or
/// taller than `max_side`, or with more than `max_pixels`, are refused before any allocation.
std::string DecodePnm(const std::uint8_t* data, std::size_t size, int max_side,
                      long long max_pixels, GreyImage& out);

}  // namespace kiosk::scan
