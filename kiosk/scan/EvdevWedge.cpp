// evdev reading: poll() on the device and a stop eventfd, read() of input_event records, EV_KEY
// into the EvdevLineAssembler. A read error of ENODEV (or end of file) means unplugged.
#include "kiosk/scan/EvdevWedge.h"

#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "kiosk/core/Backoff.h"
#include "kiosk/core/Log.h"
#include "kiosk/scan/EvdevKeys.h"

namespace kiosk::scan {
namespace {

std::chrono::milliseconds SinceStart() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now().time_since_epoch());
}

}  // namespace

EvdevWedge::EvdevWedge(EvdevWedgeOptions options, ScanQueue& queue)
    : m_options(std::move(options)), m_queue(queue) {
    m_status.device = m_options.device;
    m_status.since = std::chrono::steady_clock::now();
}

EvdevWedge::~EvdevWedge() {
    Stop();
}

Result<int> EvdevWedge::OpenDevice(const EvdevWedgeOptions& options) {
    const std::string name = "scanner device " + options.device;
    const int fd = ::open(options.device.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT || err == ENODEV || err == ENXIO) {
            return MakeError(ErrorCode::kNotFound, name +
                                                       " not found (is the scanner plugged in? "
                                                       "ls /dev/input/by-id/ lists input devices)");
        }
        if (err == EACCES || err == EPERM) {
            return MakeError(
                ErrorCode::kConfig,
                name + ": permission denied (add the kiosk user to the 'input' group)");
        }
        return MakeError(ErrorCode::kInternal, name + ": cannot open: " + std::strerror(err));
    }
    if (options.grab && ::ioctl(fd, EVIOCGRAB, 1) != 0) {
        const int err = errno;
        ::close(fd);
        if (err == EBUSY) {
            return MakeError(ErrorCode::kInternal, name + " is grabbed by another program");
        }
        return MakeError(ErrorCode::kConfig,
                         name + " is not an input event device (" + std::strerror(err) + ")");
    }
    return fd;
}

void EvdevWedge::Start() {
    if (m_thread.joinable()) {
        return;
    }
    m_stop = false;
    m_stop_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    m_thread = std::thread([this] { Run(); });
}

void EvdevWedge::Stop() {
    m_stop = true;
    if (m_stop_fd >= 0) {
        const std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(m_stop_fd, &one, sizeof one);
    }
    if (m_thread.joinable()) {
        m_thread.join();
    }
    if (m_stop_fd >= 0) {
        ::close(m_stop_fd);
        m_stop_fd = -1;
    }
}

ScannerStatus EvdevWedge::Status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

void EvdevWedge::SetState(DeviceState state, std::string detail) {
    ScannerStatus copy;
    {
        std::lock_guard lock(m_mutex);
        if (!ApplyState(m_status, state, std::move(detail))) {
            return;
        }
        copy = m_status;
    }
    LogStateChange("wedge", copy, m_last_logged);
    if (m_observer) {
        m_observer(copy);
    }
    m_queue.Wake();
}

bool EvdevWedge::WaitFor(std::chrono::milliseconds d) {
    pollfd p{m_stop_fd, POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(d.count()));
    return !m_stop;
}

std::string EvdevWedge::ReadLoop(int fd) {
    EvdevLineAssembler line;
    input_event events[64];
    while (!m_stop) {
        pollfd p[2] = {{fd, POLLIN, 0}, {m_stop_fd, POLLIN, 0}};
        if (::poll(p, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            return std::string("poll failed: ") + std::strerror(errno);
        }
        if (m_stop) {
            return {};
        }
        const ssize_t n = ::read(fd, events, sizeof events);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) {
                continue;
            }
            return errno == ENODEV ? std::string("unplugged")
                                   : std::string("read failed: ") + std::strerror(errno);
        }
        if (n == 0) {
            return "unplugged";
        }
        const auto count = static_cast<std::size_t>(n) / sizeof(input_event);
        for (std::size_t i = 0; i < count; ++i) {
            const input_event& e = events[i];
            if (e.type != EV_KEY) {
                continue;
            }
            {
                std::lock_guard lock(m_mutex);
                m_status.frames += e.value == 1 ? 1 : 0;
            }
            if (auto scanned = line.OnKey(e.code, e.value, SinceStart())) {
                {
                    std::lock_guard lock(m_mutex);
                    ++m_status.scans;
                }
                LogInfo("wedge", "scan read (" + std::to_string(scanned->size()) + " bytes)");
                m_queue.Push(ScanEvent{BoundPayload(*scanned), ScanSource::kWedgeDevice,
                                       std::chrono::steady_clock::now()});
            }
        }
    }
    return {};
}

void EvdevWedge::Run() {
    Backoff backoff(m_options.retry_first, m_options.retry_most);
    bool was_running = false;
    while (!m_stop) {
        SetState(DeviceState::kStarting, "");
        auto fd = OpenDevice(m_options);
        if (!fd) {
            const auto delay = backoff.Next();
            const bool missing = fd.error().code == ErrorCode::kNotFound;
            SetState(missing ? (was_running ? DeviceState::kLost : DeviceState::kMissing)
                             : DeviceState::kFailed,
                     fd.error().log + "; next try in " + std::to_string(delay.count()) + " ms");
            if (!WaitFor(delay)) {
                break;
            }
            continue;
        }
        backoff.Reset();
        if (was_running) {
            std::lock_guard lock(m_mutex);
            ++m_status.reconnects;
        }
        SetState(DeviceState::kRunning, "");
        was_running = true;
        const std::string why = ReadLoop(fd.value());
        if (m_options.grab) {
            ::ioctl(fd.value(), EVIOCGRAB, 0);
        }
        ::close(fd.value());
        if (m_stop) {
            break;
        }
        const auto delay = backoff.Next();
        SetState(DeviceState::kLost,
                 why + "; next try in " + std::to_string(delay.count()) + " ms");
        if (!WaitFor(delay)) {
            break;
        }
    }
    SetState(DeviceState::kOff, "");
}

}  // namespace kiosk::scan
