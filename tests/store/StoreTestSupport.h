// Shared by the store's tests: a store on a fresh file in a test's temporary directory.
#pragma once

#include <doctest/doctest.h>

#include <memory>

#include "TestSupport.h"
#include "kiosk/store/Store.h"

namespace kiosk::test {

/// Opens (creating and migrating) kiosk.db in `dir`; the test stops if that fails.
inline std::unique_ptr<store::Store> OpenStoreIn(const TempDir& dir) {
    auto s = store::Store::Open(dir.path() / "kiosk.db", TestAuditKey());
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().log));
    return std::move(s).value();
}

}  // namespace kiosk::test
