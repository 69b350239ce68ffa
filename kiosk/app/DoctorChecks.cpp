// `kiosk doctor`'s local checks: the data directory (probe write, free space, permissions), the
// database and outbox (read-only, via store::CheckDatabaseHealth), who may read the token and
// client key, the camera's and the keyboard-wedge scanner's nodes (probed by kiosk/scan, judged
// in DoctorDevices.cpp) and the CUPS queue (kiosk/print's own CUPS client).
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "kiosk/app/Doctor.h"
#include "kiosk/print/PrintSpooler.h"
#include "kiosk/scan/DeviceProbe.h"
#include "kiosk/store/Store.h"

namespace kiosk::app {
namespace {

namespace fs = std::filesystem;

std::string UserName(uid_t uid) {
    if (const passwd* pw = ::getpwuid(uid)) {
        return pw->pw_name;
    }
    return "uid " + std::to_string(uid);
}

std::string GroupName(gid_t gid) {
    if (const group* gr = ::getgrgid(gid)) {
        return gr->gr_name;
    }
    return "gid " + std::to_string(gid);
}

std::string Octal(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

std::string Bytes(std::uint64_t bytes) {
    char text[32];
    if (bytes >= (1ull << 30)) {
        std::snprintf(text, sizeof text, "%.1f GiB", static_cast<double>(bytes) / (1ull << 30));
    } else if (bytes >= (1ull << 20)) {
        std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1ull << 20));
    } else {
        std::snprintf(text, sizeof text, "%llu KiB", static_cast<unsigned long long>(bytes >> 10));
    }
    return text;
}

/// "owner:group mode" of a device node, for a line about permissions.
std::string NodeAccess(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return {};
    }
    return UserName(st.st_uid) + ":" + GroupName(st.st_gid) + " " + Octal(st.st_mode);
}

/// The device and, when it is a link (/dev/v4l/by-id/...), what it points at.
std::string DeviceName(const std::string& device) {
    std::error_code ec;
    const fs::path real = fs::canonical(device, ec);
    return ec || real == device ? device : device + " (" + real.string() + ")";
}

/// Findings of one check, the worst deciding the verdict.
struct Findings {
    Verdict verdict = Verdict::kPass;
    std::vector<std::string> problems;
    std::vector<std::string> todos;

    void Add(Verdict v, std::string problem, std::string todo) {
        if (v == Verdict::kFail || (v == Verdict::kWarn && verdict == Verdict::kPass)) {
            verdict = v;
        }
        problems.insert(v == Verdict::kFail ? problems.begin() : problems.end(),
                        std::move(problem));
        if (!todo.empty()) {
            todos.insert(v == Verdict::kFail ? todos.begin() : todos.end(), std::move(todo));
        }
    }
    DoctorCheck Check(std::string name, const std::string& all_well) const {
        std::string found, todo;
        for (const std::string& p : problems) {
            found += (found.empty() ? "" : "; ") + p;
        }
        for (const std::string& t : todos) {
            todo += (todo.empty() ? "" : "; ") + t;
        }
        return DoctorCheck{std::move(name), verdict, found.empty() ? all_well : found, todo};
    }
};

/// Creates, writes, fsyncs and deletes a probe file; "" when that worked, else why not.
std::string ProbeWrite(const fs::path& dir, std::string& todo) {
    const fs::path probe = dir / (".kiosk-doctor-probe-" + std::to_string(::getpid()));
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int err = 0;
    if (fd < 0) {
        err = errno;
    } else {
        const std::string block(4096, 'k');
        if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size()) ||
            ::fsync(fd) != 0) {
            err = errno != 0 ? errno : EIO;
        }
        if (::close(fd) != 0 && err == 0) {
            err = errno;
        }
        ::unlink(probe.c_str());
    }
    if (err == 0) {
        return {};
    }
    if (err == EACCES || err == EPERM) {
        todo = "make the kiosk user own it: chown -R KIOSKUSER " + dir.string() + " && chmod 700 " +
               dir.string();
        return "cannot write there as " + UserName(::geteuid()) + " (" + std::strerror(err) + ")";
    }
    if (err == EROFS) {
        todo = "the file system is mounted read-only: check the disk (dmesg) and remount it";
        return "the file system is read-only";
    }
    if (err == ENOSPC || err == EDQUOT) {
        todo = "free space on this disk (journalctl --vacuum-size, old files)";
        return "the disk is full (" + std::string(std::strerror(err)) + ")";
    }
    todo = "check the disk (dmesg) and the directory";
    return "a test write failed: " + std::string(std::strerror(err));
}

}  // namespace

std::string SpokenDuration(Seconds d) {
    const long long s = d.count() < 0 ? -d.count() : d.count();
    if (s < 120) {
        return std::to_string(s) + " s";
    }
    if (s < 3600) {
        return std::to_string(s / 60) + " min";
    }
    if (s < 86400) {
        return std::to_string(s / 3600) + " h " + std::to_string(s % 3600 / 60) + " min";
    }
    return std::to_string(s / 86400) + " d " + std::to_string(s % 86400 / 3600) + " h";
}

DoctorCheck JudgeFreeSpace(const fs::path& dir, std::uint64_t free_bytes,
                           const DoctorLimits& limits) {
    const std::string text = Bytes(free_bytes) + " free on the disk of " + dir.string();
    if (free_bytes < limits.fail_free_bytes) {
        return {"data dir", Verdict::kFail,
                "only " + text + " (under " + Bytes(limits.fail_free_bytes) +
                    "): check-ins may soon be refused",
                "free space on this disk (journalctl --vacuum-size=100M, old files in /var)"};
    }
    if (free_bytes < limits.warn_free_bytes) {
        return {"data dir", Verdict::kWarn,
                "only " + text + " (under " + Bytes(limits.warn_free_bytes) + ")",
                "free some space on this disk before it runs out"};
    }
    return {"data dir", Verdict::kPass, text, {}};
}

DoctorCheck CheckDataDir(const fs::path& dir, const DoctorLimits& limits) {
    Findings findings;
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
        const int err = errno;
        if (err == ENOENT) {
            return {"data dir", Verdict::kWarn,
                    dir.string() + " does not exist yet: the kiosk creates it at first start",
                    "make sure the kiosk user may create it (or create it: install -d -m 700 -o "
                    "KIOSKUSER " +
                        dir.string() + ")"};
        }
        return {"data dir", Verdict::kFail,
                "cannot look at " + dir.string() + ": " + std::strerror(err),
                "check the path in the config and the permissions of its parent directories"};
    }
    if (!S_ISDIR(st.st_mode)) {
        return {"data dir", Verdict::kFail, dir.string() + " is not a directory",
                "point data_dir at a directory (or move that file away)"};
    }
    std::string todo;
    if (std::string why = ProbeWrite(dir, todo); !why.empty()) {
        findings.Add(Verdict::kFail, dir.string() + ": " + why, todo);
    } else if ((st.st_mode & S_IWUSR) == 0) {
        findings.Add(Verdict::kFail, "its owner " + UserName(st.st_uid) + " may not write it",
                     "chmod 700 " + dir.string());
    }
    const fs::path db = dir / "kiosk.db";
    struct stat db_st {};
    const bool db_world_readable =
        ::stat(db.c_str(), &db_st) == 0 && (db_st.st_mode & S_IROTH) != 0;
    if (db_world_readable && (st.st_mode & S_IXOTH) != 0) {
        findings.Add(Verdict::kFail,
                     "any user on this box can read kiosk.db (it holds health information)",
                     "chmod 700 " + dir.string() + " && chmod 600 " + db.string());
    } else if ((st.st_mode & S_IRWXO) != 0) {
        findings.Add(Verdict::kWarn,
                     "other users may open " + dir.string() + " (mode " + Octal(st.st_mode) + ")",
                     "chmod 700 " + dir.string());
    }
    struct statvfs vfs {};
    if (::statvfs(dir.c_str(), &vfs) == 0) {
        const DoctorCheck space =
            JudgeFreeSpace(dir, static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize, limits);
        if (space.verdict != Verdict::kPass) {
            findings.Add(space.verdict, space.found, space.todo);
        }
        if (findings.problems.empty()) {
            std::string found = dir.string() + " writable (owner " + UserName(st.st_uid) +
                                ", mode " + Octal(st.st_mode) + "), " +
                                space.found.substr(0, space.found.find(" free")) + " free";
            if (::geteuid() == 0 && st.st_uid != 0) {
                found += "; checked as root, the kiosk runs as " + UserName(st.st_uid);
            }
            return {"data dir", Verdict::kPass, found, {}};
        }
    } else {
        findings.Add(Verdict::kWarn, std::string("free space unknown: ") + std::strerror(errno),
                     {});
    }
    return findings.Check("data dir", dir.string() + " writable");
}

DoctorCheck JudgeOutbox(const store::OutboxSummary& outbox, Instant now, bool server_configured,
                        const DoctorLimits& limits) {
    Findings findings;
    std::string waiting = outbox.pending == 0
                              ? "nothing waiting to be sent"
                              : std::to_string(outbox.pending) +
                                    (outbox.pending == 1 ? " item" : " items") + " waiting";
    if (outbox.pending > 0 && outbox.oldest_pending) {
        const Seconds age = now - *outbox.oldest_pending;
        waiting += ", the oldest for " + SpokenDuration(age);
        if (!server_configured) {
            waiting += " (kept locally: no server is configured)";
        } else if (age > limits.outbox_fail) {
            findings.Add(Verdict::kFail,
                         waiting + " (over " + SpokenDuration(limits.outbox_fail) + ")",
                         "the kiosk has not reached the server for that long: see the server line, "
                         "then journalctl -u iop-kiosk for sync errors");
        } else if (age > limits.outbox_warn) {
            findings.Add(Verdict::kWarn,
                         waiting + " (over " + SpokenDuration(limits.outbox_warn) + ")",
                         "see the server line; sync errors are in journalctl -u iop-kiosk");
        }
    }
    if (outbox.rejected > 0) {
        findings.Add(Verdict::kWarn,
                     std::to_string(outbox.rejected) +
                         (outbox.rejected == 1 ? " item was" : " items were") +
                         " refused by the server",
                     "see the staff status screen and the audit log (kiosk audit verify) for "
                     "what was refused and why");
    }
    if (outbox.blocked > 0) {
        findings.Add(Verdict::kWarn,
                     std::to_string(outbox.blocked) +
                         (outbox.blocked == 1 ? " item is" : " items are") +
                         " held back: the server does not take them from this kiosk (" +
                         outbox.blocked_error.substr(0, 200) + ")",
                     "give the kiosk's client the permission the server asks for (scopes, "
                     "resource types); the items go out by themselves within the hour after");
    }
    if (findings.verdict == Verdict::kPass) {
        return {"outbox", Verdict::kPass, waiting, {}};
    }
    if (findings.problems.size() == 1 && (outbox.rejected > 0 || outbox.blocked > 0)) {
        findings.problems.insert(findings.problems.begin(), waiting);
    }
    return findings.Check("outbox", waiting);
}

std::vector<DoctorCheck> CheckDatabase(const fs::path& dir, Instant now, bool server_configured,
                                       const DoctorLimits& limits) {
    const fs::path db = dir / "kiosk.db";
    std::error_code ec;
    if (!fs::exists(db, ec)) {
        for (const char* suffix : {"-wal", "-journal"}) {
            const fs::path journal = dir / (std::string("kiosk.db") + suffix);
            // Not empty: a reader (even this doctor, read-only) may leave an empty -wal.
            if (fs::exists(journal, ec) && fs::file_size(journal, ec) > 0 && !ec) {
                return {
                    {"database", Verdict::kFail,
                     db.string() + " is missing but its journal " + journal.filename().string() +
                         " is there: the database was deleted or moved",
                     "do not start the kiosk (it would begin an empty database): put kiosk.db "
                     "back, or keep " +
                         journal.string() + " for recovery"},
                    {"outbox", Verdict::kSkip, "no database", {}}};
            }
        }
        return {{"database",
                 Verdict::kWarn,
                 "no " + db.string() + " yet: the first start will create it",
                 {}},
                {"outbox", Verdict::kSkip, "no database yet", {}}};
    }
    auto health = store::CheckDatabaseHealth(db);
    if (!health) {
        return {
            {"database", Verdict::kFail, "cannot read " + db.string() + ": " + health.error().log,
             "stop the kiosk and copy " + dir.string() +
                 "/kiosk.db* somewhere safe first (unsent check-ins may exist only there); "
                 "then move kiosk.db aside so the kiosk starts a new one and refills it "
                 "from the server"},
            {"outbox", Verdict::kSkip, "the database cannot be read", {}}};
    }
    std::vector<DoctorCheck> checks;
    const store::DatabaseHealth& h = health.value();
    const std::uintmax_t bytes = fs::file_size(db, ec);
    const std::string size = ec ? std::string("size unknown") : Bytes(bytes);
    if (!h.problems.empty()) {
        checks.push_back({"database", Verdict::kFail,
                          db.string() + " is damaged: integrity_check found " +
                              std::to_string(h.problems.size()) +
                              (h.problems.size() >= 20 ? " or more" : "") +
                              " problems, the first: " + h.problems.front(),
                          "stop the kiosk and copy " + dir.string() +
                              "/kiosk.db* somewhere safe (unsent check-ins may exist only "
                              "there); then move kiosk.db aside so the kiosk rebuilds it from "
                              "the server"});
    } else if (h.schema_version > h.newest_version) {
        checks.push_back({"database", Verdict::kFail,
                          db.string() + " has schema version " + std::to_string(h.schema_version) +
                              ", newer than this kiosk program knows (" +
                              std::to_string(h.newest_version) + ")",
                          "a newer kiosk wrote it: install that version again"});
    } else if (h.schema_version < h.newest_version) {
        checks.push_back({"database",
                          Verdict::kWarn,
                          db.string() + " ok (integrity_check ok, " + size + "), schema version " +
                              std::to_string(h.schema_version) + ": the kiosk brings it to " +
                              std::to_string(h.newest_version) + " at its next start",
                          {}});
    } else {
        checks.push_back({"database",
                          Verdict::kPass,
                          db.string() + " ok (integrity_check ok, schema version " +
                              std::to_string(h.schema_version) + " current, " + size + ")",
                          {}});
    }
    if (h.outbox) {
        checks.push_back(JudgeOutbox(*h.outbox, now, server_configured, limits));
    } else {
        checks.push_back({"outbox", Verdict::kSkip, "the database has no outbox yet", {}});
    }
    return checks;
}

DeviceNode DescribeNode(const std::string& device) {
    return DeviceNode{device, DeviceName(device), NodeAccess(device)};
}

DoctorCheck CheckCamera(const std::string& device) {
    if (device.empty()) {
        return {"camera", Verdict::kSkip, "no camera configured ([scanner] camera_device)", {}};
    }
    return JudgeCamera(DescribeNode(device), scan::ProbeCamera(device));
}

DoctorCheck CheckScanner(const std::string& device) {
    if (device.empty()) {
        return {"scanner",
                Verdict::kSkip,
                "no wedge_device configured: a scanner typing into the window needs no setting",
                {}};
    }
    return JudgeScanner(DescribeNode(device), scan::ProbeWedge(device));
}

DoctorCheck CheckSecretFiles(const ServerConfig& server) {
    if (server.token_file.empty() && server.client_key.empty() && server.private_key_file.empty()) {
        return {"secrets",
                Verdict::kSkip,
                "no token_file, client_key or private_key_file configured",
                {}};
    }
    Findings findings;
    std::string fine;
    for (const auto& [key, file] :
         {std::pair<std::string, std::string>{"token_file", server.token_file},
          std::pair<std::string, std::string>{"client_key", server.client_key},
          std::pair<std::string, std::string>{"private_key_file", server.private_key_file}}) {
        if (file.empty()) {
            continue;
        }
        const std::string name = key + " " + file;
        struct stat st {};
        if (::stat(file.c_str(), &st) != 0) {
            findings.Add(Verdict::kFail, name + ": " + std::strerror(errno),
                         "check [server] " + key + " and that the file is there");
            continue;
        }
        const std::string access =
            UserName(st.st_uid) + ":" + GroupName(st.st_gid) + " " + Octal(st.st_mode);
        if ((st.st_mode & (S_IROTH | S_IWOTH)) != 0) {
            findings.Add(Verdict::kFail,
                         name + " is open to any user on this box (" + access +
                             "): whoever reads it can act as this kiosk",
                         "chmod 0640 " + file + " && chown root:iop-kiosk " + file +
                             " (root and the kiosk's group only)");
        } else if ((st.st_mode & S_IWGRP) != 0) {
            findings.Add(
                Verdict::kFail,
                name + " can be changed by group " + GroupName(st.st_gid) + " (" + access + ")",
                "chmod g-w " + file);
        } else {
            fine += (fine.empty() ? "" : ", ") + name + " (" + access + ")";
        }
    }
    return findings.Check("secrets", fine + ": not open to other users");
}

DoctorCheck CheckPrinter(const PrinterConfig& printer) {
    if (printer.queue.empty()) {
        return {"printer",
                Verdict::kSkip,
                "no queue configured ([printer] queue): referrals are saved, not printed",
                {}};
    }
    print::PrintOptions options;
    options.queue = printer.queue;
    options.server = printer.server;
    const print::PrintSpooler spooler(options);
    const print::PrintStatus status = spooler.CheckQueue();
    const std::string where =
        "queue " + printer.queue + (printer.server.empty() ? "" : " on " + printer.server);
    const std::string detail = status.detail.empty() ? "" : " (" + status.detail + ")";
    switch (status.problem) {
        case print::PrintProblem::kNone:
            return {"printer", Verdict::kPass, where + " ready, accepting jobs" + detail, {}};
        case print::PrintProblem::kNoQueue:
            return {"printer", Verdict::kFail, "no CUPS " + where + detail,
                    "lpstat -p lists the queues: add the printer (lpadmin) or fix [printer] "
                    "queue"};
        case print::PrintProblem::kCupsUnreachable:
            return {"printer", Verdict::kFail,
                    status.detail.empty() ? "CUPS does not answer" : status.detail,
                    "start CUPS (systemctl start cups) or fix [printer] server"};
        case print::PrintProblem::kStopped:
            return {"printer", Verdict::kFail, where + " is stopped or not accepting jobs" + detail,
                    "cupsenable " + printer.queue + " && cupsaccept " + printer.queue};
        case print::PrintProblem::kOutOfPaper:
            return {"printer", Verdict::kWarn, where + ": out of paper" + detail, "load paper"};
        case print::PrintProblem::kPaperJam:
            return {"printer", Verdict::kWarn, where + ": paper jam" + detail, "clear the jam"};
        case print::PrintProblem::kOffline:
            return {"printer", Verdict::kWarn, where + ": the printer is offline" + detail,
                    "switch the printer on and check its cable or network"};
        default:
            return {"printer", Verdict::kFail, where + ": " + status.detail,
                    "see the CUPS web page (http://localhost:631) and its error log"};
    }
}

}  // namespace kiosk::app
