// `kiosk doctor`'s checks driven with temp dirs, real databases and fake devices, and the report
// as the person at the terminal reads it: aligned lines, "->" advice, the summary, the status.
#include <SQLiteCpp/SQLiteCpp.h>
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <thread>

#include "TestSupport.h"
#include "kiosk/app/AuditCommand.h"
#include "kiosk/app/Doctor.h"
#include "kiosk/store/Store.h"

using namespace kiosk;
using namespace kiosk::app;
namespace fs = std::filesystem;

namespace {

bool Has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

void Write(const fs::path& file, const std::string& text) {
    std::ofstream(file) << text;
}

const Instant kNow = test::At(12, 0);

}  // namespace

TEST_CASE("a report line is aligned, a failure says what to do, the summary counts") {
    const DoctorCheck pass{"server", Verdict::kPass, "https://x/R4 answered in 120 ms", ""};
    const DoctorCheck fail{"camera", Verdict::kFail, "no camera at /dev/video0", "plug it in"};
    CHECK(FormatCheck(pass) == "PASS  server    https://x/R4 answered in 120 ms\n");
    CHECK(FormatCheck(fail) ==
          "FAIL  camera    no camera at /dev/video0\n                -> plug it in\n");
    const DoctorCheck skip{"scanner", Verdict::kSkip, "not configured", ""};
    const DoctorCheck warn{"outbox", Verdict::kWarn, "3 items waiting", "see the server line"};

    const std::string all_good = FormatReport({pass, skip});
    CHECK(Has(all_good, "2 checks: 1 passed, 0 warnings, 0 failed, 1 skipped. All is well."));
    CHECK(DoctorExitCode({pass, skip}) == 0);
    CHECK(DoctorExitCode({pass, warn, skip}) == 0);
    CHECK(Has(FormatReport({pass, warn}), "The kiosk can run; look at the WARN lines"));
    const std::string bad = FormatReport({pass, warn, fail, skip});
    CHECK(Has(bad, "4 checks: 1 passed, 1 warning, 1 failed, 1 skipped. Fix the FAIL lines"));
    CHECK(DoctorExitCode({pass, warn, fail}) == 1);
}

TEST_CASE("every config problem is a FAIL line, and the checks whose settings are good still run") {
    test::TempDir dir;
    const fs::path data = dir.path() / "data";
    fs::create_directory(data);
    ::chmod(data.c_str(), 0700);
    const fs::path config = dir.path() / "kiosk.toml";
    Write(config,
          "[server]\n"
          "url = \"https://127.0.0.1:1/R4\"\n"
          "ca_file = \"/nonexistent/ca.crt\"\n"  // line 3: a CA file that is not there
          "[kiosk]\n"
          "data_dir = \"" +
              data.string() +
              "\"\n"
              "[scanner]\n"
              "camra_device = \"/dev/video0\"\n"  // line 7: misspelt
              "[printer]\n"
              "paper = \"legal\"\n");  // line 9: not letter or a4
    auto [lines, read] = CheckConfig(config);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].verdict == Verdict::kFail);
    CHECK(Has(lines[0].found, config.string() + ":7: 'scanner.camra_device' is not a known key"));
    CHECK(Has(lines[1].found, config.string() + ":9: 'printer.paper' must be"));
    REQUIRE(read.config.has_value());

    // One run finds the misspelt key, the bad paper AND the missing CA file.
    const SystemClock clock;
    const auto checks = RunDoctorChecks(config, {}, clock);
    auto line = [&](const std::string& name) {
        const auto it = std::find_if(checks.begin(), checks.end(),
                                     [&](const DoctorCheck& c) { return c.name == name; });
        REQUIRE(it != checks.end());
        return *it;
    };
    CHECK(line("data dir").verdict == Verdict::kPass);
    CHECK(line("server").verdict == Verdict::kFail);
    CHECK(Has(line("server").found, "server.ca_file /nonexistent/ca.crt cannot be read"));
    CHECK(line("printer").verdict == Verdict::kSkip);
    CHECK(Has(line("printer").found, "'printer.paper' has a bad value"));
    CHECK(DoctorExitCode(checks) == 1);

    // A bad value among the server's settings: nothing is sent to the server on it.
    Write(config,
          "[server]\nurl = \"https://127.0.0.1:1/R4\"\nsync_interval_seconds = \"soon\"\n"
          "[kiosk]\ndata_dir = \"" +
              data.string() + "\"\n");
    const auto server_bad = RunDoctorChecks(config, {}, clock);
    CHECK(Has(server_bad[0].found, "sync_interval_seconds"));
    for (const DoctorCheck& c : server_bad) {
        if (c.name == "server" || c.name == "clock") {
            CHECK(c.verdict == Verdict::kSkip);
            CHECK(Has(c.found, "'server.sync_interval_seconds' has a bad value"));
        }
    }
}

TEST_CASE("a config that cannot be read fails, and every check needing it is skipped") {
    test::TempDir dir;
    const fs::path config = dir.path() / "kiosk.toml";
    Write(config, "[server]\nurl = \n");  // not TOML
    const SystemClock clock;
    const auto checks = RunDoctorChecks(config, {}, clock);
    REQUIRE(checks.size() == 12);
    CHECK(checks[0].verdict == Verdict::kFail);
    CHECK(Has(checks[0].found, config.string() + ":2: not valid TOML"));
    for (std::size_t i = 1; i < checks.size(); ++i) {
        CHECK(checks[i].verdict == Verdict::kSkip);
        CHECK(Has(checks[i].found, "the config could not be read"));
    }
    CHECK(DoctorExitCode(checks) == 1);
}

TEST_CASE("a valid local config: data dir and database checked, no server, devices skipped") {
    test::TempDir dir;
    const fs::path data = dir.path() / "data";
    fs::create_directory(data);
    ::chmod(data.c_str(), 0700);
    const fs::path config = dir.path() / "kiosk.toml";
    Write(config, "[kiosk]\ndata_dir = \"" + data.string() + "\"\n");
    const SystemClock clock;
    const auto checks = RunDoctorChecks(config, {}, clock);
    REQUIRE(checks.size() == 12);
    CHECK(checks[0].verdict == Verdict::kPass);
    CHECK(checks[1].name == "data dir");
    CHECK(checks[2].verdict == Verdict::kWarn);  // no kiosk.db yet
    CHECK(Has(checks[2].found, "first start will create it"));
    CHECK(!fs::exists(data / "kiosk.db"));  // never created by the doctor
    CHECK(checks[4].name == "audit");       // no key at the default /etc/iop-kiosk/audit.key here
    CHECK(checks[4].verdict == Verdict::kFail);
    CHECK(checks[5].name == "secrets");
    CHECK(checks[5].verdict == Verdict::kSkip);
    CHECK(checks[6].verdict == Verdict::kSkip);
    CHECK(Has(checks[6].found, "no server configured"));
    CHECK(checks[8].name == "capability");
    CHECK(Has(checks[10].found, "a scanner typing into the window needs no setting"));
    CHECK(checks[11].verdict == Verdict::kSkip);
}

TEST_CASE("data dir: writable and private passes; open to others warns; readable DB fails") {
    test::TempDir dir;
    ::chmod(dir.path().c_str(), 0700);
    DoctorLimits roomy;
    roomy.fail_free_bytes = 1;
    roomy.warn_free_bytes = 2;
    DoctorCheck c = CheckDataDir(dir.path(), roomy);
    CHECK(c.verdict == Verdict::kPass);
    CHECK(Has(c.found, "writable"));
    CHECK(Has(c.found, "mode 0700"));
    CHECK(fs::is_empty(dir.path()));  // the probe file is gone

    ::chmod(dir.path().c_str(), 0755);
    c = CheckDataDir(dir.path(), roomy);
    CHECK(c.verdict == Verdict::kWarn);
    CHECK(Has(c.todo, "chmod 700"));

    Write(dir.path() / "kiosk.db", "x");
    ::chmod((dir.path() / "kiosk.db").c_str(), 0644);
    c = CheckDataDir(dir.path(), roomy);
    CHECK(c.verdict == Verdict::kFail);
    CHECK(Has(c.found, "any user on this box can read kiosk.db"));

    c = CheckDataDir(dir.path() / "kiosk.db", roomy);
    CHECK(c.verdict == Verdict::kFail);
    CHECK(Has(c.found, "is not a directory"));
    c = CheckDataDir(dir.path() / "nothing", roomy);
    CHECK(c.verdict == Verdict::kWarn);
    CHECK(Has(c.found, "does not exist yet"));
}

TEST_CASE("free space: FAIL under the floor, WARN under the higher mark, PASS above") {
    const DoctorLimits limits;
    CHECK(JudgeFreeSpace("/d", 100ull << 20, limits).verdict == Verdict::kFail);
    CHECK(Has(JudgeFreeSpace("/d", 100ull << 20, limits).found, "only 100.0 MiB free"));
    CHECK(JudgeFreeSpace("/d", 1ull << 30, limits).verdict == Verdict::kWarn);
    CHECK(JudgeFreeSpace("/d", 10ull << 30, limits).verdict == Verdict::kPass);
    CHECK(Has(JudgeFreeSpace("/d", 10ull << 30, limits).found, "10.0 GiB free"));
    // A full disk seen for real: the data dir check uses the same judgement.
    DoctorLimits huge;
    huge.fail_free_bytes = ~0ull;
    CHECK(CheckDataDir(fs::temp_directory_path(), huge).verdict == Verdict::kFail);
}

TEST_CASE(
    "database: a healthy store passes; a missing one with its WAL left fails; garbage fails") {
    test::TempDir dir;
    {
        auto store = store::Store::Open(dir.path() / "kiosk.db", kiosk::test::TestAuditKey());
        REQUIRE(store.ok());
        REQUIRE(store.value()
                    ->Transaction([&](store::WriteTx& tx) {
                        return store.value()->Outbox().EnqueueEncounter(tx, "a-1",
                                                                        kNow - Seconds{7200});
                    })
                    .ok());
    }
    auto checks = CheckDatabase(dir.path(), kNow, true);
    REQUIRE(checks.size() == 2);
    CHECK(checks[0].verdict == Verdict::kPass);
    CHECK(Has(checks[0].found, "integrity_check ok, schema version"));
    CHECK(Has(checks[0].found, "current"));
    CHECK(checks[1].verdict == Verdict::kWarn);
    CHECK(Has(checks[1].found, "1 item waiting, the oldest for 2 h 0 min"));

    {
        SQLite::Database db((dir.path() / "kiosk.db").string(), SQLite::OPEN_READWRITE);
        db.exec("PRAGMA user_version=999");
    }
    checks = CheckDatabase(dir.path(), kNow, true);
    CHECK(checks[0].verdict == Verdict::kFail);
    CHECK(Has(checks[0].found, "schema version 999, newer than this kiosk program knows"));

    fs::rename(dir.path() / "kiosk.db", dir.path() / "moved.db");
    Write(dir.path() / "kiosk.db-wal", "");  // an empty one is what any reader leaves
    CHECK(CheckDatabase(dir.path(), kNow, true)[0].verdict == Verdict::kWarn);
    Write(dir.path() / "kiosk.db-wal", std::string(4096, 'w'));
    checks = CheckDatabase(dir.path(), kNow, true);
    CHECK(checks[0].verdict == Verdict::kFail);
    CHECK(Has(checks[0].found, "is missing but its journal kiosk.db-wal is there"));
    CHECK(!fs::exists(dir.path() / "kiosk.db"));

    fs::remove(dir.path() / "kiosk.db-wal");
    Write(dir.path() / "kiosk.db", std::string(8192, 'Z'));
    checks = CheckDatabase(dir.path(), kNow, true);
    CHECK(checks[0].verdict == Verdict::kFail);
    CHECK(Has(checks[0].found, "cannot read"));
    CHECK(Has(checks[0].todo, "somewhere safe"));
    CHECK(checks[1].verdict == Verdict::kSkip);
}

TEST_CASE("audit: a missing key fails naming the command; a chain that holds passes") {
    test::TempDir dir;
    const fs::path data = dir.path() / "data";
    fs::create_directory(data);
    KioskConfig config;
    config.data_dir = data;
    config.audit.key_file = dir.path() / "audit.key";
    DoctorCheck c = CheckAudit(config, data);
    CHECK(c.verdict == Verdict::kFail);
    CHECK(Has(c.found, config.audit.key_file.string()));
    CHECK(Has(c.todo, "kiosk audit init-key --out " + config.audit.key_file.string()));

    REQUIRE(CreateAuditKey(config.audit.key_file).ok());
    c = CheckAudit(config, data);  // no database yet: the key is what there is to check
    CHECK(c.verdict == Verdict::kPass);
    {
        auto store =
            store::Store::Open(data / "kiosk.db", LoadAuditKey(config.audit.key_file).value());
        REQUIRE(store.ok());
        REQUIRE(store.value()
                    ->Transaction([&](store::WriteTx& tx) {
                        return store.value()->Audit().Append(
                            tx, {kNow, "lobby-1", "check-in", "Patient/p1", "s1"});
                    })
                    .ok());
    }
    c = CheckAudit(config, data);
    CHECK(c.verdict == Verdict::kPass);
    CHECK(Has(c.found, "the chain of 1 rows holds"));
    {
        SQLite::Database db((data / "kiosk.db").string(), SQLite::OPEN_READWRITE);
        db.exec("DROP TRIGGER audit_no_update");
        db.exec("UPDATE audit SET subject = 'Patient/p2'");
    }
    c = CheckAudit(config, data);
    CHECK(c.verdict == Verdict::kFail);
    CHECK(Has(c.found, "BROKEN at row 1"));

    config.audit.key_file = data / "audit.key";  // where whoever edits kiosk.db could read it
    REQUIRE(CreateAuditKey(config.audit.key_file).ok());
    c = CheckAudit(config, data);
    CHECK(c.verdict == Verdict::kFail);
    CHECK(Has(c.found, "inside the data directory"));
}

TEST_CASE("outbox: age against the limits, refused items sent to the staff screen") {
    store::OutboxSummary none;
    CHECK(JudgeOutbox(none, kNow, true).verdict == Verdict::kPass);
    CHECK(JudgeOutbox(none, kNow, true).found == "nothing waiting to be sent");
    store::OutboxSummary fresh{3, 0, kNow - Seconds{300}, 0, 0, {}};
    CHECK(JudgeOutbox(fresh, kNow, true).verdict == Verdict::kPass);
    CHECK(JudgeOutbox(fresh, kNow, true).found == "3 items waiting, the oldest for 5 min");
    store::OutboxSummary stale{3, 0, kNow - Seconds{2 * 86400}, 0, 0, {}};
    const DoctorCheck c = JudgeOutbox(stale, kNow, true);
    CHECK(c.verdict == Verdict::kFail);
    CHECK(Has(c.found, "the oldest for 2 d 0 h (over 1 d 0 h)"));
    CHECK(JudgeOutbox(stale, kNow, false).verdict == Verdict::kPass);  // no server: kept
    store::OutboxSummary refused{0, 2, std::nullopt, 0, 0, {}};
    const DoctorCheck r = JudgeOutbox(refused, kNow, true);
    CHECK(r.verdict == Verdict::kWarn);
    CHECK(Has(r.found, "2 items were refused by the server"));
    CHECK(Has(r.todo, "staff status screen"));
    store::OutboxSummary held{4, 0, kNow - Seconds{60},
                              1, 0, "POST ServiceRequest: HTTP 403 Forbidden: insufficient scope"};
    const DoctorCheck h = JudgeOutbox(held, kNow, true);
    CHECK(h.verdict == Verdict::kWarn);
    CHECK(Has(h.found, "1 item is held back: the server does not take them from this kiosk"));
    CHECK(Has(h.found, "insufficient scope"));
    CHECK(Has(h.todo, "permission"));
}

TEST_CASE("clock skew: which way and by how much") {
    CHECK(JudgeClockSkew(kNow + Seconds{1}, kNow).verdict == Verdict::kPass);
    DoctorCheck c = JudgeClockSkew(kNow + Seconds{90}, kNow);
    CHECK(c.verdict == Verdict::kWarn);
    CHECK(Has(c.found, "this box's clock is 90 s behind the server's"));
    c = JudgeClockSkew(kNow - Seconds{600}, kNow);
    CHECK(c.verdict == Verdict::kFail);
    CHECK(Has(c.found, "10 min ahead of the server's"));
    CHECK(Has(c.todo, "timedatectl"));
    CHECK(JudgeClockSkew(std::nullopt, kNow).verdict == Verdict::kWarn);
}

TEST_CASE("camera and scanner: not configured, missing, not that kind of device") {
    CHECK(CheckCamera("").verdict == Verdict::kSkip);
    DoctorCheck c = CheckCamera("/dev/kiosk-test-no-video9");
    CHECK(c.verdict == Verdict::kFail);
    CHECK(c.found == "no camera at /dev/kiosk-test-no-video9");
    CHECK(Has(c.todo, "/dev/v4l/by-id/"));
    c = CheckCamera("/dev/null");
    CHECK(c.verdict == Verdict::kFail);
    CHECK(Has(c.found, "is not a video (V4L2) device"));

    CHECK(CheckScanner("").verdict == Verdict::kSkip);
    c = CheckScanner("/dev/kiosk-test-no-event9");
    CHECK(c.verdict == Verdict::kFail);
    CHECK(Has(c.todo, "-event-kbd"));
    c = CheckScanner("/dev/null");
    CHECK(c.verdict == Verdict::kFail);
    CHECK(Has(c.found, "is not an input event device"));
}

TEST_CASE("camera and scanner lines judged from what the node answered (no device)") {
    const DeviceNode cam{"/dev/v4l/by-id/usb-cam", "/dev/v4l/by-id/usb-cam (/dev/video0)",
                         "root:video 0660"};
    scan::CameraProbe probe;
    probe.open_error = ENOENT;
    DoctorCheck c = JudgeCamera(cam, probe);
    CHECK(c.verdict == Verdict::kFail);
    CHECK(c.found == "no camera at /dev/v4l/by-id/usb-cam");
    probe.open_error = EACCES;
    c = JudgeCamera(cam, probe);
    CHECK(c.verdict == Verdict::kFail);
    CHECK(c.found == "/dev/v4l/by-id/usb-cam (/dev/video0): permission denied (root:video 0660)");
    CHECK(Has(c.todo, "usermod -aG video"));
    probe.open_error = EBUSY;
    CHECK(JudgeCamera(cam, probe).verdict == Verdict::kPass);
    probe.open_error = EIO;
    c = JudgeCamera(cam, probe);
    CHECK(c.verdict == Verdict::kFail);
    CHECK(Has(c.found, "cannot open"));
    probe = {};
    probe.card = "HD Webcam C615";
    probe.driver = "uvcvideo";
    c = JudgeCamera(cam, probe);
    CHECK(c.verdict == Verdict::kFail);
    CHECK(c.found ==
          "/dev/v4l/by-id/usb-cam (/dev/video0) (HD Webcam C615) is not a capture device");
    probe.capture = true;
    c = JudgeCamera(cam, probe);
    CHECK(c.verdict == Verdict::kPass);
    CHECK(c.found ==
          "/dev/v4l/by-id/usb-cam (/dev/video0): HD Webcam C615 (uvcvideo), a capture device");
    probe.streaming = true;
    CHECK(Has(JudgeCamera(cam, probe).found, "busy streaming, probably for the running kiosk"));

    const DeviceNode wedge{"/dev/input/event7", "/dev/input/event7", "root:input 0660"};
    scan::WedgeProbe w;
    w.open_error = EPERM;
    c = JudgeScanner(wedge, w);
    CHECK(c.verdict == Verdict::kFail);
    CHECK(Has(c.found, "permission denied (root:input 0660)"));
    CHECK(Has(c.todo, "70-iop-kiosk-scanner.rules"));
    w = {};
    w.name_error = ENOTTY;
    CHECK(Has(JudgeScanner(wedge, w).found, "is not an input event device"));
    w = {};
    w.name = "Honeywell Scanner";
    c = JudgeScanner(wedge, w);
    CHECK(c.verdict == Verdict::kPass);
    CHECK(c.found == "/dev/input/event7: \"Honeywell Scanner\", readable");
}

TEST_CASE("printer: none configured is skipped; a CUPS that is not there fails") {
    CHECK(CheckPrinter(PrinterConfig{}).verdict == Verdict::kSkip);
    test::TempDir dir;
    PrinterConfig p;
    p.queue = "lobby";
    p.server = (dir.path() / "no-cups.sock").string();
    const DoctorCheck c = CheckPrinter(p);
    CHECK(c.verdict == Verdict::kFail);
    CHECK(Has(c.found, "does not answer"));
    CHECK(Has(c.todo, "systemctl start cups"));
}

TEST_CASE("server: none configured, an unreadable CA file, nobody listening") {
    const SystemClock clock;
    auto checks = CheckServer(ServerConfig{}, "site-main", clock);
    REQUIRE(checks.size() == 3);
    CHECK(checks[0].verdict == Verdict::kSkip);
    CHECK(checks[1].verdict == Verdict::kSkip);
    CHECK(checks[2].name == "capability");
    CHECK(checks[2].verdict == Verdict::kSkip);  // no server: no CapabilityStatement

    ServerConfig s;
    s.url = "https://127.0.0.1:1/R4";
    s.ca_file = "/nonexistent/ca.crt";
    checks = CheckServer(s, "site-main", clock);
    CHECK(checks[0].verdict == Verdict::kFail);
    CHECK(Has(checks[0].found, "server.ca_file /nonexistent/ca.crt cannot be read"));

    s.ca_file.clear();
    checks = CheckServer(s, "site-main", clock);
    CHECK(checks[0].verdict == Verdict::kFail);
    CHECK(Has(checks[0].found, "cannot reach 127.0.0.1:1"));
    CHECK(checks[1].verdict == Verdict::kSkip);
}

namespace {

/// A plain-HTTP server on 127.0.0.1 that answers like a FHIR server whose CapabilityStatement is
/// open to anyone and whose data needs `Authorization: Bearer <token>` (as most real servers).
class PlainFhir {
  public:
    PlainFhir(std::string token, bool has_site) : m_token(std::move(token)), m_has_site(has_site) {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(::listen(m_fd, 8) == 0);
        socklen_t n = sizeof a;
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &n);
        m_url = "http://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/fhir/R4";
        m_thread = std::thread([this] { Serve(); });
    }
    ~PlainFhir() {
        ::shutdown(m_fd, SHUT_RDWR);
        ::close(m_fd);
        m_thread.join();
    }
    const std::string& url() const { return m_url; }

  private:
    void Serve() {
        for (int client; (client = ::accept(m_fd, nullptr, nullptr)) >= 0; ::close(client)) {
            std::string request;
            char buf[4096];
            while (request.find("\r\n\r\n") == std::string::npos) {
                const ssize_t got = ::recv(client, buf, sizeof buf, 0);
                if (got <= 0) {
                    break;
                }
                request.append(buf, static_cast<std::size_t>(got));
            }
            std::string status = "200 OK", body;
            if (request.rfind("GET /fhir/R4/metadata ", 0) == 0) {
                body = R"({"resourceType":"CapabilityStatement","fhirVersion":"4.0.1"})";
            } else if (!Has(request, "Authorization: Bearer " + m_token + "\r\n")) {
                status = "401 Unauthorized";
                body = R"({"resourceType":"OperationOutcome","issue":[]})";
            } else if (m_has_site) {
                body = R"({"resourceType":"Bundle","type":"searchset","entry":[{"resource":)"
                       R"({"resourceType":"Location","id":"site-main"}}]})";
            } else {
                body = R"({"resourceType":"Bundle","type":"searchset","total":0})";
            }
            const std::string reply =
                "HTTP/1.1 " + status +
                "\r\nContent-Type: application/fhir+json\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
            (void)::send(client, reply.data(), reply.size(), MSG_NOSIGNAL);
        }
    }

    std::string m_token;
    bool m_has_site;
    int m_fd = -1;
    std::string m_url;
    std::thread m_thread;
};

}  // namespace

TEST_CASE("server: the token is checked on data, not only metadata; plain http only warns") {
    test::TempDir dir;
    Write(dir.path() / "token", "right-token\n");
    Write(dir.path() / "wrong", "wrong-token\n");
    const SystemClock clock;
    PlainFhir fhir("right-token", true);
    ServerConfig s;
    s.url = fhir.url();
    s.allow_plain_http_for_tests = true;

    s.token_file = (dir.path() / "wrong").string();
    auto checks = CheckServer(s, "site-main", clock);
    CHECK(checks[0].verdict == Verdict::kFail);
    CHECK(Has(checks[0].found,
              "/Location?_id=site-main&_count=1 refused the kiosk (HTTP 401): "
              "the token was not accepted"));
    CHECK(Has(checks[0].todo, "put a valid token in [server] token_file"));
    CHECK_FALSE(Has(checks[0].found + checks[0].todo, "wrong-token"));
    // Its CapabilityStatement declares nothing: each need is named (sync/ServerNeeds.h).
    REQUIRE(checks.size() == 3);
    CHECK(checks[2].verdict == Verdict::kWarn);
    CHECK(Has(checks[2].found, "Appointment search by 'date'"));
    CHECK(Has(checks[2].found, "conditional create of Encounter"));
    CHECK(Has(checks[2].found, "If-Match updates of Encounter"));
    s.token_file.clear();
    checks = CheckServer(s, "site-main", clock);
    CHECK(checks[0].verdict == Verdict::kFail);
    CHECK(Has(checks[0].found, "it wants a bearer token"));

    s.token_file = (dir.path() / "token").string();
    checks = CheckServer(s, "site-main", clock);
    CHECK(checks[0].verdict == Verdict::kWarn);  // all answered, but over plain http
    CHECK(Has(checks[0].found, "plain http: a test setting, nothing verified, token accepted"));
    CHECK(Has(checks[0].todo, "use an https:// url and take allow_plain_http_for_tests out"));

    PlainFhir elsewhere("right-token", false);
    s.url = elsewhere.url();
    checks = CheckServer(s, "site-main", clock);
    CHECK(checks[0].verdict == Verdict::kWarn);
    CHECK(Has(checks[0].found, "the server knows no Location site-main"));
    CHECK(Has(checks[0].todo, "site_location_id"));

    // Without the test switch a plain http url is a config error, which the doctor FAILs.
    const fs::path config = dir.path() / "plain.toml";
    Write(config, "[server]\nurl = \"" + fhir.url() + "\"\n");
    auto [config_lines, loaded] = CheckConfig(config);
    REQUIRE(config_lines.size() == 1);
    CHECK(config_lines[0].verdict == Verdict::kFail);
    CHECK(Has(config_lines[0].found, "uses plain http://"));
    // ... and the doctor sends nothing to that url: the server and clock lines are skipped.
    for (const DoctorCheck& c : RunDoctorChecks(config, dir.path() / "data", clock)) {
        if (c.name == "server" || c.name == "clock") {
            CHECK(c.verdict == Verdict::kSkip);
            CHECK(Has(c.found, "'server.url' has a bad value"));
        }
    }
}

TEST_CASE("secrets: a token file or client key others may read, or the group may change, fails") {
    test::TempDir dir;
    const fs::path token = dir.path() / "token";
    const fs::path key = dir.path() / "kiosk.key";
    Write(token, "t\n");
    Write(key, "k\n");
    ServerConfig s;
    CHECK(CheckSecretFiles(s).verdict == Verdict::kSkip);
    s.token_file = token.string();
    s.client_key = key.string();

    ::chmod(token.c_str(), 0640);
    ::chmod(key.c_str(), 0600);
    DoctorCheck c = CheckSecretFiles(s);
    CHECK(c.verdict == Verdict::kPass);
    CHECK(Has(c.found, "token_file " + token.string() + " ("));
    CHECK(Has(c.found, " 0640), client_key " + key.string()));
    CHECK(Has(c.found, "not open to other users"));

    ::chmod(token.c_str(), 0644);
    c = CheckSecretFiles(s);
    CHECK(c.verdict == Verdict::kFail);
    CHECK(Has(c.found, "token_file " + token.string() + " is open to any user on this box"));
    CHECK(Has(c.todo, "chmod 0640 " + token.string()));
    CHECK(Has(FormatCheck(c), "\n                -> chmod 0640"));

    ::chmod(token.c_str(), 0640);
    ::chmod(key.c_str(), 0620);
    c = CheckSecretFiles(s);
    CHECK(c.verdict == Verdict::kFail);
    CHECK(Has(c.found, "client_key " + key.string() + " can be changed by group"));
    CHECK(Has(c.todo, "chmod g-w " + key.string()));

    ::chmod(key.c_str(), 0604);
    CHECK(Has(CheckSecretFiles(s).found, "client_key " + key.string() + " is open to any user"));
    s.client_key = (dir.path() / "missing.key").string();
    c = CheckSecretFiles(s);
    CHECK(c.verdict == Verdict::kFail);
    CHECK(Has(c.found, "missing.key: No such file or directory"));
}
