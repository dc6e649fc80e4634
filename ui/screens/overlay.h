// A centred panel over the current screen (confirmation, help, the idle countdown).
#pragma once
#include "common.h"

namespace lapor::ui::screens {

struct Panel {
    ImVec2 pos, size;
    float pad;
};
// Begins a full-screen overlay window named `name` and draws the panel; the caller draws inside
// it and ends with end_overlay(). `tapped_outside` (optional) reports a tap beside the panel.
Panel begin_overlay(Painter& p, const View& v, const char* name, float height,
                    bool* tapped_outside = nullptr);
void end_overlay(Painter& p);

}  // namespace lapor::ui::screens
