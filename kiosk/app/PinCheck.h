// A staff PIN checked against its argon2id verifier (libsodium crypto_pwhash_str_verify) on a
// worker thread: the verifier sets its own cost (0.1 s for the demo's, seconds for a server's
// "sensitive" limits), and the main thread must keep drawing and taking scans meanwhile.
#pragma once

#include <memory>
#include <optional>
#include <string>

namespace kiosk {

/// True when `pin` matches the libsodium argon2id string `verifier`. Blocking; any thread.
bool VerifyPin(const std::string& verifier, const std::string& pin);

class PinCheck {
  public:
    PinCheck() = default;
    ~PinCheck();
    PinCheck(const PinCheck&) = delete;
    PinCheck& operator=(const PinCheck&) = delete;

    /// Starts a check; a check still running is abandoned (its answer is never read).
    void Start(const std::string& verifier, std::string pin);
    bool Running() const { return m_state != nullptr; }
    /// The answer once the check has finished (then the check is over); nullopt until then.
    std::optional<bool> Take();
    /// Blocks until the running check has finished (tests; never the main loop).
    void Wait() const;
    /// Forgets a running check: its answer is dropped when it comes.
    void Abandon() { m_state.reset(); }

  private:
    struct State;
    std::shared_ptr<State> m_state;
};

}  // namespace kiosk
