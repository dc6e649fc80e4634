#include "overlay.h"

#include <algorithm>

namespace lapor::ui::screens {

Panel begin_overlay(Painter& p, const View& v, const char* name, float height,
                    bool* tapped_outside) {
    const ImVec2 d = v.display;
    const float s = p.s;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(d);
    ImGui::SetNextWindowFocus();
    ImGui::PushStyleColor(ImGuiCol_WindowBg, p.pal.overlay);
    ImGui::Begin(name, nullptr, fixed_window);
    ImGui::PopStyleColor();
    p.cover();
    // No full-screen button under the panel: ImGui gives a tap to the first item submitted, so
    // it would take every tap from the panel's buttons. The window itself blocks the screen.
    if (tapped_outside) *tapped_outside = false;
    const ImVec2 box{std::min(d.x - 80 * s, 900 * s), std::min(height, d.y - 40 * s)};
    const ImVec2 bp{(d.x - box.x) / 2, (d.y - box.y) / 2};
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(bp, ImVec2(bp.x + box.x, bp.y + box.y),
                      ImGui::ColorConvertFloat4ToU32(p.pal.panel));
    dl->AddRect(bp, ImVec2(bp.x + box.x, bp.y + box.y),
                ImGui::ColorConvertFloat4ToU32(p.pal.field_border), 0, 0, 3.0f);
    p.note("panel", bp, box);
    p.panels.push_back(Rect{bp.x, bp.y, box.x, box.y});  // its text stays inside
    return Panel{bp, box, 40 * s};
}

void end_overlay(Painter& p) {
    p.panels.pop_back();
    ImGui::End();
}

}  // namespace lapor::ui::screens
