// SDL events to keys: text, Enter, Backspace and the other editing keys by name, any other key
// down or up as itself, each stamped with SDL's time minus the loop's busy spells (BusyClock).
#include "kiosk/platform/ScanInput.h"

#include <algorithm>
#include <optional>

#include "kiosk/core/Log.h"

namespace kiosk::platform {
namespace {

using scan::KeyKind;
using scan::KeyMillis;

std::optional<KeyKind> KindOf(const SDL_Event& e) {
    if (e.type == SDL_TEXTINPUT) {
        return KeyKind::kText;
    }
    if (e.type == SDL_KEYUP) {
        return KeyKind::kKeyUp;
    }
    if (e.type != SDL_KEYDOWN) {
        return std::nullopt;
    }
    switch (e.key.keysym.sym) {
        case SDLK_RETURN:
        case SDLK_KP_ENTER:
            return KeyKind::kEnter;
        case SDLK_BACKSPACE:
            return KeyKind::kBackspace;
        case SDLK_DELETE:
        case SDLK_TAB:
        case SDLK_ESCAPE:
        case SDLK_LEFT:
        case SDLK_RIGHT:
        case SDLK_UP:
        case SDLK_DOWN:
        case SDLK_HOME:
        case SDLK_END:
            return KeyKind::kEditing;
        default:
            return KeyKind::kKeyDown;
    }
}

}  // namespace

ScanInput::ScanInput(const ScanOptions& options, AppModel& model, Deliver deliver)
    : m_options(options), m_model(model), m_deliver(std::move(deliver)) {
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

void ScanInput::Follow(const scan::KeyScanAssembler::Step& step, SDL_Event* current,
                       std::uint64_t current_id) {
    for (const scan::KeyPress& k : step.handed_on) {
        if (current != nullptr && k.id == current_id) {
            m_deliver(*current);
        } else if (auto held = m_held.find(k.id); held != m_held.end()) {
            m_deliver(held->second);
            m_held.erase(held);
        }
    }
    if (step.scan) {
        m_held.clear();  // the scan's own keys: never typing (their key-ups were handed on)
    }
}

void ScanInput::Route(SDL_Event& e) {
    if (m_wake_event != 0 && e.type == m_wake_event) {
        return;  // AfterEvents() drains the queue
    }
    const auto kind = KindOf(e);
    if (!kind) {
        m_deliver(e);
        return;
    }
    const Uint32 stamp = e.type == SDL_TEXTINPUT ? e.text.timestamp : e.key.timestamp;
    scan::KeyPress key;
    key.kind = *kind;
    key.text = e.type == SDL_TEXTINPUT ? e.text.text : "";
    key.t = m_busy.KeyTime(KeyMillis(stamp));
    key.id = m_next_id++;
    const auto step = m_model.OnKey(key);
    Follow(step, &e, key.id);
    if (step.hold) {
        m_held.emplace(key.id, e);
    }
}

bool ScanInput::AfterEvents() {
    const KeyMillis now(SDL_GetTicks());
    m_busy.Leave(now);  // until LimitTimeout(), right before the loop waits for events again
    Follow(m_model.PollKeys(m_busy.KeyTime(now)), nullptr, 0);
    if (m_options.queue == nullptr) {
        return false;
    }
    auto scans = m_options.queue->Drain();
    for (scan::ScanEvent& s : scans) {
        LogDebug("scan", std::string("scan from the ") + scan::Name(s.source) + " (" +
                             std::to_string(s.payload.size()) + " bytes)");
        m_model.OnScan(s.payload);
    }
    return !scans.empty();
}

int ScanInput::LimitTimeout(int timeout_ms) {
    const KeyMillis now(SDL_GetTicks());
    m_busy.Return(now);
    const auto deadline = m_model.KeysDeadline();
    if (!deadline) {
        return timeout_ms;
    }
    const auto left = deadline->count() - m_busy.KeyTime(now).count();
    return static_cast<int>(std::clamp<long long>(left, 0, timeout_ms));
}

}  // namespace kiosk::platform
