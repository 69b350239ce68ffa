// libFuzzer target: the kiosk's configuration file (kiosk/core/Config, TOML through Debian's
// toml++, linked as the kiosk links it). The input is the file's text, as LoadConfig reads it,
// through ParseConfig (no file is written). Checks: a config that parses holds only what
// config/kiosk.example.toml documents (every range, both-or-neither pairs, languages, https, the
// keys [server] auth needs); a config that does not is a kConfig error naming the file; an
// unknown section added to a good file is refused by name; the same text always gives the same
// answer.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kiosk/core/Config.h"

using namespace kiosk;

namespace {

constexpr const char* kName = "fuzz.toml";

void Require(bool ok) {
    if (!ok) {
        __builtin_trap();  // libFuzzer reports the input
    }
}

template <class T>
bool In(T v, long long lo, long long hi) {
    return static_cast<long long>(v) >= lo && static_cast<long long>(v) <= hi;
}

bool StartsWith(const std::string& s, std::string_view prefix) {
    return s.rfind(prefix, 0) == 0;
}

void CheckGood(const KioskConfig& c) {
    Require(c.source == kName);
    const ServerConfig& s = c.server;
    Require(In(s.sync_interval_seconds, 5, 3600));
    Require(s.url.empty() || StartsWith(s.url, "https://") ||
            (StartsWith(s.url, "http://") && s.allow_plain_http_for_tests));
    Require(s.client_cert.empty() == s.client_key.empty());
    Require((s.auth == ServerAuth::kBearer) == !s.token_file.empty());
    if (s.auth == ServerAuth::kSmartBackend) {
        Require(!s.url.empty() && !s.client_id.empty() && !s.private_key_file.empty());
        Require(s.token_url.empty() || StartsWith(s.token_url, "https://") ||
                (StartsWith(s.token_url, "http://") && s.allow_plain_http_for_tests));
    } else {
        Require(s.client_id.empty() && s.private_key_file.empty() && s.key_id.empty() &&
                s.scope.empty() && s.token_url.empty());
    }
    for (const auto& pin : s.pinned_public_keys) {
        Require(StartsWith(pin, "sha256//"));
    }
    Require(!c.site_location_id.empty() && !c.timezone.empty() && !c.kiosk_id.empty());
    Require(!c.data_dir.empty() && !c.default_language.empty());
    Require(c.latitude.has_value() == c.longitude.has_value());
    if (c.latitude) {
        Require(*c.latitude >= -90 && *c.latitude <= 90);
        Require(*c.longitude >= -180 && *c.longitude <= 180);
    }
    Require(!c.languages.empty());
    bool has_default = false;
    for (const auto& l : c.languages) {
        Require(l == "en" || l == "es");
        has_default = has_default || l == c.default_language;
    }
    Require(has_default);
    Require(c.lobby_name == LobbyName::kNone || c.lobby_name == LobbyName::kFirstName);
    Require(In(c.result_seconds.count(), 2, 60));
    Require(In(c.windows.opens_before.count(), 0, 240));
    Require(In(c.windows.late_after.count(), 0, 120));
    Require(In(c.windows.block_gap.count(), 0, 240));
    Require(In(c.windows.checkout_grace.count(), 0, 240));
    Require(In(c.windows.duplicate_scan.count(), 0, 600));
    const ScannerConfig& sc = c.scanner;
    Require(In(sc.camera_width, 160, 3840) && In(sc.camera_height, 120, 2160));
    Require(In(sc.camera_fps, 1, 120) && In(sc.camera_same_code_seconds, 1, 60));
    Require(In(sc.wedge_max_key_ms, 5, 200) && In(sc.wedge_min_chars, 1, 64));
    Require(sc.camera_device.empty() || sc.camera_device.front() == '/');
    Require(sc.wedge_device.empty() || sc.wedge_device.front() == '/');
    Require(sc.wedge_device.empty() || sc.wedge_device != sc.camera_device);
    Require(c.printer.paper == "letter" || c.printer.paper == "a4");
    Require(In(c.printer.timeout_seconds, 10, 3600));
    Require(In(c.staff_idle_lock.count(), 15, 3600));
    Require(In(c.pin_attempts, 1, 20) && In(c.pin_lockout.count(), 1, 1440));
    Require(In(c.weekly_hours_adult.count(), 1, 40));
    Require(In(c.weekly_hours_adolescent.count(), 1, 40));
    for (const auto* codes : {&c.session_kinds.group_codes, &c.session_kinds.individual_codes}) {
        for (const auto& code : *codes) {
            Require(IsSystemCode(code));
        }
    }
    for (const auto& code : c.session_kinds.individual_codes) {
        Require(std::find(c.session_kinds.group_codes.begin(), c.session_kinds.group_codes.end(),
                          code) == c.session_kinds.group_codes.end());
    }
    Require(In(c.damaged_db_retention_days, 1, 3650));
    Require(!c.audit.key_file.empty() && In(c.audit.head_interval_minutes, 0, 1440));
}

bool Same(const Result<KioskConfig>& a, const Result<KioskConfig>& b) {
    if (a.ok() != b.ok()) {
        return false;
    }
    if (!a.ok()) {
        return a.error().log == b.error().log;
    }
    const KioskConfig &x = a.value(), &y = b.value();
    return x.server.url == y.server.url && x.site_location_id == y.site_location_id &&
           x.timezone == y.timezone && x.kiosk_id == y.kiosk_id && x.data_dir == y.data_dir &&
           x.languages == y.languages && x.latitude == y.latitude &&
           x.scanner.camera_device == y.scanner.camera_device &&
           x.printer.queue == y.printer.queue && x.pin_attempts == y.pin_attempts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto config = ParseConfig(text, kName);
    if (config.ok()) {
        CheckGood(config.value());
        // Unknown keys are errors that name the key (so a typo never goes unnoticed).
        const auto more = ParseConfig(std::string(text) + "\n[zz_unknown]\nx = 1\n", kName);
        Require(!more.ok() && more.error().code == ErrorCode::kConfig &&
                more.error().log.find("zz_unknown") != std::string::npos);
    } else {
        Require(config.error().code == ErrorCode::kConfig);
        Require(StartsWith(config.error().log, kName));
    }
    Require(Same(config, ParseConfig(text, kName)));
    return 0;
}
