#include <doctest/doctest.h>

#include "TestSupport.h"
#include "kiosk/app/KeyLineBuffer.h"

using namespace kiosk;
using kiosk::test::At;

TEST_CASE("keys then Enter make one line; Enter alone makes none") {
    KeyLineBuffer b;
    CHECK_FALSE(b.OnEnter(At(9, 0)).has_value());
    b.OnText("K1.", At(9, 0));
    b.OnText("abc", At(9, 0));
    CHECK(b.OnEnter(At(9, 0)) == std::optional<std::string>("K1.abc"));
    CHECK(b.Empty());
}

TEST_CASE("a half-typed line is forgotten after a pause") {
    KeyLineBuffer b(Seconds{20});
    b.OnText("K1.abc", At(9, 0));
    b.OnText("def", At(9, 1));
    CHECK(b.OnEnter(At(9, 1)) == std::optional<std::string>("def"));
}

TEST_CASE("a stuck key or a 3 KB code cannot grow the line without bound") {
    KeyLineBuffer b;
    for (int i = 0; i < 10000; ++i) {
        b.OnText("x", At(9, 0));
    }
    auto line = b.OnEnter(At(9, 0));
    REQUIRE(line.has_value());
    CHECK(line->size() == KeyLineBuffer::kMaxBytes + 1);
}
