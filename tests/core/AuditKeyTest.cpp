// The audit key file (PRIVACY.md 9): made once with mode 0640 and never overwritten, read with
// errors that name the file and the command that makes it, refused inside the data directory
// or when everyone can read it; HMAC-SHA256 checked against Python's hmac module.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>

#include "TestSupport.h"
#include "kiosk/core/AuditKey.h"
#include "kiosk/core/Config.h"

using namespace kiosk;
namespace fs = std::filesystem;

TEST_CASE("init-key writes 32 random bytes with mode 0640 and never overwrites") {
    test::TempDir dir;
    const fs::path file = dir.path() / "audit.key";
    ::umask(077);  // the mode is set, not left to the umask
    REQUIRE(CreateAuditKey(file).ok());
    ::umask(022);
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);
    CHECK(fs::file_size(file) == 32);
    auto first = LoadAuditKey(file);
    REQUIRE(first.ok());
    auto again = CreateAuditKey(file);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == ErrorCode::kConflict);
    CHECK(LoadAuditKey(file).value().bytes == first.value().bytes);  // untouched
    const fs::path other = dir.path() / "other.key";
    REQUIRE(CreateAuditKey(other).ok());
    CHECK(LoadAuditKey(other).value().bytes != first.value().bytes);
}

TEST_CASE("a missing, unreadable, short or world-readable key is refused, saying what to do") {
    test::TempDir dir;
    const fs::path file = dir.path() / "audit.key";
    auto missing = LoadAuditKey(file);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == ErrorCode::kConfig);
    CHECK(missing.error().log.find(file.string()) != std::string::npos);
    CHECK(missing.error().log.find("kiosk audit init-key --out " + file.string()) !=
          std::string::npos);

    std::ofstream(file) << "short";
    ::chmod(file.c_str(), 0640);
    CHECK(LoadAuditKey(file).error().log.find("holds 5 bytes") != std::string::npos);

    fs::remove(file);
    REQUIRE(CreateAuditKey(file).ok());
    ::chmod(file.c_str(), 0644);
    CHECK(LoadAuditKey(file).error().log.find("chmod 0640") != std::string::npos);
    ::chmod(file.c_str(), 0640);
    CHECK(LoadAuditKey(file).ok());
    if (::geteuid() != 0) {  // root reads whatever the mode says
        ::chmod(file.c_str(), 0000);
        CHECK(LoadAuditKey(file).error().log.find("cannot be read") != std::string::npos);
    }
}

TEST_CASE("a key inside the data directory is refused") {
    test::TempDir dir;
    const fs::path data = dir.path() / "data";
    fs::create_directories(data / "sub");
    for (const fs::path& inside : {data / "audit.key", data / "sub" / "audit.key"}) {
        REQUIRE(CreateAuditKey(inside).ok());
        auto k = LoadAuditKeyOutside(inside, data.string() + "/");
        REQUIRE_FALSE(k.ok());
        CHECK(k.error().log.find("inside the data directory") != std::string::npos);
    }
    const fs::path beside = dir.path() / "data2.key";  // a sibling whose name starts alike
    REQUIRE(CreateAuditKey(beside).ok());
    CHECK(LoadAuditKeyOutside(beside, data).ok());
}

TEST_CASE("the demo's key is made on the first run and read after") {
    test::TempDir dir;
    const fs::path file = dir.path() / "config" / "iop-kiosk" / "demo" / "audit.key";
    auto first = LoadOrCreateAuditKey(file);
    REQUIRE(first.ok());
    CHECK((fs::status(file.parent_path()).permissions() & fs::perms::others_all) ==
          fs::perms::none);
    CHECK(LoadOrCreateAuditKey(file).value().bytes == first.value().bytes);
}

TEST_CASE("HMAC-SHA256 matches an independent implementation") {
    // python3: hmac.new(bytes(0xA0 + i for i in range(32)), b"iop-kiosk", hashlib.sha256)
    CHECK(HmacSha256Hex(test::TestAuditKey(), "iop-kiosk") ==
          "c8ba0fbb3f0c4050188d145e88a959611ca8f75abb1571a216ef1f059222bc55");
}

TEST_CASE("[audit] and the damaged-database retention are read with their defaults") {
    auto d = ParseConfig("", "empty.toml");
    REQUIRE(d.ok());
    CHECK(d->audit.key_file == "/etc/iop-kiosk/audit.key");
    CHECK(d->audit.head_interval_minutes == 15);
    CHECK(d->damaged_db_retention_days == 30);
    auto c = ParseConfig(
        "[kiosk]\ndamaged_db_retention_days = 7\n[audit]\nkey_file = "
        "\"/srv/k.key\"\nhead_interval_minutes = 0\n",
        "k.toml");
    REQUIRE(c.ok());
    CHECK(c->audit.key_file == "/srv/k.key");
    CHECK(c->audit.head_interval_minutes == 0);
    CHECK(c->damaged_db_retention_days == 7);
    auto bad = ParseConfig("[kiosk]\ndamaged_db_retention_days = 0\n", "k.toml");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().log.find("kiosk.damaged_db_retention_days") != std::string::npos);
    CHECK_FALSE(ParseConfig("[audit]\nkey_file = \"\"\n", "k.toml").ok());
}
