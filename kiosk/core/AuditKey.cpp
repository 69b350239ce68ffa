// The audit key file: raw bytes, created with O_EXCL so an existing key is never replaced (the
// chain written with it could not be checked any more), read with errors that say what to do.
#include "kiosk/core/AuditKey.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace kiosk {
namespace fs = std::filesystem;

namespace {

void InitSodium() {
    static const bool ready = sodium_init() >= 0;
    if (!ready) {
        std::abort();  // libsodium cannot run without a working RNG; nothing is safe after that
    }
}

Error KeyError(const fs::path& file, const std::string& what) {
    return MakeError(ErrorCode::kConfig, "audit key " + file.string() + ": " + what,
                     "The kiosk's setup is not complete. Please call IT support.");
}

}  // namespace

std::string AuditKeyCommand(const fs::path& file) {
    return "kiosk audit init-key --out " + file.string();
}

Status CreateAuditKey(const fs::path& file) {
    InitSodium();
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) {
        const int err = errno;
        if (err == EEXIST) {
            return MakeError(ErrorCode::kConflict,
                             file.string() +
                                 " already exists; it is not replaced, since the audit log "
                                 "written with it could not be checked any more");
        }
        return MakeError(ErrorCode::kConfig,
                         "cannot create " + file.string() + ": " + std::strerror(err));
    }
    AuditKey key;
    randombytes_buf(key.bytes.data(), key.bytes.size());
    bool ok = ::fchmod(fd, 0640) == 0;  // not narrowed or widened by the umask
    ok = ok &&
         ::write(fd, key.bytes.data(), key.bytes.size()) == static_cast<ssize_t>(key.bytes.size());
    ok = ok && ::fsync(fd) == 0;
    const int err = errno;
    ok = ::close(fd) == 0 && ok;
    sodium_memzero(key.bytes.data(), key.bytes.size());
    if (!ok) {
        ::unlink(file.c_str());
        return MakeError(ErrorCode::kConfig,
                         "cannot write " + file.string() + ": " + std::strerror(err));
    }
    return Ok{};
}

Result<AuditKey> LoadAuditKey(const fs::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT) {
            return KeyError(
                file, "the file does not exist. Create it once, as root: " + AuditKeyCommand(file) +
                          " && chgrp iop-kiosk " + file.string() + " (README, install step 4)");
        }
        return KeyError(file, std::string("cannot be read: ") + std::strerror(err) +
                                  " (it should be owned by root, group iop-kiosk, mode 0640, "
                                  "so the kiosk's user can read it)");
    }
    struct stat st {};
    AuditKey key;
    std::string problem;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        problem = "is not a regular file";
    } else if ((st.st_mode & 0007) != 0) {
        problem = "can be read or changed by everyone on this box: chmod 0640 " + file.string();
    } else if (st.st_size != static_cast<off_t>(key.bytes.size())) {
        problem = "holds " + std::to_string(st.st_size) + " bytes, a key has 32 (was it made by '" +
                  AuditKeyCommand(file) + "'?)";
    } else if (::read(fd, key.bytes.data(), key.bytes.size()) !=
               static_cast<ssize_t>(key.bytes.size())) {
        problem = std::string("cannot be read: ") + std::strerror(errno);
    }
    ::close(fd);
    if (!problem.empty()) {
        return KeyError(file, problem);
    }
    return key;
}

Result<AuditKey> LoadAuditKeyOutside(const fs::path& file, const fs::path& data_dir) {
    std::error_code ec;
    const fs::path key_at = fs::weakly_canonical(fs::absolute(file, ec), ec);
    fs::path dir_at = fs::weakly_canonical(fs::absolute(data_dir, ec), ec);
    if (!dir_at.has_filename()) {
        dir_at = dir_at.parent_path();  // "/var/lib/iop-kiosk/"
    }
    const auto differ =
        std::mismatch(dir_at.begin(), dir_at.end(), key_at.begin(), key_at.end()).first;
    if (!dir_at.empty() && differ == dir_at.end()) {
        return KeyError(file, "is inside the data directory " + data_dir.string() +
                                  ", where whoever can edit kiosk.db can read it: keep it "
                                  "elsewhere (default /etc/iop-kiosk/audit.key) and name it in "
                                  "[audit] key_file");
    }
    return LoadAuditKey(file);
}

Result<AuditKey> LoadOrCreateAuditKey(const fs::path& file) {
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        fs::create_directories(file.parent_path(), ec);
        ::chmod(file.parent_path().c_str(), 0700);
        if (auto s = CreateAuditKey(file); !s && s.error().code != ErrorCode::kConflict) {
            return s.error();
        }
    }
    return LoadAuditKey(file);
}

std::string HmacSha256Hex(const AuditKey& key, std::string_view message) {
    InitSodium();
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, key.bytes.data(), key.bytes.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size());
    crypto_auth_hmacsha256_final(&state, mac.data());
    std::array<char, crypto_auth_hmacsha256_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
    return std::string(hex.data(), mac.size() * 2);
}

}  // namespace kiosk
