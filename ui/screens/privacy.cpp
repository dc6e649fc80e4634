// Privacy: public, anonymous or confidential, as three tiles.
#include "common.h"
#include "i18n_marker.h"
#include "labels.h"

namespace lapor::ui::screens {

Actions privacy(Painter& p, const View& v) {
    Actions out;
    const Layout l = layout(p, v, top_bar(p, v, v.tr(labels::title(Screen::privacy)), out));
    const float s = l.s;
    ImGui::SetCursorScreenPos(ImVec2(l.margin, l.top));
    p.text(v.tr(N_("ui.privacy.ask")), p.pal.text, v.fonts.body, l.content_w);
    const float th = (l.bottom - ImGui::GetCursorScreenPos().y - 60 * s) / 3;
    for (auto pv : {Privacy::public_report, Privacy::anonymous, Privacy::confidential}) {
        ImGui::SetCursorScreenPos(ImVec2(l.margin, ImGui::GetCursorScreenPos().y));
        const char* pid = pv == Privacy::public_report ? "privacy:public"
                          : pv == Privacy::anonymous   ? "privacy:anonymous"
                                                       : "privacy:confidential";
        if (p.tile(pid, v.tr(labels::name(pv)), v.tr(labels::explanation(pv)),
                   ImVec2(l.content_w, th), v.flow->draft().privacy == pv))
            out.push_back(intent::ChoosePrivacy{pv});
    }
    problem_for(p, v, Field::privacy, l.content_w);
    bottom_bar(p, v, true, true, out);
    return out;
}

}  // namespace lapor::ui::screens
