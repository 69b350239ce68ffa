// The audit log's key (PRIVACY.md 9): 32 random bytes in a file kept outside the data directory
// (default /etc/iop-kiosk/audit.key), so someone who can edit kiosk.db cannot recompute the
// hash chain. Creating it, reading it with clear errors, and HMAC-SHA256 with it (libsodium).
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

#include "kiosk/core/Result.h"

namespace kiosk {

struct AuditKey {
    std::array<unsigned char, 32> bytes{};
};

/// Writes 32 random bytes to `file` with mode 0640; never overwrites (kConflict if it exists).
Status CreateAuditKey(const std::filesystem::path& file);

/// Reads the key. kConfig naming the file and what to do when it is missing, unreadable, not
/// 32 bytes, or readable by everyone on the box.
Result<AuditKey> LoadAuditKey(const std::filesystem::path& file);

/// LoadAuditKey, also refusing a key kept inside `data_dir` (whoever can edit kiosk.db could
/// read it there).
Result<AuditKey> LoadAuditKeyOutside(const std::filesystem::path& file,
                                     const std::filesystem::path& data_dir);

/// The demo's key: made (with its folder, owner only) on the first run, then read.
Result<AuditKey> LoadOrCreateAuditKey(const std::filesystem::path& file);

/// The command that makes a key, for messages: "kiosk audit init-key --out FILE".
std::string AuditKeyCommand(const std::filesystem::path& file);

/// Lowercase hex HMAC-SHA256 of `message` under `key`.
std::string HmacSha256Hex(const AuditKey& key, std::string_view message);

}  // namespace kiosk
