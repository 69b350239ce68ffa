// Client keys for the SMART tests, made at test time with the openssl CLI (no private key is
// ever committed): the PEM private key (mode 0600) and its public key beside it (.pub.pem).
#pragma once

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace kiosk::test {

/// `kind`: "rsa" (3072 bits), "rsa1024", "ec" (P-384), "ec256" (P-256) or "ed25519".
inline std::filesystem::path MakeClientKey(const std::filesystem::path& dir,
                                           const std::string& kind) {
    const std::string options = kind == "rsa"       ? "-algorithm RSA -pkeyopt rsa_keygen_bits:3072"
                                : kind == "rsa1024" ? "-algorithm RSA -pkeyopt rsa_keygen_bits:1024"
                                : kind == "ec"    ? "-algorithm EC -pkeyopt ec_paramgen_curve:P-384"
                                : kind == "ec256" ? "-algorithm EC -pkeyopt ec_paramgen_curve:P-256"
                                                  : "-algorithm ED25519";
    const auto key = dir / (kind + ".pem");
    const std::string command = "openssl genpkey " + options + " -out '" + key.string() +
                                "' 2>/dev/null && openssl pkey -in '" + key.string() +
                                "' -pubout -out '" + key.string() + ".pub' 2>/dev/null";
    if (std::system(command.c_str()) != 0) {
        throw std::runtime_error("openssl could not make a " + kind + " key");
    }
    ::chmod(key.c_str(), 0600);
    return key;
}

}  // namespace kiosk::test
