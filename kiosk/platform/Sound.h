// The two sounds of SCREENS.md: a rising chime for success and a low double tone for "see the
// front desk", synthesised at start (no sound files). With no audio device it stays silent.
// The device is open only while a sound plays, so an idle kiosk runs no audio thread at all.
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
    /// Closes the device once the last sound has played. Call from the loop.
    void Update();
    /// Milliseconds until Update() has something to do, or -1 when nothing is playing.
    int MillisecondsUntilIdle() const;
    bool Available() const { return m_available; }

  private:
    bool Open();
    void Close();
    bool m_available = false;
    uint32_t m_device = 0;
    bool m_playing = false;
    uint64_t m_done_at_ms = 0;  ///< SDL_GetTicks64() when the queued sound has played
    std::vector<float> m_success;
    std::vector<float> m_attention;
};

}  // namespace kiosk::platform
