// Staff PIN pad: the PIN (masked), the lockout count-down, ID/EN and exit, a numeric pad.
#include <cmath>

#include "common.h"
#include "i18n_marker.h"

namespace lapor::ui::screens {

Actions staff_pin(Painter& p, const View& v) {
    Actions out;
    const ImVec2 d = v.display;
    const float s = p.s;
    const float margin = 40 * s;
    const float w = d.x - 2 * margin;
    const float bh = std::max(v.target_px, 64 * s);
    const StaffFlow& st = *v.staff;
    ImGui::SetCursorScreenPos(ImVec2(margin, 24 * s));
    p.text(v.tr(N_("ui.staff.pin_title")), p.pal.text, v.fonts.heading, w);
    const float fw = std::min(w, 620 * s);
    const float x = (d.x - fw) / 2;
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 10 * s));
    p.field("field:pin", v.ui.staff_input, v.ui.cursor, true, false, ImVec2(fw, 64 * s), true);
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
    if (auto left = st.locked_for_s()) {
        p.text(format(v.tr(N_("ui.staff.locked")),
                      {{"n", std::to_string(static_cast<int>(std::ceil(*left)))}}),
               p.pal.error, v.fonts.body, fw);
        p.record.insert_or_assign("staff:locked", Rect{});
    } else if (!st.message().empty()) {
        p.text(staff_text(v, st.message()), st.message().bad ? p.pal.error : p.pal.text,
               v.fonts.body, fw);
    }
    if (auto l = language_toggle(
            p, v, ImVec2(d.x - margin - 220 * s - 10 * s - language_toggle_width(p, v), 20 * s),
            bh))
        out.push_back(act::StaffLanguage{*l});
    ImGui::SetCursorScreenPos(ImVec2(d.x - margin - 220 * s, 20 * s));
    if (p.button("staff:exit", v.tr(N_("ui.staff.exit")), ImVec2(220 * s, bh)))
        out.push_back(act::StaffExit{"left at the PIN pad"});
    keyboard(p, v, d.y * 0.40f, out);
    return out;
}

}  // namespace lapor::ui::screens
