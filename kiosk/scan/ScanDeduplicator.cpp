// FNV-1a fingerprints: a collision would only merge two different cards' scans within seconds.
#include "kiosk/scan/ScanDeduplicator.h"

#include <algorithm>

namespace kiosk::scan {

std::uint64_t ScanDeduplicator::Fingerprint(std::string_view payload) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (char c : payload) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ull;
    }
    return h ^ payload.size();
}

bool ScanDeduplicator::OnCode(std::string_view payload, TimePoint now) {
    const std::uint64_t f = Fingerprint(payload);
    // Consecutive frames are one sighting even with a zero window; a few frames that failed to
    // decode (motion, a finger) do not split it either.
    const auto window = std::max<std::chrono::milliseconds>(m_same_code, kInViewGap);
    const bool same = m_last && *m_last == f && now - m_last_seen <= window;
    m_last = f;
    m_last_seen = now;
    return !same;
}

}  // namespace kiosk::scan
