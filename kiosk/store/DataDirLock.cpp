// The lock file holds "<pid> <holder>" of the process that has it, for messages only: the flock
// is what excludes (released by the kernel when the process ends, kill -9 included). O_CLOEXEC,
// so a program the kiosk starts never inherits the lock.
#include "kiosk/store/DataDirLock.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace kiosk::store {
namespace {

constexpr auto kPoll = std::chrono::milliseconds{200};

struct Holder {
    long pid = 0;  ///< 0: unknown (a tool like flock(1), or a process that has ended)
    std::string name;
};

/// Who the lock file says has it, if that process is still there.
Holder ReadHolder(int fd) {
    char text[256] = {0};
    const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
    Holder h;
    char* end = nullptr;
    const long pid = n > 0 ? std::strtol(text, &end, 10) : 0;
    if (pid <= 0 || end == nullptr || *end != ' ' ||
        (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)) {
        return h;
    }
    h.pid = pid;
    h.name = std::string(end + 1, text + n);
    while (!h.name.empty() && (h.name.back() == '\n' || h.name.back() == '\r')) {
        h.name.pop_back();
    }
    return h;
}

std::string Describe(const Holder& h) {
    return h.pid == 0 ? "another process" : "'" + h.name + "' (pid " + std::to_string(h.pid) + ")";
}

}  // namespace

Result<std::unique_ptr<DataDirLock>> DataDirLock::Acquire(const std::filesystem::path& dir,
                                                          const std::string& holder,
                                                          std::chrono::milliseconds wait) {
    const std::filesystem::path file = dir / "kiosk.lock";
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        return MakeError(ErrorCode::kStorage,
                         "cannot open the lock file " + file.string() + ": " +
                             std::strerror(errno) +
                             " (may the kiosk user write the data directory?)");
    }
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
            const std::string text = std::to_string(::getpid()) + " " + holder + "\n";
            const bool noted =
                ::ftruncate(fd, 0) == 0 &&
                ::pwrite(fd, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size());
            (void)noted;  // the lock holds either way; only the next one's message is poorer
            return std::unique_ptr<DataDirLock>(new DataDirLock(fd));
        }
        if (errno != EWOULDBLOCK && errno != EINTR) {
            const std::string why = std::strerror(errno);
            ::close(fd);
            return MakeError(ErrorCode::kStorage, "cannot lock " + file.string() + ": " + why);
        }
        const Holder other = ReadHolder(fd);
        const bool kiosk = other.pid != 0 && other.name == kKioskWindow;
        if (kiosk || std::chrono::steady_clock::now() >= deadline) {
            ::close(fd);
            const std::string in_use =
                dir.string() + " is in use by " + Describe(other) +
                (kiosk ? "" : ", still after " + std::to_string(wait.count() / 1000) + " s") +
                ": only one process may write a kiosk's data directory. ";
            return MakeError(
                ErrorCode::kStorage,
                in_use + (kiosk ? "A running kiosk syncs and imports by itself; to run this "
                                  "anyway, stop it first (systemctl stop iop-kiosk), or use "
                                  "another --data-dir."
                                : "Wait for it to finish and try again, or use another "
                                  "--data-dir."),
                "This kiosk is already running. Please call IT support.");
        }
        std::this_thread::sleep_for(kPoll);
    }
}

DataDirLock::~DataDirLock() {
    if (m_fd >= 0) {
        ::close(m_fd);  // releases the flock
    }
}

}  // namespace kiosk::store
