// What the transport takes from outside the config, against the real test server (issue 12.5):
// with a ca_file only that CA is trusted (a CA in the system's store is not); proxies only when
// configured; answers capped by size while they arrive and searches by pages, each with an error
// naming the setting; next links in any form followed, to the configured server only.
#include <doctest/doctest.h>

#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <thread>

#include "TestClinic.h"
#include "sync/FhirClient.h"

using namespace kiosk;
using namespace kiosk::test;
using nlohmann::json;

namespace {

sync::TransportOptions Options(const std::string& ca_file) {
    sync::TransportOptions o;
    o.ca_file = ca_file;
    o.connect_timeout = std::chrono::seconds{3};
    o.stall_timeout = std::chrono::seconds{5};
    o.total_timeout = std::chrono::seconds{30};
    return o;
}

/// GET `url` through a fresh transport: the status, or the error's log line.
struct Outcome {
    long status = 0;
    std::size_t bytes = 0;
    std::string error;
    sync::SendFailure failure = sync::SendFailure::kNotSent;
};
Outcome Get(const sync::TransportOptions& options, const std::string& url) {
    auto transport = sync::HttpTransport::Create(options);
    REQUIRE_MESSAGE(transport.ok(), (transport.ok() ? "" : transport.error().log));
    auto answer = transport.value()->Send(sync::HttpRequest{"GET", url, {}, {}});
    Outcome o;
    if (answer) {
        o.status = answer->status;
        o.bytes = answer->body.size();
    } else {
        o.error = answer.error().log;
        o.failure = transport.value()->LastFailure();
    }
    return o;
}

/// Sets environment variables for one test and puts the old values back.
class EnvGuard {
  public:
    explicit EnvGuard(const std::map<std::string, std::string>& values) {
        for (const auto& [name, value] : values) {
            const char* old = std::getenv(name.c_str());
            m_old[name] = old ? std::optional<std::string>(old) : std::nullopt;
            ::setenv(name.c_str(), value.c_str(), 1);
        }
    }
    ~EnvGuard() {
        for (const auto& [name, value] : m_old) {
            if (value) {
                ::setenv(name.c_str(), value->c_str(), 1);
            } else {
                ::unsetenv(name.c_str());
            }
        }
    }
    EnvGuard(const EnvGuard&) = delete;
    EnvGuard& operator=(const EnvGuard&) = delete;

  private:
    std::map<std::string, std::optional<std::string>> m_old;
};

const char* kProxyVariables[] = {"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy",
                                 "ALL_PROXY"};

}  // namespace

TEST_CASE("with a ca_file, a CA in the system's store does not make a server trusted") {
    if (::geteuid() != 0) {
        MESSAGE("skipped: needs root for a private mount namespace over /etc/ssl/certs");
        return;
    }
    // The "untrusted" pair plays a public CA that the box trusts (it is in /etc/ssl/certs) but
    // that is not the clinic's: a server certificate from it must be refused once the config
    // names the clinic's CA file.
    const auto& pki = TestPki();
    static FhirTestServer rogue(
        FhirTestServer::Options{"untrusted-server", {}, "", false, 0, {}, 300});
    TempDir store;
    const std::string hash =
        CommandOutput("openssl x509 -hash -noout -in " + (pki / "untrusted-ca.crt").string());
    REQUIRE(hash.size() == 8);
    std::filesystem::copy_file(pki / "untrusted-ca.crt", store.path() / (hash + ".0"));
    std::filesystem::copy_file(pki / "untrusted-ca.crt", store.path() / "ca-certificates.crt");

    // On a thread of its own in a private mount namespace, so the fake store is this thread's
    // /etc/ssl/certs (libcurl's compiled-in CA path and bundle: curl-config --ca) and nobody
    // else's; the namespace ends with the thread.
    std::string setup_error;
    Outcome system_only, with_ca_file;
    std::thread([&] {
        if (::unshare(CLONE_NEWNS) != 0 ||
            ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
            ::mount(store.path().c_str(), "/etc/ssl/certs", nullptr, MS_BIND, nullptr) != 0) {
            setup_error = std::strerror(errno);
            return;
        }
        system_only = Get(Options(""), rogue.base() + "/metadata");
        with_ca_file = Get(Options((pki / "ca.crt").string()), rogue.base() + "/metadata");
    }).join();
    REQUIRE_MESSAGE(setup_error.empty(), "mount namespace: " << setup_error);
    // The fake store is what libcurl consults by default: without a ca_file the server passes.
    CHECK_MESSAGE(system_only.status == 200, system_only.error);
    // With the clinic's CA file, the same certificate is refused before anything is sent.
    CHECK(with_ca_file.status == 0);
    CHECK(with_ca_file.failure == sync::SendFailure::kTrust);
    CHECK(with_ca_file.error.find("is not trusted") != std::string::npos);
    CHECK(with_ca_file.error.find("server.ca_file") != std::string::npos);
}

TEST_CASE("proxies: the environment's are ignored; a configured one carries every request") {
    auto& server = SharedServer();
    LoopbackProxy proxy;
    const std::string ca = (TestPki() / "ca.crt").string();
    const std::string url = server.base() + "/metadata";
    const std::string tunnel = "CONNECT 127.0.0.1:" + std::to_string(server.port());

    SUBCASE("http_proxy, https_proxy and ALL_PROXY set, no proxy configured: not used") {
        std::map<std::string, std::string> env;
        for (const char* name : kProxyVariables) {
            env[name] = proxy.url();
        }
        EnvGuard guard(env);
        const Outcome o = Get(Options(ca), url);
        CHECK_MESSAGE(o.status == 200, o.error);
        CHECK(proxy.Recorded().empty());
    }
    SUBCASE("server.proxy configured: used, even for a host NO_PROXY names") {
        EnvGuard guard({{"NO_PROXY", "127.0.0.1,localhost"}, {"no_proxy", "127.0.0.1,localhost"}});
        TestKiosk kiosk(server, "lobby-1", "proxy = \"" + proxy.url() + "\"\n");
        const Outcome o = Get(kiosk.options.transport, url);
        CHECK_MESSAGE(o.status == 200, o.error);
        CHECK(proxy.Recorded() == std::vector<std::string>{tunnel});
    }
    SUBCASE("a configured proxy that is not there: the error names it and the setting") {
        TestKiosk kiosk(server, "lobby-1", "proxy = \"http://127.0.0.1:1\"\n");
        const Outcome o = Get(kiosk.options.transport, url);
        CHECK(o.status == 0);
        CHECK(o.failure == sync::SendFailure::kNotSent);
        CHECK(o.error.find("the proxy 127.0.0.1:1 (server.proxy)") != std::string::npos);
    }
}

TEST_CASE("an answer larger than server.max_response_mb is refused while it arrives") {
    auto& server = SharedServer();
    server.ResetStats();
    const std::string url = server.base() + "/Location?_count=1";
    for (const bool chunked : {false, true}) {
        CAPTURE(chunked);  // without Content-Length the cap can only act on the bytes received
        const json fault = {{"action", "large"},
                            {"bytes", 3 << 20},
                            {"chunked", chunked},
                            {"match", {{"path", "/Location"}}}};
        server.Faults(json::array({fault}));
        TestKiosk small(server, "lobby-1", "max_response_mb = 2\n");
        const Outcome refused = Get(small.options.transport, url);
        CHECK(refused.status == 0);
        CHECK(refused.error.find("larger than 2 MB") != std::string::npos);
        CHECK(refused.error.find("server.max_response_mb") != std::string::npos);

        server.Faults(json::array({fault}));
        TestKiosk large(server, "lobby-1", "max_response_mb = 4\n");
        const Outcome taken = Get(large.options.transport, url);
        CHECK_MESSAGE(taken.status == 200, taken.error);
        CHECK(taken.bytes == std::size_t{3} << 20);
    }
    CHECK(server.Stats()["faultsApplied"]["large"] == 4);
}

TEST_CASE("a search that pages past server.max_pages stops with an error naming the setting") {
    auto& server = SharedServer();
    server.ResetData();
    auto page_through = [&](int max_pages) {
        TestKiosk kiosk(server, "lobby-1", "max_pages = " + std::to_string(max_pages) + "\n");
        kiosk.options.client.page_size = 10;
        auto transport = sync::HttpTransport::Create(kiosk.options.transport);
        REQUIRE(transport.ok());
        sync::FhirClient client(
            server.base(), *transport.value(), [](std::chrono::milliseconds) { return true; },
            kiosk.options.client);
        return client.SearchAll("Patient", "_sort=_id");
    };
    const auto patients = server.All("Patient", "").size();
    REQUIRE(patients > 30);
    const int pages = static_cast<int>((patients + 9) / 10);
    auto stopped = page_through(pages - 1);
    REQUIRE_FALSE(stopped.ok());
    CHECK(stopped.error().code == ErrorCode::kNetwork);
    CHECK(stopped.error().log.find("more than " + std::to_string(pages - 1) + " pages") !=
          std::string::npos);
    CHECK(stopped.error().log.find("server.max_pages") != std::string::npos);
    auto all = page_through(pages);
    REQUIRE_MESSAGE(all.ok(), (all.ok() ? "" : all.error().log));
    CHECK(all->size() == patients);
}

TEST_CASE("a full pull through relative, path, query and foreign next links") {
    auto& server = SharedServer();
    const auto& clinic = TestClinic::Get();
    for (const char* style : {"absolute", "path", "relative", "query", "foreign"}) {
        CAPTURE(style);
        server.ResetData();  // also clears the careless switches
        server.Careless({{"nextLinks", style}});
        TestKiosk kiosk(server);
        kiosk.options.client.page_size = 7;  // every search of the pull spans pages
        auto round = kiosk.Sync();
        REQUIRE_MESSAGE(round.ok(), (round.ok() ? "" : round.error().log));
        CHECK(round->pull.problems.empty());
        auto& st = kiosk.store();
        auto session = st.Clinic().SessionById("appt-1").value();
        REQUIRE(session);
        CHECK(session->enrolled.size() == TestClinic::kPatients);
        CHECK(st.Clinic().SessionIdsInWindow(clinic.week_start, clinic.week_end).value().size() ==
              5);
        for (int n = 1; n <= TestClinic::kPatients; ++n) {
            CHECK_MESSAGE(st.Clinic().Person(TestClinic::Patient(n)).value(),
                          TestClinic::Patient(n));
        }
        CHECK(st.Directory().ServerCopyIds("HealthcareService").value().size() == 3);
        // Paged, and every page from the configured server (the foreign host does not exist).
        const json stats = server.Stats();
        long long gets = 0;
        for (const auto& [key, count] : stats["requests"].items()) {
            gets += key.rfind("GET ", 0) == 0 ? count.get<long long>() : 0;
        }
        CHECK(gets > 10);
        CHECK(stats["statuses"].value("200", 0) == stats["total"]);
    }
}
