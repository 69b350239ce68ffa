// The classifier's rules: a held burst grows while keys come within max_key_gap; once it has
// min_chars it may wait enter_grace for Enter; anything else releases it as typing.
#include "kiosk/scan/WedgeClassifier.h"

#include "kiosk/scan/ScanEvent.h"

namespace kiosk::scan {

void WedgeClassifier::Reset() {
    m_holding = false;
    m_burst.clear();
    m_chars = 0;
}

WedgeClassifier::Millis WedgeClassifier::Allowed() const {
    return m_chars >= m_timing.min_chars ? std::max(m_timing.enter_grace, m_timing.max_key_gap)
                                         : m_timing.max_key_gap;
}

WedgeClassifier::Decision WedgeClassifier::OnText(std::string_view text, Millis t) {
    Decision d;
    if (m_holding && t - m_last > m_timing.max_key_gap) {
        d.release_held = true;  // too slow for a scanner: what was held is typing
        Reset();
    }
    if (!m_holding) {
        m_holding = true;
        m_burst.clear();
        m_chars = 0;
    }
    if (m_burst.size() <= kMaxScanBytes) {
        m_burst.append(text.substr(0, kMaxScanBytes + 1 - m_burst.size()));
    }
    ++m_chars;
    m_last = t;
    d.hold = true;
    return d;
}

WedgeClassifier::Decision WedgeClassifier::OnEnter(Millis t) {
    Decision d;
    if (m_holding && m_chars >= m_timing.min_chars && t - m_last <= Allowed()) {
        d.scan = std::move(m_burst);
        Reset();
        return d;
    }
    d.release_held = m_holding;
    Reset();
    return d;
}

WedgeClassifier::Decision WedgeClassifier::OnOtherKey(Millis /*t*/) {
    Decision d;
    d.release_held = m_holding;
    Reset();
    return d;
}

WedgeClassifier::Decision WedgeClassifier::Poll(Millis now) {
    Decision d;
    if (m_holding && now - m_last > Allowed()) {
        d.release_held = true;
        Reset();
    }
    return d;
}

std::optional<WedgeClassifier::Millis> WedgeClassifier::Deadline() const {
    if (!m_holding) {
        return std::nullopt;
    }
    return m_last + Allowed() + Millis{1};
}

}  // namespace kiosk::scan
