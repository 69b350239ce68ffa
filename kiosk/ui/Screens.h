// The screens: each draws one view struct full screen and reports what the person touched.
#pragma once

#include "kiosk/app/Views.h"
#include "kiosk/ui/Theme.h"

namespace kiosk::ui {

void DrawWelcome(const WelcomeView& view, const Theme& theme, UiIntents& intents);
void DrawResult(const ResultView& view, const Theme& theme, UiIntents& intents);

/// One frame: a full-screen window with the current screen. Call between NewFrame and Render.
UiIntents DrawFrame(const FrameView& view, const Theme& theme);

}  // namespace kiosk::ui
