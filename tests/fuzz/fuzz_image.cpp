// libFuzzer target: image files as `kiosk decode` and the camera replay read them (stb_image with
// our caps), then the QR decode strategy on whatever picture comes out. Files are untrusted.
#include <cstddef>
#include <cstdint>

#include "kiosk/scan/ImageFile.h"
#include "kiosk/scan/QrDecoder.h"
#include "kiosk/scan/ScanEvent.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto image = kiosk::scan::DecodeGreyImage(data, size, "fuzz");
    if (!image) {
        return 0;
    }
    if (image->width * image->height <= 512 * 512) {
        kiosk::scan::QrDecoder decoder;
        if (auto hit = decoder.Decode(image->View())) {
            if (hit->payload.size() > kiosk::scan::kMaxScanBytes + 1) {
                __builtin_trap();
            }
        }
    }
    return 0;
}
