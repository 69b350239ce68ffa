#include "kiosk/ui/Draw.h"

#include <vector>

namespace kiosk::ui {

void CenteredWrapped(const std::string& text, ImFont* font, float x0, float width, ImVec4 colour) {
    ImGui::PushFont(font);
    std::vector<std::string> lines;
    std::string line;
    std::size_t i = 0;
    while (i <= text.size()) {
        const std::size_t space = std::min(text.find(' ', i), text.size());
        const std::string word = text.substr(i, space - i);
        const std::string candidate = line.empty() ? word : line + " " + word;
        if (!line.empty() && ImGui::CalcTextSize(candidate.c_str()).x > width) {
            lines.push_back(line);
            line = word;
        } else {
            line = candidate;
        }
        i = space + 1;
    }
    lines.push_back(line);
    for (const auto& l : lines) {
        const float w = ImGui::CalcTextSize(l.c_str()).x;
        ImGui::SetCursorPosX(x0 + std::max(0.0f, (width - w) * 0.5f));
        ImGui::TextColored(colour, "%s", l.c_str());
    }
    ImGui::PopFont();
}

void DrawResultIcon(ImDrawList* dl, ResultTone tone, ImVec2 c, float r) {
    const ImU32 white = IM_COL32(255, 255, 255, 255);
    const float w = r * 0.14f;
    dl->AddCircle(c, r, white, 64, w);
    switch (tone) {
        case ResultTone::kCheckedIn: {
            const ImVec2 pts[] = {{c.x - r * 0.45f, c.y + r * 0.02f},
                                  {c.x - r * 0.12f, c.y + r * 0.35f},
                                  {c.x + r * 0.5f, c.y - r * 0.35f}};
            dl->AddPolyline(pts, 3, white, 0, w);
            break;
        }
        case ResultTone::kCheckedOut: {
            dl->AddLine({c.x - r * 0.5f, c.y}, {c.x + r * 0.45f, c.y}, white, w);
            const ImVec2 head[] = {{c.x + r * 0.1f, c.y - r * 0.35f},
                                   {c.x + r * 0.47f, c.y},
                                   {c.x + r * 0.1f, c.y + r * 0.35f}};
            dl->AddPolyline(head, 3, white, 0, w);
            break;
        }
        case ResultTone::kAlreadyIn:
            dl->AddLine(c, {c.x, c.y - r * 0.55f}, white, w);
            dl->AddLine(c, {c.x + r * 0.4f, c.y + r * 0.15f}, white, w);
            break;
        case ResultTone::kSeeFrontDesk:
            dl->AddLine({c.x, c.y - r * 0.55f}, {c.x, c.y + r * 0.15f}, white, w * 1.2f);
            dl->AddCircleFilled({c.x, c.y + r * 0.45f}, w * 0.8f, white, 24);
            break;
    }
}

void DrawScanPicture(ImDrawList* dl, ImVec2 p, float h) {
    const ImU32 white = IM_COL32(255, 255, 255, 255);
    const ImU32 ink = IM_COL32(16, 34, 58, 255);
    const ImU32 muted = IM_COL32(143, 211, 255, 255);
    // The card, tilted toward the reader like a hand would hold it.
    const float cw = h * 0.62f, ch = h * 0.9f;
    const ImVec2 card0{p.x, p.y + h * 0.05f};
    dl->AddRectFilled(card0, {card0.x + cw, card0.y + ch}, white, h * 0.05f);
    // A stylised QR code: three finder squares and a few modules.
    const float q = cw * 0.7f, m = q / 7.0f;
    const ImVec2 q0{card0.x + (cw - q) * 0.5f, card0.y + ch * 0.12f};
    auto finder = [&](float x, float y) {
        dl->AddRectFilled({x, y}, {x + 2.6f * m, y + 2.6f * m}, ink);
        dl->AddRectFilled({x + 0.5f * m, y + 0.5f * m}, {x + 2.1f * m, y + 2.1f * m}, white);
        dl->AddRectFilled({x + 0.9f * m, y + 0.9f * m}, {x + 1.7f * m, y + 1.7f * m}, ink);
    };
    finder(q0.x, q0.y);
    finder(q0.x + q - 2.6f * m, q0.y);
    finder(q0.x, q0.y + q - 2.6f * m);
    static const int kModules[][2] = {{3, 3}, {4, 4}, {5, 3}, {3, 5}, {4, 6},
                                      {6, 5}, {5, 6}, {6, 6}, {3, 0}, {0, 3}};
    for (const auto& mod : kModules) {
        const float x = q0.x + static_cast<float>(mod[0]) * m,
                    y = q0.y + static_cast<float>(mod[1]) * m;
        dl->AddRectFilled({x, y}, {x + m * 0.9f, y + m * 0.9f}, ink);
    }
    dl->AddRectFilled({card0.x + cw * 0.2f, card0.y + ch * 0.8f},
                      {card0.x + cw * 0.8f, card0.y + ch * 0.84f}, muted);
    // The arrow toward the scanner.
    const float ax = card0.x + cw + h * 0.12f, ay = card0.y + ch * 0.45f, len = h * 0.35f;
    dl->AddLine({ax, ay}, {ax + len, ay}, muted, h * 0.03f);
    const ImVec2 head[] = {{ax + len - h * 0.09f, ay - h * 0.09f},
                           {ax + len, ay},
                           {ax + len - h * 0.09f, ay + h * 0.09f}};
    dl->AddPolyline(head, 3, muted, 0, h * 0.03f);
}

}  // namespace kiosk::ui
