// SMART Backend Services against a real authorization server on loopback (smart-auth.mjs: the
// client assertion verified with `jose` against the registered public keys) in front of the test
// FHIR server: check-ins sync with RSA and with EC keys while 2 s tokens are renewed, a wrong
// client id, an unregistered key and a scope the client may not have each give the clear error,
// and nothing token-like reaches the log. Then the real binary: `kiosk sync --once` and
// `kiosk doctor`'s token line.
#include <doctest/doctest.h>

#include <fstream>
#include <thread>

#include "TestClinic.h"
#include "TestKeys.h"
#include "kiosk/core/AuditKey.h"

using namespace kiosk;
using namespace kiosk::test;

namespace {

struct SmartServer {
    TempDir keys;
    std::filesystem::path rsa, ec, unregistered;
    std::unique_ptr<FhirTestServer> server;

    SmartServer() {
        rsa = MakeClientKey(keys.path(), "rsa");
        ec = MakeClientKey(keys.path(), "ec");
        std::filesystem::create_directory(keys.path() / "other");
        unregistered = MakeClientKey(keys.path() / "other", "ec");
        const auto client = [](const char* id, const char* scope, const std::filesystem::path& key,
                               const char* kid) {
            return nlohmann::json{{"client_id", id},
                                  {"scope", scope},
                                  {"keys", {{{"pem", key.string() + ".pub"}, {"kid", kid}}}}};
        };
        const auto clients = keys.path() / "clients.json";
        std::ofstream(clients) << nlohmann::json{
            {"clients",
             {client("lobby-kiosk-1", kDefaultSmartScope, rsa, "k-rsa"),
              client("lobby-kiosk-2", kDefaultSmartScope, ec, "k-ec"),
              client("narrow", "system/Location.rs", ec,
                     "k-ec")}}}.dump();
        const auto seed = keys.path() / "seed.json";
        std::ofstream(seed) << TestClinic::Get().Bundle().dump();
        server = std::make_unique<FhirTestServer>(
            FhirTestServer::Options{"server", seed, "", false, 0, clients, 2});
    }
};

/// One server for every case (keys made and node started once).
SmartServer& Smart() {
    static SmartServer smart;
    return smart;
}

std::string SmartToml(const std::string& client_id, const std::filesystem::path& key,
                      const std::string& extra = {}) {
    return "auth = \"smart-backend\"\nclient_id = \"" + client_id + "\"\nprivate_key_file = \"" +
           key.string() + "\"\n" + extra;
}

/// Anything shaped like a credential: a JWT, a bearer header, a PEM block, a token field.
void CheckNoSecrets(const std::string& log) {
    for (const char* shape : {"eyJ", "Bearer ", "BEGIN", "access_token", "client_assertion="}) {
        CHECK_MESSAGE(log.find(shape) == std::string::npos, shape);
    }
}

}  // namespace

TEST_CASE("SMART backend services: RSA and EC keys sync while short tokens renew; clear errors") {
    SmartServer& smart = Smart();
    FhirTestServer& server = *smart.server;
    const auto& c = TestClinic::Get();

    SUBCASE("RS384 with a configured token_url, EC P-384 found through smart-configuration") {
        const std::pair<std::string, std::string> kiosks[] = {
            {"lobby-1",
             SmartToml("lobby-kiosk-1", smart.rsa,
                       "key_id = \"k-rsa\"\ntoken_url = \"" + server.origin() + "/auth/token\"\n")},
            {"lobby-2", SmartToml("lobby-kiosk-2", smart.ec, "key_id = \"k-ec\"\n")}};
        int patient = 1;
        for (const auto& [kiosk_id, toml] : kiosks) {
            CAPTURE(kiosk_id);
            server.ResetStats();
            TestKiosk kiosk(server, kiosk_id, toml);
            kiosk.options.pull.directory = false;
            std::string log = CaptureStderr([&] {
                const auto first =
                    kiosk.CheckIn(c.sessions[0], TestClinic::Patient(patient++), c.starts[0]);
                auto r = kiosk.Sync();
                REQUIRE_MESSAGE(r.ok(), ErrorOf(r));
                CHECK(kiosk.OutboxState(first) == "delivered");
                std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // token expired
                const auto second =
                    kiosk.CheckIn(c.sessions[1], TestClinic::Patient(patient++), c.starts[1]);
                r = kiosk.Sync();
                REQUIRE_MESSAGE(r.ok(), ErrorOf(r));
                CHECK(kiosk.OutboxState(second) == "delivered");
            });
            CHECK(server.Stats()["tokensIssued"].get<int>() >= 2);
            CHECK(log.find("token renewed, expires in 2 s") != std::string::npos);
            CheckNoSecrets(log);
        }
    }

    struct Wrong {
        const char* what;
        std::string toml;
        const char* expect;
    };
    const Wrong wrongs[] = {
        {"an unknown client id", SmartToml("lobby-kiosk-9", smart.rsa),
         "client id: check server.client_id \"lobby-kiosk-9\""},
        {"a key that is not registered", SmartToml("lobby-kiosk-2", smart.unregistered),
         "key: check that the public key of server.private_key_file (ES384)"},
        {"a scope the client may not have", SmartToml("narrow", smart.ec),
         "scope: server.scope asks for more than client \"narrow\" may have"},
    };
    for (const auto& wrong : wrongs) {
        SUBCASE(wrong.what) {
            server.ResetStats();
            TestKiosk kiosk(server, "lobby-3", wrong.toml);
            const auto id = kiosk.CheckIn(c.sessions[0], TestClinic::Patient(9), c.starts[0]);
            Result<sync::RoundReport> r = MakeError(ErrorCode::kInternal, "not run");
            const std::string log = CaptureStderr([&] { r = kiosk.Sync(); });
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().code == ErrorCode::kConfig);
            CHECK_MESSAGE(r.error().log.find(wrong.expect) != std::string::npos, r.error().log);
            CHECK(kiosk.OutboxState(id) == "pending");
            CHECK(server.Stats()["total"] == 0);  // no FHIR request went out without a token
            CheckNoSecrets(log + r.error().log);
        }
    }
}

TEST_CASE("the kiosk binary with SMART: sync --once renews tokens; doctor's token line") {
    if (!std::filesystem::exists(KIOSK_BINARY)) {
        MESSAGE("kiosk binary not built; skipping the command-line check");
        return;
    }
    SmartServer& smart = Smart();
    FhirTestServer& server = *smart.server;
    TempDir dir;
    const auto audit_key = dir.path() / "audit.key";
    REQUIRE(CreateAuditKey(audit_key).ok());
    const auto config = [&](const std::string& smart_toml) {
        const auto file = dir.path() / "kiosk.toml";
        std::ofstream(file) << "[server]\nurl = \"" << server.base() << "\"\nca_file = \""
                            << (TestPki() / "ca.crt").string() << "\"\n"
                            << smart_toml
                            << "[clinic]\nsite_location_id = \"site-main\"\ntimezone = "
                               "\"America/Los_Angeles\"\n[kiosk]\nid = \"cli-1\"\ndata_dir = \""
                            << (dir.path() / "data").string() << "\"\n[audit]\nkey_file = \""
                            << audit_key.string() << "\"\n";
        return " --config " + file.string();
    };
    const std::string good = SmartToml("lobby-kiosk-2", smart.ec, "key_id = \"k-ec\"\n");

    auto synced = Shell(std::string(KIOSK_BINARY) + " sync --once" + config(good));
    CHECK_MESSAGE(synced.code == 0, synced.out);
    CHECK_MESSAGE(synced.out.find("token renewed, expires in 2 s") != std::string::npos,
                  synced.out);
    CheckNoSecrets(synced.out);

    const auto doctor = [&](const std::string& smart_toml) {
        return Shell(std::string(KIOSK_BINARY) + " doctor" + config(smart_toml));
    };
    auto healthy = doctor(good);
    CHECK_MESSAGE(healthy.out.find("PASS  token") != std::string::npos, healthy.out);
    CHECK_MESSAGE(healthy.out.find("client lobby-kiosk-2 got a token from " + server.origin() +
                                   "/auth/token, good for 2 s") != std::string::npos,
                  healthy.out);
    CHECK_MESSAGE(healthy.out.find("SMART token accepted") != std::string::npos, healthy.out);
    CheckNoSecrets(healthy.out);

    const std::pair<std::string, std::string> wrongs[] = {
        {SmartToml("lobby-kiosk-9", smart.ec), "-> check [server] client_id"},
        {SmartToml("lobby-kiosk-2", smart.unregistered), "-> register the public key"},
        {SmartToml("narrow", smart.ec), "-> ask for less in [server] scope"},
        {SmartToml("lobby-kiosk-2", smart.ec, "token_url = \"" + server.base() + "/nothing\"\n"),
         "-> set [server] token_url"},
    };
    for (const auto& [toml, advice] : wrongs) {
        auto refused = doctor(toml);
        CHECK(refused.code == 1);
        CHECK_MESSAGE(refused.out.find("FAIL  token") != std::string::npos, refused.out);
        CHECK_MESSAGE(refused.out.find(advice) != std::string::npos, refused.out);
        CheckNoSecrets(refused.out);
    }
}
