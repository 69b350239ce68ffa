// Staff home (SCREENS.md 5: the tiles the person's roles open) and kiosk status (SCREENS.md 8:
// label and value lines, a problem shown by colour, icon and words).
#include <imgui.h>

#include "kiosk/ui/Colour.h"
#include "kiosk/ui/Screens.h"
#include "kiosk/ui/StaffWidgets.h"

namespace kiosk::ui {

void DrawStaffHome(const HomeView& v, const Theme& t, UiIntents& intents) {
    const float width = ImGui::GetContentRegionAvail().x;
    const float height = ImGui::GetContentRegionAvail().y;
    ImGui::Dummy(ImVec2(0, t.Px(16)));
    CellText(t.heading, v.greeting, ImGui::GetCursorScreenPos(), width, Vec(kText));
    ImGui::Dummy(ImVec2(width, t.heading->FontSize + t.Px(32)));
    const int n = static_cast<int>(v.tiles.size());
    if (n == 0) {
        return;
    }
    const float gap = t.Px(32);
    // Up to three tiles in a row; four make two rows of two, so no label is cut short.
    const int cols = n <= 3 ? n : (n + 1) / 2;
    const int rows = (n + cols - 1) / cols;
    const float tile_w = std::min(
        t.Px(480), (width - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols));
    const float room = height - ImGui::GetCursorPosY() - t.Px(16);
    const float tile_h = std::max(t.TouchTarget() * 2.0f,
                                  std::min(t.Px(260), (room - gap * static_cast<float>(rows - 1)) /
                                                          static_cast<float>(rows)));
    const ImVec2 top = ImGui::GetCursorScreenPos();
    for (int i = 0; i < n; ++i) {
        const HomeTile& tile = v.tiles[static_cast<std::size_t>(i)];
        const int col = i % cols;
        const int row = i / cols;
        const ImVec2 p(top.x + static_cast<float>(col) * (tile_w + gap),
                       top.y + static_cast<float>(row) * (tile_h + gap));
        ImGui::SetCursorScreenPos(p);
        ImGui::PushID(i);
        ImGui::PushStyleColor(ImGuiCol_Button, tile.enabled ? Vec(kButton) : Vec(kPanel));
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered,
                              tile.enabled ? Vec(kButtonActive) : Vec(kPanel));
        ImGui::PushStyleColor(ImGuiCol_ButtonActive,
                              tile.enabled ? Vec(kButtonActive) : Vec(kPanel));
        if (ImGui::Button("##tile", ImVec2(tile_w, tile_h)) && tile.enabled) {
            intents.staff.push_back(tile.opens);
        }
        ImGui::PopStyleColor(3);
        ImGui::PopID();
        const ImVec4 colour = tile.enabled ? Vec(kText) : Vec(kTextMuted);
        const float text_y =
            p.y + tile_h * 0.5f - t.heading->FontSize * (tile.note.empty() ? 0.5f : 0.9f);
        CellText(t.heading, tile.label, ImVec2(p.x + t.Px(28), text_y), tile_w - t.Px(56), colour);
        if (!tile.note.empty()) {
            CellText(t.small, tile.note,
                     ImVec2(p.x + t.Px(28), text_y + t.heading->FontSize + t.Px(12)),
                     tile_w - t.Px(56), Vec(kTextMuted));
        }
    }
    ImGui::SetCursorScreenPos(ImVec2(top.x, top.y + tile_h));
    ImGui::Dummy(ImVec2(0, 0));
}

void DrawKioskStatus(const StatusView& v, const Theme& t, unsigned visit) {
    const float width = ImGui::GetContentRegionAvail().x;
    const float height = ImGui::GetContentRegionAvail().y;
    const float row_h = t.body->FontSize + t.Px(26);
    const float label_w = width * 0.36f;
    const PageRange range =
        PageRows("status-lines", static_cast<int>(v.lines.size()), row_h, height, t, {visit, 0});
    for (int i = range.first; i < range.first + range.count; ++i) {
        const StatusLine& line = v.lines[static_cast<std::size_t>(i)];
        const ImVec2 p = ImGui::GetCursorScreenPos();
        if (i % 2 == 0) {
            ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + width, p.y + row_h),
                                                      ImGui::GetColorU32(Vec(kPanel)), t.Px(8));
        }
        CellText(t.body, line.label, ImVec2(p.x + t.Px(16), p.y + t.Px(13)), label_w - t.Px(24),
                 Vec(kTextMuted));
        if (line.tone == StatusTone::kNeutral) {
            CellText(t.body, line.value, ImVec2(p.x + label_w, p.y + t.Px(13)),
                     width - label_w - t.Px(16), Vec(kText));
        } else {
            StatusPill(t, line.value, line.tone, ImVec2(p.x + label_w, p.y + t.Px(6)),
                       width - label_w - t.Px(16));
        }
        ImGui::Dummy(ImVec2(width, row_h));
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + row_h));
    }
    Pager("status-lines", range, t);
}

}  // namespace kiosk::ui
