// Grey to RGBA on the CPU (a few hundred KB at 10 fps), GL 1.1 texture calls only.
#include "kiosk/platform/CameraPreview.h"

#include <SDL_opengl.h>
#include <imgui.h>

#include <cstdint>
#include <vector>

namespace kiosk::platform {

CameraPreview::~CameraPreview() {
    if (m_texture != 0) {
        GLuint t = m_texture;
        glDeleteTextures(1, &t);
    }
}

bool CameraPreview::Update() {
    if (m_camera == nullptr) {
        return false;
    }
    scan::GreyImage picture;
    if (!m_camera->CopyPreview(picture, m_generation)) {
        return false;
    }
    std::vector<std::uint8_t> rgba(picture.pixels.size() * 4);
    for (std::size_t i = 0; i < picture.pixels.size(); ++i) {
        const std::uint8_t g = picture.pixels[i];
        rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = g;
        rgba[4 * i + 3] = 255;
    }
    if (m_texture == 0) {
        GLuint t = 0;
        glGenTextures(1, &t);
        m_texture = t;
    }
    glBindTexture(GL_TEXTURE_2D, m_texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, picture.width, picture.height, 0, GL_RGBA,
                 GL_UNSIGNED_BYTE, rgba.data());
    m_width = picture.width;
    m_height = picture.height;
    return true;
}

void CameraPreview::Draw(float display_w, float display_h) const {
    if (m_texture == 0 || m_width <= 0 || m_height <= 0) {
        return;
    }
    // Where the welcome screen's "hold it up" arrow points (kiosk/ui WelcomeScreen lays the
    // left column out in fractions of the display); a slot in WelcomeView would be better.
    const float w = display_w * 0.2f;
    const float h = w * static_cast<float>(m_height) / static_cast<float>(m_width);
    const ImVec2 p0(display_w * 0.285f, display_h * 0.36f);
    const ImVec2 p1(p0.x + w, p0.y + h);
    ImDrawList* dl = ImGui::GetForegroundDrawList();
    // Mirrored, like a mirror: moving the card right moves it right in the picture.
    dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(m_texture)), p0, p1,
                 ImVec2(1, 0), ImVec2(0, 1));
    dl->AddRect(ImVec2(p0.x - 2, p0.y - 2), ImVec2(p1.x + 2, p1.y + 2),
                IM_COL32(255, 255, 255, 200), 4.0f, 0, 2.0f);
}

}  // namespace kiosk::platform
