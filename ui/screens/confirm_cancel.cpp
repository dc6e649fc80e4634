// Batal asks first: "Hapus laporan ini?", the safe choice first (and larger, primary).
#include "i18n_marker.h"
#include "overlay.h"
#include "screens.h"

namespace lapor::ui::screens {

Actions confirm_cancel(Painter& p, const View& v) {
    Actions out;
    const float s = p.s;
    const float bh = std::max(v.target_px, v.fonts.body->FontSize + 44 * s);
    const std::string title = v.tr(N_("ui.cancel.ask"));
    const std::string body = v.tr(N_("ui.cancel.ask.body"));
    const float inner_w = std::min(v.display.x - 80 * s, 900 * s) - 80 * s;
    // As laid out below: padding, title, body, gap, two buttons with a gap, padding; each item
    // is followed by ImGui's item spacing.
    const float sp = ImGui::GetStyle().ItemSpacing.y;
    const float h = 40 * s + text_size(v.fonts.heading, title, inner_w).y + sp +
                    text_size(v.fonts.body, body, inner_w).y + sp + 30 * s + sp + bh + sp + 20 * s +
                    sp + bh + 40 * s;
    const Panel panel = begin_overlay(p, v, "confirm_cancel", h);
    ImGui::SetCursorScreenPos(ImVec2(panel.pos.x + panel.pad, panel.pos.y + panel.pad));
    p.text(title, p.pal.panel_text, v.fonts.heading, inner_w);
    p.text(body, p.pal.panel_text, v.fonts.body, inner_w);
    p.gap(30 * s);
    if (p.button("cancel:keep", v.tr(N_("ui.cancel.keep")), ImVec2(inner_w, bh),
                 ButtonKind::primary))
        out.push_back(act::AnswerCancel{false});
    p.gap(20 * s);
    if (p.button("cancel:erase", v.tr(N_("ui.cancel.erase")), ImVec2(inner_w, bh)))
        out.push_back(act::AnswerCancel{true});
    end_overlay(p);
    return out;
}

}  // namespace lapor::ui::screens
