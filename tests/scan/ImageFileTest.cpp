// Image files for `kiosk decode` and the replay: PNG, JPEG and PGM read as grey; empty,
// truncated, mislabelled and oversized files are refused with the file named, never a crash;
// and the decode command's lines and exit status.
#include <doctest/doctest.h>

#include <stb/stb_image_write.h>

#include <cstdio>
#include <fstream>

#include "FrameGen.h"
#include "ScanTestSupport.h"
#include "TestSupport.h"
#include "kiosk/scan/DecodeCommand.h"
#include "kiosk/scan/ImageFile.h"

using namespace kiosk;
using namespace kiosk::scan;
using namespace kiosk::scan::test;
namespace fs = std::filesystem;

namespace {

void WriteBytes(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary) << bytes;
}

std::string ReadAll(std::FILE* f) {
    std::rewind(f);
    std::string out;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
        out.append(buf, n);
    }
    return out;
}

}  // namespace

TEST_CASE("PNG, JPEG and PGM load as the same grey picture") {
    kiosk::test::TempDir dir;
    const GreyImage frame = QrFrame(RandomToken(9), 320, 240, 4);
    REQUIRE(SaveGrey(frame, dir.path() / "f.png"));
    REQUIRE(SaveGrey(frame, dir.path() / "f.pgm"));
    REQUIRE(stbi_write_jpg((dir.path() / "f.jpg").c_str(), frame.width, frame.height, 1,
                           frame.pixels.data(), 95) != 0);
    for (const char* name : {"f.png", "f.pgm", "f.jpg"}) {
        CAPTURE(name);
        auto img = LoadGreyImage(dir.path() / name);
        REQUIRE(img.ok());
        CHECK(img->width == 320);
        CHECK(img->height == 240);
        if (std::string(name) != "f.jpg") {
            CHECK(img->pixels == frame.pixels);
        }
    }
}

TEST_CASE("PGM and PPM: 8- and 16-bit, plain and binary, with comments, load as grey") {
    auto decode = [](const std::string& bytes) {
        return DecodeGreyImage(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(),
                               "p.pnm");
    };
    // 16-bit colour, big-endian: white, then half green. stb read these little-endian and, asked
    // for grey, past its buffer (fuzz_image found it; ASan failed here then).
    std::string ppm16 = "P6\n# a comment\n2 1\n65535\n";
    for (const unsigned v : {0xFFFFU, 0xFFFFU, 0xFFFFU, 0x0000U, 0x8000U, 0x0000U}) {
        ppm16 += static_cast<char>(v >> 8U);
        ppm16 += static_cast<char>(v & 0xFFU);
    }
    auto colour = decode(ppm16);
    REQUIRE(colour.ok());
    CHECK(colour->pixels == std::vector<std::uint8_t>{255, 75});           // 128 * 150 / 256
    auto grey16 = decode(std::string("P5 1 1 1000\n") + '\x01' + '\xF4');  // 500 of 1000
    REQUIRE(grey16.ok());
    CHECK(grey16->pixels == std::vector<std::uint8_t>{128});
    auto plain = decode("P2\n3 1\n# max\n15\n0 15\n8\n");
    REQUIRE(plain.ok());
    CHECK(plain->pixels == std::vector<std::uint8_t>{0, 255, 136});
    auto plain_rgb = decode("P3 1 1 255 255 0 0");
    REQUIRE(plain_rgb.ok());
    CHECK(plain_rgb->pixels == std::vector<std::uint8_t>{76});
    struct Bad {
        std::string bytes;
        const char* why;
    };
    for (const Bad& c :
         {Bad{"P5\n99999999999999999999 1\n255\n", "too large"},  // stb's int overflowed here
          Bad{"P5\n2 2\n255\n\x01\x02", "ends before its pixels"},
          Bad{"P5\n2 x\n255\n", "width or height"}, Bad{"P5\n1 1\n70000\n", "maximum value"},
          Bad{"P2\n2 1\n10\n3 11\n", "over the maximum"}, Bad{"P2\n2 1\n10\n3", "missing"}}) {
        CAPTURE(c.bytes);
        auto r = decode(c.bytes);
        REQUIRE_FALSE(r.ok());
        CHECK_MESSAGE(r.error().log.find(c.why) != std::string::npos, r.error().log);
        CHECK(r.error().log.rfind("p.pnm: ", 0) == 0);
    }
    const unsigned char rgb[] = {255, 0, 0, 0, 0, 255};
    kiosk::test::TempDir dir;
    REQUIRE(stbi_write_png((dir.path() / "rgb.png").c_str(), 2, 1, 3, rgb, 6) != 0);
    auto png = LoadGreyImage(dir.path() / "rgb.png");
    REQUIRE(png.ok());
    CHECK(png->pixels == std::vector<std::uint8_t>{76, 28});  // red and blue as stb weighs them
}

TEST_CASE("bad image files are refused by name and reason") {
    kiosk::test::TempDir dir;
    const GreyImage frame = QrFrame(RandomToken(9), 320, 240, 4);
    REQUIRE(SaveGrey(frame, dir.path() / "good.png"));
    std::ifstream in(dir.path() / "good.png", std::ios::binary);
    const std::string png((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    WriteBytes(dir.path() / "empty.png", "");
    WriteBytes(dir.path() / "truncated.png", png.substr(0, png.size() / 2));
    WriteBytes(dir.path() / "text.png", "this is not a picture\n");
    // A PGM header claiming 100000 x 100000 pixels: refused before any allocation.
    WriteBytes(dir.path() / "huge.pgm", "P5\n100000 100000\n255\n" + std::string(64, '\0'));
    WriteBytes(dir.path() / "wide.pgm", "P5\n8000 8000\n255\n" + std::string(64, '\0'));
    struct Case {
        const char* file;
        const char* why;
    };
    for (const Case c :
         {Case{"missing.png", "no such file"}, Case{"empty.png", "empty file"},
          Case{"truncated.png", "cannot decode"}, Case{"text.png", "not a PNG, JPEG or PGM"},
          Case{"huge.pgm", "too large"}, Case{"wide.pgm", "too large"}}) {
        CAPTURE(c.file);
        auto r = LoadGreyImage(dir.path() / c.file);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().log.find(c.file) != std::string::npos);
        CHECK_MESSAGE(r.error().log.find(c.why) != std::string::npos, r.error().log);
    }
    CHECK_FALSE(LoadGreyImage(dir.path()).ok());  // a folder
}

TEST_CASE("kiosk decode: one line per file, escaped text, token validity, exit status") {
    kiosk::test::TempDir dir;
    const std::string token = RandomToken(4);
    REQUIRE(SaveGrey(QrFrame(token, 640, 480, 5), dir.path() / "card 1.png"));
    REQUIRE(SaveGrey(QrFrame("K1.bad\x1b[2Jtoken=valid", 640, 480, 5), dir.path() / "evil.png"));
    REQUIRE(SaveGrey(RenderScene(StandardSet(640, 480, 0, 1, 8)[0]), dir.path() / "blank.pgm"));
    // A printed card sheet scanned at 300 dpi holds big codes: the still path reads those too.
    REQUIRE(SaveGrey(QrFrame(token, 1800, 1200, 30), dir.path() / "sheet.png"));
    const std::vector<std::string> files = {
        (dir.path() / "card 1.png").string(), (dir.path() / "evil.png").string(),
        (dir.path() / "blank.pgm").string(), (dir.path() / "sheet.png").string()};
    std::FILE* out = std::tmpfile();
    REQUIRE(out != nullptr);
    CHECK(RunDecodeCommand(files, out) == 0);
    const std::string text = ReadAll(out);
    std::fclose(out);
    const std::string d = EscapeField(dir.path().string());
    CHECK(text == d + "/card\\x201.png ok " + token + " token=valid\n" + d +
                      "/evil.png ok K1.bad\\x1b[2Jtoken=valid token=invalid\n" + d +
                      "/blank.pgm none\n" + d + "/sheet.png ok " + token + " token=valid\n");

    std::FILE* out2 = std::tmpfile();
    CHECK(RunDecodeCommand(
              {(dir.path() / "card 1.png").string(), (dir.path() / "nope.png").string()}, out2) ==
          1);
    const std::string text2 = ReadAll(out2);
    std::fclose(out2);
    CHECK(text2.find(d + "/nope.png error no such file") != std::string::npos);
}
