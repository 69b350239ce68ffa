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
