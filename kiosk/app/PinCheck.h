// A staff PIN checked against its argon2id verifier (libsodium crypto_pwhash_str_verify) on a
// worker thread: the verifier sets its own cost (0.1 s for the demo's, seconds for a server's
// "sensitive" limits), and the main thread must keep drawing and taking scans meanwhile. A
// verifier comes from the server, so its cost is bounded before it is run, and only one hash
// runs at a time in the whole process.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "kiosk/core/Result.h"

namespace kiosk {

/// The most a PIN verifier may ask for (PRIVACY.md 7): a hostile or careless server must not make
/// the kiosk allocate gigabytes or hash for minutes. libsodium's "sensitive" limits (1 GiB) are
/// beyond this on purpose: a kiosk box has little memory and must answer within seconds.
inline constexpr unsigned long long kMaxPinMemoryKib = 256ull * 1024;  ///< m=, 256 MiB
inline constexpr unsigned long long kMaxPinPasses = 10;                ///< t=
inline constexpr unsigned long long kMaxPinLanes = 8;                  ///< p=

/// Ok when `verifier` is a libsodium argon2id string
/// ("$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>") within the bounds above;
/// otherwise an error saying what is wrong and what to do.
Status CheckPinVerifier(const std::string& verifier);

/// True when `pin` matches the libsodium argon2id string `verifier`. Blocking; any thread. A
/// verifier CheckPinVerifier refuses is never run: false.
bool VerifyPin(const std::string& verifier, const std::string& pin);

class PinCheck {
  public:
    PinCheck() = default;
    ~PinCheck();
    PinCheck(const PinCheck&) = delete;
    PinCheck& operator=(const PinCheck&) = delete;

    /// Starts a check; a check still running is abandoned (its answer is never read). The hash
    /// waits for any hash still running elsewhere (an abandoned one included), and a check
    /// abandoned before its turn never hashes.
    void Start(const std::string& verifier, std::string pin);
    bool Running() const { return m_state != nullptr; }
    /// The answer once the check has finished (then the check is over); nullopt until then.
    std::optional<bool> Take();
    /// Blocks until the running check has finished (tests; never the main loop).
    void Wait() const;
    /// Forgets a running check: its answer is dropped when it comes.
    void Abandon();

    /// How many argon2 hashes are running in this process right now: 0 or 1.
    static int HashesRunning();

  private:
    struct State;
    std::shared_ptr<State> m_state;
};

}  // namespace kiosk
