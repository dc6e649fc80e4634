// Classification: three tiles (complaint, aspiration, information request); a tap advances.
#include "common.h"
#include "i18n_marker.h"
#include "labels.h"

namespace lapor::ui::screens {

Actions classification(Painter& p, const View& v) {
    Actions out;
    const Layout l = layout(p, v, top_bar(p, v, v.tr(labels::title(Screen::classification)), out));
    const float s = l.s;
    ImGui::SetCursorScreenPos(ImVec2(l.margin, l.top));
    p.text(v.tr(N_("ui.classification.ask")), p.pal.text, v.fonts.body, l.content_w);
    const float th = (l.bottom - ImGui::GetCursorScreenPos().y - 40 * s) / 3;
    for (auto c :
         {Classification::complaint, Classification::aspiration, Classification::information}) {
        ImGui::SetCursorScreenPos(ImVec2(l.margin, ImGui::GetCursorScreenPos().y));
        const bool sel = v.flow->draft().classification == c;
        const char* cid = c == Classification::complaint    ? "class:complaint"
                          : c == Classification::aspiration ? "class:aspiration"
                                                            : "class:information";
        if (p.tile(cid, v.tr(labels::name(c)), v.tr(labels::explanation(c)),
                   ImVec2(l.content_w, th), sel))
            out.push_back(intent::ChooseClassification{c});
    }
    bottom_bar(p, v, true, false, out);
    return out;
}

}  // namespace lapor::ui::screens
