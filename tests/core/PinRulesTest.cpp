// The new-PIN rule: 4-8 digits, not one digit repeated, not a run up or down.
#include <doctest/doctest.h>

#include "kiosk/core/PinRules.h"

using namespace kiosk;

TEST_CASE("a new PIN is 4-8 digits, neither one digit repeated nor a run") {
    for (const char* ok : {"2580", "7391", "19283746", "1235", "0192", "13579", "90123"}) {
        CAPTURE(ok);
        CHECK(CheckNewPin(ok).ok());
    }
    for (const char* bad : {"", "123", "123456789", "12a4", " 2580", "25-80", "0000", "77777777",
                            "1234", "2345", "0123", "12345678", "9876", "3210", "87654321"}) {
        CAPTURE(bad);
        auto s = CheckNewPin(bad);
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == ErrorCode::kInvalidInput);
        const std::string pin = bad;
        if (pin.size() >= 4 && pin != "1234" && pin != "9876") {  // those two: the examples
            CHECK(s.error().log.find(pin) == std::string::npos);  // never repeats the PIN
        }
    }
    CHECK(CheckNewPin("1111").error().log.find("repeated") != std::string::npos);
    CHECK(CheckNewPin("4567").error().log.find("run") != std::string::npos);
}
