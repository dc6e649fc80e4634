// Privacy: public, anonymous or confidential, as three tiles that say who sees the name.
#include "choices.h"
#include "i18n_marker.h"
#include "labels.h"

namespace lapor::ui::screens {

Actions privacy(Painter& p, const View& v) {
    Actions out;
    const Layout l = layout(p, v, top_bar(p, v, v.tr(labels::title(Screen::privacy)), out));
    const float s = l.s;
    ImGui::SetCursorScreenPos(ImVec2(l.margin, l.top));
    p.text(v.tr(N_("ui.privacy.ask")), p.pal.text, v.fonts.body, l.content_w);
    const Privacy chosen = v.flow->draft().privacy.value_or(Privacy{});
    const bool any = v.flow->draft().privacy.has_value();
    std::vector<Choice> choices;
    for (auto pv : {Privacy::public_report, Privacy::anonymous, Privacy::confidential})
        choices.push_back(Choice{pv == Privacy::public_report ? "privacy:public"
                                 : pv == Privacy::anonymous   ? "privacy:anonymous"
                                                              : "privacy:confidential",
                                 v.tr(labels::name(pv)), v.tr(labels::explanation(pv)),
                                 any && chosen == pv});
    // The tiles take what is left above the problem line (when there is one).
    const float top = ImGui::GetCursorScreenPos().y + 6 * s;
    const float problem = problem_height(p, v, Field::privacy, l.content_w);
    const ChoiceLayout cl = choice_tiles(p, v, "privacy_choices", choices, ImVec2(l.margin, top),
                                         ImVec2(l.content_w, l.bottom - top - problem - 10 * s));
    if (cl.tapped) {
        const Privacy pv[] = {Privacy::public_report, Privacy::anonymous, Privacy::confidential};
        out.push_back(intent::ChoosePrivacy{pv[*cl.tapped]});
    }
    ImGui::SetCursorScreenPos(ImVec2(l.margin, l.bottom - problem));
    problem_for(p, v, Field::privacy, l.content_w);
    bottom_bar(p, v, true, true, out);
    if (cl.more_below) scroll_hint(p, v);
    return out;
}

}  // namespace lapor::ui::screens
