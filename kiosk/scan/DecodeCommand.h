// `kiosk decode IMAGE...`: for a clinic's IT person checking printed cards. One line per file:
// the file name, then "ok <text> token=valid|invalid", "none", or "error <why>". Text and names
// are escaped (control, non-ASCII and space bytes as \xNN) so a hostile code cannot write to the
// terminal or fake a field. Depends on core only.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace kiosk::scan {

/// The line for one file (without a newline), and whether the file could be read.
struct DecodeLine {
    std::string text;
    bool readable = true;
};
DecodeLine DecodeImageFile(const std::string& file);

/// Prints a line per file to `out`; returns 0, or 1 when any file could not be read.
int RunDecodeCommand(const std::vector<std::string>& files, std::FILE* out);

}  // namespace kiosk::scan
