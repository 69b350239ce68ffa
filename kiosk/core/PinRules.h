// What a new staff PIN may be, and the argon2id verifier the server keeps of it (PRIVACY.md 7):
// one rule for `kiosk staff pin` and any other place a PIN is chosen, so they cannot drift.
// Pure but for libsodium's hashing; no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "kiosk/core/Result.h"

namespace kiosk {

inline constexpr std::size_t kNewPinMinDigits = 4;
inline constexpr std::size_t kNewPinMaxDigits = 8;

/// Ok for 4 to 8 digits that are neither one digit repeated (0000) nor a run up or down
/// (1234, 98765); kInvalidInput with the reason in plain words otherwise. Never logs the PIN.
Status CheckNewPin(std::string_view pin);

/// libsodium's argon2id string of `pin` (crypto_pwhash_str) with its interactive limits
/// (m=65536 KiB, t=2, p=1): within what every kiosk runs (kiosk/app/PinCheck.h), and about a
/// tenth of a second on a kiosk box. kInternal when libsodium cannot (out of memory).
Result<std::string> MakePinVerifier(std::string_view pin);

}  // namespace kiosk
