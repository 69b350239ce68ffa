// Scans into the main loop: wakes SDL_WaitEventTimeout from the scan threads (a registered user
// event), drains the ScanQueue into AppModel::OnScan, and hands keyboard events to
// AppModel::OnKey (where the one keyboard-to-scan assembler decides), holding an event back from
// ImGui while the model holds its key. Only SDL plumbing here; the rules are doctest-driven.
#pragma once

#include <SDL.h>

#include <functional>
#include <map>

#include "kiosk/app/AppModel.h"
#include "kiosk/scan/KeyScanAssembler.h"
#include "kiosk/scan/ScanQueue.h"

namespace kiosk::platform {

struct ScanOptions {
    scan::ScanQueue* queue = nullptr;  ///< camera and wedge-device scans; may be null
};

class ScanInput {
  public:
    using Deliver = std::function<void(SDL_Event&)>;

    /// Call after SDL_Init; the destructor unhooks the scan threads before SDL goes away.
    ScanInput(const ScanOptions& options, AppModel& model, Deliver deliver);
    ~ScanInput();
    ScanInput(const ScanInput&) = delete;
    ScanInput& operator=(const ScanInput&) = delete;

    /// One SDL event: a key goes to the model first; the event is then held back, dropped (it
    /// was part of a scan) or passed to `deliver` (ImGui and the window).
    void Route(SDL_Event& e);
    /// After a batch of events: releases typing that can no longer be a scan and hands queued
    /// scans to the model. True when a scan was handled.
    bool AfterEvents();
    /// The event wait, shortened to the keys' next deadline. Call right before waiting.
    int LimitTimeout(int timeout_ms);

  private:
    /// Delivers the events of the keys a step handed on (held ones, or `current`), and forgets
    /// the held events a scan used up.
    void Follow(const scan::KeyScanAssembler::Step& step, SDL_Event* current,
                std::uint64_t current_id);

    ScanOptions m_options;
    AppModel& m_model;
    Deliver m_deliver;
    Uint32 m_wake_event = 0;
    scan::BusyClock m_busy;
    std::uint64_t m_next_id = 1;
    std::map<std::uint64_t, SDL_Event> m_held;
};

}  // namespace kiosk::platform
