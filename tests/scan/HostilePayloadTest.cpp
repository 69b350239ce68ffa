// Bytes from a stranger (issue 3 item 5): QR codes holding over-long data, NUL, CR/LF, terminal
// escapes, format strings, SQL and shell metacharacters, overlong UTF-8, right-to-left
// overrides, ECI-tagged and untagged text. The scan layer passes them on byte for byte (bounded);
// the token grammar refuses them; the lobby says "see the front desk", writes nothing and shows
// nothing of them; logs see them only escaped.
#include <doctest/doctest.h>

#include "../app/AppFixture.h"
#include "ScanTestSupport.h"
#include "kiosk/core/Token.h"
#include "kiosk/scan/CameraScanner.h"
#include "kiosk/scan/DecodeCommand.h"
#include "kiosk/scan/QrDecoder.h"
#include "kiosk/scan/ReplayFrameSource.h"

using namespace kiosk;
using namespace kiosk::scan;
using namespace kiosk::scan::test;

namespace {

struct Hostile {
    const char* name;
    std::string bytes;
    bool utf8_eci = false;
};

std::vector<Hostile> HostilePayloads() {
    const std::string token = "K1.r-4to8Wn_Lo5tDXCXwjVygNGlvxm4gWX";  // José's real demo card
    std::string binary(2953, '\0');  // the most a QR code holds, every byte value
    for (std::size_t i = 0; i < binary.size(); ++i) {
        binary[i] = static_cast<char>((i * 37 + 11) & 0xff);
    }
    return {
        {"2953 bytes of binary", binary},
        {"NUL inside a token", std::string("K1.r-4to8Wn_Lo5t\0DXCXwjVygNGlvxm4gWX", 36)},
        {"CR LF after a real token", token + "\r\n"},
        {"terminal escapes", "\x1b]0;owned\x07\x1b[2J\x1b[31m" + token + "\x1b[0m"},
        {"format string", "K1.%s%s%s%n%n%x%x%p%p%s%s%s%s%s%s%s%s"},
        {"SQL", "K1.' OR '1'='1'; DROP TABLE attendance; --"},
        {"shell", "K1.$(rm -rf /)`reboot`;|&>/etc/passwd"},
        {"overlong UTF-8", "K1.\xc0\xae\xc0\xae\xe0\x80\xaf\xf0\x80\x80\xaf" + token.substr(3, 20)},
        {"right-to-left override", "K1.\xe2\x80\xae" + token.substr(3)},
        {"ECI-tagged UTF-8 text",
         "K1.\xc3\x84\xc3\x96\xc3\x9c\xe2\x80\xae\xd0\x9a"
         "1.r-4to8Wn_Lo5tDXCXwjVy",
         true},
        {"untagged Latin-1 text", "K1.\xe9\xe8\xe0\xf1r-4to8Wn_Lo5tDXCXwjVygNG"},
        {"Cyrillic look-alike prefix",
         "\xd0\x9a"
         "1.r-4to8Wn_Lo5tDXCXwjVygNGlvxm4gWX"},
        {"a token and a space", token + " "},
        {"too short", "K1.abc"},
    };
}

bool PrintableAscii(const std::string& s) {
    for (unsigned char c : s) {
        if (c < 0x20 || c >= 0x7f) {
            return false;
        }
    }
    return true;
}

}  // namespace

TEST_CASE("hostile QR payloads come out of the decoder byte for byte and fail the token grammar") {
    for (const Hostile& h : HostilePayloads()) {
        CAPTURE(h.name);
        const bool huge = h.bytes.size() > 1000;
        const GreyImage frame =
            QrFrame(h.bytes, huge ? 1920 : 1280, huge ? 1080 : 720, huge ? 5.5 : 5, h.utf8_eci);
        QrDecoder decoder;
        const auto hit = decoder.Decode(frame.View());
        REQUIRE(hit.has_value());
        CHECK(hit->payload == h.bytes);  // unchanged: no character set conversion, no trimming
        CHECK(hit->eci == h.utf8_eci);
        const auto token = ParseToken(hit->payload);
        REQUIRE_FALSE(token.ok());
        CHECK(token.error().code == ErrorCode::kInvalidInput);
        CHECK(PrintableAscii(token.error().log));
        CHECK(PrintableAscii(EscapeField(hit->payload)));
    }
}

TEST_CASE("hostile payloads through the camera thread reach the lobby as 'see the front desk'") {
    kiosk::test::AppFixture app;
    const long long attendance = app.Count("SELECT count(*) FROM attendance");
    const long long outbox = app.Count("SELECT count(*) FROM outbox");
    std::vector<GreyImage> frames;
    const auto hostile = HostilePayloads();
    for (const Hostile& h : hostile) {
        if (h.bytes.size() < 1000) {
            frames.push_back(QrFrame(h.bytes, 1280, 720, 5, h.utf8_eci));
        }
    }
    ScanQueue queue;
    CameraScanner camera(std::make_unique<ReplayFrameSource>(std::move(frames), 0),
                         CameraScannerOptions{}, queue);
    const auto scans = RunToEnd(camera, queue);
    CHECK(scans.size() == hostile.size() - 1);
    for (const ScanEvent& s : scans) {
        app.Scan(s.payload);
        CHECK(app.Showing() == Screen::kResult);
        CHECK(app.Result().tone == ResultTone::kSeeFrontDesk);
        const std::string shown = app.AllText();
        CHECK(shown.find(s.payload) == std::string::npos);
        CHECK(shown.find("DROP") == std::string::npos);
        CHECK(shown.find("owned") == std::string::npos);
        app.Wait(Seconds{1});
    }
    CHECK(app.Count("SELECT count(*) FROM attendance") == attendance);
    CHECK(app.Count("SELECT count(*) FROM outbox") == outbox);
}

TEST_CASE("a real card through the same path checks the person in (the control for the above)") {
    kiosk::test::AppFixture app;
    ScanQueue queue;
    CameraScanner camera(std::make_unique<ReplayFrameSource>(
                             std::vector<GreyImage>{QrFrame(kiosk::test::kJose, 1280, 720, 5)}, 0),
                         CameraScannerOptions{}, queue);
    const auto scans = RunToEnd(camera, queue);
    REQUIRE(scans.size() == 1);
    app.Scan(scans[0].payload);
    CHECK(app.Result().tone == ResultTone::kCheckedIn);
    CHECK(app.Count("SELECT count(*) FROM attendance WHERE source = 'scan'") == 3);
}
