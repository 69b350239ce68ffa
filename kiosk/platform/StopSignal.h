// SIGTERM and SIGINT (`systemctl stop`, Ctrl+C in a terminal) as an SDL event of their own, so
// the main loop can tell "the service is being stopped" from "the compositor asked the window to
// close" (SDL_QUIT), which a full-screen kiosk ignores. Set SDL_HINT_NO_SIGNAL_HANDLERS before
// SDL_Init, then make one of these (after SDL_Init: it is destroyed before SDL_Quit).
#pragma once

#include <SDL.h>

#include <thread>

namespace kiosk::platform {

class StopSignal {
  public:
    /// Catches SIGTERM and SIGINT and starts the thread that turns them into an SDL event.
    StopSignal();
    /// Joins the thread. The handler stays: a signal during the rest of the shutdown is noted,
    /// not fatal, so the store closes cleanly (systemd's SIGKILL after TimeoutStopSec= remains).
    ~StopSignal();
    StopSignal(const StopSignal&) = delete;
    StopSignal& operator=(const StopSignal&) = delete;

    /// The SDL event type pushed when a stop signal arrives.
    Uint32 EventType() const { return m_event_type; }
    /// True once SIGTERM or SIGINT has arrived.
    static bool Requested();
    /// The signal that arrived, 0 if none.
    static int Which();

  private:
    int m_pipe[2] = {-1, -1};
    Uint32 m_event_type = SDL_FIRSTEVENT;
    std::thread m_thread;
};

/// True when the window's Wayland compositor (cage) has gone away. SDL reports that as SDL_QUIT,
/// which the full-screen kiosk otherwise ignores; carrying on would spin in SDL_GL_SwapWindow.
bool DisplayLost(SDL_Window* window);

}  // namespace kiosk::platform
