// The audit subcommands and the doctor's audit line. `verify` opens kiosk.db read-only through
// store::VerifyAuditFile (never Store::Open, which would migrate it), and asks the server for
// this kiosk's heads through the sync engine's own transport when --config names one.
#include "kiosk/app/AuditCommand.h"

#include <thread>

#include "kiosk/core/AuditKey.h"
#include "kiosk/store/Store.h"
#include "sync/AuditHeadSender.h"
#include "sync/HttpTransport.h"

namespace kiosk::app {
namespace {

namespace fs = std::filesystem;

void Say(std::FILE* f, const std::string& line) {
    std::fprintf(f, "kiosk audit verify: %s\n", line.c_str());
}

/// "rows 1-12 plain SHA-256 (written before the log was keyed), rows 13-57 keyed".
std::string Extent(const store::AuditVerdict& v) {
    const long long last = v.head ? v.head->seq : 0;
    if (v.keyed_from <= 1) {
        return "every row keyed";
    }
    const std::string plain = "rows 1-" + std::to_string(std::min(last, v.keyed_from - 1)) +
                              " plain SHA-256 (written before the log was keyed)";
    if (last < v.keyed_from) {
        return plain;
    }
    return plain + ", rows " + std::to_string(v.keyed_from) + "-" + std::to_string(last) + " keyed";
}

/// This kiosk's heads on the server; an error when the server cannot be asked.
Result<std::vector<store::AuditHead>> ServerHeads(const KioskConfig& config) {
    auto transport = sync::HttpTransport::Create(sync::TransportOptions::FromConfig(config.server));
    if (!transport) {
        return transport.error();
    }
    sync::FhirClient client(config.server.url, *transport.value(), [](std::chrono::milliseconds d) {
        std::this_thread::sleep_for(d);
        return true;
    });
    return sync::FetchAuditHeads(client, config.kiosk_id);
}

}  // namespace

int RunAuditInitKey(const fs::path& out, std::FILE* stdout_file, std::FILE* stderr_file) {
    if (auto s = CreateAuditKey(out); !s) {
        std::fprintf(stderr_file, "kiosk audit init-key: %s\n", s.error().log.c_str());
        return 1;
    }
    std::fprintf(stdout_file,
                 "kiosk audit init-key: wrote a new audit key to %s (mode 0640). Let the kiosk's "
                 "user read it (chgrp iop-kiosk %s), name it in [audit] key_file if it is not "
                 "/etc/iop-kiosk/audit.key, and keep a copy somewhere safe: without it the "
                 "audit log cannot be checked.\n",
                 out.c_str(), out.c_str());
    return 0;
}

int RunAuditVerify(const AuditVerifyRequest& request, std::FILE* out, std::FILE* err) {
    auto usage = [&](const std::string& why) {
        std::fprintf(err, "kiosk audit verify: %s\n", why.c_str());
        return 2;
    };
    if (request.config_file.empty() && request.key_file.empty()) {
        return usage(
            "say --config FILE (the key and the server) or --key FILE (the key only): "
            "the keyed chain cannot be checked without its key");
    }
    std::optional<KioskConfig> config;
    if (!request.config_file.empty()) {
        auto loaded = LoadConfig(request.config_file);
        if (!loaded) {
            return usage(loaded.error().log);
        }
        config = std::move(loaded).value();
    }
    const fs::path dir = !request.data_dir.empty() ? request.data_dir
                         : config                  ? config->data_dir
                                                   : fs::path();
    if (dir.empty()) {
        return usage("say --data-dir DIR (the kiosk's data directory, which holds kiosk.db)");
    }
    const fs::path key_file = !request.key_file.empty() ? request.key_file : config->audit.key_file;
    auto key = LoadAuditKey(key_file);
    if (!key) {
        return usage(key.error().log);
    }
    std::vector<store::AuditHead> heads;
    const bool ask_server = config && !config->server.url.empty();
    if (ask_server) {
        auto fetched = ServerHeads(*config);
        if (!fetched) {
            Say(out, "FAIL: could not ask the server for this kiosk's audit heads: " +
                         fetched.error().log +
                         " (so a shortened log would not show; with --key FILE and no "
                         "--config only the local chain is checked)");
            return 1;
        }
        heads = std::move(fetched).value();
    }
    const fs::path db = dir / "kiosk.db";
    auto verdict = store::VerifyAuditFile(db, key.value(), heads);
    if (!verdict) {
        return usage(verdict.error().log + (verdict.error().code == ErrorCode::kNotFound
                                                ? " (is --data-dir the kiosk's data directory?)"
                                                : ""));
    }
    const store::AuditVerdict& v = verdict.value();
    for (const std::string& note : v.notes) {
        Say(out, "note: " + note);
    }
    if (!v.Holds()) {
        if (!v.problem.empty()) {
            Say(out, "FAIL: " + v.problem);
        }
        if (v.first_bad_seq) {
            Say(out, "FAIL: BROKEN at row " + std::to_string(*v.first_bad_seq) + " (of " +
                         std::to_string(v.rows) + " rows): " + v.why);
        }
        for (const std::string& p : v.head_problems) {
            Say(out, "FAIL: " + p);
        }
        return 1;
    }
    Say(out, "OK: " + std::to_string(v.rows) + " rows in " + db.string() +
                 ", the hash chain holds (" + Extent(v) + "; sealed with " + key_file.string() +
                 ")");
    if (!ask_server) {
        Say(out, config ? "the config names no server: a shortened log cannot be told from here"
                        : "not checked against the server (no --config): a shortened log would "
                          "not show");
        return 0;
    }
    long long newest = 0;
    for (const store::AuditHead& h : heads) {
        if (h.chain == v.chain) {
            newest = std::max(newest, h.seq);
        }
    }
    Say(out, newest == 0 ? "the server holds no head of this log yet"
                         : "the server's newest head of this log is row " + std::to_string(newest) +
                               ": the log here reaches it and agrees");
    return 0;
}

DoctorCheck CheckAudit(const KioskConfig& config, const fs::path& data_dir) {
    const fs::path& file = config.audit.key_file;
    auto key = LoadAuditKeyOutside(file, data_dir);
    if (!key) {
        return DoctorCheck{"audit", Verdict::kFail, key.error().log,
                           "as root: " + AuditKeyCommand(file) + " && chgrp iop-kiosk " +
                               file.string() + " (or restore the kiosk's own key from backup)"};
    }
    const fs::path db = data_dir / "kiosk.db";
    std::error_code ec;
    if (!fs::exists(db, ec)) {
        return DoctorCheck{"audit", Verdict::kPass, "key " + file.string() + " is readable", {}};
    }
    auto verdict = store::VerifyAuditFile(db, key.value());
    if (!verdict) {
        return DoctorCheck{"audit", Verdict::kFail, verdict.error().log, "run kiosk doctor again"};
    }
    const store::AuditVerdict& v = verdict.value();
    if (!v.Holds()) {
        return DoctorCheck{
            "audit", Verdict::kFail,
            v.problem.empty() ? "the audit log is BROKEN at row " +
                                    std::to_string(v.first_bad_seq.value_or(0)) + ": " + v.why
                              : v.problem,
            "find out who changed kiosk.db; kiosk audit verify --config FILE tells more"};
    }
    return DoctorCheck{"audit",
                       Verdict::kPass,
                       "key " + file.string() + " is readable; the chain of " +
                           std::to_string(v.rows) + " rows holds with it",
                       {}};
}

}  // namespace kiosk::app
