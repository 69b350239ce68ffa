// Turns "the camera saw this code in frame N" into scans: a code that stays in view over
// consecutive frames is one scan, and the same code seen again within `same_code` of when it was
// last seen is still that scan. A different code is a new scan at once. Pure: explicit times.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kiosk::scan {

class ScanDeduplicator {
  public:
    using TimePoint = std::chrono::steady_clock::time_point;

    static constexpr std::chrono::milliseconds kInViewGap{750};

    explicit ScanDeduplicator(std::chrono::milliseconds same_code) : m_same_code(same_code) {}

    /// A frame in which `payload` was decoded. True when this is a new scan to pass on.
    bool OnCode(std::string_view payload, TimePoint now);

  private:
    static std::uint64_t Fingerprint(std::string_view payload);

    std::chrono::milliseconds m_same_code;
    std::optional<std::uint64_t> m_last;  ///< a fingerprint, so no token is kept in memory
    TimePoint m_last_seen{};
};

}  // namespace kiosk::scan
