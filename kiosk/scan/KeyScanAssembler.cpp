// The rules: a held burst grows while keys come within max_key_gap; once it has min_chars it may
// wait enter_grace for Enter; anything else hands it on as typing. While a typed line is waiting
// for its Enter, text keys continue it and are not held: a scan the loop took partly for typing
// (its first keys stamped late while the kiosk drew) stays one line instead of losing its head.
#include "kiosk/scan/KeyScanAssembler.h"

#include <algorithm>

#include "kiosk/scan/ScanEvent.h"

namespace kiosk::scan {
namespace {

void AppendCapped(std::string& to, std::string_view text) {
    if (to.size() <= kMaxScanBytes) {
        to.append(text.substr(0, kMaxScanBytes + 1 - to.size()));
    }
}

}  // namespace

WedgeTiming WedgeTiming::FromConfig(const ScannerConfig& scanner) {
    WedgeTiming t;
    t.max_key_gap = KeyMillis(scanner.wedge_max_key_ms);
    t.min_chars = static_cast<std::size_t>(scanner.wedge_min_chars);
    t.enter_grace = std::max(KeyMillis(100), 3 * t.max_key_gap);
    return t;
}

KeyMillis KeyScanAssembler::Allowed() const {
    return m_chars >= m_timing.min_chars ? std::max(m_timing.enter_grace, m_timing.max_key_gap)
                                         : m_timing.max_key_gap;
}

void KeyScanAssembler::Release(Step& step) {
    for (KeyPress& k : m_held) {
        step.handed_on.push_back(std::move(k));
    }
    m_held.clear();
    m_burst.clear();
    m_chars = 0;
}

KeyScanAssembler::Step KeyScanAssembler::OnKey(KeyPress key) {
    Step step;
    switch (key.kind) {
        case KeyKind::kText:
            if (Holding() && key.t - m_last > m_timing.max_key_gap) {
                Release(step);  // too slow for a scanner: what was held is typing
            }
            if (!Holding() && !LineEmpty(key.t)) {
                step.handed_on.push_back(std::move(key));  // the rest of a typed line
                return step;
            }
            AppendCapped(m_burst, key.text);
            ++m_chars;
            m_last = key.t;
            m_held.push_back(std::move(key));
            step.hold = true;
            return step;
        case KeyKind::kEnter:
            if (Holding() && m_chars >= m_timing.min_chars && key.t - m_last <= Allowed()) {
                step.scan = std::move(m_burst);
                for (KeyPress& k : m_held) {
                    if (k.kind == KeyKind::kKeyUp) {
                        step.handed_on.push_back(std::move(k));  // nothing may stay "down"
                    }
                }
                m_held.clear();
                m_burst.clear();
                m_chars = 0;
                return step;
            }
            Release(step);
            step.handed_on.push_back(std::move(key));
            return step;
        case KeyKind::kBackspace:
        case KeyKind::kEditing:
            Release(step);  // a person for sure
            step.handed_on.push_back(std::move(key));
            return step;
        case KeyKind::kKeyDown:
        case KeyKind::kKeyUp:
            if (Holding()) {
                m_held.push_back(std::move(key));  // waits with the held text: order is kept
                step.hold = true;
            } else {
                step.handed_on.push_back(std::move(key));
            }
            return step;
    }
    return step;
}

KeyScanAssembler::Step KeyScanAssembler::Poll(KeyMillis now) {
    Step step;
    if (Holding() && now - m_last > Allowed()) {
        Release(step);
    }
    return step;
}

std::optional<KeyMillis> KeyScanAssembler::Deadline() const {
    if (!Holding()) {
        return std::nullopt;
    }
    return m_last + Allowed() + KeyMillis{1};
}

void KeyScanAssembler::ForgetStaleLine(KeyMillis t) {
    if (!m_line.empty() && t - m_line_key > m_timing.forget_line) {
        m_line.clear();
    }
}

void KeyScanAssembler::AddToLine(std::string_view text, KeyMillis t) {
    ForgetStaleLine(t);
    m_line_key = t;
    AppendCapped(m_line, text);
}

std::optional<std::string> KeyScanAssembler::TakeLine(KeyMillis t) {
    ForgetStaleLine(t);
    if (m_line.empty()) {
        return std::nullopt;
    }
    return std::exchange(m_line, {});
}

bool KeyScanAssembler::LineEmpty(KeyMillis t) {
    ForgetStaleLine(t);
    return m_line.empty();
}

void BusyClock::Return(KeyMillis now) {
    if (m_since) {
        m_total += now - *m_since;
        m_since.reset();
    }
}

}  // namespace kiosk::scan
