#include "kiosk/platform/KioskWindow.h"

#include <SDL.h>
#include <imgui.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <SDL_opengl.h>

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
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 2);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI;
    int w = 1280, h = 800;
    if (options.windowed) {
        std::tie(w, h) = *options.windowed;
    } else {
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
    }
    sdl.window = SDL_CreateWindow("IOP Kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (sdl.window == nullptr) {
        return MakeError(ErrorCode::kInternal, std::string("cannot open the window: ") + SDL_GetError());
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

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    struct ImGuiGuard {
        ~ImGuiGuard() { ImGui::DestroyContext(); }
    } imgui_guard;
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // nothing of a session is written to disk
    io.LogFilename = nullptr;
    ImGui_ImplSDL2_InitForOpenGL(sdl.window, sdl.gl);
    ImGui_ImplOpenGL3_Init("#version 150");
    struct BackendGuard {
        ~BackendGuard() {
            ImGui_ImplOpenGL3_Shutdown();
            ImGui_ImplSDL2_Shutdown();
        }
    } backend_guard;

    ui::Theme theme;
    int theme_w = 0, theme_h = 0;
    Sound sound;
    SDL_StartTextInput();

    int frames_left = kFramesAfterActivity;
    bool first_frame = true;
    bool running = true;
    bool display_lost = false;
    // Every input event reaches ImGui through here, keys after the model has had them
    // (ScanInput): held back while they may be a scanner's burst (those become scans, never
    // text).
    auto deliver = [&](SDL_Event& e) {
        ImGui_ImplSDL2_ProcessEvent(&e);
        if (e.type == stop_signal.EventType() && e.type != SDL_FIRSTEVENT) {
            running = false;
        } else if (e.type == SDL_QUIT) {
            // A close request (Alt+F4, the compositor, WM_DELETE_WINDOW). Full screen is the
            // kiosk on a lobby box: nobody may leave it, only `systemctl stop` (SIGTERM) ends it.
            if (options.windowed) {
                running = false;
            } else if (DisplayLost(sdl.window)) {
                display_lost = true;
                running = false;
            } else {
                LogWarn("platform",
                        "a request to close the window was ignored (kiosk mode; stop the "
                        "service to end it)");
            }
        } else if (e.type == SDL_KEYDOWN && options.windowed && e.key.keysym.sym == SDLK_q &&
                   (e.key.keysym.mod & KMOD_CTRL)) {
            running = false;  // development convenience only; a kiosk has no quit key
        }
    };
    // Declared after the SDL session, so it unhooks the scan threads' wake-ups before SDL_Quit.
    ScanInput scan_input(options.scan, model, deliver);
    CameraPreview preview(options.preview_camera);
    PageTexture page_texture;
    while (running && !StopSignal::Requested()) {
        SDL_Event e;
        int timeout = 0;
        if (frames_left <= 0) {  // the model's timers run on its clock (a test clock runs faster)
            const Clock& clock = model.AppClock();
            timeout = clock.RealMilliseconds(MillisecondsUntil(model.NextWakeup(), clock.Now()));
        }
        if (const int sound_ms = sound.MillisecondsUntilIdle(); sound_ms >= 0) {
            timeout = std::min(timeout, sound_ms);
        }
        // With systemd's watchdog on, wake up at half its interval to ping; otherwise no sooner.
        const int wake_ms = timeout;
        timeout = systemd.MillisecondsUntilPing(timeout);
        const int limited = scan_input.LimitTimeout(timeout);
        const bool only_watchdog = limited == timeout && timeout < wake_ms;
        bool have = SDL_WaitEventTimeout(&e, limited) != 0;
        const bool have_any = have;
        while (have) {
            scan_input.Route(e);
            have = SDL_PollEvent(&e) != 0;
        }
        systemd.PingIfDue();
        if (!running || StopSignal::Requested()) {
            break;
        }
        if (!have_any && only_watchdog) {
            continue;  // woke only to ping: nothing to draw (whatever else is due gets 0 ms next)
        }
        scan_input.AfterEvents();
        preview.Update();
        frames_left = std::max(frames_left, kFramesAfterActivity);
        model.Tick();
        sound.Play(model.TakeCue());
        sound.Update();

        int dw = 0, dh = 0;
        SDL_GL_GetDrawableSize(sdl.window, &dw, &dh);
        if (dw != theme_w || dh != theme_h) {
            if (!ui::BuildTheme(theme, ui::ScaleFor(dw, dh), options.fonts_dir)) {
                return MakeError(ErrorCode::kConfig, "fonts missing in " + options.fonts_dir.string());
            }
            ImGui_ImplOpenGL3_DestroyFontsTexture();
            ImGui_ImplOpenGL3_CreateFontsTexture();
            theme_w = dw;
            theme_h = dh;
        }
        while (frames_left > 0) {
            ImGui_ImplOpenGL3_NewFrame();
            // The font atlas is a GL texture by now: its CPU copies (alpha and RGBA, several
            // MB) go until fonts are built again (a resize). Outside NewFrame..Render, as asked.
            ImGui::GetIO().Fonts->ClearTexData();
            ImGui_ImplSDL2_NewFrame();
            // ImGui's SDL backend reads SDL_GetGlobalMouseState, which X11 leaves stale while a
            // button is held, so a finger drag never moved; the window's own state follows it.
            if (SDL_GetMouseFocus() == sdl.window) {
                int mx = 0, my = 0;
                SDL_GetMouseState(&mx, &my);
                ImGui::GetIO().MousePos = ImVec2(static_cast<float>(mx), static_cast<float>(my));
            }
            ImGui::NewFrame();
            ui::Textures textures;
            textures.referral_page = page_texture.Update(model.View().staff.preview);
            const UiIntents intents = ui::DrawFrame(model.View(), theme, textures);
            if (model.View().screen == Screen::kWelcome) {
                preview.Draw(static_cast<float>(dw), static_cast<float>(dh));
            }
            ImGui::Render();
            glViewport(0, 0, dw, dh);
            glClearColor(0, 0, 0, 1);
            glClear(GL_COLOR_BUFFER_BIT);
            ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
            SDL_GL_SwapWindow(sdl.window);
            --frames_left;
            if (intents.Any()) {
                model.OnIntents(intents);
                frames_left = kFramesAfterActivity;
            }
            if (first_frame) {
                first_frame = false;
                const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::steady_clock::now() - started).count();
                LogInfo("platform", "ready: first frame drawn " + std::to_string(ms) + " ms after the window opened (" +
                                        std::to_string(dw) + "x" + std::to_string(dh) + ")");
                systemd.Ready("showing the welcome screen");
            }
        }
    }
    if (display_lost) {
        systemd.Stopping("the display went away");
        return MakeError(ErrorCode::kInternal,
                         "the display server (compositor) went away: the kiosk stops so that "
                         "systemd starts it again");
    }
    const int signo = StopSignal::Which();
    LogInfo("platform", signo != 0 ? "stopping (" + std::string(strsignal(signo)) + ")"
                                   : std::string("stopping (window closed)"));
    systemd.Stopping("stopping");
    return Ok{};
}

}  // namespace kiosk::platform
