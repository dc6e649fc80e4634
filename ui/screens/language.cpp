// Language: two big buttons, each in its own language.
#include "common.h"
#include "labels.h"

namespace lapor::ui::screens {

Actions language(Painter& p, const View& v) {
    Actions out;
    const Layout l = layout(p, v, top_bar(p, v, v.tr(labels::title(Screen::language)), out));
    const float s = l.s;
    ImGui::SetCursorScreenPos(ImVec2(l.margin, l.top));
    p.text("Pilih bahasa / Choose your language", p.pal.text, v.fonts.heading, l.content_w);
    p.gap(30 * s);
    const float bw = (l.content_w - 30 * s) / 2;
    const float x0 = ImGui::GetCursorScreenPos().x, y0 = ImGui::GetCursorScreenPos().y;
    if (p.button("choose:id", v.tr_in(Language::id, labels::name(Language::id)),
                 ImVec2(bw, 180 * s), ButtonKind::primary, nullptr, v.fonts.heading))
        out.push_back(intent::ChooseLanguage{Language::id});
    ImGui::SetCursorScreenPos(ImVec2(x0 + bw + 30 * s, y0));
    if (p.button("choose:en", v.tr_in(Language::en, labels::name(Language::en)),
                 ImVec2(bw, 180 * s), ButtonKind::primary, nullptr, v.fonts.heading))
        out.push_back(intent::ChooseLanguage{Language::en});
    bottom_bar(p, v, true, false, out);
    return out;
}

}  // namespace lapor::ui::screens
