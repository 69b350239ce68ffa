// Keyboard routing rules: text and Enter drive the classifier; editing keys (Backspace,
// arrows...) end a burst as typing; other key events wait with the held text so their order is
// kept. A scan drops the held events except key-ups, so ImGui never thinks a key stays down.
#include "kiosk/platform/ScanInput.h"

#include "kiosk/core/Log.h"

namespace kiosk::platform {
namespace {

using Millis = std::chrono::milliseconds;

bool IsEnter(const SDL_Event& e) {
    return e.type == SDL_KEYDOWN &&
           (e.key.keysym.sym == SDLK_RETURN || e.key.keysym.sym == SDLK_KP_ENTER);
}

bool IsEditingKey(const SDL_Event& e) {
    if (e.type != SDL_KEYDOWN) {
        return false;
    }
    switch (e.key.keysym.sym) {
        case SDLK_BACKSPACE:
        case SDLK_DELETE:
        case SDLK_TAB:
        case SDLK_ESCAPE:
        case SDLK_LEFT:
        case SDLK_RIGHT:
        case SDLK_UP:
        case SDLK_DOWN:
        case SDLK_HOME:
        case SDLK_END:
            return true;
        default:
            return false;
    }
}

}  // namespace

ScanInput::ScanInput(const ScanOptions& options, AppModel& model, Deliver deliver)
    : m_options(options), m_model(model), m_deliver(std::move(deliver)), m_keys(options.keyboard) {
    if (m_options.queue != nullptr) {
        m_wake_event = SDL_RegisterEvents(1);
        if (m_wake_event != static_cast<Uint32>(-1)) {
            const Uint32 type = m_wake_event;
            // SDL_PushEvent is thread-safe; the camera and wedge threads call this.
            m_options.queue->SetWaker([type] {
                SDL_Event wake{};
                wake.type = type;
                SDL_PushEvent(&wake);
            });
        }
    }
}

ScanInput::~ScanInput() {
    if (m_options.queue != nullptr) {
        m_options.queue->SetWaker({});
    }
}

Millis ScanInput::KeyTime(Uint32 sdl_ticks) const {
    return Millis(static_cast<long long>(sdl_ticks) - m_busy_total);
}

void ScanInput::Scan(std::string payload, scan::ScanSource source) {
    LogDebug("scan", std::string("scan from the ") + scan::Name(source) + " (" +
                         std::to_string(payload.size()) + " bytes)");
    m_model.OnScan(payload);
}

void ScanInput::Apply(const scan::WedgeClassifier::Decision& d) {
    if (d.scan) {
        for (SDL_Event& held : m_held) {
            if (held.type == SDL_KEYUP) {
                m_deliver(held);
            }
        }
        m_held.clear();
        Scan(*d.scan, scan::ScanSource::kKeyboard);
    } else if (d.release_held) {
        std::vector<SDL_Event> typed;
        typed.swap(m_held);
        for (SDL_Event& held : typed) {
            m_deliver(held);
        }
    }
}

void ScanInput::Route(SDL_Event& e) {
    if (m_wake_event != 0 && e.type == m_wake_event) {
        return;  // AfterEvents() drains the queue
    }
    if (e.type == SDL_TEXTINPUT) {
        const auto d = m_keys.OnText(e.text.text, KeyTime(e.text.timestamp));
        Apply(d);
        if (d.hold) {
            m_held.push_back(e);
        } else {
            m_deliver(e);
        }
    } else if (IsEnter(e)) {
        const auto d = m_keys.OnEnter(KeyTime(e.key.timestamp));
        Apply(d);
        if (!d.scan) {
            m_deliver(e);
        }
    } else if (IsEditingKey(e)) {
        Apply(m_keys.OnOtherKey(KeyTime(e.key.timestamp)));
        m_deliver(e);
    } else if ((e.type == SDL_KEYDOWN || e.type == SDL_KEYUP) && m_keys.Holding()) {
        m_held.push_back(e);
    } else {
        m_deliver(e);
    }
}

bool ScanInput::AfterEvents() {
    const Uint32 now = SDL_GetTicks();
    m_busy_since = now;  // until LimitTimeout(), right before the loop waits for events again
    Apply(m_keys.Poll(KeyTime(now)));
    if (m_options.queue == nullptr) {
        return false;
    }
    auto scans = m_options.queue->Drain();
    for (scan::ScanEvent& s : scans) {
        Scan(std::move(s.payload), s.source);
    }
    return !scans.empty();
}

int ScanInput::LimitTimeout(int timeout_ms) {
    const Uint32 now = SDL_GetTicks();
    if (m_busy_since) {
        m_busy_total += static_cast<long long>(now - *m_busy_since);
        m_busy_since.reset();
    }
    const auto deadline = m_keys.Deadline();
    if (!deadline) {
        return timeout_ms;
    }
    const auto left = deadline->count() - KeyTime(now).count();
    return static_cast<int>(std::clamp<long long>(left, 0, timeout_ms));
}

}  // namespace kiosk::platform
