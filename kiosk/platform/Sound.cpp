#include "kiosk/platform/Sound.h"

#include <SDL.h>

#include <cmath>

#include "kiosk/core/Log.h"

namespace kiosk::platform {
namespace {

constexpr int kRate = 48000;

/// A sine tone with short fades so it does not click.
void AppendTone(std::vector<float>& out, float hz, float seconds, float gain) {
    const int n = static_cast<int>(seconds * kRate);
    const int fade = kRate / 100;
    for (int i = 0; i < n; ++i) {
        float env = 1.0f;
        if (i < fade) {
            env = static_cast<float>(i) / fade;
        } else if (i > n - fade) {
            env = static_cast<float>(n - i) / fade;
        }
        out.push_back(
            gain * env *
            std::sin(2.0f * static_cast<float>(M_PI) * hz * static_cast<float>(i) / kRate));
    }
}

void AppendSilence(std::vector<float>& out, float seconds) {
    out.insert(out.end(), static_cast<std::size_t>(seconds * kRate), 0.0f);
}

}  // namespace

Sound::Sound() {
    AppendTone(m_success, 659.3f, 0.12f, 0.35f);    // E5
    AppendTone(m_success, 987.8f, 0.20f, 0.35f);    // B5: rising, "done"
    AppendTone(m_attention, 329.6f, 0.22f, 0.45f);  // E4
    AppendSilence(m_attention, 0.08f);
    AppendTone(m_attention, 329.6f, 0.22f, 0.45f);  // twice, low: "please look"
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        LogInfo("sound", std::string("no audio (") + SDL_GetError() + "): the kiosk stays silent");
        return;
    }
    m_available = Open();
    if (!m_available) {
        LogInfo("sound",
                std::string("no audio device (") + SDL_GetError() + "): the kiosk stays silent");
        return;
    }
    Close();  // opened only while a sound plays: SDL's audio thread runs even when paused
}

bool Sound::Open() {
    SDL_AudioSpec want{};
    want.freq = kRate;
    want.format = AUDIO_F32SYS;
    want.channels = 1;
    want.samples = 1024;
    m_device = SDL_OpenAudioDevice(nullptr, 0, &want, nullptr, 0);
    return m_device != 0;
}

void Sound::Close() {
    if (m_device != 0) {
        SDL_CloseAudioDevice(m_device);
        m_device = 0;
    }
}

Sound::~Sound() {
    Close();
}

void Sound::Play(Cue cue) {
    if (!m_available || cue == Cue::kNone) {
        return;
    }
    if (m_device == 0 && !Open()) {
        LogWarn("sound", std::string("audio device went away: ") + SDL_GetError());
        return;
    }
    const auto& samples = cue == Cue::kSuccess ? m_success : m_attention;
    SDL_ClearQueuedAudio(m_device);  // the newest scan's sound wins, like its screen
    SDL_QueueAudio(m_device, samples.data(), static_cast<Uint32>(samples.size() * sizeof(float)));
    SDL_PauseAudioDevice(m_device, 0);
    m_playing = true;
    // The device plays ahead of the queue by one buffer; allow for it before pausing.
    m_done_at_ms = SDL_GetTicks64() + samples.size() * 1000 / kRate + 100;
}

void Sound::Update() {
    if (m_playing && SDL_GetTicks64() >= m_done_at_ms && SDL_GetQueuedAudioSize(m_device) == 0) {
        Close();
        m_playing = false;
    }
}

int Sound::MillisecondsUntilIdle() const {
    if (!m_playing) {
        return -1;
    }
    const uint64_t now = SDL_GetTicks64();
    return now >= m_done_at_ms ? 0 : static_cast<int>(m_done_at_ms - now);
}

}  // namespace kiosk::platform
