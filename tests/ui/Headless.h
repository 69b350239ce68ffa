// Headless ImGui for the ui tests: a context with the kiosk's fonts and no backend. Draws frames
// and reports what would be visible off screen or need scrolling, and plays touches (press,
// drag, lift) to find where an item is and what a tap on it reports. Test code only.
#pragma once

#include <doctest/doctest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "kiosk/ui/Screens.h"

namespace kiosk::test {

/// Supported displays, smallest last (SCREENS.md: 1280x800 up to 3840x2160, and a 4:3 panel).
inline const std::pair<int, int> kDisplaySizes[] = {
    {1280, 800}, {1920, 1080}, {3840, 2160}, {1024, 768}};

/// Where one item sits in the ID stack: the window's name (the part after the last '/', without
/// ImGui's "_XXXXXXXX" suffix), then every PushID and the item's own label.
struct ItemPath {
    std::string window;
    std::vector<std::variant<std::string, int>> ids;
};

struct Headless {
    Headless(int w, int h) {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
        REQUIRE(
            ui::BuildTheme(theme, ui::ScaleFor(w, h), std::string(KIOSK_TEST_ASSETS) + "/fonts"));
        unsigned char* pixels = nullptr;
        int tw = 0, th = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    }
    ~Headless() { ImGui::DestroyContext(); }
    Headless(const Headless&) = delete;
    Headless& operator=(const Headless&) = delete;

    /// Draws one frame and returns the bounding box of everything that would show: every vertex
    /// of a fixed window; in a scrolling panel only what its clip rectangle lets through.
    ImVec4 Draw(const FrameView& view, const ui::Textures& textures = {}) {
        ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
        ImGui::NewFrame();
        intents = ui::DrawFrame(view, theme, textures);
        ImGui::Render();
        ImVec4 box(1e9f, 1e9f, -1e9f, -1e9f);
        auto grow = [&](ImVec4 r) {
            box.x = std::min(box.x, r.x);
            box.y = std::min(box.y, r.y);
            box.z = std::max(box.z, r.z);
            box.w = std::max(box.w, r.w);
        };
        const ImDrawData* dd = ImGui::GetDrawData();
        for (int i = 0; i < dd->CmdListsCount; ++i) {
            const ImDrawList* dl = dd->CmdLists[i];
            const bool scrolls = std::string(dl->_OwnerName).find("scroll") != std::string::npos;
            for (const ImDrawCmd& cmd : dl->CmdBuffer) {
                ImVec4 r(1e9f, 1e9f, -1e9f, -1e9f);
                for (unsigned k = 0; k < cmd.ElemCount; ++k) {
                    const ImDrawVert& v = dl->VtxBuffer[static_cast<int>(
                        cmd.VtxOffset + dl->IdxBuffer[static_cast<int>(cmd.IdxOffset + k)])];
                    r = ImVec4(std::min(r.x, v.pos.x), std::min(r.y, v.pos.y),
                               std::max(r.z, v.pos.x), std::max(r.w, v.pos.y));
                }
                if (cmd.ElemCount == 0) {
                    continue;
                }
                if (scrolls) {
                    r = ImVec4(std::max(r.x, cmd.ClipRect.x), std::max(r.y, cmd.ClipRect.y),
                               std::min(r.z, cmd.ClipRect.z), std::min(r.w, cmd.ClipRect.w));
                    if (r.x > r.z || r.y > r.w) {
                        continue;  // wholly scrolled out of sight
                    }
                }
                grow(r);
            }
        }
        return box;
    }

    /// Draws three frames (the last has settled layout) and checks nothing shows off screen and
    /// no window needs scrolling except the touch-scrolled panels (vertically only).
    void CheckFits(const FrameView& view, const ui::Textures& textures = {}) {
        Draw(view, textures);  // a panel's scrollbar shows from the second frame on
        Draw(view, textures);
        const ImVec4 box = Draw(view, textures);
        const ImVec2 display = ImGui::GetIO().DisplaySize;
        CHECK(box.x >= 0.0f);
        CHECK(box.y >= 0.0f);
        CHECK(box.z <= display.x + 0.5f);
        CHECK(box.w <= display.y + 0.5f);
        std::string overflowing;
        for (const auto& name : Overflowing()) {
            overflowing += name + " ";
        }
        CHECK_MESSAGE(overflowing.empty(), "needs scrolling: " << overflowing);
    }

    /// Windows whose laid-out content is larger than the room they have: what ImGui would have
    /// to scroll to show. Panels named "...scroll..." may be taller than they show, never wider.
    std::vector<std::string> Overflowing() const {
        std::vector<std::string> out;
        for (ImGuiWindow* win : ImGui::GetCurrentContext()->Windows) {
            if (!win->WasActive || win->Hidden) {
                continue;
            }
            const bool scrolls = std::string(win->Name).find("scroll") != std::string::npos;
            const ImVec2 room(win->Size.x - 2 * win->WindowPadding.x - win->ScrollbarSizes.x,
                              win->Size.y - 2 * win->WindowPadding.y - win->ScrollbarSizes.y);
            if (win->ContentSize.x > room.x + 1 || (!scrolls && win->ContentSize.y > room.y + 1)) {
                out.push_back(win->Name);
            }
        }
        return out;
    }

    /// The window whose name ends in `name` (ImGui names a child "parent/name_XXXXXXXX").
    static ImGuiWindow* FindWindow(const std::string& name) {
        for (ImGuiWindow* win : ImGui::GetCurrentContext()->Windows) {
            const std::string n = win->Name;
            const std::size_t slash = n.rfind('/');
            std::string last = slash == std::string::npos ? n : n.substr(slash + 1);
            if (slash != std::string::npos && last.size() > 9 && last[last.size() - 9] == '_') {
                last.resize(last.size() - 9);
            }
            if (last == name && (win->Active || win->WasActive)) {
                return win;
            }
        }
        return nullptr;
    }

    static ImGuiID ItemId(ImGuiWindow* win, const ItemPath& path) {
        ImGuiID id = win->ID;
        for (const auto& part : path.ids) {
            if (const auto* s = std::get_if<std::string>(&part)) {
                id = ImHashStr(s->c_str(), 0, id);
            } else {
                const int n = std::get<int>(part);
                id = ImHashData(&n, sizeof n, id);
            }
        }
        return id;
    }

    /// Where the item is on screen, found by moving the pointer over its window in steps
    /// smaller than any touch target, scrolling a panel down as a person would to reach it;
    /// (-1, -1) when it is not there or cannot be touched.
    ImVec2 Find(const FrameView& view, const ItemPath& path, const ui::Textures& textures = {}) {
        Draw(view, textures);
        Draw(view, textures);
        ImGuiWindow* win = FindWindow(path.window);
        if (win == nullptr) {
            return ImVec2(-1, -1);
        }
        const ImGuiID id = ItemId(win, path);
        const float step = theme.TouchTarget() * 0.9f;  // below every item's height and width
        ImGuiIO& io = ImGui::GetIO();
        ImVec2 found(-1, -1);
        const float page = std::max(step, win->InnerClipRect.GetHeight() * 0.5f);
        for (float scroll = 0.0f; found.x < 0; scroll += page) {
            ImGui::SetScrollY(win, std::min(scroll, win->ScrollMax.y));
            io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
            Draw(view, textures);
            const ImRect area = win->InnerClipRect;
            for (float y = area.Min.y + step * 0.5f; y < area.Max.y && found.x < 0; y += step) {
                for (float x = area.Min.x + step * 0.5f; x < area.Max.x; x += step) {
                    io.MousePos = ImVec2(x, y);
                    Draw(view, textures);
                    if (ImGui::GetCurrentContext()->HoveredId == id) {
                        found = io.MousePos;
                        break;
                    }
                }
            }
            if (scroll >= win->ScrollMax.y) {
                break;
            }
        }
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        Draw(view, textures);
        return found;
    }

    /// A finger down at `at`, moved by `move` over a few frames, then lifted: what it reported.
    std::vector<StaffIntent> Touch(const FrameView& view, ImVec2 at, ImVec2 move = ImVec2(0, 0),
                                   const ui::Textures& textures = {}) {
        ImGuiIO& io = ImGui::GetIO();
        std::vector<StaffIntent> got;
        auto frame = [&](ImVec2 pos, bool down) {
            io.MousePos = pos;
            io.MouseDown[0] = down;
            Draw(view, textures);
            got.insert(got.end(), intents.staff.begin(), intents.staff.end());
        };
        frame(at, false);
        frame(at, true);
        constexpr int kSteps = 6;
        for (int i = 1; i <= kSteps; ++i) {
            const float f = static_cast<float>(i) / kSteps;
            frame(ImVec2(at.x + move.x * f, at.y + move.y * f), true);
        }
        frame(ImVec2(at.x + move.x, at.y + move.y), false);
        frame(ImVec2(-FLT_MAX, -FLT_MAX), false);
        return got;
    }

    /// Finds the item and taps it; empty when it was not found.
    std::vector<StaffIntent> Tap(const FrameView& view, const ItemPath& path,
                                 const ui::Textures& textures = {}) {
        const ImVec2 at = Find(view, path, textures);
        if (at.x < 0) {
            return {};
        }
        return Touch(view, at, ImVec2(0, 0), textures);
    }

    ui::Theme theme;
    UiIntents intents;  ///< of the last frame drawn
};

}  // namespace kiosk::test
