// The US layout table, by Linux key code (linux/input-event-codes.h).
#include "kiosk/scan/EvdevKeys.h"

#include <linux/input-event-codes.h>

#include "kiosk/scan/ScanEvent.h"

namespace kiosk::scan {
namespace {

struct KeyChars {
    std::uint16_t code;
    char plain;
    char shifted;
};

constexpr KeyChars kUsLayout[] = {
    {KEY_1, '1', '!'},          {KEY_2, '2', '@'},           {KEY_3, '3', '#'},
    {KEY_4, '4', '$'},          {KEY_5, '5', '%'},           {KEY_6, '6', '^'},
    {KEY_7, '7', '&'},          {KEY_8, '8', '*'},           {KEY_9, '9', '('},
    {KEY_0, '0', ')'},          {KEY_MINUS, '-', '_'},       {KEY_EQUAL, '=', '+'},
    {KEY_Q, 'q', 'Q'},          {KEY_W, 'w', 'W'},           {KEY_E, 'e', 'E'},
    {KEY_R, 'r', 'R'},          {KEY_T, 't', 'T'},           {KEY_Y, 'y', 'Y'},
    {KEY_U, 'u', 'U'},          {KEY_I, 'i', 'I'},           {KEY_O, 'o', 'O'},
    {KEY_P, 'p', 'P'},          {KEY_LEFTBRACE, '[', '{'},   {KEY_RIGHTBRACE, ']', '}'},
    {KEY_A, 'a', 'A'},          {KEY_S, 's', 'S'},           {KEY_D, 'd', 'D'},
    {KEY_F, 'f', 'F'},          {KEY_G, 'g', 'G'},           {KEY_H, 'h', 'H'},
    {KEY_J, 'j', 'J'},          {KEY_K, 'k', 'K'},           {KEY_L, 'l', 'L'},
    {KEY_SEMICOLON, ';', ':'},  {KEY_APOSTROPHE, '\'', '"'}, {KEY_GRAVE, '`', '~'},
    {KEY_BACKSLASH, '\\', '|'}, {KEY_Z, 'z', 'Z'},           {KEY_X, 'x', 'X'},
    {KEY_C, 'c', 'C'},          {KEY_V, 'v', 'V'},           {KEY_B, 'b', 'B'},
    {KEY_N, 'n', 'N'},          {KEY_M, 'm', 'M'},           {KEY_COMMA, ',', '<'},
    {KEY_DOT, '.', '>'},        {KEY_SLASH, '/', '?'},       {KEY_SPACE, ' ', ' '},
    {KEY_KPASTERISK, '*', '*'}, {KEY_KPMINUS, '-', '-'},     {KEY_KPPLUS, '+', '+'},
    {KEY_KPDOT, '.', '.'},      {KEY_KPSLASH, '/', '/'},     {KEY_KP0, '0', '0'},
    {KEY_KP1, '1', '1'},        {KEY_KP2, '2', '2'},         {KEY_KP3, '3', '3'},
    {KEY_KP4, '4', '4'},        {KEY_KP5, '5', '5'},         {KEY_KP6, '6', '6'},
    {KEY_KP7, '7', '7'},        {KEY_KP8, '8', '8'},         {KEY_KP9, '9', '9'},
};

bool IsLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsModifierOrIgnored(std::uint16_t code) {
    switch (code) {
        case KEY_LEFTCTRL:
        case KEY_RIGHTCTRL:
        case KEY_LEFTALT:
        case KEY_RIGHTALT:
        case KEY_LEFTMETA:
        case KEY_RIGHTMETA:
        case KEY_NUMLOCK:
        case KEY_SCROLLLOCK:
            return true;
        default:
            return false;
    }
}

}  // namespace

std::optional<char> UsKeyChar(std::uint16_t code, bool shift) {
    for (const KeyChars& k : kUsLayout) {
        if (k.code == code) {
            return shift ? k.shifted : k.plain;
        }
    }
    return std::nullopt;
}

void EvdevLineAssembler::Reset() {
    m_line.clear();
}

std::optional<std::string> EvdevLineAssembler::OnKey(std::uint16_t code, std::int32_t value,
                                                     std::chrono::milliseconds t) {
    if (code == KEY_LEFTSHIFT || code == KEY_RIGHTSHIFT) {
        (code == KEY_LEFTSHIFT ? m_left_shift : m_right_shift) = value != 0;
        return std::nullopt;
    }
    if (value != 1) {
        return std::nullopt;  // releases, and autorepeat of a stuck key
    }
    if (!m_line.empty() && t - m_last > m_forget_after) {
        m_line.clear();  // a half scan from long ago
    }
    m_last = t;
    if (code == KEY_CAPSLOCK) {
        m_caps = !m_caps;
        return std::nullopt;
    }
    if (code == KEY_ENTER || code == KEY_KPENTER) {
        if (m_line.empty()) {
            return std::nullopt;
        }
        std::string line = std::move(m_line);
        m_line.clear();
        return line;
    }
    if (IsModifierOrIgnored(code)) {
        return std::nullopt;
    }
    const bool shift = m_left_shift || m_right_shift;
    auto c = UsKeyChar(code, shift);
    if (c && m_caps && IsLetter(*c)) {
        c = UsKeyChar(code, !shift);
    }
    if (m_line.size() <= kMaxScanBytes) {
        m_line.push_back(c ? *c : kUnmapped);
    }
    return std::nullopt;
}

}  // namespace kiosk::scan
