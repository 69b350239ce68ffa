// The screens: each draws one view struct full screen and reports what the person touched.
// Staff pages draw inside the staff frame (DrawStaff); the keyboard is a component of it.
#pragma once

#include "kiosk/app/Views.h"
#include "kiosk/ui/Theme.h"

namespace kiosk::ui {

void DrawWelcome(const WelcomeView& view, const Theme& theme, UiIntents& intents);
void DrawResult(const ResultView& view, const Theme& theme, UiIntents& intents);

// --- staff screens: the frame (StaffScreen.cpp) and its pages ---------------------------------
void DrawStaff(const StaffView& view, const Theme& theme, UiIntents& intents);
void DrawBadgePage(const BadgePageView& view, const Theme& theme, UiIntents& intents);
void DrawPinPage(const PinPadView& view, const Theme& theme, UiIntents& intents);
void DrawStaffHome(const HomeView& view, const Theme& theme, UiIntents& intents);
void DrawKioskStatus(const StatusView& view, const Theme& theme);
void DrawSessions(const SessionsView& view, const Theme& theme, UiIntents& intents);
/// `compact`: the on-screen keyboard is up; only the list shows.
void DrawRoster(const RosterView& view, const Theme& theme, UiIntents& intents, bool compact);
void DrawCorrection(const CorrectionView& view, const Theme& theme, UiIntents& intents);
/// The dialog's title only, while the keyboard types the "other" reason.
void DrawCorrectionText(const CorrectionView& view, const Theme& theme, UiIntents& intents);
float KeyboardHeight(const Theme& theme);
void DrawKeyboard(const KeyboardView& view, const Theme& theme, float width, UiIntents& intents);

/// One frame: a full-screen window with the current screen. Call between NewFrame and Render.
UiIntents DrawFrame(const FrameView& view, const Theme& theme);

}  // namespace kiosk::ui
