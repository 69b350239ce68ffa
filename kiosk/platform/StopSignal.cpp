// The signal handler only stores the signal number and writes one byte to a pipe (both
// async-signal-safe); a small thread reads the pipe and pushes an SDL event, which wakes the
// main loop out of SDL_WaitEventTimeout whichever thread the kernel delivered the signal to.
#include "kiosk/platform/StopSignal.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>

#include "kiosk/core/Log.h"

// Last: Xlib (pulled in by SDL_syswm.h) defines macros such as Status.
#include <SDL_syswm.h>
#include <dlfcn.h>

namespace kiosk::platform {
namespace {

std::atomic<int> g_signal{0};
std::atomic<int> g_write_fd{-1};
static_assert(std::atomic<int>::is_always_lock_free);

void OnStopSignal(int signo) {
    const int saved_errno = errno;
    g_signal.store(signo);
    if (const int fd = g_write_fd.load(); fd >= 0) {
        const char byte = 's';
        [[maybe_unused]] const auto n = ::write(fd, &byte, 1);
    }
    errno = saved_errno;
}

}  // namespace

StopSignal::StopSignal() {
    if (::pipe2(m_pipe, O_CLOEXEC) != 0) {
        m_pipe[0] = m_pipe[1] = -1;
    } else {
        ::fcntl(m_pipe[1], F_SETFL, O_NONBLOCK);  // a flood of signals never blocks the handler
    }
    g_write_fd.store(m_pipe[1]);
    struct sigaction sa {};
    sa.sa_handler = OnStopSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    if (m_pipe[0] < 0) {
        LogWarn("platform", "no pipe for stop signals: SIGTERM is noticed at the next wake-up");
        return;
    }
    m_event_type = SDL_RegisterEvents(1);
    if (m_event_type == static_cast<Uint32>(-1)) {
        m_event_type = SDL_FIRSTEVENT;
        return;
    }
    m_thread = std::thread([fd = m_pipe[0], type = m_event_type] {
        char byte = 0;
        while (true) {
            const auto n = ::read(fd, &byte, 1);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0 || byte == 'x') {  // the destructor's "exit" byte, or the pipe is gone
                return;
            }
            SDL_Event e{};
            e.type = type;
            SDL_PushEvent(&e);
        }
    });
}

StopSignal::~StopSignal() {
    g_write_fd.store(-1);
    if (m_thread.joinable()) {
        const char byte = 'x';
        [[maybe_unused]] const auto n = ::write(m_pipe[1], &byte, 1);
        m_thread.join();
    }
    for (int fd : m_pipe) {
        if (fd >= 0) {
            ::close(fd);
        }
    }
}

bool DisplayLost(SDL_Window* window) {
    // SDL loads libwayland-client itself, so wl_display_get_error comes from the loaded copy.
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    if (SDL_GetWindowWMInfo(window, &info) != SDL_TRUE || info.subsystem != SDL_SYSWM_WAYLAND) {
        return false;  // X11: a lost connection ends the process in Xlib's I/O error handler
    }
    void* lib = dlopen("libwayland-client.so.0", RTLD_NOW | RTLD_NOLOAD);
    auto* get_error =
        lib ? reinterpret_cast<int (*)(wl_display*)>(dlsym(lib, "wl_display_get_error")) : nullptr;
    return get_error != nullptr && info.info.wl.display != nullptr &&
           get_error(info.info.wl.display) != 0;
}

bool StopSignal::Requested() {
    return g_signal.load() != 0;
}

int StopSignal::Which() {
    return g_signal.load();
}

}  // namespace kiosk::platform
