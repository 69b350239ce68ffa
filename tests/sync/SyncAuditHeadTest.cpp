// The audit log's head on the test server (PRIVACY.md 9, sync/AuditHeadSender.h): one AuditEvent
// per head, under a tag that is the same whoever sends it and however often, at most once per
// interval, and a server that refuses it never holds up the outbox.
#include <doctest/doctest.h>

#include <thread>

#include "FakeClock.h"
#include "TestClinic.h"
#include "kiosk/core/Iso8601.h"
#include "sync/AuditHeadSender.h"

using namespace kiosk;
using namespace kiosk::test;
using nlohmann::json;

namespace {

std::vector<json> Heads(FhirTestServer& server, const std::string& kiosk_id) {
    return server.All("AuditEvent", "_tag=urn:iop-kiosk:device%7C" + kiosk_id);
}

std::string Detail(const json& event, const std::string& type) {
    for (const auto& d : event["entity"][0]["detail"]) {
        if (d["type"] == type) {
            return d["valueString"].get<std::string>();
        }
    }
    return {};
}

/// The heads `kiosk_id` has on the server, read back the way `kiosk audit verify` reads them.
std::vector<store::AuditHead> Fetch(TestKiosk& kiosk, const std::string& kiosk_id) {
    auto transport = sync::HttpTransport::Create(kiosk.options.transport);
    REQUIRE(transport.ok());
    sync::FhirClient client(kiosk.config.server.url, *transport.value(),
                            [](std::chrono::milliseconds) { return true; });
    auto heads = sync::FetchAuditHeads(client, kiosk_id);
    REQUIRE_MESSAGE(heads.ok(), (heads.ok() ? "" : heads.error().log));
    return heads.value();
}

}  // namespace

TEST_CASE("the audit log's head reaches the server once per change, under a deterministic tag") {
    auto& server = SharedServer();
    server.ResetData();
    const auto& c = TestClinic::Get();
    TestKiosk kiosk(server, "lobby-audit");
    kiosk.options.audit_head_every = Minutes{10};
    FakeClock clock(c.now);
    sync::SyncEngine engine(kiosk.config, kiosk.db(), clock, kiosk.board, kiosk.options);

    auto empty = engine.RunOnce();  // nothing audited yet: nothing to send
    REQUIRE_MESSAGE(empty.ok(), (empty.ok() ? "" : empty.error().log));
    CHECK(empty->audit_head == 0);
    CHECK(Heads(server, "lobby-audit").empty());

    kiosk.CheckIn(c.sessions[0], TestClinic::Patient(1), c.starts[0]);
    const store::AuditHead first = kiosk.store().Audit().LatestHead().value().value();
    auto r1 = engine.RunOnce();
    REQUIRE(r1.ok());
    CHECK(r1->audit_head == 1);
    auto heads = Heads(server, "lobby-audit");
    REQUIRE(heads.size() == 1);
    const std::string id = "lobby-audit/" + first.chain + "/1";
    CHECK(heads[0]["meta"]["tag"][0]["system"] == "urn:iop-kiosk:audit-head");
    CHECK(heads[0]["meta"]["tag"][0]["code"] == id);
    CHECK(heads[0]["entity"][0]["what"]["identifier"]["value"] == id);
    CHECK(Detail(heads[0], "seq") == "1");
    CHECK(Detail(heads[0], "hash") == first.hash);
    CHECK(Detail(heads[0], "hash-kind") == "hmac-sha256");
    CHECK(heads[0]["recorded"] == FormatDateTimeUtc(first.at));
    CHECK(heads[0]["source"]["observer"]["identifier"]["value"] == "lobby-audit");
    CHECK(heads[0].dump().find("Patient/") == std::string::npos);  // it names nobody

    server.ResetStats();
    CHECK(engine.RunOnce()->audit_head == 0);  // unchanged: nothing sent
    kiosk.CheckIn(c.sessions[0], TestClinic::Patient(2), c.starts[0]);
    CHECK(engine.RunOnce()->audit_head == 0);  // moved, but within the 10 minutes
    CHECK(server.Requests("POST AuditEvent") == 0);
    clock.Advance(Minutes{11});
    CHECK(engine.RunOnce()->audit_head == 2);
    CHECK(server.Requests("POST AuditEvent") == 1);
    CHECK(Heads(server, "lobby-audit").size() == 2);

    // A restarted kiosk knows what it sent; one that lost that note (or a lost answer) sends
    // the same head again, and the conditional create finds it: still one AuditEvent per head.
    sync::SyncEngine restarted(kiosk.config, kiosk.db(), clock, kiosk.board, kiosk.options);
    CHECK(restarted.RunOnce()->audit_head == 0);
    REQUIRE(kiosk.store().Sync().SetMetaMany({{"sync.audit_head_sent", ""}}).ok());
    sync::SyncEngine forgetful(kiosk.config, kiosk.db(), clock, kiosk.board, kiosk.options);
    CHECK(forgetful.RunOnce()->audit_head == 2);
    CHECK(server.Requests("POST AuditEvent") == 2);
    CHECK(Heads(server, "lobby-audit").size() == 2);

    // What `kiosk audit verify` reads back: this kiosk's heads only.
    TestKiosk other(server, "lobby-audit-2");
    other.CheckIn(c.sessions[1], TestClinic::Patient(3), c.starts[1]);
    REQUIRE(other.Sync().ok());
    auto fetched = Fetch(kiosk, "lobby-audit");
    REQUIRE(fetched.size() == 2);
    for (const auto& h : fetched) {
        CHECK(h.chain == first.chain);
        CHECK(h.keyed);
    }
    CHECK(Fetch(kiosk, "lobby-audit-2").size() == 1);
}

TEST_CASE("a server that refuses the head holds up nothing; the next round sends it") {
    auto& server = SharedServer();
    server.ResetData();
    const auto& c = TestClinic::Get();
    TestKiosk kiosk(server, "lobby-refuse");
    kiosk.options.audit_head_every = Minutes{0};
    const auto id = kiosk.CheckIn(c.sessions[0], TestClinic::Patient(4), c.starts[0]);
    server.Faults(json::array({json{{"match", {{"method", "POST"}, {"path", "/AuditEvent"}}},
                                    {"action", "status"},
                                    {"status", 403},
                                    {"count", 2}}}));
    std::string log;
    Result<sync::RoundReport> r = MakeError(ErrorCode::kInternal, "not run");
    log = CaptureStderr([&] { r = kiosk.Sync(); });
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().log));
    CHECK(r->audit_head == 0);
    CHECK(r->pulled);                             // the pull went on after it
    CHECK(kiosk.OutboxState(id) == "delivered");  // the check-in went out
    CHECK(server.EncountersWith(id) == 1);
    CHECK_MESSAGE(log.find("the audit log's head did not reach the server") != std::string::npos,
                  log);
    // Refused again: not logged twice in a row.
    log = CaptureStderr([&] { r = kiosk.Sync(); });
    CHECK(r->audit_head == 0);
    CHECK(log.find("audit log's head") == std::string::npos);
    r = kiosk.Sync();
    CHECK(r->audit_head == 1);
    CHECK(Heads(server, "lobby-refuse").size() == 1);
    server.Faults(json::array());
}
