// PRIVACY.md 9: the audit log is append-only and a changed or removed row is detected; since
// migration 008 its chain is keyed (HMAC-SHA256 under a key kept outside the data directory), so
// a row rewritten by someone who can edit kiosk.db but has no key is detected too, and a log
// shortened from the end shows against a head the server holds.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <fstream>
#include <sstream>

#include "StoreTestSupport.h"
#include "kiosk/core/Sha256.h"
#include "kiosk/store/Migrations.h"
#include "kiosk/store/Store.h"

using namespace kiosk;
using namespace kiosk::store;
using kiosk::test::At;

namespace {

void WriteRows(Store& store, int n, int first = 0) {
    for (int i = first; i < first + n; ++i) {
        REQUIRE(store
                    .Transaction([&](store::WriteTx& tx) {
                        return store.Audit().Append(tx, {At(9, i), "lobby-1", "check-in",
                                                         "Patient/p" + std::to_string(i), "s1"});
                    })
                    .ok());
    }
}

std::string DbPath(const test::TempDir& dir) {
    return (dir.path() / "kiosk.db").string();
}

AuditKey OtherKey() {
    AuditKey key = test::TestAuditKey();
    key.bytes[0] ^= 0x01;
    return key;
}

/// The row encoding of the plain chain, written out independently of AuditLog.cpp: what anyone
/// reading the source can recompute.
std::string PlainHash(const std::string& prev, long long seq, long long at,
                      const std::string& actor, const std::string& action,
                      const std::string& subject, const std::string& detail) {
    std::string buf = prev;
    for (const std::string& f :
         {std::to_string(seq), std::to_string(at), actor, action, subject, detail}) {
        buf += "|" + std::to_string(f.size()) + ":" + f;
    }
    return Sha256Hex(buf);
}

/// Rewrites rows from `from` on with plain SHA-256 hashes, re-linking each to the one before,
/// as someone with the file but no key would (triggers dropped), changing row `from`'s subject.
void RewritePlain(const test::TempDir& dir, long long from) {
    SQLite::Database db(DbPath(dir), SQLite::OPEN_READWRITE);
    db.exec("DROP TRIGGER IF EXISTS audit_no_update");
    db.exec("UPDATE audit SET subject = 'Patient/someone-else' WHERE seq = " +
            std::to_string(from));
    std::string prev =
        db.execAndGet("SELECT coalesce((SELECT hash FROM audit WHERE seq = " +
                      std::to_string(from - 1) + "), '" + std::string(64, '0') + "')")
            .getString();
    SQLite::Statement q(db,
                        "SELECT seq, at, actor, action, subject, detail FROM audit WHERE seq >= ? "
                        "ORDER BY seq");
    q.bind(1, static_cast<int64_t>(from));
    std::vector<std::pair<long long, std::string>> rows;
    while (q.executeStep()) {
        const std::string h = PlainHash(prev, q.getColumn(0).getInt64(), q.getColumn(1).getInt64(),
                                        q.getColumn(2).getString(), q.getColumn(3).getString(),
                                        q.getColumn(4).getString(), q.getColumn(5).getString());
        rows.emplace_back(q.getColumn(0).getInt64(), prev + " " + h);
        prev = h;
    }
    for (const auto& [seq, both] : rows) {
        db.exec("UPDATE audit SET prev_hash = '" + both.substr(0, 64) + "', hash = '" +
                both.substr(65) + "' WHERE seq = " + std::to_string(seq));
    }
}

/// A database as an older kiosk left it: schema 5 (before migration 008), `rows` plain rows.
void MakeOldDatabase(const test::TempDir& dir, int rows) {
    SQLite::Database db(DbPath(dir), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    for (const auto& m : AllMigrations()) {
        if (m.version <= 5) {
            db.exec(std::string(m.sql));
        }
    }
    db.exec("PRAGMA user_version=5");
    std::string prev(64, '0');
    for (int seq = 1; seq <= rows; ++seq) {
        const long long at = At(8, seq).time_since_epoch().count();
        const std::string subject = "Patient/old" + std::to_string(seq);
        const std::string hash = PlainHash(prev, seq, at, "lobby-1", "check-in", subject, "s0");
        SQLite::Statement q(
            db, "INSERT INTO audit VALUES (?, ?, 'lobby-1', 'check-in', ?, 's0', ?, ?)");
        q.bind(1, seq);
        q.bind(2, static_cast<int64_t>(at));
        q.bind(3, subject);
        q.bind(4, prev);
        q.bind(5, hash);
        q.exec();
        prev = hash;
    }
}

std::string FileBytes(const test::TempDir& dir) {
    std::ifstream in(DbPath(dir), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("an intact keyed chain verifies, in the store and read-only from the file") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    WriteRows(*store, 5);
    auto v = store->Audit().Verify();
    REQUIRE(v.ok());
    CHECK(v->rows == 5);
    CHECK(v->keyed_from == 1);
    CHECK(v->keyed_checked);
    CHECK(v->Holds());
    auto f = VerifyAuditFile(dir.path() / "kiosk.db", test::TestAuditKey());
    REQUIRE(f.ok());
    CHECK(f->Holds());
    REQUIRE(f->head.has_value());
    CHECK(f->head->seq == 5);
    CHECK(f->head->keyed);
    CHECK(f->head->chain.size() == 16);
}

TEST_CASE("UPDATE and DELETE on the audit table are refused") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    WriteRows(*store, 2);
    SQLite::Database db(DbPath(dir), SQLite::OPEN_READWRITE);
    CHECK_THROWS_WITH_AS(db.exec("UPDATE audit SET detail = 'x' WHERE seq = 1"),
                         doctest::Contains("append-only"), SQLite::Exception);
    CHECK_THROWS_AS(db.exec("DELETE FROM audit WHERE seq = 1"), SQLite::Exception);
}

TEST_CASE("an edited row is detected and named, even with the triggers dropped") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    WriteRows(*store, 4);
    {
        SQLite::Database db(DbPath(dir), SQLite::OPEN_READWRITE);
        db.exec("DROP TRIGGER audit_no_update");
        db.exec("UPDATE audit SET subject = 'Patient/someone-else' WHERE seq = 2");
    }
    auto v = store->Audit().Verify();
    REQUIRE(v.ok());
    REQUIRE(v->first_bad_seq.has_value());
    CHECK(*v->first_bad_seq == 2);
    CHECK(v->why.find("changed") != std::string::npos);
}

TEST_CASE("a removed row is detected") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    WriteRows(*store, 4);
    {
        SQLite::Database db(DbPath(dir), SQLite::OPEN_READWRITE);
        db.exec("DROP TRIGGER audit_no_delete");
        db.exec("DELETE FROM audit WHERE seq = 3");
    }
    auto v = store->Audit().Verify();
    REQUIRE(v->first_bad_seq.has_value());
    CHECK(*v->first_bad_seq == 4);
    CHECK(v->why.find("missing") != std::string::npos);
}

TEST_CASE("a row rewritten with a recomputed hash of its own still breaks the next link") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    WriteRows(*store, 3);
    {
        SQLite::Database db(DbPath(dir), SQLite::OPEN_READWRITE);
        db.exec("DROP TRIGGER audit_no_update");
        db.exec("UPDATE audit SET hash = '" + std::string(64, 'f') + "' WHERE seq = 2");
    }
    auto v = store->Audit().Verify();
    REQUIRE(v->first_bad_seq.has_value());
    CHECK(*v->first_bad_seq == 2);
}

TEST_CASE("rows rewritten with recomputed plain hashes, as without the key, are detected") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    WriteRows(*store, 4);
    SUBCASE("the last row: no later link to break") {
        RewritePlain(dir, 4);
        auto v = VerifyAuditFile(dir.path() / "kiosk.db", test::TestAuditKey());
        REQUIRE(v.ok());
        REQUIRE(v->first_bad_seq.has_value());
        CHECK(*v->first_bad_seq == 4);
        CHECK(v->why.find("without the key") != std::string::npos);
    }
    SUBCASE("every row from the second on, each linked to the one before") {
        RewritePlain(dir, 2);
        auto v = VerifyAuditFile(dir.path() / "kiosk.db", test::TestAuditKey());
        REQUIRE(v.ok());
        REQUIRE(v->first_bad_seq.has_value());
        CHECK(*v->first_bad_seq == 2);
    }
    // Without the key only the links can be checked, and those were rebuilt: this is what the
    // unkeyed chain was open to.
    auto unkeyed = VerifyAuditFile(dir.path() / "kiosk.db", std::nullopt);
    REQUIRE(unkeyed.ok());
    CHECK_FALSE(unkeyed->first_bad_seq.has_value());
}

TEST_CASE("rows from before keying keep their plain check up to the boundary (migration 008)") {
    test::TempDir dir;
    MakeOldDatabase(dir, 3);
    {
        auto unkeyed = VerifyAuditFile(dir.path() / "kiosk.db", test::TestAuditKey());
        REQUIRE(unkeyed.ok());
        CHECK(unkeyed->problem.find("not keyed") != std::string::npos);
    }
    auto store = test::OpenStoreIn(dir);  // migrates to 008 and seals the boundary
    WriteRows(*store, 2, 10);
    auto v = store->Audit().Verify();
    REQUIRE(v.ok());
    CHECK(v->Holds());
    CHECK(v->rows == 5);
    CHECK(v->keyed_from == 4);
    CHECK(v->head->keyed);

    SUBCASE("an old plain row changed is still caught") {
        SQLite::Database db(DbPath(dir), SQLite::OPEN_READWRITE);
        db.exec("DROP TRIGGER audit_no_update");
        db.exec("UPDATE audit SET action = 'scan-refused' WHERE seq = 2");
        auto bad = store->Audit().Verify();
        REQUIRE(bad->first_bad_seq.has_value());
        CHECK(*bad->first_bad_seq == 2);
    }
    SUBCASE("moving the boundary to pass keyed rows off as plain breaks the seal") {
        {
            SQLite::Database db(DbPath(dir), SQLite::OPEN_READWRITE);
            db.exec("UPDATE meta SET value = '6' WHERE key = 'audit.keyed_from'");
        }
        RewritePlain(dir, 4);
        auto bad = VerifyAuditFile(dir.path() / "kiosk.db", test::TestAuditKey());
        REQUIRE(bad.ok());
        CHECK_FALSE(bad->first_bad_seq.has_value());  // every row "checks out" as plain...
        CHECK(bad->problem.find("seal does not match") != std::string::npos);  // ...but not this
        CHECK_FALSE(bad->Holds());
    }
    SUBCASE("a removed seal is reported, and a restart does not renew it over keyed rows") {
        {
            SQLite::Database db(DbPath(dir), SQLite::OPEN_READWRITE);
            db.exec("DELETE FROM meta WHERE key = 'audit.seal'");
        }
        store.reset();
        store = test::OpenStoreIn(dir);
        auto bad = store->Audit().Verify();
        CHECK(bad->problem.find("seal") != std::string::npos);
        CHECK(bad->problem.find("missing") != std::string::npos);
    }
}

TEST_CASE("another key: the store refuses to open, verify names the seal") {
    test::TempDir dir;
    test::OpenStoreIn(dir);
    WriteRows(*test::OpenStoreIn(dir), 2);
    auto other = Store::Open(dir.path() / "kiosk.db", OtherKey());
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().code == ErrorCode::kConfig);
    CHECK(other.error().log.find("another audit key") != std::string::npos);
    auto v = VerifyAuditFile(dir.path() / "kiosk.db", OtherKey());
    REQUIRE(v.ok());
    CHECK(v->problem.find("does not match this key") != std::string::npos);
    CHECK(v->first_bad_seq == 1);
}

TEST_CASE("without the key nothing is written to the audit log") {
    test::TempDir dir;
    auto store = Store::Open(dir.path() / "kiosk.db").value();
    const Status s = store->Transaction([&](store::WriteTx& tx) {
        return store->Audit().Append(tx, {At(9, 0), "lobby-1", "check-in", "Patient/p1", "s1"});
    });
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().log.find("without the audit key") != std::string::npos);
    CHECK(SQLite::Database(DbPath(dir)).execAndGet("SELECT count(*) FROM audit").getInt() == 0);
}

TEST_CASE("a log shortened from the end holds locally but not against the server's head") {
    test::TempDir dir;
    auto store = test::OpenStoreIn(dir);
    WriteRows(*store, 6);
    const AuditHead head = store->Audit().LatestHead().value().value();  // what went to the server
    CHECK(head.seq == 6);
    {
        SQLite::Database db(DbPath(dir), SQLite::OPEN_READWRITE);
        db.exec("DROP TRIGGER audit_no_delete");
        db.exec("DELETE FROM audit WHERE seq >= 5");
    }
    auto local = VerifyAuditFile(dir.path() / "kiosk.db", test::TestAuditKey());
    REQUIRE(local.ok());
    CHECK(local->Holds());  // a clean cut from the end leaves a chain that holds
    auto v = VerifyAuditFile(dir.path() / "kiosk.db", test::TestAuditKey(), {head});
    REQUIRE(v.ok());
    CHECK_FALSE(v->Holds());
    REQUIRE(v->head_problems.size() == 1);
    CHECK(v->head_problems[0].find("TRUNCATED") != std::string::npos);
    CHECK(v->head_problems[0].find("rows 5 to 6 were removed") != std::string::npos);

    SUBCASE("another hash at the head's row") {
        AuditHead older = head;
        older.seq = 3;
        older.hash = std::string(64, 'a');
        auto d = VerifyAuditFile(dir.path() / "kiosk.db", test::TestAuditKey(), {older});
        REQUIRE(d->head_problems.size() == 1);
        CHECK(d->head_problems[0].find("row 3 differs") != std::string::npos);
    }
    SUBCASE("a head of another chain: the database was replaced") {
        AuditHead foreign = head;
        foreign.chain = "00112233aabbccdd";
        foreign.seq = 900;
        auto d = VerifyAuditFile(dir.path() / "kiosk.db", test::TestAuditKey(), {foreign});
        REQUIRE(d->head_problems.size() == 1);
        CHECK(d->head_problems[0].find("another database") != std::string::npos);
    }
    SUBCASE("the head agrees when the log reaches it") {
        AuditHead older = store->Audit().Verify()->head.value();
        auto d = VerifyAuditFile(dir.path() / "kiosk.db", test::TestAuditKey(), {older});
        CHECK(d->Holds());
    }
}

TEST_CASE("verify opens the file read-only and never migrates it") {
    test::TempDir dir;
    MakeOldDatabase(dir, 3);
    const std::string before = FileBytes(dir);
    auto v = VerifyAuditFile(dir.path() / "kiosk.db", test::TestAuditKey());
    REQUIRE(v.ok());
    CHECK(v->rows == 3);
    CHECK_FALSE(v->first_bad_seq.has_value());
    CHECK(FileBytes(dir) == before);
    CHECK(SQLite::Database(DbPath(dir)).execAndGet("PRAGMA user_version").getInt() == 5);
    CHECK(VerifyAuditFile(dir.path() / "nothing.db", test::TestAuditKey()).error().code ==
          ErrorCode::kNotFound);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "nothing.db"));
}
