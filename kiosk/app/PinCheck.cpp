// The worker is a detached thread that owns a shared state with the PIN: abandoning a check
// (the screen locked meanwhile) never makes the main thread wait for it to finish. Workers take
// turns on one process-wide lock, so badges scanned again and again cannot pile up hashes of up
// to kMaxPinMemoryKib each; a worker whose check was abandoned while it waited just leaves.
#include "kiosk/app/PinCheck.h"

#include <sodium.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

namespace kiosk {
namespace {

std::mutex g_hash_turn;
std::atomic<int> g_hashing{0};

/// Reads "$argon2id$v=19$m=%llu,t=%llu,p=%llu$" and checks that a salt and a hash follow.
bool ParseCost(const std::string& verifier, unsigned long long& m, unsigned long long& t,
               unsigned long long& p) {
    int used = 0;
    if (std::sscanf(verifier.c_str(), "$argon2id$v=19$m=%20llu,t=%20llu,p=%20llu$%n", &m, &t, &p,
                    &used) != 3 ||
        used == 0) {
        return false;
    }
    const std::string rest = verifier.substr(static_cast<std::size_t>(used));
    const auto dollar = rest.find('$');
    const auto b64 = [](const std::string& s) {
        return !s.empty() &&
               s.find_first_not_of(
                   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") ==
                   std::string::npos;
    };
    return dollar != std::string::npos && b64(rest.substr(0, dollar)) &&
           b64(rest.substr(dollar + 1));
}

}  // namespace

struct PinCheck::State {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    bool match = false;
    std::atomic<bool> abandoned{false};
};

Status CheckPinVerifier(const std::string& verifier) {
    const std::string todo =
        ": this staff member cannot sign in until the server holds a new PIN verifier for them "
        "(ask the server's administrator)";
    unsigned long long m = 0, t = 0, p = 0;
    if (verifier.size() > 512 || !ParseCost(verifier, m, t, p)) {
        return MakeError(ErrorCode::kInvalidInput,
                         "the PIN verifier is not an argon2id string "
                         "($argon2id$v=19$m=...,t=...,p=...$salt$hash)" +
                             todo);
    }
    if (m > kMaxPinMemoryKib || t > kMaxPinPasses || p > kMaxPinLanes || t == 0 || p == 0) {
        return MakeError(
            ErrorCode::kInvalidInput,
            "the PIN verifier asks for m=" + std::to_string(m) + " KiB, t=" + std::to_string(t) +
                ", p=" + std::to_string(p) + ", beyond what the kiosk runs (at most m=" +
                std::to_string(kMaxPinMemoryKib) + " KiB, t=" + std::to_string(kMaxPinPasses) +
                ", p=" + std::to_string(kMaxPinLanes) + ")" + todo);
    }
    return Ok{};
}

bool VerifyPin(const std::string& verifier, const std::string& pin) {
    static const bool ready = sodium_init() >= 0;
    if (!ready || pin.empty() || !CheckPinVerifier(verifier)) {
        return false;
    }
    ++g_hashing;
    const bool match = crypto_pwhash_str_verify(verifier.c_str(), pin.data(), pin.size()) == 0;
    --g_hashing;
    return match;
}

int PinCheck::HashesRunning() {
    return g_hashing.load();
}

PinCheck::~PinCheck() {
    Abandon();
}

void PinCheck::Abandon() {
    if (m_state) {
        m_state->abandoned = true;
    }
    m_state.reset();
}

void PinCheck::Start(const std::string& verifier, std::string pin) {
    Abandon();
    auto state = std::make_shared<State>();
    m_state = state;
    std::thread([state, verifier, pin = std::move(pin)]() mutable {
        bool match = false;
        {
            std::lock_guard turn(g_hash_turn);
            if (!state->abandoned) {
                match = VerifyPin(verifier, pin);
            }
        }
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
