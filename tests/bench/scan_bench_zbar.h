// zbar for scan_bench, in its own file: <zbar.h>'s C++ wrappers clash with a ZXing macro
// (UnsupportedError), so the two libraries never meet in one translation unit.
#pragma once

#include <cstdint>
#include <string>

class ZbarReader {
  public:
    explicit ZbarReader(bool qr_only);
    ~ZbarReader();
    ZbarReader(const ZbarReader&) = delete;
    ZbarReader& operator=(const ZbarReader&) = delete;
    /// The first QR code's bytes in an 8-bit grey picture, or "".
    std::string Read(const std::uint8_t* grey, int width, int height);

  private:
    void* m_scanner;
};
