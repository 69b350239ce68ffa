#include "kiosk/platform/KioskWindow.h"

#include <SDL.h>
#include <SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>

#include "kiosk/core/Log.h"
#include "kiosk/platform/CameraPreview.h"
#include "kiosk/platform/ScanInput.h"
#include "kiosk/platform/Sound.h"
#include "kiosk/platform/StopSignal.h"
#include "kiosk/platform/SystemdNotify.h"
#include "kiosk/ui/Screens.h"

namespace kiosk::platform {
namespace {

constexpr int kFramesAfterActivity = 3;  // ImGui settles hover and click state over 2-3 frames

struct SdlSession {
    SDL_Window* window = nullptr;
    SDL_GLContext gl = nullptr;
    ~SdlSession() {
        if (gl != nullptr) {
            SDL_GL_DeleteContext(gl);
        }
        if (window != nullptr) {
            SDL_DestroyWindow(window);
        }
        SDL_Quit();
    }
};

/// The referral preview's page as a GL texture: uploaded only when the page changes, one
/// texture reused for every page, deleted before the GL context is (declare it after SDL).
class PageTexture {
  public:
    PageTexture() = default;
    PageTexture(const PageTexture&) = delete;
    PageTexture& operator=(const PageTexture&) = delete;
    ~PageTexture() {
        if (m_texture != 0) {
            glDeleteTextures(1, &m_texture);
        }
    }

    /// The texture of `preview.page`, or null while there is no page.
    ImTextureID Update(const PreviewView& preview) {
        const print::PageImage* page = preview.page.get();
        if (page == nullptr || page->width <= 0 || page->height <= 0 ||
            page->rgba.size() < static_cast<std::size_t>(page->width) * page->height * 4) {
            return nullptr;
        }
        if (m_texture == 0) {
            glGenTextures(1, &m_texture);
        }
        if (!m_uploaded || m_generation != preview.page_generation) {
            glBindTexture(GL_TEXTURE_2D, m_texture);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
            glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, page->width, page->height, 0, GL_RGBA,
                         GL_UNSIGNED_BYTE, page->rgba.data());
            m_generation = preview.page_generation;
            m_uploaded = true;
        }
        return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(m_texture));
    }

  private:
    GLuint m_texture = 0;
    std::uint64_t m_generation = 0;
    bool m_uploaded = false;
};

int MillisecondsUntil(Instant deadline, Instant now) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    return static_cast<int>(std::clamp<long long>(ms + 20, 0, 60'000));
}

/// The window (full screen, or the size asked for) and its OpenGL 3.2 context.
Status OpenWindow(SdlSession& sdl, const WindowOptions& options) {
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 2);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI | SDL_WINDOW_RESIZABLE;
    SDL_Rect rect{static_cast<int>(SDL_WINDOWPOS_CENTERED),
                  static_cast<int>(SDL_WINDOWPOS_CENTERED), 1280, 800};
    if (options.windowed) {
        std::tie(rect.w, rect.h) = *options.windowed;
    } else {
        // Created already covering the display: with no window manager (a bare X server, the
        // usual xinit kiosk) nobody answers SDL's full-screen request, and the window would stay
        // at the size it was created with while SDL reports the display's.
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
        SDL_GetDisplayBounds(0, &rect);
    }
    sdl.window = SDL_CreateWindow("IOP Kiosk", rect.x, rect.y, rect.w, rect.h, flags);
    if (sdl.window == nullptr) {
        return MakeError(ErrorCode::kInternal,
                         std::string("cannot open the window: ") + SDL_GetError());
    }
    sdl.gl = SDL_GL_CreateContext(sdl.window);
    if (sdl.gl == nullptr) {
        return MakeError(ErrorCode::kInternal,
                         std::string("cannot create an OpenGL 3.2 context: ") + SDL_GetError());
    }
    SDL_GL_MakeCurrent(sdl.window, sdl.gl);
    SDL_GL_SetSwapInterval(1);
    if (!options.windowed) {
        SDL_ShowCursor(SDL_DISABLE);  // a touch kiosk: no pointer floating over the screen
    }
    return Ok{};
}

/// A full-screen window moved to another display (or a display that changed) covers that
/// display again: out of full screen, onto the display's bounds, back in. Needed where no window
/// manager places it (a bare X server); harmless under one.
void CoverDisplay(SDL_Window* window) {
    const int display = SDL_GetWindowDisplayIndex(window);
    SDL_Rect bounds;
    if (display < 0 || SDL_GetDisplayBounds(display, &bounds) != 0) {
        return;
    }
    SDL_SetWindowFullscreen(window, 0);
    SDL_SetWindowPosition(window, bounds.x, bounds.y);
    SDL_SetWindowSize(window, bounds.w, bounds.h);
    SDL_SetWindowFullscreen(window, SDL_WINDOW_FULLSCREEN_DESKTOP);
    LogInfo("platform", "full screen on display " + std::to_string(display) + " (" +
                            std::to_string(bounds.w) + "x" + std::to_string(bounds.h) + ")");
}

/// ImGui's context and its SDL2 and OpenGL 3 backends, for the life of the window.
class ImGuiSession {
  public:
    explicit ImGuiSession(const SdlSession& sdl) {
        IMGUI_CHECKVERSION();
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;  // nothing of a session is written to disk
        io.LogFilename = nullptr;
        ImGui_ImplSDL2_InitForOpenGL(sdl.window, sdl.gl);
        ImGui_ImplOpenGL3_Init("#version 150");
    }
    ~ImGuiSession() {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplSDL2_Shutdown();
        ImGui::DestroyContext();
    }
    ImGuiSession(const ImGuiSession&) = delete;
    ImGuiSession& operator=(const ImGuiSession&) = delete;
};

/// SDL's text input events (typed characters, composed ones too) on from here on.
struct TextInput {
    TextInput() { SDL_StartTextInput(); }
};

/// The event-driven loop over the open window: it sleeps until input or the model's next
/// deadline, routes the events, ticks the model and then draws a few frames for ImGui to settle.
class WindowLoop {
  public:
    WindowLoop(AppModel& model, const WindowOptions& options, SDL_Window* window,
               SystemdNotify& systemd, const StopSignal& stop_signal,
               std::chrono::steady_clock::time_point started)
        : m_model(model),
          m_options(options),
          m_window(window),
          m_systemd(systemd),
          m_stop_signal(stop_signal),
          m_started(started),
          m_scan_input(options.scan, model, [this](SDL_Event& e) { Deliver(e); }),
          m_preview(options.preview_camera) {}

    /// Until the window is closed or the process is asked to stop.
    Status Run();

  private:
    void Deliver(SDL_Event& e);
    /// Waits for events and routes them; false when it woke only to ping the watchdog.
    bool WaitAndRoute();
    /// The model's tick after events: scans, camera preview, timers, sounds.
    void Update();
    /// Fonts built again for the drawable's size when it changed.
    Status UpdateTheme(int dw, int dh);
    void DrawFrames(int dw, int dh);
    void ReportFirstFrame(int dw, int dh);
    Status Finish();

    AppModel& m_model;
    const WindowOptions& m_options;
    SDL_Window* m_window;
    SystemdNotify& m_systemd;
    const StopSignal& m_stop_signal;
    std::chrono::steady_clock::time_point m_started;
    ui::Theme m_theme;
    int m_theme_w = 0;
    int m_theme_h = 0;
    Sound m_sound;
    TextInput m_text_input;
    // The loop lives inside the SDL session, so this unhooks the scan threads' wake-ups before
    // SDL_Quit.
    ScanInput m_scan_input;
    CameraPreview m_preview;
    PageTexture m_page_texture;
    int m_frames_left = kFramesAfterActivity;
    bool m_first_frame = true;
    bool m_running = true;
    bool m_display_lost = false;
};

// Every input event reaches ImGui through here, keys after the model has had them
// (ScanInput): held back while they may be a scanner's burst (those become scans, never
// text).
void WindowLoop::Deliver(SDL_Event& e) {
    ImGui_ImplSDL2_ProcessEvent(&e);
    // SIGTERM; or Ctrl+Q in a window, a development convenience only (a kiosk has no quit key).
    const bool quit_key = e.type == SDL_KEYDOWN && m_options.windowed &&
                          e.key.keysym.sym == SDLK_q && (e.key.keysym.mod & KMOD_CTRL) != 0;
    if ((e.type == m_stop_signal.EventType() && e.type != SDL_FIRSTEVENT) || quit_key) {
        m_running = false;
    } else if (e.type == SDL_QUIT) {
        // A close request (Alt+F4, the compositor, WM_DELETE_WINDOW). Full screen is the
        // kiosk on a lobby box: nobody may leave it, only `systemctl stop` (SIGTERM) ends it.
        if (m_options.windowed) {
            m_running = false;
        } else if (DisplayLost(m_window)) {
            m_display_lost = true;
            m_running = false;
        } else {
            LogWarn("platform",
                    "a request to close the window was ignored (kiosk mode; stop the "
                    "service to end it)");
        }
    } else if (!m_options.windowed &&
               ((e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_DISPLAY_CHANGED) ||
                e.type == SDL_DISPLAYEVENT)) {
        CoverDisplay(m_window);  // the layout follows on the next frame (UpdateTheme)
    }
}

bool WindowLoop::WaitAndRoute() {
    SDL_Event e;
    int timeout = 0;
    if (m_frames_left <= 0) {  // the model's timers run on its clock (a test clock runs faster)
        const Clock& clock = m_model.AppClock();
        timeout = clock.RealMilliseconds(MillisecondsUntil(m_model.NextWakeup(), clock.Now()));
    }
    if (const int sound_ms = m_sound.MillisecondsUntilIdle(); sound_ms >= 0) {
        timeout = std::min(timeout, sound_ms);
    }
    // With systemd's watchdog on, wake up at half its interval to ping; otherwise no sooner.
    const int wake_ms = timeout;
    timeout = m_systemd.MillisecondsUntilPing(timeout);
    const int limited = m_scan_input.LimitTimeout(timeout);
    const bool only_watchdog = limited == timeout && timeout < wake_ms;
    bool have = SDL_WaitEventTimeout(&e, limited) != 0;
    const bool have_any = have;
    while (have) {
        m_scan_input.Route(e);
        have = SDL_PollEvent(&e) != 0;
    }
    return have_any || !only_watchdog;
}

void WindowLoop::Update() {
    m_scan_input.AfterEvents();
    m_preview.Update();
    m_frames_left = std::max(m_frames_left, kFramesAfterActivity);
    m_model.Tick();
    m_sound.Play(m_model.TakeCue());
    m_sound.Update();
}

Status WindowLoop::UpdateTheme(int dw, int dh) {
    if (dw == m_theme_w && dh == m_theme_h) {
        return Ok{};
    }
    if (!ui::BuildTheme(m_theme, ui::ScaleFor(dw, dh), m_options.fonts_dir)) {
        return MakeError(ErrorCode::kConfig, "fonts missing in " + m_options.fonts_dir.string());
    }
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    if (m_theme_w != 0) {  // the first size is in the 'ready' line
        LogInfo("platform", "laid out again for " + std::to_string(dw) + "x" + std::to_string(dh) +
                                " (the window's new size)");
    }
    m_theme_w = dw;
    m_theme_h = dh;
    return Ok{};
}

void WindowLoop::DrawFrames(int dw, int dh) {
    while (m_frames_left > 0) {
        ImGui_ImplOpenGL3_NewFrame();
        // The font atlas is a GL texture by now: its CPU copies (alpha and RGBA, several
        // MB) go until fonts are built again (a resize). Outside NewFrame..Render, as asked.
        ImGui::GetIO().Fonts->ClearTexData();
        ImGui_ImplSDL2_NewFrame();
        // ImGui's SDL backend reads SDL_GetGlobalMouseState, which X11 leaves stale while a
        // button is held, so a finger drag never moved; the window's own state follows it.
        if (SDL_GetMouseFocus() == m_window) {
            int mx = 0, my = 0;
            SDL_GetMouseState(&mx, &my);
            ImGui::GetIO().MousePos = ImVec2(static_cast<float>(mx), static_cast<float>(my));
        }
        ImGui::NewFrame();
        ui::Textures textures;
        textures.referral_page = m_page_texture.Update(m_model.View().staff.preview);
        const UiIntents intents = ui::DrawFrame(m_model.View(), m_theme, textures);
        if (m_model.View().screen == Screen::kWelcome) {
            m_preview.Draw(static_cast<float>(dw), static_cast<float>(dh));
        }
        ImGui::Render();
        glViewport(0, 0, dw, dh);
        glClearColor(0, 0, 0, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        SDL_GL_SwapWindow(m_window);
        --m_frames_left;
        if (intents.Any()) {
            m_model.OnIntents(intents);
            m_frames_left = kFramesAfterActivity;
        }
        if (m_first_frame) {
            m_first_frame = false;
            ReportFirstFrame(dw, dh);
        }
    }
}

void WindowLoop::ReportFirstFrame(int dw, int dh) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - m_started)
                        .count();
    LogInfo("platform", "ready: first frame drawn " + std::to_string(ms) +
                            " ms after the window opened (" + std::to_string(dw) + "x" +
                            std::to_string(dh) + ")");
    m_systemd.Ready("showing the welcome screen");
}

Status WindowLoop::Run() {
    while (m_running && !StopSignal::Requested()) {
        const bool woke_for_more_than_a_ping = WaitAndRoute();
        m_systemd.PingIfDue();
        if (!m_running || StopSignal::Requested()) {
            break;
        }
        if (!woke_for_more_than_a_ping) {
            continue;  // woke only to ping: nothing to draw (whatever else is due gets 0 ms next)
        }
        Update();
        int dw = 0, dh = 0;
        SDL_GL_GetDrawableSize(m_window, &dw, &dh);
        if (auto s = UpdateTheme(dw, dh); !s) {
            return s;
        }
        DrawFrames(dw, dh);
    }
    return Finish();
}

Status WindowLoop::Finish() {
    if (m_display_lost) {
        m_systemd.Stopping("the display went away");
        return MakeError(ErrorCode::kInternal,
                         "the display server (compositor) went away: the kiosk stops so that "
                         "systemd starts it again");
    }
    const int signo = StopSignal::Which();
    LogInfo("platform", signo != 0 ? "stopping (" + std::string(strsignal(signo)) + ")"
                                   : std::string("stopping (window closed)"));
    m_systemd.Stopping("stopping");
    return Ok{};
}

}  // namespace

Status StartDisplay() {
    constexpr Uint32 kSubsystems = SDL_INIT_VIDEO | SDL_INIT_TIMER;
    if (SDL_WasInit(kSubsystems) == kSubsystems) {
        return Ok{};
    }
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");  // StopSignal: SIGTERM is not a window close
    if (SDL_Init(kSubsystems) != 0) {
        return MakeError(ErrorCode::kInternal,
                         std::string("cannot start the display: ") + SDL_GetError() +
                             " (is a display server running and DISPLAY or WAYLAND_DISPLAY set?)");
    }
    return Ok{};
}

Status RunKioskWindow(AppModel& model, const WindowOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    SystemdNotify systemd;
    systemd.Status("starting the display");
    if (auto s = StartDisplay(); !s) {
        return s;
    }
    SdlSession sdl;
    StopSignal stop_signal;  // after SDL: its thread is joined before SDL_Quit
    if (auto s = OpenWindow(sdl, options); !s) {
        return s;
    }
    const ImGuiSession imgui(sdl);
    WindowLoop loop(model, options, sdl.window, systemd, stop_signal, started);
    return loop.Run();
}

}  // namespace kiosk::platform
