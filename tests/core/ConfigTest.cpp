// The config file: defaults, every documented key, and errors that name the key and the file.
#include <doctest/doctest.h>

#include <fstream>

#include "TestSupport.h"
#include "kiosk/core/Config.h"

using namespace kiosk;

TEST_CASE("an empty file gives the documented defaults") {
    auto c = ParseConfig("", "empty.toml");
    REQUIRE(c.ok());
    CHECK(c->lobby_name == LobbyName::kNone);
    CHECK(c->result_seconds == Seconds{6});
    CHECK(c->staff_idle_lock == Seconds{90});
    CHECK(c->windows.opens_before == Minutes{45});
    CHECK(c->server.url.empty());
}

TEST_CASE("the keys of the documented example are read") {
    auto c = ParseConfig(R"(
[server]
url = "https://fhir.clinic.example/fhir/R4"
ca_file = "/etc/iop-kiosk/clinic-ca.pem"
pinned_public_keys = ["sha256//AAAA", "sha256//BBBB"]
client_cert = "/etc/iop-kiosk/kiosk.crt"
client_key = "/etc/iop-kiosk/kiosk.key"
token_file = "/etc/iop-kiosk/token"
[clinic]
site_location_id = "site-main"
timezone = "America/Los_Angeles"
[kiosk]
id = "lobby-1"
data_dir = "/var/lib/iop-kiosk"
[lobby]
lobby_name = "first_name"
result_seconds = 8
[checkin]
late_after_minutes = 5
[staff]
weekly_hours_adult = 10
weekly_hours_adolescent = 7
)",
                         "kiosk.toml");
    REQUIRE(c.ok());
    CHECK(c->server.pinned_public_keys.size() == 2);
    CHECK(c->kiosk_id == "lobby-1");
    CHECK(c->data_dir == "/var/lib/iop-kiosk");
    CHECK(c->lobby_name == LobbyName::kFirstName);
    CHECK(c->windows.late_after == Minutes{5});
    CHECK(c->weekly_hours_adult == std::chrono::hours{10});
    CHECK(c->weekly_hours_adolescent == std::chrono::hours{7});
}

TEST_CASE("mistakes are errors that name the key, the file and the line") {
    struct Case {
        const char* text;
        const char* expect;
    };
    const Case cases[] = {
        {"[kiosk]\nidd = \"x\"\n", "'kiosk.idd' is not a known key"},
        {"[lobbby]\n", "'lobbby' is not a known section"},
        {"[lobby]\nresult_seconds = \"six\"\n", "'lobby.result_seconds' must be a whole number"},
        {"[lobby]\nresult_seconds = 0\n", "from 2 to 60"},
        {"[lobby]\nlobby_name = \"full_name\"\n", "lobby.lobby_name"},
        {"[server]\nurl = \"http://fhir.example/R4\"\n", "plain http://"},
        {"[server]\nurl = \"ftp://x\"\n", "must start with https://"},
        {"[server]\nclient_cert = \"a.crt\"\n", "given together"},
        {"[server]\npinned_public_keys = [\"md5//x\"]\n", "sha256//"},
        {"[kiosk]\nlanguage = \"fr\"\n", "kiosk.language"},
        {"[kiosk\nid = 1", "not valid TOML"},
    };
    for (const auto& c : cases) {
        auto r = ParseConfig(c.text, "/etc/iop-kiosk/kiosk.toml");
        REQUIRE_MESSAGE(!r.ok(), c.text);
        CHECK_MESSAGE(r.error().log.find(c.expect) != std::string::npos, r.error().log);
        CHECK(r.error().log.find("/etc/iop-kiosk/kiosk.toml") != std::string::npos);
        CHECK(r.error().code == ErrorCode::kConfig);
    }
    auto r = ParseConfig("[kiosk]\nid = \"a\"\nidd = \"x\"\n", "k.toml");
    CHECK(r.error().log.find("k.toml:3") != std::string::npos);
}

TEST_CASE("the [scanner] section: defaults, every key, and its bounds") {
    auto d = ParseConfig("", "empty.toml");
    REQUIRE(d.ok());
    CHECK(d->scanner.camera_device.empty());
    CHECK(d->scanner.wedge_device.empty());
    CHECK(d->scanner.camera_width == 1280);
    CHECK(d->scanner.camera_height == 720);
    CHECK(d->scanner.camera_fps == 30);
    CHECK_FALSE(d->scanner.camera_preview);  // privacy: no live picture unless a clinic opts in
    CHECK(d->scanner.camera_same_code_seconds == 3);
    CHECK(d->scanner.wedge_max_key_ms == 30);
    CHECK(d->scanner.wedge_min_chars == 8);

    auto c = ParseConfig(R"([scanner]
camera_device = "/dev/v4l/by-id/usb-Cam-video-index0"
camera_width = 1920
camera_height = 1080
camera_fps = 15
camera_preview = true
camera_same_code_seconds = 5
wedge_device = "/dev/input/by-id/usb-Scanner-event-kbd"
wedge_max_key_ms = 25
wedge_min_chars = 20
)",
                         "k.toml");
    REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().log));
    CHECK(c->scanner.camera_device == "/dev/v4l/by-id/usb-Cam-video-index0");
    CHECK(c->scanner.camera_width == 1920);
    CHECK(c->scanner.camera_height == 1080);
    CHECK(c->scanner.camera_fps == 15);
    CHECK(c->scanner.camera_preview);
    CHECK(c->scanner.camera_same_code_seconds == 5);
    CHECK(c->scanner.wedge_device == "/dev/input/by-id/usb-Scanner-event-kbd");
    CHECK(c->scanner.wedge_max_key_ms == 25);
    CHECK(c->scanner.wedge_min_chars == 20);

    struct Case {
        const char* text;
        const char* expect;
    };
    const Case bad[] = {
        {"[scanner]\ncamera_width = 100\n",
         "'scanner.camera_width' must be a whole number from 160 to 3840"},
        {"[scanner]\ncamera_width = 4000\n", "scanner.camera_width"},
        {"[scanner]\ncamera_height = 119\n", "from 120 to 2160"},
        {"[scanner]\ncamera_fps = 0\n", "from 1 to 120"},
        {"[scanner]\ncamera_fps = 121\n", "scanner.camera_fps"},
        {"[scanner]\ncamera_preview = \"yes\"\n", "'scanner.camera_preview' must be true or false"},
        {"[scanner]\ncamera_same_code_seconds = 0\n", "from 1 to 60"},
        {"[scanner]\ncamera_same_code_seconds = 61\n", "scanner.camera_same_code_seconds"},
        {"[scanner]\nwedge_max_key_ms = 4\n", "from 5 to 200"},
        {"[scanner]\nwedge_max_key_ms = 201\n", "scanner.wedge_max_key_ms"},
        {"[scanner]\nwedge_min_chars = 0\n", "from 1 to 64"},
        {"[scanner]\nwedge_min_chars = 65\n", "scanner.wedge_min_chars"},
        {"[scanner]\ncamera_device = 0\n", "'scanner.camera_device' must be a string"},
        {"[scanner]\ncamera_device = \"video0\"\n",
         "'scanner.camera_device' must be an absolute device path"},
        {"[scanner]\nwedge_device = \"event3\"\n",
         "'scanner.wedge_device' must be an absolute device path"},
        {"[scanner]\ncamera_device = \"/dev/x\"\nwedge_device = \"/dev/x\"\n", "same device"},
        {"[scanner]\ncamera = \"/dev/video0\"\n", "'scanner.camera' is not a known key"},
    };
    for (const auto& b : bad) {
        auto r = ParseConfig(b.text, "/etc/iop-kiosk/kiosk.toml");
        REQUIRE_MESSAGE(!r.ok(), b.text);
        CHECK_MESSAGE(r.error().log.find(b.expect) != std::string::npos, r.error().log);
        CHECK(r.error().code == ErrorCode::kConfig);
    }
}

TEST_CASE("plain http is accepted only under the named test switch") {
    auto c = ParseConfig(
        "[server]\nurl = \"http://127.0.0.1:8080/fhir\"\nallow_plain_http_for_tests = true\n",
        "t.toml");
    CHECK(c.ok());
}

TEST_CASE("a missing file says which file") {
    kiosk::test::TempDir dir;
    auto r = LoadConfig(dir.path() / "nope.toml");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().log.find("nope.toml") != std::string::npos);
}

TEST_CASE("the shipped example and demo configs are valid") {
    CHECK(LoadConfig(std::string(KIOSK_TEST_ASSETS) + "/demo/kiosk.toml").ok());
    auto example = LoadConfig(std::string(KIOSK_TEST_ASSETS) + "/../config/kiosk.example.toml");
    CHECK_MESSAGE(example.ok(), (example.ok() ? "" : example.error().log));
}

TEST_CASE("[printer] and the clinic's coordinates: defaults, values and mistakes") {
    auto d = ParseConfig("", "empty.toml");
    REQUIRE(d.ok());
    CHECK(d->printer.queue.empty());  // no printer: referrals are saved, not printed
    CHECK(d->printer.paper == "letter");
    CHECK(d->printer.timeout_seconds == 120);
    CHECK_FALSE(d->latitude.has_value());
    CHECK(d->distance_in_miles);

    auto c = ParseConfig(R"([clinic]
latitude = 45.5123
longitude = -122
[printer]
queue = "Front_Desk"
server = "/run/cups/cups.sock"
paper = "a4"
timeout_seconds = 60
)",
                         "kiosk.toml");
    REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().log));
    CHECK(c->latitude.value() == doctest::Approx(45.5123));
    CHECK(c->longitude.value() == doctest::Approx(-122.0));  // a whole number is a coordinate too
    CHECK(c->printer.queue == "Front_Desk");
    CHECK(c->printer.server == "/run/cups/cups.sock");
    CHECK(c->printer.paper == "a4");
    CHECK(c->printer.timeout_seconds == 60);

    struct Bad {
        const char* text;
        const char* expect;
    };
    const Bad bad[] = {
        {"[printer]\npaper = \"legal\"\n", "'printer.paper' must be \"letter\" or \"a4\""},
        {"[printer]\ntimeout_seconds = 1\n", "printer.timeout_seconds"},
        {"[printer]\nqueue = 3\n", "printer.queue"},
        {"[clinic]\nlatitude = 91.0\nlongitude = 0\n", "clinic.latitude"},
        {"[clinic]\nlatitude = 45.5\n", "go together"},
        {"[clinic]\ndistance_unit = \"miles\"\n", "'clinic.distance_unit' must be"},
        {"[clinic]\nlongitude = \"east\"\nlatitude = 1\n", "clinic.longitude"},
    };
    for (const auto& b : bad) {
        auto r = ParseConfig(b.text, "kiosk.toml");
        REQUIRE_MESSAGE(!r.ok(), b.text);
        CHECK_MESSAGE(r.error().log.find(b.expect) != std::string::npos, r.error().log);
    }
}

TEST_CASE("[sessions]: group and individual codes, their defaults, and mistakes named by line") {
    auto d = ParseConfig("", "empty.toml");
    REQUIRE(d.ok());
    const SessionKindRules defaults;
    CHECK(d->session_kinds.group_codes == defaults.group_codes);
    CHECK(d->session_kinds.individual_codes == defaults.individual_codes);
    // The example file documents the defaults as they are.
    auto example = LoadConfig(std::string(KIOSK_TEST_ASSETS) + "/../config/kiosk.example.toml");
    REQUIRE(example.ok());
    CHECK(example->session_kinds.group_codes == defaults.group_codes);
    CHECK(example->session_kinds.individual_codes == defaults.individual_codes);

    auto c = ParseConfig(R"([sessions]
group_codes = ["http://clinic.example/services|group"]
individual_codes = ["http://clinic.example/services|med-review", "urn:iop-kiosk:session-kind|group"]
)",
                         "k.toml");
    REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().log));
    CHECK(c->session_kinds.group_codes ==
          std::vector<std::string>{"http://clinic.example/services|group"});
    CHECK(c->session_kinds.individual_codes.size() == 2);

    struct Bad {
        const char* text;
        const char* expect;
    };
    const Bad bad[] = {
        {"[sessions]\n\ngroup_codes = \"x|y\"\n",
         "k.toml:3: 'sessions.group_codes' must be a list of \"system|code\" strings"},
        {"[sessions]\ngroup_codes = [\"group\"]\n",
         "k.toml:2: 'sessions.group_codes' entries must look like"},
        {"[sessions]\ngroup_codes = [\"group\"]\n", "not \"group\""},
        {"[sessions]\nindividual_codes = [\"http://x|a\", 7]\n",
         "k.toml:2: 'sessions.individual_codes' must be a list of \"system|code\" strings"},
        {"[sessions]\nindividual_codes = [\"http://x|a b  c\"]\n", "sessions.individual_codes"},
        {"[sessions]\nindividual_codes = [\"http://x|a\", \"http://x|a\"]\n",
         "lists \"http://x|a\" twice"},
        {"[sessions]\ngroup_codes = [\"http://x|a\"]\n\nindividual_codes = [\"http://x|a\"]\n",
         "k.toml:4: 'sessions.individual_codes' lists \"http://x|a\", which sessions.group_codes "
         "lists too"},
        // One list set, the other left at its defaults: the error names the line that was set.
        {"[sessions]\n\ngroup_codes = [\"urn:iop-kiosk:session-kind|individual\"]\n",
         "k.toml:3: 'sessions.group_codes' lists \"urn:iop-kiosk:session-kind|individual\", "
         "which sessions.individual_codes lists by default"},
        {"[sessions]\ngroup_code = []\n", "'sessions.group_code' is not a known key"},
    };
    for (const auto& b : bad) {
        auto r = ParseConfig(b.text, "k.toml");
        REQUIRE_MESSAGE(!r.ok(), b.text);
        CHECK_MESSAGE(r.error().log.find(b.expect) != std::string::npos, r.error().log);
        CHECK(r.error().code == ErrorCode::kConfig);
    }
}

TEST_CASE("[server] proxy, max_response_mb and max_pages: defaults, values and mistakes") {
    auto d = ParseConfig("", "empty.toml");
    REQUIRE(d.ok());
    CHECK(d->server.proxy.empty());
    CHECK(d->server.max_response_mb == 64);
    CHECK(d->server.max_pages == 1000);
    auto c = ParseConfig(
        "[server]\nproxy = \"http://proxy.clinic.example:3128\"\nmax_response_mb = 8\nmax_pages = "
        "50\n",
        "s.toml");
    REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().log));
    CHECK(c->server.proxy == "http://proxy.clinic.example:3128");
    CHECK(c->server.max_response_mb == 8);
    CHECK(c->server.max_pages == 50);
    for (const char* good : {"http://10.0.0.1:8080", "http://[fd00::1]:3128/", "http://proxy:1"}) {
        CHECK_MESSAGE(
            ParseConfig(std::string("[server]\nproxy = \"") + good + "\"\n", "p.toml").ok(), good);
    }
    for (const char* bad : {"proxy.clinic.example:3128", "https://proxy:3128", "http://proxy",
                            "http://user:pw@proxy:3128", "http://proxy:3128/path", "http://proxy:0",
                            "http://proxy:99999", "socks5://proxy:1080", "http://:3128"}) {
        auto r = ParseConfig(std::string("[server]\nproxy = \"") + bad + "\"\n", "p.toml");
        REQUIRE_FALSE_MESSAGE(r.ok(), bad);
        CHECK(r.error().log.find("'server.proxy' must look like \"http://host:port\"") !=
              std::string::npos);
    }
    for (const char* bad : {"max_response_mb = 0", "max_response_mb = 2000", "max_pages = 0"}) {
        auto r = ParseConfig(std::string("[server]\n") + bad + "\n", "p.toml");
        REQUIRE_FALSE_MESSAGE(r.ok(), bad);
        CHECK(r.error().log.find("must be a whole number") != std::string::npos);
    }
}

TEST_CASE("a config with several mistakes lists every one with its file, line and key") {
    const char* text =
        "[server]\n"                             // 1
        "url = \"https://fhir.example/r4\"\n"    // 2
        "ca_flie = \"/etc/iop-kiosk/ca.pem\"\n"  // 3  misspelt key
        "sync_interval_seconds = 1\n"            // 4  out of range
        "[kiosk]\n"                              // 5
        "id = \"lobby-7\"\n"                     // 6
        "languages = [\"en\", 3]\n"              // 7  not strings
        "[printer]\n"                            // 8
        "paper = \"legal\"\n"                    // 9  not letter/a4
        "[colour]\n"                             // 10 unknown section
        "x = 1\n";
    auto r = ParseConfig(text, "k.toml");
    REQUIRE_FALSE(r.ok());
    const std::string& log = r.error().log;
    for (const char* expect : {"k.toml:3: 'server.ca_flie' is not a known key",
                               "k.toml:4: 'server.sync_interval_seconds' must be a whole number",
                               "k.toml:7: 'kiosk.languages' must be a list of strings",
                               "k.toml:9: 'printer.paper' must be \"letter\" or \"a4\"",
                               "k.toml:10: 'colour' is not a known section"}) {
        CHECK_MESSAGE(log.find(expect) != std::string::npos, expect << "\n  in:\n" << log);
    }

    // The same read for `kiosk doctor`: the problems, and a config with the good values and the
    // defaults of the bad ones, so that its other checks still run.
    const ConfigRead read = ReadConfig(text, "k.toml");
    REQUIRE(read.problems.size() == 5);
    CHECK(read.problems[0].key == "server.ca_flie");
    CHECK(read.problems[0].unknown);
    CHECK(read.problems[1].key == "server.sync_interval_seconds");
    CHECK_FALSE(read.problems[1].unknown);
    REQUIRE(read.config.has_value());
    CHECK(read.config->server.url == "https://fhir.example/r4");
    CHECK(read.config->kiosk_id == "lobby-7");
    CHECK(read.config->server.sync_interval_seconds == ServerConfig{}.sync_interval_seconds);
    CHECK(read.config->languages == KioskConfig{}.languages);
    CHECK(read.config->printer.paper == "letter");
}

TEST_CASE("a file that is not TOML gives no config and one problem with its line") {
    const ConfigRead read = ReadConfig("[server]\nurl = \n", "bad.toml");
    CHECK_FALSE(read.config.has_value());
    REQUIRE(read.problems.size() == 1);
    CHECK(read.problems[0].message.find("bad.toml:2: not valid TOML") != std::string::npos);
}

TEST_CASE("[server] auth: bearer by default with a token file, smart-backend keys and mistakes") {
    auto none = ParseConfig("", "k.toml");
    REQUIRE(none.ok());
    CHECK(none->server.auth == ServerAuth::kNone);
    auto bearer =
        ParseConfig("[server]\nurl = \"https://f.example/R4\"\ntoken_file = \"/t\"\n", "k.toml");
    REQUIRE(bearer.ok());
    CHECK(bearer->server.auth == ServerAuth::kBearer);  // existing configs keep working

    auto smart = ParseConfig(R"([server]
url = "https://fhir.example/R4"
auth = "smart-backend"
client_id = "lobby-kiosk-1"
private_key_file = "/etc/iop-kiosk/client-key.pem"
key_id = "kiosk-1"
scope = "system/Patient.rs"
token_url = "https://auth.example/token"
)",
                             "k.toml");
    REQUIRE_MESSAGE(smart.ok(), (smart.ok() ? "" : smart.error().log));
    CHECK(smart->server.auth == ServerAuth::kSmartBackend);
    CHECK(smart->server.client_id == "lobby-kiosk-1");
    CHECK(smart->server.private_key_file == "/etc/iop-kiosk/client-key.pem");
    CHECK(smart->server.key_id == "kiosk-1");
    CHECK(smart->server.scope == "system/Patient.rs");
    CHECK(smart->server.token_url == "https://auth.example/token");

    const std::string base = "[server]\nurl = \"https://fhir.example/R4\"\n";
    const std::string key = "private_key_file = \"/k.pem\"\n";
    const std::pair<std::string, std::string> cases[] = {
        {"auth = \"oauth\"\n", "'server.auth' must be \"smart-backend\", \"bearer\""},
        {"auth = \"bearer\"\n", "'server.auth' is \"bearer\" but server.token_file is not set"},
        {"auth = \"none\"\ntoken_file = \"/t\"\n", "'server.token_file' is not used"},
        {"auth = \"smart-backend\"\n" + key, "'server.client_id' must be set"},
        {"auth = \"smart-backend\"\nclient_id = \"k\"\n", "'server.private_key_file' must be set"},
        {"auth = \"smart-backend\"\nclient_id = \"k\"\n" + key + "token_url = \"http://a/t\"\n",
         "'server.token_url' must start with https://"},
        {"auth = \"smart-backend\"\nclient_id = \"k\"\n" + key + "token_file = \"/t\"\n",
         "'server.token_file' is not used with server.auth = \"smart-backend\""},
        {"client_id = \"k\"\n",
         "'server.client_id' is only used with server.auth = \"smart-backend\""},
        {"auth = \"smart-backend\"\nclient_id = \"\"\n" + key,
         "'server.client_id' must be a non-empty"},
    };
    for (const auto& [text, expect] : cases) {
        auto r = ParseConfig(base + text, "/etc/iop-kiosk/kiosk.toml");
        REQUIRE_MESSAGE(!r.ok(), text);
        CHECK_MESSAGE(r.error().log.find(expect) != std::string::npos, r.error().log);
        CHECK(r.error().log.find("/etc/iop-kiosk/kiosk.toml") != std::string::npos);
    }
    auto no_url =
        ParseConfig("[server]\nauth = \"smart-backend\"\nclient_id = \"k\"\n" + key, "k.toml");
    REQUIRE_FALSE(no_url.ok());
    CHECK(no_url.error().log.find("server.url is not set") != std::string::npos);
}
