// Tells whether a camera frame differs from the last one decoded, from a coarse thumbnail
// (16x16-pixel cells, sampled sparsely so it costs a few microseconds). An idle lobby sends the
// same picture 30 times a second; the camera thread decodes it about once a second instead.
// Pure; standard library only.
#pragma once

#include <cstdint>
#include <vector>

#include "kiosk/scan/GreyImage.h"

namespace kiosk::scan {

class SceneChange {
  public:
    /// `threshold`: mean grey-level change of a cell that counts as movement.
    explicit SceneChange(int threshold = 8) : m_threshold(threshold) {}

    /// True when `frame` differs from the one last passed to Remember() (or none was).
    bool Changed(const GreyView& frame);
    /// The frame just decoded becomes the reference.
    void Remember() { m_reference = m_current; }
    void Forget() { m_reference.clear(); }

  private:
    void Thumbnail(const GreyView& frame);

    int m_threshold;
    int m_cells_x = 0;
    std::vector<std::uint8_t> m_current;
    std::vector<std::uint8_t> m_reference;
};

}  // namespace kiosk::scan
