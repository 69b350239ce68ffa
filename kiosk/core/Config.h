// The kiosk's one configuration file (TOML): every key, its default and its check. Unknown keys
// and bad values are errors that name the file, line and key, all of them at once. Plain data
// for every layer.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/CheckinRules.h"
#include "kiosk/core/Result.h"
#include "kiosk/core/SessionKind.h"

namespace kiosk {

enum class LobbyName { kNone, kFirstName };

/// [server] auth: how the kiosk proves itself to the FHIR server (beside a client certificate).
enum class ServerAuth {
    kNone,          ///< no Authorization header
    kBearer,        ///< a static token from token_file
    kSmartBackend,  ///< SMART Backend Services: client_credentials with a signed JWT assertion
};

struct ServerConfig {
    std::string url;  ///< empty: no server, the kiosk stays local
    std::string ca_file;
    std::vector<std::string> pinned_public_keys;  ///< "sha256//base64" each
    std::string client_cert;
    std::string client_key;
    std::string token_file;
    /// Default: kBearer when token_file is set, else kNone.
    ServerAuth auth = ServerAuth::kNone;
    std::string client_id;         ///< smart-backend: the client registered with the server
    std::string private_key_file;  ///< smart-backend: PEM, RSA (RS384) or EC P-384 (ES384)
    std::string key_id;            ///< smart-backend: the assertion's "kid"; "" none
    std::string scope;             ///< smart-backend: "" = kDefaultSmartScope
    std::string token_url;  ///< smart-backend: "" = from {url}/.well-known/smart-configuration
    bool allow_plain_http_for_tests = false;  ///< test switch: accept an http:// url
    int sync_interval_seconds = 30;
    /// "http://host:port" of the clinic's proxy; "" none (proxy variables in the environment
    /// are ignored either way).
    std::string proxy;
    int max_response_mb = 64;  ///< a larger answer is refused while it arrives
    int max_pages = 1000;      ///< a search or pull that pages further is stopped
};

/// The scopes the kiosk asks for when [server] scope is not set: what it reads and writes
/// (docs/COMPATIBILITY.md), in SMART v2 syntax.
inline constexpr const char* kDefaultSmartScope =
    "system/Location.rs system/Appointment.rs system/PractitionerRole.rs system/Patient.rus "
    "system/RelatedPerson.rs system/Practitioner.rus system/Encounter.crus system/Provenance.crs "
    "system/ServiceRequest.crs system/HealthcareService.rs system/Organization.rs "
    "system/AuditEvent.crs";

/// [scanner]: the camera and a USB keyboard-wedge scanner. Both optional; a kiosk with neither
/// still takes scans typed by a scanner into the window (told from typing by key timing).
struct ScannerConfig {
    std::string camera_device;  ///< "" none; "/dev/video0" or a /dev/v4l/by-id/ link
    int camera_width = 1280;
    int camera_height = 720;
    int camera_fps = 30;
    bool camera_preview = false;       ///< small live picture on the welcome screen (privacy: off)
    int camera_same_code_seconds = 3;  ///< the same code again within this is one scan
    std::string wedge_device;          ///< "" none; a /dev/input/by-id/...-event-kbd link, grabbed
    int wedge_max_key_ms = 30;         ///< keys closer than this, ending in Enter, are a scanner
    int wedge_min_chars = 8;           ///< shorter bursts are typing
};

/// [printer]: the CUPS queue referrals print on. No queue: referrals are saved, not printed.
struct PrinterConfig {
    std::string queue;             ///< CUPS queue name; "" = no printer
    std::string server;            ///< "" = the system's CUPS (CUPS_SERVER, client.conf)
    std::string paper = "letter";  ///< "letter" or "a4"
    int timeout_seconds = 120;     ///< a job not done by then counts as failed
};

/// [audit]: the key of the audit log's hash chain (PRIVACY.md 9) and how often its head goes to
/// the server, so a shortened log shows.
struct AuditConfig {
    std::filesystem::path key_file = "/etc/iop-kiosk/audit.key";  ///< outside data_dir
    int head_interval_minutes = 15;  ///< the head is sent at most this often, when it moved
};

struct KioskConfig {
    std::filesystem::path source;  ///< the file it was read from, for messages

    ServerConfig server;

    std::string site_location_id = "site-main";
    std::string timezone = "America/Los_Angeles";
    std::string clinic_name;  ///< empty: the site Location's name
    /// Where the clinic is, for "distance from the clinic" in the resource directory.
    std::optional<double> latitude;
    std::optional<double> longitude;
    bool distance_in_miles = true;  ///< [clinic] distance_unit = "mi" or "km"

    std::string kiosk_id = "lobby-1";
    std::filesystem::path data_dir = "/var/lib/iop-kiosk";
    /// A damaged kiosk.db set aside at start (kiosk.db.corrupt-<time>) is removed after this.
    int damaged_db_retention_days = 30;
    std::string default_language = "en";
    std::vector<std::string> languages{"en", "es"};
    bool clock_24h = false;

    LobbyName lobby_name = LobbyName::kNone;
    Seconds result_seconds{6};

    CheckinWindows windows;
    /// [sessions]: which Appointments are groups (on the public schedule, by name) and which are
    /// one-to-one (never listed; confirmed by time and room only). PRIVACY.md 13.
    SessionKindRules session_kinds;

    ScannerConfig scanner;
    PrinterConfig printer;
    AuditConfig audit;

    Seconds staff_idle_lock{90};
    int pin_attempts = 5;
    Minutes pin_lockout{15};
    /// Weekly attended-hours targets shown on rosters (ASAM level 2.1: 9 h adults, 6 h teens).
    std::chrono::hours weekly_hours_adult{9};
    std::chrono::hours weekly_hours_adolescent{6};
};

/// What a config file gave: the config (each missing or bad key at its default, every other
/// value as the file says) and every problem found, "file:line: 'key' why" each (the line when
/// the key is in the file), in the file's order. No config when the file cannot be read or is
/// not TOML.
struct ConfigProblem {
    std::string key;       ///< "server.url", a section, or "" (the file as a whole)
    std::string message;   ///< "file:line: 'key' why"
    bool unknown = false;  ///< a key or section the kiosk does not know (misspelt?)
    int line = 0;          ///< 0: not on a line of the file (a default's problem)
};
struct ConfigRead {
    std::optional<KioskConfig> config;
    std::vector<ConfigProblem> problems;
};
/// Reads a config and lists all its problems at once (for `kiosk doctor`).
ConfigRead ReadConfig(std::string_view toml_text, const std::string& name);
ConfigRead ReadConfigFile(const std::filesystem::path& file);

/// Reads and checks a config file. Missing optional keys take the defaults above; a file with
/// problems is one error listing them all, a line each.
Result<KioskConfig> LoadConfig(const std::filesystem::path& file);
/// The same from text (for tests and the built-in demo); `name` is used in messages.
Result<KioskConfig> ParseConfig(std::string_view toml_text, const std::string& name);

}  // namespace kiosk
