// A cell's mean is taken from 16 of its 256 pixels (every 4th row and column): sensor noise of
// sigma 5 moves it by about 1.3 grey levels, while a hand or a card entering the cell moves it by
// tens of levels.
#include "kiosk/scan/SceneChange.h"

#include <algorithm>
#include <cstdlib>

namespace kiosk::scan {
namespace {

constexpr int kCell = 16;

}  // namespace

void SceneChange::Thumbnail(const GreyView& frame) {
    m_cells_x = frame.width / kCell;
    const int cells_y = frame.height / kCell;
    m_current.assign(static_cast<std::size_t>(m_cells_x) * static_cast<std::size_t>(cells_y), 0);
    for (int cy = 0; cy < cells_y; ++cy) {
        for (int cx = 0; cx < m_cells_x; ++cx) {
            unsigned sum = 0;
            for (int y = 2; y < kCell; y += 4) {
                const std::uint8_t* row = frame.Row(cy * kCell + y) + cx * kCell;
                sum += row[2] + row[6] + row[10] + row[14];
            }
            m_current[static_cast<std::size_t>(cy) * m_cells_x + cx] =
                static_cast<std::uint8_t>(sum / 16);
        }
    }
}

bool SceneChange::Changed(const GreyView& frame) {
    Thumbnail(frame);
    if (m_reference.size() != m_current.size() || m_current.empty()) {
        return true;
    }
    // A few cells over the threshold can be noise in a dark, grainy picture; a hand or a card
    // moves dozens (even a small code covers 40 cells).
    const std::size_t enough = std::max<std::size_t>(3, m_current.size() / 1000);
    std::size_t moved = 0;
    for (std::size_t i = 0; i < m_current.size(); ++i) {
        const int delta =
            std::abs(static_cast<int>(m_current[i]) - static_cast<int>(m_reference[i]));
        if (delta > m_threshold && ++moved >= enough) {
            return true;
        }
    }
    return false;
}

}  // namespace kiosk::scan
