// zbar's C API: one image scanner, Y800 (grey) images wrapping the caller's pixels.
#include "scan_bench_zbar.h"

#include <zbar.h>

using namespace zbar;

ZbarReader::ZbarReader(bool qr_only) : m_scanner(zbar_image_scanner_create()) {
    auto* s = static_cast<zbar_image_scanner_t*>(m_scanner);
    if (qr_only) {
        zbar_image_scanner_set_config(s, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
        zbar_image_scanner_set_config(s, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    }
}

ZbarReader::~ZbarReader() {
    zbar_image_scanner_destroy(static_cast<zbar_image_scanner_t*>(m_scanner));
}

std::string ZbarReader::Read(const std::uint8_t* grey, int width, int height) {
    zbar_image_t* img = zbar_image_create();
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(img, static_cast<unsigned>(width), static_cast<unsigned>(height));
    zbar_image_set_data(
        img, grey, static_cast<unsigned long>(width) * static_cast<unsigned long>(height), nullptr);
    std::string out;
    if (zbar_scan_image(static_cast<zbar_image_scanner_t*>(m_scanner), img) > 0) {
        for (const zbar_symbol_t* s = zbar_image_first_symbol(img); s != nullptr;
             s = zbar_symbol_next(s)) {
            if (zbar_symbol_get_type(s) == ZBAR_QRCODE) {
                out.assign(zbar_symbol_get_data(s), zbar_symbol_get_data_length(s));
                break;
            }
        }
    }
    zbar_image_destroy(img);
    return out;
}
