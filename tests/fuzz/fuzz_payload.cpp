// libFuzzer target: scanned payload handling. Every input is a payload from a stranger; checks
// that nothing crashes and the invariants hold: bounding keeps bytes or cuts at the cap, the
// token grammar accepts only its alphabet, log and output escaping are printable and never
// carry a whole token, and the wedge classifier / evdev line assembly stay bounded.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "kiosk/core/Token.h"
#include "kiosk/scan/EvdevKeys.h"
#include "kiosk/scan/KeyScanAssembler.h"
#include "kiosk/scan/ScanDeduplicator.h"
#include "kiosk/scan/ScanEvent.h"

using namespace kiosk;
using namespace kiosk::scan;

namespace {

void Require(bool ok, const char* what) {
    if (!ok) {
        __builtin_trap();  // libFuzzer reports the input
    }
    (void)what;
}

bool Printable(std::string_view s) {
    for (unsigned char c : s) {
        if (c < 0x20 || c >= 0x7f) {
            return false;
        }
    }
    return true;
}

bool TokenChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    const std::string bounded = BoundPayload(input);
    Require(
        size <= kMaxScanBytes ? bounded == input : bounded == input.substr(0, kMaxScanBytes + 1),
        "bound");

    const auto token = ParseToken(bounded);
    if (token.ok()) {
        Require(bounded.size() >= kTokenPrefixV1.size() + kTokenMinBody &&
                    bounded.size() <= kTokenMaxLength,
                "len");
        Require(bounded.substr(0, 3) == "K1.", "prefix");
        for (char c : bounded.substr(3)) {
            Require(TokenChar(c), "alphabet");
        }
        Require(token->hex.size() == 64, "hash");
    } else {
        Require(token.error().code == ErrorCode::kInvalidInput, "code");
        Require(Printable(token.error().log), "log printable");
    }
    const std::string described = DescribeScanForLog(bounded);
    Require(Printable(described), "describe printable");
    if (token.ok()) {
        Require(described.find(bounded.substr(3)) == std::string::npos, "no raw token in the log");
    }
    Require(Printable(EscapeForLog(bounded)), "escape printable");
    const std::string field = EscapeField(bounded);
    Require(Printable(field) && field.find(' ') == std::string::npos && !field.empty(), "field");

    // The bytes typed into the window by a "scanner": times from the bytes themselves.
    KeyScanAssembler keys;
    long t = 0;
    std::size_t i = 0;
    while (i < size) {
        const unsigned char b = data[i];
        t += b % 64;
        const std::size_t len = 1 + (b % 4);
        const std::string_view chunk = input.substr(i, len);
        i += len;
        const std::chrono::milliseconds at(t);
        KeyScanAssembler::Step d;
        if (b == '\r' || b == '\n') {
            d = keys.OnKey({KeyKind::kEnter, "", at});
            if (!d.scan) {
                if (auto line = keys.TakeLine(at)) {
                    Require(line->size() <= kMaxScanBytes + 1, "line bounded");
                }
            }
        } else if (b == 0x08) {
            d = keys.OnKey({KeyKind::kBackspace, "", at});
        } else {
            d = keys.Poll(at);
            Require(!(d.scan && !d.handed_on.empty()), "one decision");
            for (const KeyPress& k : d.handed_on) {
                keys.AddToLine(k.text, at);  // as the lobby does: no field takes typing
            }
            d = keys.OnKey({KeyKind::kText, std::string(chunk), at});
        }
        if (d.scan) {
            Require(d.scan->size() <= kMaxScanBytes + 1, "scan bounded");
        }
        for (const KeyPress& k : d.handed_on) {
            Require(!d.scan || k.kind == KeyKind::kKeyUp, "a scan hands on no typing");
            if (k.kind == KeyKind::kText) {
                keys.AddToLine(k.text, at);
            }
        }
    }

    // The same bytes as evdev key events (code, value) from a wedge scanner device.
    EvdevLineAssembler line;
    for (std::size_t k = 0; k + 1 < size; k += 2) {
        if (auto l = line.OnKey(data[k], static_cast<std::int32_t>(data[k + 1] % 3),
                                std::chrono::milliseconds(k))) {
            Require(!l->empty() && l->size() <= kMaxScanBytes + 1, "line bounded");
        }
    }

    ScanDeduplicator dedup(std::chrono::milliseconds(3000));
    const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    Require(dedup.OnCode(bounded, t0), "first sighting is a scan");
    Require(!dedup.OnCode(bounded, t0 + std::chrono::milliseconds(33)), "next frame is not");
    return 0;
}
