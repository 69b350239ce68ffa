// Cards issued and revoked at a kiosk reach the real test server through the outbox: an
// If-Match update of the person's identifiers (the new credential appended, the old one's
// period.end set), a 412 read again and re-applied, a lost answer not applied twice, and a second
// kiosk that pulls afterwards takes the new card and refuses the revoked one.
#include <doctest/doctest.h>

#include "TestClinic.h"
#include "kiosk/core/Iso8601.h"
#include "kiosk/core/Sha256.h"
#include "kiosk/core/Token.h"

using namespace kiosk;
using namespace kiosk::test;
using nlohmann::json;

namespace {

constexpr const char* kSystem = "urn:iop-kiosk:credential-sha256";

/// What CardDesk writes: the local credentials and the outbox item, in one transaction.
void Change(TestKiosk& kiosk, const std::string& person, const std::string& hash, Instant at) {
    auto& store = kiosk.store();
    REQUIRE(store
                .Transaction([&](store::WriteTx& tx) -> Status {
                    if (hash.empty()) {
                        auto ended = store.Clinic().EndCredentials(tx, person, at);
                        if (!ended) {
                            return ended.error();
                        }
                    } else if (auto s = store.Clinic().IssueCredential(tx, person, hash, at); !s) {
                        return s;
                    }
                    return store.Outbox().EnqueueCredential(
                        tx, {person, hash.empty() ? "revoke" : "issue", hash, at});
                })
                .ok());
}

/// The credential identifiers the server holds for `person` ("Patient/pat-005").
std::vector<json> Credentials(FhirTestServer& server, const std::string& person) {
    auto reply = server.Get(person);
    REQUIRE(reply.status == 200);
    std::vector<json> out;
    for (const auto& id : reply.json["identifier"]) {
        if (id.value("system", "") == kSystem) {
            out.push_back(id);
        }
    }
    return out;
}

std::string NewHash() {
    return ParseToken(GenerateToken()).value().hex;
}

}  // namespace

TEST_CASE("a card issued at a kiosk reaches the server once, through a 412 and a lost answer") {
    auto& server = SharedServer();
    server.ResetData();
    const std::string person = TestClinic::Patient(5);
    TestKiosk a(server, "lobby-1");
    TestKiosk b(server, "lobby-2");
    REQUIRE(a.Sync().ok());
    REQUIRE(b.Sync().ok());
    const auto before = Credentials(server, person);
    REQUIRE(before.size() == 1);
    const std::string old_hash = before[0]["value"];

    // Someone else changed the Patient between the kiosk's read and its write: 412, read again.
    const Instant at = SystemClock().Now();
    const std::string first = NewHash();
    Change(a, person, first, at);
    server.ResetStats();
    server.Faults(
        json::array({Fault("PUT", "/" + person, {{"action", "status"}, {"status", 412}})}));
    auto r = a.Sync();
    REQUIRE_MESSAGE(r.ok(), ErrorOf(r));
    CHECK(r->push.delivered == 1);
    CHECK(server.Requests("PUT Patient") == 2);
    auto now_held = Credentials(server, person);
    REQUIRE(now_held.size() == 2);
    CHECK(now_held[0]["value"] == old_hash);
    CHECK(now_held[0]["period"]["end"] == FormatDateTimeUtc(at));
    CHECK(now_held[1]["value"] == first);
    CHECK_FALSE(now_held[1].contains("period"));

    // The answer to the next card's update is lost: the resend finds it there, no second PUT.
    const std::string second = NewHash();
    Change(a, person, second, at + Seconds{60});
    server.Faults(
        json::array({Fault("PUT", "/" + person, {{"action", "drop-after-commit"}, {"count", 2}})}));
    CHECK_FALSE(a.Sync().ok());
    CHECK(a.Pending() == 1);
    server.Faults(json::array());
    server.ResetStats();
    r = a.Sync();
    REQUIRE_MESSAGE(r.ok(), ErrorOf(r));
    CHECK(r->push.delivered == 1);
    CHECK(r->push.unchanged == 1);
    CHECK(server.Requests("PUT Patient") == 0);  // the resend read it back: already there
    now_held = Credentials(server, person);
    REQUIRE(now_held.size() == 3);
    CHECK(now_held[1]["period"]["end"] == FormatDateTimeUtc(at + Seconds{60}));
    CHECK(now_held[2]["value"] == second);

    // Kiosk B learns it on its next pull: the newest card works there, the earlier ones do not.
    REQUIRE(b.Sync().ok());
    const Instant later = at + Seconds{120};
    auto on_b = b.store().Clinic().FindCredential(second);
    REQUIRE(on_b.ok());
    REQUIRE(on_b.value());
    CHECK_FALSE(on_b.value()->valid_until);
    for (const auto& hash : {old_hash, first}) {
        auto ended = b.store().Clinic().FindCredential(hash).value();
        REQUIRE(ended);
        REQUIRE(ended->valid_until);
        CHECK(*ended->valid_until <= later);
    }

    // Revoked at A: the server ends the current card and B refuses it after its pull.
    Change(a, person, "", later);
    r = a.Sync();
    REQUIRE_MESSAGE(r.ok(), ErrorOf(r));
    CHECK(r->push.delivered == 1);
    CHECK(Credentials(server, person)[2]["period"]["end"] == FormatDateTimeUtc(later));
    REQUIRE(b.Sync().ok());
    auto revoked = b.store().Clinic().FindCredential(second).value();
    REQUIRE(revoked);
    REQUIRE(revoked->valid_until);
    CHECK(*revoked->valid_until <= later + Seconds{1});
}
