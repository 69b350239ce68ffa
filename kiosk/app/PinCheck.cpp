// The worker is a detached thread that owns a shared state with the PIN: abandoning a check
// (the screen locked meanwhile) never makes the main thread wait for it to finish.
#include "kiosk/app/PinCheck.h"

#include <sodium.h>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace kiosk {

struct PinCheck::State {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    bool match = false;
};

bool VerifyPin(const std::string& verifier, const std::string& pin) {
    static const bool ready = sodium_init() >= 0;
    if (!ready || verifier.empty() || pin.empty()) {
        return false;
    }
    return crypto_pwhash_str_verify(verifier.c_str(), pin.data(), pin.size()) == 0;
}

PinCheck::~PinCheck() = default;

void PinCheck::Start(const std::string& verifier, std::string pin) {
    auto state = std::make_shared<State>();
    m_state = state;
    std::thread([state, verifier, pin = std::move(pin)]() mutable {
        const bool match = VerifyPin(verifier, pin);
        sodium_memzero(pin.data(), pin.size());
        std::lock_guard lock(state->mutex);
        state->done = true;
        state->match = match;
        state->done_cv.notify_all();
    }).detach();
}

std::optional<bool> PinCheck::Take() {
    const std::shared_ptr<State> state = m_state;  // outlives the lock below
    if (!state) {
        return std::nullopt;
    }
    std::lock_guard lock(state->mutex);
    if (!state->done) {
        return std::nullopt;
    }
    m_state.reset();
    return state->match;
}

void PinCheck::Wait() const {
    if (!m_state) {
        return;
    }
    std::unique_lock lock(m_state->mutex);
    m_state->done_cv.wait(lock, [&] { return m_state->done; });
}

}  // namespace kiosk
