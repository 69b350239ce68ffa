// A verifier made for a new PIN (kiosk/core/PinRules.h) is one every kiosk accepts and runs.
#include <doctest/doctest.h>

#include "kiosk/app/PinCheck.h"
#include "kiosk/core/PinRules.h"

using namespace kiosk;

TEST_CASE("a new PIN's verifier is an argon2id string the kiosk runs, and matches only it") {
    auto v = MakePinVerifier("2580");
    REQUIRE(v.ok());
    CHECK(v->rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0) == 0);
    CHECK(CheckPinVerifier(v.value()).ok());
    CHECK(VerifyPin(v.value(), "2580"));
    CHECK_FALSE(VerifyPin(v.value(), "2581"));
    auto again = MakePinVerifier("2580");
    REQUIRE(again.ok());
    CHECK(again.value() != v.value());  // a fresh salt each time
}
