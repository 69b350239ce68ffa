// PNG through stb_image (compiled here with only that decoder and a dimension cap), JPEG through
// libjpeg-turbo, PGM/PPM through PnmImage: fuzzing (tests/fuzz/fuzz_image.cpp) found Debian's
// stb JPEG decoder writing out of bounds on a hostile Huffman table and its PNM reader reading
// past its buffer. Every file is refused by its header, before pixels are decoded, when too large.
#include "kiosk/scan/ImageFile.h"

#include <csetjmp>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <system_error>

#include <jpeglib.h>

#include "kiosk/scan/PnmImage.h"

#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STBI_MAX_DIMENSIONS 8192
#include <stb/stb_image.h>

namespace kiosk::scan {
namespace {

Error Bad(const std::string& name, const std::string& why) {
    return MakeError(ErrorCode::kInvalidInput, name + ": " + why, "The picture could not be read.");
}

struct StbFree {
    void operator()(stbi_uc* p) const { stbi_image_free(p); }
};

bool SizeOk(long long w, long long h) {
    return w > 0 && h > 0 && w <= kMaxImageSide && h <= kMaxImageSide && w * h <= kMaxImagePixels;
}

// libjpeg reports fatal errors through error_exit, which must not return: it jumps back here.
// Only plain data lives between setjmp and longjmp.
struct JpegError {
    jpeg_error_mgr mgr;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

void JpegExit(j_common_ptr cinfo) {
    auto* err = reinterpret_cast<JpegError*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, err->message);
    std::longjmp(err->jump, 1);
}

void JpegQuiet(j_common_ptr, int) {}  // warnings (corrupt data) are not printed

/// Decodes into `out` (already sized by the caller from a first header read). Returns "" or
/// the reason it failed.
std::string DecodeJpeg(const std::uint8_t* data, std::size_t size, GreyImage& out) {
    jpeg_decompress_struct cinfo{};
    JpegError err{};
    cinfo.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = JpegExit;
    err.mgr.emit_message = JpegQuiet;
    if (setjmp(err.jump) != 0) {
        jpeg_destroy_decompress(&cinfo);
        return err.message;
    }
    jpeg_create_decompress(&cinfo);
    cinfo.mem->max_memory_to_use = 512L * 1024 * 1024;
    jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
    jpeg_read_header(&cinfo, TRUE);
    if (!SizeOk(cinfo.image_width, cinfo.image_height)) {
        const std::string why = "image too large (" + std::to_string(cinfo.image_width) + "x" +
                                std::to_string(cinfo.image_height) + ")";
        jpeg_destroy_decompress(&cinfo);
        return why;
    }
    cinfo.out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(&cinfo);
    if (cinfo.output_components != 1) {
        jpeg_destroy_decompress(&cinfo);
        return "unsupported JPEG colour format";
    }
    out.Resize(static_cast<int>(cinfo.output_width), static_cast<int>(cinfo.output_height));
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = out.Row(static_cast<int>(cinfo.output_scanline));
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return {};
}

}  // namespace

Result<GreyImage> DecodeGreyImage(const std::uint8_t* data, std::size_t size,
                                  const std::string& name) {
    if (size == 0) {
        return Bad(name, "empty file");
    }
    if (size > kMaxImageFileBytes || size > static_cast<std::size_t>(INT32_MAX)) {
        return Bad(name, "file too large (" + std::to_string(size) + " bytes)");
    }
    if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
        GreyImage out;
        if (std::string why = DecodeJpeg(data, size, out); !why.empty()) {
            return Bad(name, why.find("too large") != std::string::npos
                                 ? why
                                 : "cannot decode the JPEG (" + why + ")");
        }
        return out;
    }
    if (LooksLikePnm(data, size)) {
        GreyImage out;
        if (std::string why = DecodePnm(data, size, kMaxImageSide, kMaxImagePixels, out);
            !why.empty()) {
            return Bad(name, why);
        }
        return out;
    }
    const int len = static_cast<int>(size);
    int w = 0, h = 0, channels = 0;
    if (stbi_info_from_memory(data, len, &w, &h, &channels) == 0) {
        return Bad(name,
                   std::string("not a PNG, JPEG or PGM image (") + stbi_failure_reason() + ")");
    }
    if (!SizeOk(w, h)) {
        return Bad(name, "image too large (" + std::to_string(w) + "x" + std::to_string(h) + ")");
    }
    std::unique_ptr<stbi_uc, StbFree> pixels(
        stbi_load_from_memory(data, len, &w, &h, &channels, 1));
    if (!pixels) {
        return Bad(name, std::string("cannot decode the image (") + stbi_failure_reason() + ")");
    }
    GreyImage out(w, h);
    std::copy(pixels.get(), pixels.get() + out.pixels.size(), out.pixels.begin());
    return out;
}

Result<GreyImage> LoadGreyImage(const std::filesystem::path& file) {
    const std::string name = file.string();
    std::error_code ec;
    const auto status = std::filesystem::status(file, ec);
    if (ec || !std::filesystem::exists(status)) {
        return MakeError(ErrorCode::kNotFound, name + ": no such file",
                         "The picture could not be read.");
    }
    if (!std::filesystem::is_regular_file(status)) {
        return Bad(name, "not a regular file");
    }
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) {
        return Bad(name, "cannot read: " + ec.message());
    }
    if (size > kMaxImageFileBytes) {
        return Bad(name, "file too large (" + std::to_string(size) + " bytes)");
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return Bad(name, "cannot open (permissions?)");
    }
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (in.gcount() != static_cast<std::streamsize>(bytes.size())) {
        return Bad(name, "cannot read the whole file");
    }
    return DecodeGreyImage(bytes.data(), bytes.size(), name);
}

}  // namespace kiosk::scan
