#include "kiosk/app/KeyLineBuffer.h"

namespace kiosk {

void KeyLineBuffer::ForgetIfStale(Instant now) {
    if (!m_line.empty() && now - m_last_key > m_forget_after) {
        m_line.clear();
    }
}

void KeyLineBuffer::OnText(std::string_view text, Instant now) {
    ForgetIfStale(now);
    m_last_key = now;
    const std::size_t room = kMaxBytes + 1 - std::min(m_line.size(), kMaxBytes + 1);
    m_line.append(text.substr(0, room));
}

std::optional<std::string> KeyLineBuffer::OnEnter(Instant now) {
    ForgetIfStale(now);
    if (m_line.empty()) {
        return std::nullopt;
    }
    std::string line = std::move(m_line);
    m_line.clear();
    return line;
}

}  // namespace kiosk
