// Classification: three tiles (complaint, aspiration, information request); a tap advances.
#include "choices.h"
#include "i18n_marker.h"
#include "labels.h"

namespace lapor::ui::screens {

Actions classification(Painter& p, const View& v) {
    Actions out;
    const std::string title = v.tr(labels::title(Screen::classification));
    const Layout l = layout(p, v, top_bar(p, v, title, out));
    const float s = l.s;
    ImGui::SetCursorScreenPos(ImVec2(l.margin, l.top));
    // The question, unless it only repeats the title (as it does in id and en).
    const std::string ask = v.tr(N_("ui.classification.ask"));
    if (ask != title) p.text(ask, p.pal.text, v.fonts.body, l.content_w);
    const Classification kinds[] = {Classification::complaint, Classification::aspiration,
                                    Classification::information};
    std::vector<Choice> choices;
    for (auto c : kinds)
        choices.push_back(Choice{c == Classification::complaint    ? "class:complaint"
                                 : c == Classification::aspiration ? "class:aspiration"
                                                                   : "class:information",
                                 v.tr(labels::name(c)), v.tr(labels::explanation(c)),
                                 v.flow->draft().classification == c});
    const float top = ImGui::GetCursorScreenPos().y + 6 * s;
    const ChoiceLayout cl = choice_tiles(p, v, "class_choices", choices, ImVec2(l.margin, top),
                                         ImVec2(l.content_w, l.bottom - top - 10 * s));
    if (cl.tapped) out.push_back(intent::ChooseClassification{kinds[*cl.tapped]});
    bottom_bar(p, v, true, false, out);
    if (cl.more_below) scroll_hint(p, v);
    return out;
}

}  // namespace lapor::ui::screens
