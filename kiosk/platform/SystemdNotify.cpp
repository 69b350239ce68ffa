// sd_notify(3) for the kiosk's main loop. systemd starts `cage -- iop-kiosk`, so the service's
// main process is cage and the kiosk is its child: the unit says NotifyAccess=all, and the
// watchdog's owner ($WATCHDOG_PID) is cage's pid, which sd_watchdog_enabled() rejects here.
#include "kiosk/platform/SystemdNotify.h"

#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "kiosk/core/Log.h"

namespace kiosk::platform {

std::chrono::microseconds WatchdogFromEnvironment(const char* watchdog_usec,
                                                  const char* watchdog_pid, long self_pid,
                                                  long parent_pid) {
    if (watchdog_usec == nullptr || *watchdog_usec == '\0') {
        return std::chrono::microseconds{0};
    }
    if (watchdog_pid != nullptr && *watchdog_pid != '\0') {
        char* end = nullptr;
        const long pid = std::strtol(watchdog_pid, &end, 10);
        // Someone else's watchdog (an unrelated process that leaked the variable): not ours.
        if (*end != '\0' || (pid != self_pid && pid != parent_pid)) {
            return std::chrono::microseconds{0};
        }
    }
    char* end = nullptr;
    const unsigned long long usec = std::strtoull(watchdog_usec, &end, 10);
    if (*end != '\0' || usec == 0) {
        return std::chrono::microseconds{0};
    }
    return std::chrono::microseconds{static_cast<long long>(usec)};
}

SystemdNotify::SystemdNotify() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    m_active = socket != nullptr && *socket != '\0';
    if (!m_active) {
        return;
    }
    // libsystemd's sd_watchdog_enabled() only answers when $WATCHDOG_PID is getpid(): under cage
    // that is cage's pid (our parent), so it would say "off" and systemd would kill a healthy
    // kiosk after WatchdogSec=. The kiosk is the one that knows it is alive, so it reads
    // $WATCHDOG_USEC itself when the pid is unset, its own or its parent's. Its pings are
    // accepted because the unit sets NotifyAccess=all.
    m_watchdog = WatchdogFromEnvironment(std::getenv("WATCHDOG_USEC"), std::getenv("WATCHDOG_PID"),
                                         static_cast<long>(getpid()), static_cast<long>(getppid()));
    m_last_ping = std::chrono::steady_clock::now();
    LogInfo("platform", m_watchdog.count() > 0
                            ? "systemd: notify socket set; watchdog every " +
                                  std::to_string(m_watchdog.count() / 1000) + " ms"
                            : std::string("systemd: notify socket set; no watchdog"));
}

void SystemdNotify::Send(const std::string& state) {
    if (!m_active) {
        return;
    }
    if (const int r = sd_notify(0, state.c_str()); r < 0) {
        LogWarn("platform", "systemd: sd_notify failed: " + std::to_string(-r));
    }
}

void SystemdNotify::Ready(std::string_view status) {
    Send("READY=1\nSTATUS=" + std::string(status));
}

void SystemdNotify::Status(std::string_view status) {
    Send("STATUS=" + std::string(status));
}

void SystemdNotify::Stopping(std::string_view status) {
    Send("STOPPING=1\nSTATUS=" + std::string(status));
}

void SystemdNotify::PingIfDue() {
    if (!m_active || m_watchdog.count() == 0) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - m_last_ping >= m_watchdog / 2) {
        Send("WATCHDOG=1");
        m_last_ping = now;
    }
}

int SystemdNotify::MillisecondsUntilPing(int cap_ms) const {
    if (!m_active || m_watchdog.count() == 0) {
        return cap_ms;
    }
    const auto due = m_last_ping + m_watchdog / 2;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          due - std::chrono::steady_clock::now())
                          .count();
    return static_cast<int>(std::clamp<long long>(left + 1, 0, cap_ms));
}

}  // namespace kiosk::platform
