// Talks to systemd when it runs the kiosk as a Type=notify service (config/systemd): READY=1 once
// the first frame is on screen, WATCHDOG=1 from the main loop, STATUS= lines and STOPPING=1.
// Without $NOTIFY_SOCKET (a terminal, a test, the build tree) every call does nothing.
#pragma once

#include <chrono>
#include <string_view>

namespace kiosk::platform {

class SystemdNotify {
  public:
    /// Reads $NOTIFY_SOCKET, $WATCHDOG_USEC and $WATCHDOG_PID once.
    SystemdNotify();

    bool Active() const { return m_active; }
    /// The watchdog interval systemd expects pings within; zero when the watchdog is off.
    std::chrono::microseconds WatchdogInterval() const { return m_watchdog; }

    void Ready(std::string_view status);
    void Status(std::string_view status);
    void Stopping(std::string_view status);
    /// Sends WATCHDOG=1 when half the interval has passed since the last ping.
    void PingIfDue();
    /// How long the main loop may sleep before the next ping is due; `cap_ms` without a watchdog.
    int MillisecondsUntilPing(int cap_ms) const;

  private:
    void Send(const std::string& state);

    bool m_active = false;
    std::chrono::microseconds m_watchdog{0};
    std::chrono::steady_clock::time_point m_last_ping{};
};

/// The watchdog interval from the service's environment: `watchdog_usec` ($WATCHDOG_USEC) when
/// `watchdog_pid` ($WATCHDOG_PID, may be null) is unset, this process or its parent; else zero.
/// (tests/install checks all three cases against the installed binary, and under cage.)
std::chrono::microseconds WatchdogFromEnvironment(const char* watchdog_usec,
                                                  const char* watchdog_pid, long self_pid,
                                                  long parent_pid);

}  // namespace kiosk::platform
