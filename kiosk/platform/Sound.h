// The two sounds of SCREENS.md: a rising chime for success and a low double tone for "see the
// front desk", synthesised at start (no sound files). With no audio device it stays silent.
#pragma once

#include <cstdint>
#include <vector>

#include "kiosk/app/Views.h"

namespace kiosk::platform {

class Sound {
public:
    Sound();  ///< opens the default audio device if there is one
    ~Sound();
    Sound(const Sound&) = delete;
    Sound& operator=(const Sound&) = delete;
    void Play(Cue cue);
    bool Available() const { return m_device != 0; }

private:
    uint32_t m_device = 0;
    std::vector<float> m_success;
    std::vector<float> m_attention;
};

}  // namespace kiosk::platform
