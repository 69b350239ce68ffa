// TOML through toml++ (exceptions stay inside this file). Each section is read by a small table
// of known keys; every unknown key and bad value is listed (file, line, key), and a bad key keeps
// its default so the rest of the file still reads (ReadConfig, for `kiosk doctor`).
#include "kiosk/core/Config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <climits>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace kiosk {
namespace {

class Reader {
  public:
    Reader(const toml::table& root, std::string file) : m_root(root), m_file(std::move(file)) {}

    using Handler = std::function<bool(const toml::node&, std::string&)>;

    /// Visits every key of `section` with its handler; each unknown key and each value its
    /// handler refuses is a problem (the key keeps its default), and the rest still read.
    void Section(const std::string& section, const std::map<std::string, Handler>& keys) {
        const toml::node* node = m_root.get(section);
        if (node == nullptr) {
            return;
        }
        const toml::table* table = node->as_table();
        if (table == nullptr) {
            Fail(section, "must be a table like [" + section + "]", node);
            return;
        }
        for (const auto& [key, value] : *table) {
            const std::string name = section + "." + std::string(key.str());
            auto it = keys.find(std::string(key.str()));
            if (it == keys.end()) {
                Fail(name, "is not a known key (check the spelling; see config/kiosk.example.toml)",
                     &value, true);
                continue;
            }
            std::string why;
            if (!it->second(value, why)) {
                Fail(name, why, &value);
            }
        }
    }

    void CheckSections(const std::vector<std::string>& known) {
        for (const auto& [key, value] : m_root) {
            if (std::find(known.begin(), known.end(), std::string(key.str())) == known.end()) {
                Fail(std::string(key.str()), "is not a known section or key", &value, true);
            }
        }
    }

    /// Whether the file has `section.key` (a default otherwise).
    bool Has(const std::string& dotted) const { return m_root.at_path(dotted).node() != nullptr; }

    /// An error for a key found in the file that names its line, for checks across keys.
    bool Reject(const std::string& dotted, const std::string& why) {
        return Fail(dotted, why, m_root.at_path(dotted).node());
    }

    /// A problem with a key the file may leave out (no line then).
    bool Problem(const std::string& dotted, const std::string& why) { return Reject(dotted, why); }

    /// Every problem, in the file's order (those on no line last).
    std::vector<ConfigProblem> TakeProblems() {
        std::stable_sort(m_problems.begin(), m_problems.end(),
                         [](const ConfigProblem& a, const ConfigProblem& b) {
                             return (a.line == 0 ? INT_MAX : a.line) <
                                    (b.line == 0 ? INT_MAX : b.line);
                         });
        return std::move(m_problems);
    }

  private:
    bool Fail(const std::string& key, const std::string& why, const toml::node* at = nullptr,
              bool unknown = false) {
        std::string where = m_file;
        const int line = at != nullptr ? static_cast<int>(at->source().begin.line) : 0;
        if (line > 0) {
            where += ":" + std::to_string(line);
        }
        m_problems.push_back(ConfigProblem{key, where + ": '" + key + "' " + why, unknown, line});
        return false;
    }

    const toml::table& m_root;
    std::string m_file;
    std::vector<ConfigProblem> m_problems;
};

constexpr const char* kConfigScreenText =
    "The kiosk's configuration has an error. Please call IT support.";

Reader::Handler String(std::string& out, bool non_empty = false) {
    return [&out, non_empty](const toml::node& n, std::string& why) {
        auto v = n.value<std::string>();
        if (!n.is_string() || !v || (non_empty && v->empty())) {
            why = non_empty ? "must be a non-empty string" : "must be a string";
            return false;
        }
        out = *v;
        return true;
    };
}

Reader::Handler Path(std::filesystem::path& out) {
    return [&out](const toml::node& n, std::string& why) {
        if (!n.is_string() || n.value<std::string>()->empty()) {
            why = "must be a non-empty path";
            return false;
        }
        out = *n.value<std::string>();
        return true;
    };
}

Reader::Handler Auth(ServerAuth& out) {
    return [&out](const toml::node& n, std::string& why) {
        const auto v = n.value<std::string>();
        if (v == "none" || v == "bearer" || v == "smart-backend") {
            out = v == "none" ? ServerAuth::kNone
                              : (v == "bearer" ? ServerAuth::kBearer : ServerAuth::kSmartBackend);
            return true;
        }
        why = "must be \"smart-backend\", \"bearer\" (token_file) or \"none\"";
        return false;
    };
}

Reader::Handler Bool(bool& out) {
    return [&out](const toml::node& n, std::string& why) {
        if (!n.is_boolean()) {
            why = "must be true or false";
            return false;
        }
        out = *n.value<bool>();
        return true;
    };
}

template <class Out>
Reader::Handler Integer(Out& out, long long lo, long long hi) {
    return [&out, lo, hi](const toml::node& n, std::string& why) {
        if (!n.is_integer() || *n.value<long long>() < lo || *n.value<long long>() > hi) {
            why = "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
            return false;
        }
        out = Out(*n.value<long long>());
        return true;
    };
}

Reader::Handler Number(std::optional<double>& out, double lo, double hi) {
    return [&out, lo, hi](const toml::node& n, std::string& why) {
        const auto v = n.is_integer() ? std::optional<double>(double(*n.value<long long>()))
                                      : n.value<double>();
        if (!v || *v < lo || *v > hi) {
            why = "must be a number from " + std::to_string(int(lo)) + " to " +
                  std::to_string(int(hi));
            return false;
        }
        out = *v;
        return true;
    };
}

Reader::Handler StringList(std::vector<std::string>& out) {
    return [&out](const toml::node& n, std::string& why) {
        const toml::array* arr = n.as_array();
        if (arr == nullptr) {
            why = "must be a list of strings";
            return false;
        }
        std::vector<std::string> items;
        for (const auto& item : *arr) {
            if (!item.is_string()) {
                why = "must be a list of strings";
                return false;
            }
            items.push_back(*item.value<std::string>());
        }
        out = std::move(items);
        return true;
    };
}

/// A list of "system|code" entries (IsSystemCode), each at most once.
Reader::Handler CodeList(std::vector<std::string>& out) {
    return [&out](const toml::node& n, std::string& why) {
        std::vector<std::string> codes;
        if (!StringList(codes)(n, why)) {
            why = "must be a list of \"system|code\" strings";
            return false;
        }
        for (auto it = codes.begin(); it != codes.end(); ++it) {
            if (!IsSystemCode(*it)) {
                why =
                    "entries must look like \"http://clinic.example/codes|group-therapy\" (a "
                    "code system, '|', a code), not \"" +
                    *it + "\"";
                return false;
            }
            if (std::find(codes.begin(), it, *it) != it) {
                why = "lists \"" + *it + "\" twice";
                return false;
            }
        }
        out = std::move(codes);
        return true;
    };
}

/// "http://host:port" with a host name, an IPv4 address or a bracketed IPv6 one, and nothing
/// after the port but an optional "/".
bool IsProxyUrl(std::string_view url) {
    constexpr std::string_view kScheme = "http://";
    if (url.substr(0, kScheme.size()) != kScheme) {
        return false;
    }
    std::string_view rest = url.substr(kScheme.size());
    if (!rest.empty() && rest.back() == '/') {
        rest.remove_suffix(1);
    }
    const auto colon = rest.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
        return false;
    }
    const std::string_view host = rest.substr(0, colon);
    const std::string_view port = rest.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string_view::npos ||
        std::stoi(std::string(port)) == 0 || std::stoi(std::string(port)) > 65535) {
        return false;
    }
    if (host.front() == '[') {
        return host.size() > 2 && host.back() == ']' &&
               host.find_first_not_of("0123456789abcdefABCDEF:.", 1) == host.size() - 1;
    }
    return host.find_first_not_of(
               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
               "0123456789.-") == std::string_view::npos;
}

/// The keys [server] auth needs: a token file for bearer; a server, client id and key for
/// smart-backend, whose token_url (when set) is https like the server's. The SMART keys with
/// another auth would be silently unused: an error too.
template <class Bad>
void ValidateAuth(const ServerConfig& s, const Bad& bad) {
    if (s.auth == ServerAuth::kBearer && s.token_file.empty()) {
        bad("server.auth", "is \"bearer\" but server.token_file is not set");
        return;
    }
    if (s.auth == ServerAuth::kNone && !s.token_file.empty()) {
        bad("server.token_file", "is not used with server.auth = \"none\"");
        return;
    }
    const std::pair<const char*, const std::string*> smart_keys[] = {
        {"client_id", &s.client_id},
        {"private_key_file", &s.private_key_file},
        {"key_id", &s.key_id},
        {"scope", &s.scope},
        {"token_url", &s.token_url}};
    if (s.auth != ServerAuth::kSmartBackend) {
        for (const auto& [key, value] : smart_keys) {
            if (!value->empty()) {
                bad(std::string("server.") + key,
                    "is only used with server.auth = \"smart-backend\"");
                return;
            }
        }
        return;
    }
    if (s.url.empty()) {
        bad("server.auth", "is \"smart-backend\" but server.url is not set");
        return;
    }
    if (!s.token_file.empty()) {
        bad("server.token_file", "is not used with server.auth = \"smart-backend\"");
        return;
    }
    for (const auto& [key, value] : {smart_keys[0], smart_keys[1]}) {  // client id, key file
        if (value->empty()) {
            bad(std::string("server.") + key, "must be set with server.auth = \"smart-backend\"");
            return;
        }
    }
    const bool http = s.token_url.rfind("http://", 0) == 0;
    if (!s.token_url.empty() && s.token_url.rfind("https://", 0) != 0 &&
        !(http && s.allow_plain_http_for_tests)) {
        bad("server.token_url", "must start with https://");
    }
}

/// The checks across keys and of values' shapes, each failed one a problem of `r`.
void Validate(Reader& r, const KioskConfig& c) {
    auto bad = [&](const std::string& key, const std::string& why) { r.Problem(key, why); };
    const std::string& url = c.server.url;
    if (!url.empty()) {
        const bool https = url.rfind("https://", 0) == 0;
        const bool http = url.rfind("http://", 0) == 0;
        if (http && !c.server.allow_plain_http_for_tests) {
            bad("server.url",
                "uses plain http://, which would send patient data unencrypted; use "
                "https:// (plain http is only for tests: allow_plain_http_for_tests)");
        }
        if (!https && !http) {
            bad("server.url", "must start with https://");
        }
    }
    if (!c.server.proxy.empty() && !IsProxyUrl(c.server.proxy)) {
        bad("server.proxy",
            "must look like \"http://host:port\" (the clinic's HTTP proxy; no user name, "
            "password or path), or be left out for none");
    }
    ValidateAuth(c.server, bad);
    if (c.server.client_cert.empty() != c.server.client_key.empty()) {
        bad("server.client_cert", "and server.client_key must be given together");
    }
    for (const auto& pin : c.server.pinned_public_keys) {
        if (pin.rfind("sha256//", 0) != 0) {
            bad("server.pinned_public_keys", "entries must look like \"sha256//<base64>\"");
        }
    }
    if (std::find(c.languages.begin(), c.languages.end(), c.default_language) ==
        c.languages.end()) {
        bad("kiosk.language", "must be one of kiosk.languages");
    }
    for (const auto* key : {&c.scanner.camera_device, &c.scanner.wedge_device}) {
        if (!key->empty() && key->front() != '/') {
            bad(key == &c.scanner.camera_device ? "scanner.camera_device" : "scanner.wedge_device",
                "must be an absolute device path like \"/dev/video0\" (or \"\" for none)");
        }
    }
    if (!c.scanner.wedge_device.empty() && c.scanner.wedge_device == c.scanner.camera_device) {
        bad("scanner.wedge_device", "names the same device as scanner.camera_device");
    }
    for (const auto& lang : c.languages) {
        if (lang != "en" && lang != "es") {
            bad("kiosk.languages", "may list \"en\" and \"es\" (got \"" + lang + "\")");
        }
    }
}

/// A code may not be both: the kiosk could not tell which the clinic meant. The error names the
/// list the file sets (the other one may be the default).
bool SameCodeOnce(Reader& r, const SessionKindRules& kinds) {
    for (const auto& code : kinds.individual_codes) {
        if (std::find(kinds.group_codes.begin(), kinds.group_codes.end(), code) ==
            kinds.group_codes.end()) {
            continue;
        }
        const bool individual_set = r.Has("sessions.individual_codes");
        const std::string other =
            individual_set ? "sessions.group_codes" : "sessions.individual_codes";
        return r.Reject(individual_set ? "sessions.individual_codes" : "sessions.group_codes",
                        "lists \"" + code + "\", which " + other +
                            (r.Has(other) ? " lists too" : " lists by default") +
                            ": a code is a group's or a one-to-one's, not both");
    }
    return true;
}

/// Every section and key of the file into `c`; the two words that become enums come back in
/// `lobby_name` and `distance_unit`. Each bad key is a problem of `r` and keeps its default.
void ReadSections(Reader& r, KioskConfig& c, std::string& lobby_name, std::string& distance_unit) {
    r.CheckSections({"server", "clinic", "kiosk", "lobby", "sessions", "checkin", "staff",
                     "scanner", "printer", "audit"});
    r.Section("server",
              {{"url", String(c.server.url)},
               {"ca_file", String(c.server.ca_file)},
               {"pinned_public_keys", StringList(c.server.pinned_public_keys)},
               {"client_cert", String(c.server.client_cert)},
               {"client_key", String(c.server.client_key)},
               {"token_file", String(c.server.token_file)},
               {"auth", Auth(c.server.auth)},
               {"client_id", String(c.server.client_id, true)},
               {"private_key_file", String(c.server.private_key_file, true)},
               {"key_id", String(c.server.key_id, true)},
               {"scope", String(c.server.scope, true)},
               {"token_url", String(c.server.token_url, true)},
               {"allow_plain_http_for_tests", Bool(c.server.allow_plain_http_for_tests)},
               {"sync_interval_seconds", Integer(c.server.sync_interval_seconds, 5, 3600)},
               {"proxy", String(c.server.proxy)},
               {"max_response_mb", Integer(c.server.max_response_mb, 1, 1024)},
               {"max_pages", Integer(c.server.max_pages, 1, 100000)}});
    r.Section("clinic", {{"site_location_id", String(c.site_location_id, true)},
                         {"timezone", String(c.timezone, true)},
                         {"name", String(c.clinic_name)},
                         {"latitude", Number(c.latitude, -90, 90)},
                         {"longitude", Number(c.longitude, -180, 180)},
                         {"distance_unit", String(distance_unit, true)}});
    r.Section("kiosk",
              {{"id", String(c.kiosk_id, true)},
               {"data_dir", Path(c.data_dir)},
               {"language", String(c.default_language, true)},
               {"languages", StringList(c.languages)},
               {"clock_24h", Bool(c.clock_24h)},
               {"damaged_db_retention_days", Integer(c.damaged_db_retention_days, 1, 3650)}});
    r.Section("lobby", {{"lobby_name", String(lobby_name, true)},
                        {"result_seconds", Integer(c.result_seconds, 2, 60)}});
    r.Section("sessions", {{"group_codes", CodeList(c.session_kinds.group_codes)},
                           {"individual_codes", CodeList(c.session_kinds.individual_codes)}});
    SameCodeOnce(r, c.session_kinds);
    r.Section("checkin", {{"opens_before_minutes", Integer(c.windows.opens_before, 0, 240)},
                          {"late_after_minutes", Integer(c.windows.late_after, 0, 120)},
                          {"block_gap_minutes", Integer(c.windows.block_gap, 0, 240)},
                          {"checkout_grace_minutes", Integer(c.windows.checkout_grace, 0, 240)},
                          {"duplicate_scan_seconds", Integer(c.windows.duplicate_scan, 0, 600)}});
    r.Section("scanner",
              {{"camera_device", String(c.scanner.camera_device)},
               {"camera_width", Integer(c.scanner.camera_width, 160, 3840)},
               {"camera_height", Integer(c.scanner.camera_height, 120, 2160)},
               {"camera_fps", Integer(c.scanner.camera_fps, 1, 120)},
               {"camera_preview", Bool(c.scanner.camera_preview)},
               {"camera_same_code_seconds", Integer(c.scanner.camera_same_code_seconds, 1, 60)},
               {"wedge_device", String(c.scanner.wedge_device)},
               {"wedge_max_key_ms", Integer(c.scanner.wedge_max_key_ms, 5, 200)},
               {"wedge_min_chars", Integer(c.scanner.wedge_min_chars, 1, 64)}});
    r.Section("printer", {{"queue", String(c.printer.queue)},
                          {"server", String(c.printer.server)},
                          {"paper", String(c.printer.paper, true)},
                          {"timeout_seconds", Integer(c.printer.timeout_seconds, 10, 3600)}});
    r.Section("audit",
              {{"key_file", Path(c.audit.key_file)},
               {"head_interval_minutes", Integer(c.audit.head_interval_minutes, 0, 1440)}});
    r.Section("staff", {{"idle_lock_seconds", Integer(c.staff_idle_lock, 15, 3600)},
                        {"pin_attempts", Integer(c.pin_attempts, 1, 20)},
                        {"lockout_minutes", Integer(c.pin_lockout, 1, 1440)},
                        {"weekly_hours_adult", Integer(c.weekly_hours_adult, 1, 40)},
                        {"weekly_hours_adolescent", Integer(c.weekly_hours_adolescent, 1, 40)}});
}

}  // namespace

ConfigRead ReadConfig(std::string_view toml_text, const std::string& name) {
    ConfigRead read;
    toml::table root;
    try {
        root = toml::parse(toml_text, name);
    } catch (const toml::parse_error& e) {
        std::ostringstream msg;
        msg << name << ":" << e.source().begin.line << ": not valid TOML: " << e.description();
        read.problems.push_back(
            ConfigProblem{"", msg.str(), false, static_cast<int>(e.source().begin.line)});
        return read;
    }
    KioskConfig c;
    c.source = name;
    std::string lobby_name = "none";
    std::string distance_unit = "mi";
    Reader r(root, name);
    ReadSections(r, c, lobby_name, distance_unit);
    if (!r.Has("server.auth")) {
        c.server.auth = c.server.token_file.empty() ? ServerAuth::kNone : ServerAuth::kBearer;
    }
    if (lobby_name == "first_name") {
        c.lobby_name = LobbyName::kFirstName;
    } else if (lobby_name != "none") {
        r.Problem("lobby.lobby_name", "must be \"none\" or \"first_name\"");
    }
    if (distance_unit != "mi" && distance_unit != "km") {
        r.Problem("clinic.distance_unit", "must be \"mi\" or \"km\"");
    }
    c.distance_in_miles = distance_unit != "km";
    if (c.printer.paper != "letter" && c.printer.paper != "a4") {
        r.Problem("printer.paper", "must be \"letter\" or \"a4\"");
        c.printer.paper = PrinterConfig{}.paper;
    }
    if (c.latitude.has_value() != c.longitude.has_value()) {
        r.Problem(c.latitude ? "clinic.latitude" : "clinic.longitude",
                  "needs the other of 'clinic.latitude' and 'clinic.longitude': they go "
                  "together, give both or neither");
        c.latitude.reset();
        c.longitude.reset();
    }
    Validate(r, c);
    read.config = std::move(c);
    read.problems = r.TakeProblems();
    return read;
}

ConfigRead ReadConfigFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        ConfigRead read;
        read.problems.push_back(
            ConfigProblem{"", "cannot read config file " + file.string() +
                                  " (does it exist and can the kiosk user read it?)"});
        return read;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return ReadConfig(text.str(), file.string());
}

namespace {

/// The config when it has no problem, else one error listing them all, a line each.
Result<KioskConfig> Checked(ConfigRead read) {
    if (read.problems.empty() && read.config) {
        return std::move(*read.config);
    }
    std::string all;
    for (const ConfigProblem& problem : read.problems) {
        all += (all.empty() ? "" : "\n") + problem.message;
    }
    return MakeError(ErrorCode::kConfig, all, kConfigScreenText);
}

}  // namespace

Result<KioskConfig> ParseConfig(std::string_view toml_text, const std::string& name) {
    return Checked(ReadConfig(toml_text, name));
}

Result<KioskConfig> LoadConfig(const std::filesystem::path& file) {
    return Checked(ReadConfigFile(file));
}

}  // namespace kiosk
