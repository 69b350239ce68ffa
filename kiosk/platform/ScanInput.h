// Scans into the main loop: wakes SDL_WaitEventTimeout from the scan threads (a registered user
// event), drains the ScanQueue into AppModel::OnScan, and routes keyboard events through the
// WedgeClassifier so a scanner typing into the window is a scan, not text in a field.
#pragma once

#include <SDL.h>

#include <functional>
#include <optional>
#include <vector>

#include "kiosk/app/AppModel.h"
#include "kiosk/scan/ScanQueue.h"
#include "kiosk/scan/WedgeClassifier.h"

namespace kiosk::platform {

struct ScanOptions {
    scan::ScanQueue* queue = nullptr;  ///< camera and wedge-device scans; may be null
    scan::WedgeTiming keyboard;        ///< scanner bursts typed into the window
};

class ScanInput {
  public:
    using Deliver = std::function<void(SDL_Event&)>;

    /// Call after SDL_Init; the destructor unhooks the scan threads before SDL goes away.
    ScanInput(const ScanOptions& options, AppModel& model, Deliver deliver);
    ~ScanInput();
    ScanInput(const ScanInput&) = delete;
    ScanInput& operator=(const ScanInput&) = delete;

    /// One SDL event: held back, turned into a scan, or passed to `deliver` (ImGui + the app).
    void Route(SDL_Event& e);
    /// After a batch of events: releases typing that can no longer be a scan and hands queued
    /// scans to the model. True when a scan was handled.
    bool AfterEvents();
    /// The event wait, shortened to the classifier's next deadline. Call right before waiting.
    int LimitTimeout(int timeout_ms);

  private:
    /// Key times with the loop's busy spells (drawing, a database commit) taken out: SDL stamps
    /// an event when it fetches it, so keys typed during a busy spell arrive stamped late, which
    /// would look like a pause in the middle of a scanner's burst.
    scan::WedgeClassifier::Millis KeyTime(Uint32 sdl_ticks) const;
    void Apply(const scan::WedgeClassifier::Decision& d);
    void Scan(std::string payload, scan::ScanSource source);

    ScanOptions m_options;
    AppModel& m_model;
    Deliver m_deliver;
    Uint32 m_wake_event = 0;
    scan::WedgeClassifier m_keys;
    std::vector<SDL_Event> m_held;
    long long m_busy_total = 0;  ///< ms the loop spent away from SDL's event queue
    std::optional<Uint32> m_busy_since;
};

}  // namespace kiosk::platform
