// The new-PIN rule and the verifier (PinRules.h).
#include "kiosk/core/PinRules.h"

#include <sodium.h>

#include <algorithm>

namespace kiosk {

Status CheckNewPin(std::string_view pin) {
    if (pin.size() < kNewPinMinDigits || pin.size() > kNewPinMaxDigits ||
        !std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return MakeError(ErrorCode::kInvalidInput, "a PIN is 4 to 8 digits",
                         "A PIN is 4 to 8 digits.");
    }
    auto steps_by = [&](int step) {
        for (std::size_t i = 1; i < pin.size(); ++i) {
            if (pin[i] - pin[i - 1] != step) {
                return false;
            }
        }
        return true;
    };
    if (steps_by(0)) {
        return MakeError(ErrorCode::kInvalidInput, "a PIN may not be one digit repeated",
                         "Choose a PIN that is not one digit repeated.");
    }
    if (steps_by(1) || steps_by(-1)) {
        return MakeError(ErrorCode::kInvalidInput, "a PIN may not be a run of digits (1234, 9876)",
                         "Choose a PIN that is not a run of digits like 1234.");
    }
    return Ok{};
}

Result<std::string> MakePinVerifier(std::string_view pin) {
    if (sodium_init() < 0) {
        return MakeError(ErrorCode::kInternal, "libsodium could not start");
    }
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return MakeError(ErrorCode::kInternal, "the PIN could not be hashed (out of memory?)");
    }
    return std::string(out);
}

}  // namespace kiosk
