// Transport security against the real server: an untrusted certificate and a pin mismatch are
// refused before anything is sent, with errors that say what to fix; pins (current + backup),
// mutual TLS and a bearer token from a file work; a wrong token is a setup error, not a loss.
#include <doctest/doctest.h>

#include <fstream>

#include "TestClinic.h"

using namespace kiosk;
using namespace kiosk::test;

TEST_CASE("an untrusted certificate and a pin mismatch are refused with clear errors") {
    auto& server = SharedServer();
    server.ResetData();
    const auto& c = TestClinic::Get();
    const auto pki = TestPki();
    server.ResetStats();

    SUBCASE("a server certificate from a CA the kiosk does not trust") {
        TestKiosk kiosk(server, "lobby-1",
                        "ca_file = \"" + (pki / "untrusted-ca.crt").string() + "\"\n");
        const auto id = kiosk.CheckIn(c.sessions[0], TestClinic::Patient(1), c.starts[0]);
        auto r = kiosk.Sync();
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == ErrorCode::kConfig);
        CHECK(r.error().log.find("is not trusted") != std::string::npos);
        CHECK(r.error().log.find("server.ca_file") != std::string::npos);
        CHECK(kiosk.OutboxState(id) == "pending");
        CHECK_FALSE(kiosk.board.Read().online);
    }
    SUBCASE("a public key that matches no pin") {
        TestKiosk kiosk(server, "lobby-1",
                        "pinned_public_keys = [\"" + PinOf(pki / "untrusted-server.crt") + "\"]\n");
        auto r = kiosk.Sync();
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == ErrorCode::kConfig);
        CHECK(r.error().log.find("matches none of server.pinned_public_keys") != std::string::npos);
    }
    SUBCASE("the backup pin and the current pin: accepted") {
        TestKiosk kiosk(server, "lobby-1",
                        "pinned_public_keys = [\"" + PinOf(pki / "untrusted-server.crt") +
                            "\", \"" + PinOf(pki / "server.crt") + "\"]\n");
        auto r = kiosk.Sync();
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().log));
    }
    SUBCASE("nothing reached the server from the refused ones") {
        TestKiosk kiosk(server, "lobby-1",
                        "ca_file = \"" + (pki / "untrusted-ca.crt").string() + "\"\n");
        REQUIRE_FALSE(kiosk.Sync().ok());
        CHECK(server.Stats()["total"] == 0);
    }
}

TEST_CASE("mutual TLS and a bearer token from a file; a wrong token is a setup error") {
    const auto pki = TestPki();
    const auto token_file = pki / "api-token";
    std::ofstream(token_file) << "sync-test-token\n";  // the trailing newline is trimmed
    static FhirTestServer secure(
        FhirTestServer::Options{"server", {}, token_file.string(), true, 0, {}, 300});
    const std::string mtls = "client_cert = \"" + (pki / "client.crt").string() +
                             "\"\nclient_key = \"" + (pki / "client.key").string() + "\"\n";

    SUBCASE("client certificate and token: in") {
        TestKiosk kiosk(secure, "lobby-1", mtls + "token_file = \"" + token_file.string() + "\"\n");
        kiosk.options.pull.directory = false;
        auto r = kiosk.Sync();
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().log));
    }
    SUBCASE("no client certificate: refused, and the error says so") {
        TestKiosk kiosk(secure, "lobby-1", "token_file = \"" + token_file.string() + "\"\n");
        auto r = kiosk.Sync();
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == ErrorCode::kConfig);
        CHECK(r.error().log.find("client certificate") != std::string::npos);
    }
    SUBCASE("a wrong token: 401, a setup error, the outbox waits") {
        const auto wrong = pki / "wrong-token";
        std::ofstream(wrong) << "not-the-token";
        TestKiosk kiosk(secure, "lobby-1", mtls + "token_file = \"" + wrong.string() + "\"\n");
        const auto& c = TestClinic::Get();
        const auto id = kiosk.CheckIn(c.sessions[0], TestClinic::Patient(1), c.starts[0]);
        auto r = kiosk.Sync();
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == ErrorCode::kConfig);
        CHECK(r.error().log.find("401") != std::string::npos);
        CHECK(r.error().log.find("token") != std::string::npos);
        CHECK(r.error().log.find("not-the-token") == std::string::npos);  // never logged
        CHECK(kiosk.OutboxState(id) == "pending");
    }
    SUBCASE("a token file that is missing or empty is named") {
        const auto empty = pki / "empty-token";
        std::ofstream(empty) << "\n";
        TestKiosk kiosk(secure, "lobby-1", mtls + "token_file = \"" + empty.string() + "\"\n");
        auto r = kiosk.Sync();
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().log.find("empty-token is empty") != std::string::npos);
    }
}

TEST_CASE("a server that is not there: a clear error, and the check-in waits") {
    auto& server = SharedServer();
    const auto& c = TestClinic::Get();
    // Port 1 on loopback: nothing listens there, so the connection is refused.
    TestKiosk kiosk(server, "lobby-1", {}, "https://127.0.0.1:1/fhir/R4");
    const auto id = kiosk.CheckIn(c.sessions[0], TestClinic::Patient(2), c.starts[0]);
    auto r = kiosk.Sync();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kNetwork);
    CHECK(r.error().log.find("cannot connect") != std::string::npos);
    CHECK(kiosk.OutboxState(id) == "pending");
    CHECK(kiosk.board.Read().outbox_pending == 1);
}
