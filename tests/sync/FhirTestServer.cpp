// Starting and driving tests/fhir-server from C++ tests. The node child gets PR_SET_PDEATHSIG, so
// a crashed or killed test never leaves a server behind; its stderr goes to a file that is shown
// when it fails to start.
#include "FhirTestServer.h"

#include <curl/curl.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "TestClinic.h"
#include "TestSupport.h"

namespace kiosk::test {
namespace {

std::string ReadAll(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

int g_children = 0;  // numbers the children's log files

size_t Collect(char* data, size_t size, size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
}

}  // namespace

const std::filesystem::path& TestPki() {
    static TempDir dir;
    static const bool made = [] {
        const std::string cmd = std::string("bash ") + KIOSK_FHIR_SERVER_DIR +
                                "/make-test-pki.sh " + dir.path().string();
        if (std::system(cmd.c_str()) != 0) {
            throw std::runtime_error("make-test-pki.sh failed");
        }
        return true;
    }();
    (void)made;
    return dir.path();
}

std::string CommandOutput(const std::string& command) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    std::string out;
    char buf[256];
    while (pipe && std::fgets(buf, sizeof buf, pipe.get()) != nullptr) {
        out += buf;
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
        out.pop_back();
    }
    return out;
}

Run Shell(const std::string& command) {
    Run r;
    FILE* p = popen((command + " 2>&1").c_str(), "r");
    char buf[512];
    while (p != nullptr && std::fgets(buf, sizeof buf, p) != nullptr) {
        r.out += buf;
    }
    const int status = p != nullptr ? pclose(p) : -1;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string PinOf(const std::filesystem::path& cert) {
    return "sha256//" + CommandOutput("openssl x509 -in " + cert.string() +
                                      " -pubkey -noout | openssl pkey -pubin -outform der | "
                                      "openssl dgst -sha256 -binary | base64");
}

SpawnedChild SpawnNode(const std::vector<std::string>& script_args, const std::string& log_name) {
    std::vector<std::string> args{KIOSK_NODE_EXECUTABLE};
    args.insert(args.end(), script_args.begin(), script_args.end());
    const std::filesystem::path err_file =
        TestPki() /
        (log_name + "-" + std::to_string(::getpid()) + "-" + std::to_string(++g_children) + ".log");
    int out[2];
    if (::pipe(out) != 0) {
        throw std::runtime_error("pipe failed");
    }
    const pid_t parent = ::getpid();
    SpawnedChild child;
    child.pid = ::fork();
    if (child.pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) {
            ::_exit(1);
        }
        ::dup2(out[1], 1);
        const int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(err, 2);
        ::close(out[0]);
        ::close(out[1]);
        std::vector<char*> argv;
        for (auto& a : args) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out[1]);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
    while (child.first_line.find('\n') == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
        pollfd p{out[0], POLLIN, 0};
        if (::poll(&p, 1, 500) > 0) {
            char buf[256];
            const ssize_t n = ::read(out[0], buf, sizeof buf);
            if (n <= 0) {
                break;
            }
            child.first_line.append(buf, static_cast<size_t>(n));
        }
    }
    ::close(out[0]);
    child.err_file = err_file;
    return child;
}

void StopChild(pid_t& pid) {
    if (pid > 0) {
        ::kill(pid, SIGCONT);
        ::kill(pid, SIGTERM);
        ::waitpid(pid, nullptr, 0);
        pid = -1;
    }
}

FhirTestServer::FhirTestServer(Options options) : m_options(std::move(options)) {
    const auto& pki = TestPki();
    std::vector<std::string> args{std::string(KIOSK_FHIR_SERVER_DIR) + "/server.mjs",
                                  "--port",
                                  std::to_string(m_options.port),
                                  "--cert",
                                  (pki / (m_options.cert_name + ".crt")).string(),
                                  "--key",
                                  (pki / (m_options.cert_name + ".key")).string(),
                                  "--control-token",
                                  m_control_token};
    if (!m_options.seed.empty()) {
        args.insert(args.end(), {"--seed", m_options.seed.string()});
    }
    if (!m_options.require_token_file.empty()) {
        args.insert(args.end(), {"--require-token", m_options.require_token_file});
    }
    if (m_options.client_ca) {
        args.insert(args.end(), {"--client-ca", (pki / "ca.crt").string()});
    }
    if (!m_options.smart_clients.empty()) {
        args.insert(args.end(), {"--smart", m_options.smart_clients.string(), "--token-seconds",
                                 std::to_string(m_options.token_seconds)});
    }
    SpawnedChild child = SpawnNode(args, "server");
    m_pid = child.pid;
    std::smatch m;
    const std::regex listening(R"(listening (https://127\.0\.0\.1:(\d+))(/fhir/R4))");
    if (!std::regex_search(child.first_line, m, listening)) {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
        m_pid = -1;
        throw std::runtime_error("the test FHIR server did not start: " + child.first_line + " " +
                                 ReadAll(child.err_file));
    }
    m_origin = m[1];
    m_port = std::stoi(m[2]);
    m_base = m_origin + m[3].str();
}

FhirTestServer::~FhirTestServer() {
    StopChild(m_pid);
}

LoopbackProxy::LoopbackProxy()
    : m_record(TestPki() / ("proxy-" + std::to_string(::getpid()) + "-" +
                            std::to_string(++g_children) + ".txt")) {
    SpawnedChild child = SpawnNode(
        {std::string(KIOSK_FHIR_SERVER_DIR) + "/connect-proxy.mjs", "--record", m_record.string()},
        "proxy");
    m_pid = child.pid;
    std::smatch m;
    if (!std::regex_search(child.first_line, m, std::regex(R"(listening (\d+))"))) {
        StopChild(m_pid);
        throw std::runtime_error("the test proxy did not start: " + child.first_line + " " +
                                 ReadAll(child.err_file));
    }
    m_url = "http://127.0.0.1:" + m[1].str();
}

LoopbackProxy::~LoopbackProxy() {
    StopChild(m_pid);
}

std::vector<std::string> LoopbackProxy::Recorded() const {
    std::vector<std::string> lines;
    std::ifstream in(m_record);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

void FhirTestServer::Pause() {
    ::kill(m_pid, SIGSTOP);
}
void FhirTestServer::Resume() {
    ::kill(m_pid, SIGCONT);
}

ServerReply FhirTestServer::Exchange(const std::string& method, const std::string& url,
                                     const std::string& body,
                                     const std::vector<std::string>& headers) {
    const auto& pki = TestPki();
    CURL* curl = curl_easy_init();
    ServerReply reply;
    curl_slist* list = nullptr;
    for (const auto& h : headers) {
        list = curl_slist_append(list, h.c_str());
    }
    if (!m_options.require_token_file.empty() && url.find("/__control/") == std::string::npos) {
        std::string token = ReadAll(m_options.require_token_file);
        while (!token.empty() && (token.back() == '\n' || token.back() == ' ')) {
            token.pop_back();
        }
        list = curl_slist_append(list, ("Authorization: Bearer " + token).c_str());
    }
    const std::string ca = (pki / "ca.crt").string();
    const std::string cert = (pki / "client.crt").string();
    const std::string key = (pki / "client.key").string();
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CAINFO, ca.c_str());
    if (m_options.client_ca) {
        curl_easy_setopt(curl, CURLOPT_SSLCERT, cert.c_str());
        curl_easy_setopt(curl, CURLOPT_SSLKEY, key.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (method != "GET") {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    }
    const CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) {
        throw std::runtime_error(method + " " + url + ": " + curl_easy_strerror(rc));
    }
    reply.json = nlohmann::json::parse(reply.body, nullptr, false);
    if (reply.json.is_discarded()) {
        reply.json = nullptr;
    }
    return reply;
}

void FhirTestServer::Faults(const nlohmann::json& faults) {
    auto r =
        Exchange("POST", m_origin + "/__control/faults", nlohmann::json{{"faults", faults}}.dump(),
                 {"Authorization: Bearer " + m_control_token, "Content-Type: application/json"});
    REQUIRE_MESSAGE(r.status == 200, r.body);
}

void FhirTestServer::Careless(const nlohmann::json& switches) {
    auto r =
        Exchange("POST", m_origin + "/__control/careless", switches.dump(),
                 {"Authorization: Bearer " + m_control_token, "Content-Type: application/json"});
    REQUIRE_MESSAGE(r.status == 200, r.body);
}

nlohmann::json FhirTestServer::Stats() {
    return Exchange("GET", m_origin + "/__control/stats", "",
                    {"Authorization: Bearer " + m_control_token})
        .json;
}

void FhirTestServer::ResetStats() {
    Exchange("POST", m_origin + "/__control/reset", R"({"data":false,"stats":true})",
             {"Authorization: Bearer " + m_control_token, "Content-Type: application/json"});
}

void FhirTestServer::ResetData() {
    auto r =
        Exchange("POST", m_origin + "/__control/reset", R"({"data":true,"stats":true})",
                 {"Authorization: Bearer " + m_control_token, "Content-Type: application/json"});
    REQUIRE_MESSAGE(r.status == 200, r.body);
}

long long FhirTestServer::Requests(const std::string& key) {
    auto stats = Stats();
    if (!stats.contains("requests") || !stats["requests"].contains(key)) {
        return 0;
    }
    return stats["requests"][key].get<long long>();
}

ServerReply FhirTestServer::Get(const std::string& path_and_query) {
    return Exchange("GET", m_base + "/" + path_and_query, "", {"Accept: application/fhir+json"});
}

ServerReply FhirTestServer::Post(const std::string& type, const nlohmann::json& resource) {
    return Exchange("POST", m_base + "/" + type, resource.dump(),
                    {"Content-Type: application/fhir+json"});
}

ServerReply FhirTestServer::Put(const std::string& type_and_id, const nlohmann::json& resource) {
    return Exchange("PUT", m_base + "/" + type_and_id, resource.dump(),
                    {"Content-Type: application/fhir+json"});
}

ServerReply FhirTestServer::Delete(const std::string& type_and_id) {
    return Exchange("DELETE", m_base + "/" + type_and_id, "", {});
}

std::vector<nlohmann::json> FhirTestServer::All(const std::string& type, const std::string& query) {
    std::vector<nlohmann::json> out;
    std::string url =
        m_base + "/" + type + "?" + query + (query.empty() ? "" : "&") + "_count=1000";
    while (!url.empty()) {
        auto r = Exchange("GET", url, "", {});
        REQUIRE_MESSAGE(r.status == 200, r.body);
        for (const auto& e : r.json.value("entry", nlohmann::json::array())) {
            out.push_back(e["resource"]);
        }
        url.clear();
        for (const auto& l : r.json.value("link", nlohmann::json::array())) {
            if (l.value("relation", "") == "next") {
                url = l.value("url", "");
            }
        }
    }
    return out;
}

int FhirTestServer::EncountersWith(const std::string& identifier) {
    return static_cast<int>(
        All("Encounter", "identifier=urn%3Aiop-kiosk%3Aattendance%7C" + identifier).size());
}

FhirTestServer& SharedServer() {
    static const std::filesystem::path seed = [] {
        const auto file = TestPki() / "clinic-seed.json";
        std::ofstream(file) << TestClinic::Get().Bundle().dump();
        return file;
    }();
    static FhirTestServer server(FhirTestServer::Options{"server", seed, "", false, 0, {}, 300});
    return server;
}

}  // namespace kiosk::test
