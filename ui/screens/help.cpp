// Bantuan: what this screen is for and what to do, in the citizen's language.
#include "i18n_marker.h"
#include "overlay.h"
#include "screens.h"

namespace lapor::ui::screens {

const char* help_msgid(Screen sc) {
    switch (sc) {
        case Screen::language: return N_("ui.help.language");
        case Screen::classification: return N_("ui.help.classification");
        case Screen::agency: return N_("ui.help.agency");
        case Screen::text: return N_("ui.help.text");
        case Screen::date_location: return N_("ui.help.date_location");
        case Screen::privacy: return N_("ui.help.privacy");
        case Screen::consent: return N_("ui.help.consent");
        case Screen::contact: return N_("ui.help.contact");
        case Screen::review: return N_("ui.help.review");
        case Screen::receipt: return N_("ui.help.receipt");
        case Screen::status: return N_("ui.help.status");
        case Screen::attract: break;
    }
    return N_("ui.help.language");
}

Actions help(Painter& p, const View& v) {
    Actions out;
    const float s = p.s;
    const float bh = std::max(v.target_px, v.fonts.body->FontSize + 44 * s);
    const std::string title = v.tr(N_("ui.help"));
    const std::string body =
        v.tr(help_msgid(v.flow->screen())) + "\n\n" + v.tr(N_("ui.help.staff"));
    const float inner_w = std::min(v.display.x - 80 * s, 900 * s) - 80 * s;
    // As laid out below (each item is followed by ImGui's item spacing).
    const float sp = ImGui::GetStyle().ItemSpacing.y;
    const float h = 40 * s + text_size(v.fonts.heading, title, inner_w).y + sp +
                    text_size(v.fonts.body, body, inner_w).y + sp + 30 * s + sp + bh + 40 * s;
    const Panel panel = begin_overlay(p, v, "help", h);
    ImGui::SetCursorScreenPos(ImVec2(panel.pos.x + panel.pad, panel.pos.y + panel.pad));
    p.text(title, p.pal.panel_text, v.fonts.heading, inner_w);
    p.text(body, p.pal.panel_text, v.fonts.body, inner_w);
    p.record.insert_or_assign(std::string("help:") + std::string(to_string(v.flow->screen())),
                              Rect{});
    p.gap(30 * s);
    if (p.button("help:close", v.tr(N_("ui.help.close")), ImVec2(inner_w, bh), ButtonKind::primary))
        out.push_back(act::Help{false});
    end_overlay(p);
    return out;
}

}  // namespace lapor::ui::screens
