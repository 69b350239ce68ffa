// The kiosk's SMART Backend Services key and the client assertion it signs (RFC 7523
// private_key_jwt): the PEM key read and checked once (RSA -> RS384, EC P-384 -> ES384; not open to
// other users), then a fresh JWT per token request. OpenSSL 3 signs, libsodium encodes and draws
// the jti.
#pragma once

#include <memory>
#include <string>

#include "kiosk/core/Clock.h"
#include "kiosk/core/Result.h"

typedef struct evp_pkey_st EVP_PKEY;  // OpenSSL's key

namespace kiosk::sync {

/// Base64url without padding (RFC 7515 2), as JWTs use it.
std::string Base64Url(const std::string& bytes);

class ClientAssertion {
  public:
    /// Reads `private_key_file` ([server] private_key_file): an error names the key and the file
    /// when it is missing, unreadable, open to other users, not a private key, or of a type or
    /// curve SMART does not sign with.
    static Result<ClientAssertion> Load(const std::string& private_key_file, std::string key_id);

    /// "RS384" or "ES384".
    const std::string& Algorithm() const { return m_alg; }

    /// A signed assertion: header alg, typ "JWT", kid (when set); iss = sub = client_id,
    /// aud = token_url, a random jti, iat = now, exp = now + `lifetime` (at most 5 minutes).
    Result<std::string> Sign(const std::string& client_id, const std::string& token_url,
                             Instant now, Seconds lifetime = Seconds{240}) const;

  private:
    ClientAssertion(std::shared_ptr<EVP_PKEY> key, std::string alg, std::string key_id)
        : m_key(std::move(key)), m_alg(std::move(alg)), m_key_id(std::move(key_id)) {}
    /// The JWS signature of `input`: PKCS#1 v1.5 for RSA; r || s (48 bytes each) for EC.
    Result<std::string> Signature(const std::string& input) const;

    std::shared_ptr<EVP_PKEY> m_key;
    std::string m_alg;
    std::string m_key_id;
};

}  // namespace kiosk::sync
