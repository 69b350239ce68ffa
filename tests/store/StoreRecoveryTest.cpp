// A damaged or missing kiosk.db at start: found, set aside, the unsent outbox carried over with
// its identifiers, and reported (log, audit row, status notice); the words for a full disk.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <fstream>
#include <set>

#include "TestSupport.h"
#include "kiosk/store/Store.h"
#include "kiosk/store/StoreRecovery.h"

using namespace kiosk;
using namespace kiosk::store;
using kiosk::test::At;
namespace fs = std::filesystem;

namespace {

/// Three people checked in to s1; p1's Encounter was delivered, p2's and p3's wait, and a
/// provenance item with a payload waits too. The store is closed, so the WAL is checkpointed.
std::vector<std::string> WriteKiosk(const fs::path& file) {
    auto opened = OpenWithRecovery(file, At(8, 0), test::TestAuditKey());
    REQUIRE(opened.ok());
    Store& store = *opened.value();
    ClinicBatch b;
    b.sites.push_back({"site-main", "Cedar Grove Health", "America/Los_Angeles"});
    b.rooms.push_back({"room-oak", "site-main", "Oak Room"});
    for (const char* p : {"Patient/p1", "Patient/p2", "Patient/p3"}) {
        b.persons.push_back({p, "Given", "Family", "adult", {}});
    }
    b.sessions.push_back({"s1",
                          "Process Group",
                          "room-oak",
                          "Practitioner/f1",
                          At(9, 0),
                          At(10, 0),
                          "booked",
                          {"Patient/p1", "Patient/p2", "Patient/p3"},
                          ""});
    REQUIRE(store.Clinic().Apply(b).ok());
    std::vector<std::string> ids;
    for (const char* p : {"Patient/p1", "Patient/p2", "Patient/p3"}) {
        const std::string id = AttendanceIdentifier("s1", p);
        ids.push_back(id);
        REQUIRE(store
                    .Transaction([&](store::WriteTx& tx) -> Status {
                        if (auto s = store.Attendance().Insert(
                                tx, {id, "s1", p, At(8, 55), std::nullopt, "scan", "k1"});
                            !s) {
                            return s;
                        }
                        if (auto s = store.Outbox().EnqueueEncounter(tx, id, At(8, 55)); !s) {
                            return s;
                        }
                        return store.Audit().Append(tx, {At(8, 55), "k1", "check-in", p, "s1"});
                    })
                    .ok());
    }
    REQUIRE(
        store
            .Transaction([&](store::WriteTx& tx) -> Status {
                return store.Outbox().EnqueueProvenance(
                    tx,
                    {"prov-key-1", "Practitioner/f1", "check-in", "forgot card", "k1", At(8, 56)},
                    At(8, 56));
            })
            .ok());
    auto pending = store.Outbox().Items("pending", 10);
    REQUIRE(pending.ok());
    REQUIRE(pending->size() == 4);
    REQUIRE(
        store.Outbox().MarkDelivered({pending->front().seq}, At(8, 57)).ok());  // p1's Encounter
    return ids;
}

/// Overwrites the root page of `table` (a small table: all its rows are on it) with junk.
void DamageTable(const fs::path& file, const std::string& table) {
    long long root = 0, page_size = 0;
    {
        SQLite::Database db(file.string(), SQLite::OPEN_READWRITE);
        db.exec("PRAGMA journal_mode=DELETE");  // every page into the main file, no WAL left
        root = db.execAndGet("SELECT rootpage FROM sqlite_master WHERE name = '" + table + "'")
                   .getInt64();
        page_size = db.execAndGet("PRAGMA page_size").getInt64();
    }
    REQUIRE(root > 1);
    REQUIRE_FALSE(fs::exists(file.string() + "-wal"));
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((root - 1) * page_size);
    const std::string junk(static_cast<std::size_t>(page_size), '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

std::vector<fs::path> SetAsideFiles(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().filename().string().rfind("kiosk.db.corrupt-", 0) == 0) {
            out.push_back(e.path());
        }
    }
    return out;
}

}  // namespace

TEST_CASE("a healthy database is left alone and gets the marker") {
    test::TempDir dir;
    const fs::path file = dir.path() / "kiosk.db";
    WriteKiosk(file);
    CHECK(fs::exists(MarkerFile(file)));
    RecoveryReport report;
    auto again = OpenWithRecovery(file, At(9, 0), test::TestAuditKey(), &report);
    REQUIRE(again.ok());
    CHECK(report.kind == RecoveryReport::Kind::kNone);
    CHECK(SetAsideFiles(dir.path()).empty());
    CHECK(again.value()->Outbox().Items("pending", 10)->size() == 3);
    auto notice = RecoveryNotice(*again.value(), At(9, 0));
    REQUIRE(notice.ok());
    CHECK_FALSE(notice.value().has_value());
}

TEST_CASE("damaged pages are found at start, set aside, and the unsent outbox carried over") {
    test::TempDir dir;
    const fs::path file = dir.path() / "kiosk.db";
    const auto ids = WriteKiosk(file);
    DamageTable(file, "person");

    RecoveryReport report;
    const Instant now = At(9, 30);
    auto opened = OpenWithRecovery(file, now, test::TestAuditKey(), &report);
    REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? "" : opened.error().log));
    CHECK(report.kind == RecoveryReport::Kind::kCorrupt);
    CHECK_FALSE(report.why.empty());
    // Set aside under a timestamped name; the old file is not reused.
    const auto aside = SetAsideFiles(dir.path());
    REQUIRE(aside.size() == 1);
    CHECK(aside[0].filename().string().rfind("kiosk.db.corrupt-20260107T", 0) == 0);
    CHECK(report.set_aside == aside[0]);

    Store& store = *opened.value();
    // The two Encounters and the provenance item that waited, with the same identifiers; the
    // delivered one is not sent again.
    auto pending = store.Outbox().Items("pending", 10);
    REQUIRE(pending.ok());
    REQUIRE(pending->size() == 3);
    std::multiset<std::string> subjects;
    for (const auto& item : pending.value()) {
        subjects.insert(item.stored_kind + ":" + item.subject);
    }
    CHECK(subjects == std::multiset<std::string>{"encounter:" + ids[1], "encounter:" + ids[2],
                                                 "provenance:prov-key-1"});
    CHECK(report.unreadable == 0);
    CHECK_FALSE(report.outbox_partly_unreadable);
    // The check-ins those Encounters are built from came along; the payload too.
    auto row = store.Attendance().ByIdentifier(ids[1]);
    REQUIRE(row.ok());
    REQUIRE(row.value().has_value());
    CHECK(row.value()->person_ref == "Patient/p2");
    CHECK(row.value()->checked_in == At(8, 55));
    for (const auto& item : pending.value()) {
        if (item.kind == OutboxKind::kProvenance) {
            auto fact = store.Outbox().ManualChangeOf(item.seq);
            REQUIRE(fact.ok());
            CHECK(fact->attendance_identifier == "prov-key-1");
            CHECK(fact->reason == "forgot card");
            CHECK(fact->recorded == At(8, 56));
        }
    }
    // Reported: the notice for the status page, and an audit row with it.
    auto notice = RecoveryNotice(store, now);
    REQUIRE(notice.ok());
    REQUIRE(notice.value().has_value());
    CHECK(notice.value()->find("damaged and set aside as " + aside[0].string()) !=
          std::string::npos);
    CHECK(notice.value()->find("3 unsent item(s) recovered") != std::string::npos);
    SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
    CHECK(
        db.execAndGet("SELECT count(*) FROM audit WHERE action = 'database-recovered'").getInt() ==
        1);
    CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
    // The notice stays a while, then goes; staff can acknowledge it sooner.
    CHECK(RecoveryNotice(store, now + kRecoveryNoticeFor - Seconds{60}).value().has_value());
    CHECK_FALSE(RecoveryNotice(store, now + kRecoveryNoticeFor).value().has_value());
    REQUIRE(AcknowledgeRecoveryNotice(store).ok());
    CHECK_FALSE(RecoveryNotice(store, now).value().has_value());
}

TEST_CASE("an outbox on a damaged page is counted as unreadable, never silently dropped") {
    test::TempDir dir;
    const fs::path file = dir.path() / "kiosk.db";
    WriteKiosk(file);
    DamageTable(file, "outbox");
    RecoveryReport report;
    auto opened = OpenWithRecovery(file, At(9, 30), test::TestAuditKey(), &report);
    REQUIRE(opened.ok());
    CHECK(report.kind == RecoveryReport::Kind::kCorrupt);
    CHECK(report.items.empty());
    // The state index still lists the three waiting items; their rows are gone.
    CHECK(report.unreadable == 3);
    const std::string notice = RecoveryNotice(*opened.value(), At(9, 30)).value().value_or("");
    CHECK(notice.find("0 unsent item(s) recovered, 3 could not be read") != std::string::npos);
}

TEST_CASE("a file that is not a database at all is set aside and a new one made") {
    test::TempDir dir;
    const fs::path file = dir.path() / "kiosk.db";
    std::ofstream(file) << std::string(8192, 'x');
    RecoveryReport report;
    auto opened = OpenWithRecovery(file, At(9, 30), test::TestAuditKey(), &report);
    REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? "" : opened.error().log));
    CHECK(report.kind == RecoveryReport::Kind::kCorrupt);
    CHECK(report.outbox_partly_unreadable);
    CHECK(SetAsideFiles(dir.path()).size() == 1);
    const std::string notice = RecoveryNotice(*opened.value(), At(9, 30)).value().value_or("");
    CHECK(notice.find("more may be lost") != std::string::npos);
}

TEST_CASE("a set-aside damaged database is removed after its retention, named in the log") {
    test::TempDir dir;
    const fs::path file = dir.path() / "kiosk.db";
    WriteKiosk(file);
    { std::ofstream(file, std::ios::binary | std::ios::trunc) << "not a database"; }
    const Instant damaged_at = At(9, 30);
    REQUIRE(OpenWithRecovery(file, damaged_at, test::TestAuditKey()).ok());
    REQUIRE(SetAsideFiles(dir.path()).size() == 1);
    const fs::path aside = SetAsideFiles(dir.path())[0];
    // Files it did not make itself are never touched, whatever their age.
    for (const char* other : {"kiosk.db.corrupt-notastamp", "kiosk.db.bak", "notes.txt",
                              "other.db.corrupt-20200101T000000"}) {
        std::ofstream(dir.path() / other) << "x";
    }
    const Seconds thirty_days{30 * 86400};
    CHECK(RemoveExpiredSetAside(file, damaged_at + Seconds{29 * 86400}, thirty_days).empty());
    CHECK(fs::exists(aside));
    std::vector<fs::path> removed;
    const std::string log = test::CaptureStderr([&] {
        removed = RemoveExpiredSetAside(file, damaged_at + Seconds{31 * 86400}, thirty_days);
    });
    REQUIRE(removed.size() == 1);
    CHECK(removed[0] == aside);
    CHECK_FALSE(fs::exists(aside));
    CHECK_MESSAGE(log.find("removed " + aside.string()) != std::string::npos, log);
    for (const char* other : {"kiosk.db", "kiosk.db.corrupt-notastamp", "kiosk.db.bak", "notes.txt",
                              "other.db.corrupt-20200101T000000"}) {
        CAPTURE(other);
        CHECK(fs::exists(dir.path() / other));
    }
}

TEST_CASE("a missing database where one existed is reported; a first start is not") {
    test::TempDir dir;
    const fs::path file = dir.path() / "kiosk.db";
    {
        RecoveryReport first;
        auto opened = OpenWithRecovery(file, At(8, 0), test::TestAuditKey(), &first);
        REQUIRE(opened.ok());
        CHECK(first.kind == RecoveryReport::Kind::kNone);
        CHECK_FALSE(RecoveryNotice(*opened.value(), At(8, 0)).value().has_value());
    }
    WriteKiosk(file);
    fs::remove(file);
    RecoveryReport report;
    auto opened = OpenWithRecovery(file, At(9, 30), test::TestAuditKey(), &report);
    REQUIRE(opened.ok());
    CHECK(report.kind == RecoveryReport::Kind::kMissing);
    const std::string notice = RecoveryNotice(*opened.value(), At(9, 30)).value().value_or("");
    CHECK(notice.find("kiosk.db was missing") != std::string::npos);
    CHECK(notice.find("not yet sent when it disappeared is lost") != std::string::npos);
    SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
    CHECK(db.execAndGet("SELECT count(*) FROM audit WHERE action = 'database-missing'").getInt() ==
          1);
}

TEST_CASE("a full disk is named with the folder, the free space and what to do") {
    const Error full = MakeError(ErrorCode::kStorage,
                                 "transaction: database or disk is full (the disk is full: ...)");
    CHECK(IsDiskProblem(full));
    CHECK_FALSE(IsDiskProblem(MakeError(ErrorCode::kStorage, "database is locked")));
    const std::string text = DescribeDiskProblem(full, "/tmp/kiosk.db");
    CHECK(text.rfind("The disk holding /tmp is full (", 0) == 0);
    CHECK(text.find(" MB free): free space") != std::string::npos);
    NoteStorageProblem(text);
    CHECK(StorageProblem() == text);
    ClearStorageProblem();
    CHECK(StorageProblem().empty());
}
