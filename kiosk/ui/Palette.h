// The kiosk's colours as plain RGB (no ImGui here, so tests can check them). Every text and
// background pair used has a contrast ratio of at least 4.5:1 (tests/ui/PaletteTest.cpp); a
// result's meaning is also carried by its icon and its words.
#pragma once

namespace kiosk::ui {

struct Rgb {
    int r, g, b;
};

inline constexpr Rgb kBackground{0x10, 0x22, 0x3a};  // deep navy
inline constexpr Rgb kPanel{0x1a, 0x30, 0x4e};
inline constexpr Rgb kText{0xff, 0xff, 0xff};
inline constexpr Rgb kTextMuted{0xc9, 0xd6, 0xe6};
inline constexpr Rgb kAccent{0x8f, 0xd3, 0xff};  // the "now" tag
inline constexpr Rgb kButton{0x2b, 0x4a, 0x72};
inline constexpr Rgb kButtonActive{0x3d, 0x66, 0x9a};

// Result panels, with white text on each.
inline constexpr Rgb kCheckedIn{0x1b, 0x5e, 0x20};     // green
inline constexpr Rgb kCheckedOut{0x0d, 0x47, 0xa1};    // blue
inline constexpr Rgb kAlreadyIn{0x7a, 0x4a, 0x00};     // dark amber
inline constexpr Rgb kSeeFrontDesk{0xb7, 0x1c, 0x1c};  // red

/// WCAG 2 contrast ratio between two colours (1 to 21).
double ContrastRatio(Rgb a, Rgb b);

}  // namespace kiosk::ui
