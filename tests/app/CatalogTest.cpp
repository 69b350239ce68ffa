// Translation catalogues: every message has a text in every language, and a damaged .mo file
// is an error rather than a crash.
#include <doctest/doctest.h>

#include "kiosk/app/Catalog.h"
#include "kiosk/app/Messages.h"
#include "kiosk/app/ResourceMessages.h"
#include "kiosk/app/StaffMessages.h"

using namespace kiosk;

TEST_CASE("every message key has a text in English and Spanish") {
    for (const char* lang : {"en", "es"}) {
        auto c = Catalog::LoadMo(std::string(KIOSK_TEST_I18N) + "/" + lang + ".mo", lang);
        REQUIRE(c.ok());
        for (auto key : msg::kAll) {
            CHECK_MESSAGE(c->Has(key), lang << " lacks " << key);
            CHECK(c->Tr(key) != key);
        }
        for (auto key : msg::kStaffAll) {
            CHECK_MESSAGE(c->Has(key), lang << " lacks " << key);
            CHECK(c->Tr(key) != key);
        }
        for (auto key : msg::kResourceAll) {
            CHECK_MESSAGE(c->Has(key), lang << " lacks " << key);
            CHECK(c->Tr(key) != key);
        }
        // and no stale entries
        CHECK(c->Size() == msg::kAll.size() + msg::kStaffAll.size() + msg::kResourceAll.size());
    }
}

TEST_CASE("placeholders are filled in, and a missing key shows itself") {
    auto es = Catalog::LoadMo(std::string(KIOSK_TEST_I18N) + "/es.mo", "es").value();
    CHECK(es.Format(msg::kAlreadyIn, {{"time", "9:02"}}) ==
          "Ya había registrado su llegada (desde las 9:02)");
    CHECK(es.Tr("no.such.key") == "no.such.key");
}

TEST_CASE("damaged catalogues are refused") {
    CHECK_FALSE(Catalog::FromMoBytes("", "x").ok());
    CHECK_FALSE(Catalog::FromMoBytes("not a mo file at all", "x").ok());
    std::string truncated(
        "\xde\x12\x04\x95\x00\x00\x00\x00\x05\x00\x00\x00\x1c\x00\x00\x00\x44\x00\x00\x00", 20);
    auto r = Catalog::FromMoBytes(truncated, "x");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().log.find("outside the file") != std::string::npos);
}
