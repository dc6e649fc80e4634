// "Still there?": the idle countdown over the citizen's screen; any touch answers it.
#include <cmath>

#include "common.h"
#include "i18n_marker.h"

namespace lapor::ui::screens {

Actions countdown(Painter& p, const View& v) {
    Actions out;
    const ImVec2 d = v.display;
    const float s = p.s;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(d);
    ImGui::SetNextWindowFocus();
    ImGui::PushStyleColor(ImGuiCol_WindowBg, p.pal.overlay);
    ImGui::Begin("countdown", nullptr, fixed_window);
    ImGui::PopStyleColor();
    p.cover();
    ImGui::SetCursorScreenPos(ImVec2(0, 0));
    const bool any = ImGui::InvisibleButton("anywhere", d);
    const ImVec2 box{std::min(d.x - 80 * s, 820 * s), 380 * s};
    const ImVec2 bp{(d.x - box.x) / 2, (d.y - box.y) / 2};
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(bp, ImVec2(bp.x + box.x, bp.y + box.y),
                      ImGui::ColorConvertFloat4ToU32(p.pal.panel));
    dl->AddRect(bp, ImVec2(bp.x + box.x, bp.y + box.y),
                ImGui::ColorConvertFloat4ToU32(p.pal.field_border), 0, 0, 3.0f);
    p.note("panel", bp, box);
    p.panels.push_back(Rect{bp.x, bp.y, box.x, box.y});  // its text stays inside
    ImGui::SetCursorScreenPos(ImVec2(bp.x + 40 * s, bp.y + 30 * s));
    p.text(v.tr(N_("ui.countdown.title")), p.pal.panel_text, v.fonts.heading, box.x - 80 * s);
    const int left = static_cast<int>(std::ceil(v.flow->countdown_left_s().value_or(0)));
    p.text(format(v.tr(N_("ui.countdown.body")), {{"n", std::to_string(left)}}), p.pal.panel_text,
           v.fonts.body, box.x - 80 * s);
    ImGui::SetCursorScreenPos(ImVec2(bp.x + 40 * s, bp.y + box.y - 110 * s));
    const bool yes = p.button("still_here", v.tr(N_("ui.countdown.yes")),
                              ImVec2(box.x - 80 * s, 80 * s), ButtonKind::primary);
    p.panels.pop_back();
    ImGui::End();
    if (yes || any) out.push_back(intent::StillHere{});
    return out;
}

}  // namespace lapor::ui::screens
