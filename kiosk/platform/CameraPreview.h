// The optional small camera picture on the welcome screen ([scanner] camera_preview, off by
// default for privacy): the camera thread's preview copied into a GL texture and drawn where the
// welcome screen's arrow points. Only when a clinic turns it on; nothing of it is kept or logged.
#pragma once

#include <cstdint>

#include "kiosk/scan/CameraScanner.h"

namespace kiosk::platform {

class CameraPreview {
  public:
    explicit CameraPreview(const scan::CameraScanner* camera) : m_camera(camera) {}
    ~CameraPreview();
    CameraPreview(const CameraPreview&) = delete;
    CameraPreview& operator=(const CameraPreview&) = delete;

    bool Enabled() const { return m_camera != nullptr; }
    /// Uploads a newer picture if there is one; true when it changed.
    bool Update();
    /// Draws it (between ImGui::NewFrame and Render) over the welcome screen.
    void Draw(float display_w, float display_h) const;

  private:
    const scan::CameraScanner* m_camera;
    std::uint64_t m_generation = 0;
    unsigned m_texture = 0;
    int m_width = 0;
    int m_height = 0;
};

}  // namespace kiosk::platform
