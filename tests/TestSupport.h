// Helpers shared by the tests: a fresh temporary directory per test and instants written as
// clinic-local wall-clock times, so a test reads like a day at the clinic.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>

#include "kiosk/core/AuditKey.h"
#include "kiosk/core/ClinicTime.h"

namespace kiosk::test {

/// A new empty directory, removed when the object goes away.
class TempDir {
  public:
    TempDir() {
        std::random_device rd;
        m_path = std::filesystem::temp_directory_path() /
                 ("kiosk-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }

  private:
    std::filesystem::path m_path;
};

inline const ClinicTime& LosAngeles() {
    static const ClinicTime zone = ClinicTime::ForZone("America/Los_Angeles").value();
    return zone;
}

/// 2026-01-07 (a Wednesday) at hh:mm in Los Angeles, or another day with `day`.
inline Instant At(int hour, int minute, unsigned day = 7, unsigned month = 1, int year = 2026) {
    return LosAngeles().FromLocal(year, month, day, hour, minute);
}

/// Runs `fn` with stderr sent to a temporary file and returns what was written (the log).
template <typename Fn>
std::string CaptureStderr(Fn fn) {
    char path[] = "/tmp/kiosk-logtest-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) {
        throw std::runtime_error("CaptureStderr: mkstemp failed");
    }
    std::fflush(stderr);
    const int saved = dup(fileno(stderr));
    dup2(fd, fileno(stderr));
    fn();
    std::fflush(stderr);
    dup2(saved, fileno(stderr));
    close(saved);
    close(fd);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    unlink(path);
    return text.str();
}

/// A fixed audit key for stores under test (Store::Open writes no audit row without one).
inline AuditKey TestAuditKey() {
    AuditKey key;
    for (std::size_t i = 0; i < key.bytes.size(); ++i) {
        key.bytes[i] = static_cast<unsigned char>(0xA0 + i);
    }
    return key;
}

}  // namespace kiosk::test
