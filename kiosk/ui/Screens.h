// The screens: each draws one view struct full screen and reports what the person touched.
// Staff pages draw inside the staff frame (DrawStaff); the keyboard is a component of it.
#pragma once

#include <imgui.h>

#include "kiosk/app/Views.h"
#include "kiosk/ui/Theme.h"

namespace kiosk::ui {

/// Pictures the platform uploaded to the GPU for this frame (only kiosk/platform touches GL).
struct Textures {
    ImTextureID referral_page = nullptr;  ///< StaffView.preview.page, null until uploaded
};

void DrawWelcome(const WelcomeView& view, const Theme& theme, UiIntents& intents);
void DrawResult(const ResultView& view, const Theme& theme, UiIntents& intents);

// --- staff screens: the frame (StaffScreen.cpp) and its pages ---------------------------------
void DrawStaff(const StaffView& view, const Theme& theme, const Textures& textures,
               UiIntents& intents);
void DrawBadgePage(const BadgePageView& view, const Theme& theme);
void DrawPinPage(const PinPadView& view, const Theme& theme, UiIntents& intents);
void DrawStaffHome(const HomeView& view, const Theme& theme, UiIntents& intents);
/// `visit` is StaffView::list_visit: when it changes, a paged list goes back to its start row.
void DrawKioskStatus(const StatusView& view, const Theme& theme, unsigned visit);
void DrawSessions(const SessionsView& view, const Theme& theme, UiIntents& intents, unsigned visit);
/// `compact`: the on-screen keyboard is up; only the list shows.
void DrawRoster(const RosterView& view, const Theme& theme, UiIntents& intents, bool compact,
                unsigned visit);
void DrawCorrection(const CorrectionView& view, const Theme& theme, UiIntents& intents);
/// The dialog's title only, while the keyboard types the "other" reason.
void DrawCorrectionText(const CorrectionView& view, const Theme& theme);
/// Resources & referrals (SCREENS.md 7). `compact`: the keyboard is up (search box or name
/// filter): only the list being filtered shows.
void DrawResources(const ResourcesView& view, const Theme& theme, UiIntents& intents, bool compact);
void DrawReferral(const ReferralView& view, const Theme& theme, UiIntents& intents, bool compact);
/// `page`: the texture of view.page (null: a blank page is drawn).
void DrawPreview(const PreviewView& view, const Theme& theme, ImTextureID page, UiIntents& intents);
/// The Cards page (SCREENS.md 9). `compact`: the keyboard is up on the name filter.
void DrawCards(const CardsView& view, const Theme& theme, UiIntents& intents, bool compact,
               unsigned visit);
/// Two columns side by side (results and detail, items and participant) when this wide.
bool WideLayout(const Theme& theme, float width);
float KeyboardHeight(const Theme& theme);
void DrawKeyboard(const KeyboardView& view, const Theme& theme, float width, UiIntents& intents);

/// One frame: a full-screen window with the current screen. Call between NewFrame and Render.
UiIntents DrawFrame(const FrameView& view, const Theme& theme, const Textures& textures = {});

}  // namespace kiosk::ui
