// OpenSSL's EVP API only: PEM_read_bio_PrivateKey (a passphrase is refused, never prompted for),
// EVP_DigestSign with SHA-384, and for ES384 the DER ECDSA signature turned into the fixed-size
// r || s JWS wants (RFC 7518 3.4). The key never leaves this file and is never logged.
#include "sync/ClientAssertion.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sodium.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

namespace kiosk::sync {
namespace {

constexpr std::size_t kEs384Half = 48;  // bytes of r and of s on P-384

Error KeyError(const std::string& file, const std::string& why) {
    return MakeError(ErrorCode::kConfig, "server.private_key_file " + file + " " + why,
                     "The kiosk cannot sign in to the clinic server. Please call IT support.");
}

std::string OpenSslText() {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) {
        return "no detail";
    }
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

int NoPassphrase(char*, int, int, void*) {
    return -1;  // an encrypted key is refused: nobody is there to type its passphrase
}

/// The algorithm for `key`, or why SMART cannot sign with it.
Result<std::string> AlgorithmOf(EVP_PKEY* key, const std::string& file) {
    if (EVP_PKEY_is_a(key, "RSA")) {
        if (EVP_PKEY_get_bits(key) < 2048) {
            return KeyError(file, "is an RSA key of " + std::to_string(EVP_PKEY_get_bits(key)) +
                                      " bits; RS384 needs at least 2048 (openssl genpkey "
                                      "-algorithm RSA -pkeyopt rsa_keygen_bits:3072)");
        }
        return std::string("RS384");
    }
    if (EVP_PKEY_is_a(key, "EC")) {
        char curve[80] = {0};
        std::size_t length = 0;
        EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, curve, sizeof curve,
                                       &length);
        if (std::string(curve) != "secp384r1") {
            return KeyError(file, "is an EC key on curve " +
                                      std::string(curve[0] != '\0' ? curve : "(unknown)") +
                                      "; ES384 needs P-384 (openssl genpkey -algorithm EC "
                                      "-pkeyopt ec_paramgen_curve:P-384)");
        }
        return std::string("ES384");
    }
    return KeyError(file, std::string("is a ") + EVP_PKEY_get0_type_name(key) +
                              " key; SMART Backend Services signs with RSA (RS384) or EC P-384 "
                              "(ES384)");
}

/// DER ECDSA-Sig-Value -> r || s, each left-padded to 48 bytes.
Result<std::string> RawEcSignature(const unsigned char* der, std::size_t size) {
    const unsigned char* p = der;
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(size));
    if (sig == nullptr) {
        return MakeError(ErrorCode::kInternal, "ES384: unreadable ECDSA signature");
    }
    std::string raw(2 * kEs384Half, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    const bool ok = BN_bn2binpad(ECDSA_SIG_get0_r(sig), out, kEs384Half) == kEs384Half &&
                    BN_bn2binpad(ECDSA_SIG_get0_s(sig), out + kEs384Half, kEs384Half) == kEs384Half;
    ECDSA_SIG_free(sig);
    if (!ok) {
        return MakeError(ErrorCode::kInternal, "ES384: signature does not fit 2 x 48 bytes");
    }
    return raw;
}

}  // namespace

std::string Base64Url(const std::string& bytes) {
    constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string text(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
    sodium_bin2base64(text.data(), text.size(),
                      reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), kVariant);
    text.resize(std::strlen(text.c_str()));
    return text;
}

Result<ClientAssertion> ClientAssertion::Load(const std::string& file, std::string key_id) {
    if (sodium_init() < 0) {
        return MakeError(ErrorCode::kInternal, "libsodium could not start");
    }
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) {
        return KeyError(file, std::string("cannot be read: ") + std::strerror(errno));
    }
    if ((st.st_mode & (S_IROTH | S_IWOTH)) != 0) {
        return KeyError(file,
                        "is open to any user on this box: whoever reads it can act as this "
                        "kiosk (chmod 0640 " +
                            file + ", owner root, group the kiosk's)");
    }
    BIO* bio = BIO_new_file(file.c_str(), "r");
    if (bio == nullptr) {
        ERR_clear_error();
        return KeyError(file, "cannot be read (may the kiosk user read it?)");
    }
    EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio, nullptr, NoPassphrase, nullptr);
    BIO_free(bio);
    if (raw == nullptr) {
        return KeyError(file,
                        "is not a PEM private key without a passphrase (" + OpenSslText() + ")");
    }
    std::shared_ptr<EVP_PKEY> key(raw, EVP_PKEY_free);
    auto alg = AlgorithmOf(key.get(), file);
    if (!alg) {
        return alg.error();
    }
    return ClientAssertion(std::move(key), std::move(alg.value()), std::move(key_id));
}

Result<std::string> ClientAssertion::Signature(const std::string& input) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t size = 0;
    std::string sig;
    bool ok =
        ctx != nullptr &&
        EVP_DigestSignInit(ctx, nullptr, EVP_sha384(), nullptr, m_key.get()) == 1 &&
        EVP_DigestSign(ctx, nullptr, &size, reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()) == 1;
    if (ok) {
        sig.resize(size);
        ok =
            EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &size,
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
        sig.resize(size);
    }
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        return MakeError(ErrorCode::kInternal,
                         "signing the client assertion failed (" + OpenSslText() + ")");
    }
    if (m_alg == "ES384") {
        return RawEcSignature(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
    }
    return sig;
}

Result<std::string> ClientAssertion::Sign(const std::string& client_id,
                                          const std::string& token_url, Instant now,
                                          Seconds lifetime) const {
    nlohmann::json header{{"alg", m_alg}, {"typ", "JWT"}};
    if (!m_key_id.empty()) {
        header["kid"] = m_key_id;
    }
    std::string jti(16, '\0');
    randombytes_buf(jti.data(), jti.size());
    const auto iat = now.time_since_epoch().count();
    const nlohmann::json claims{
        {"iss", client_id}, {"sub", client_id},
        {"aud", token_url}, {"jti", Base64Url(jti)},
        {"iat", iat},       {"exp", iat + std::min(lifetime, Seconds{300}).count()}};
    const std::string input = Base64Url(header.dump()) + "." + Base64Url(claims.dump());
    auto signature = Signature(input);
    if (!signature) {
        return signature.error();
    }
    return input + "." + Base64Url(signature.value());
}

}  // namespace kiosk::sync
