// Consent: the UU PDP notice (what, why, who reads it, how long), then yes or no.
#include <algorithm>

#include "choices.h"
#include "i18n_marker.h"
#include "labels.h"

namespace lapor::ui::screens {

Actions consent(Painter& p, const View& v) {
    Actions out;
    const Layout l = layout(p, v, top_bar(p, v, v.tr(labels::title(Screen::consent)), out));
    const float s = l.s;
    ImGui::SetCursorScreenPos(ImVec2(l.margin, l.top));
    const auto given = v.flow->draft().consent;
    const Choice yes{"consent:yes", v.tr(N_("ui.consent.yes")), v.tr(N_("ui.consent.yes.explain")),
                     given == true};
    const Choice no{"consent:no", v.tr(N_("ui.consent.no")), v.tr(N_("ui.consent.no.explain")),
                    given == false};
    // The two answers as tall as their words need; the notice scrolls in what is left.
    const float tw = (l.content_w - 30 * s) / 2;
    const float tile_h = std::max({120 * s, tile_height(p, v, yes, tw), tile_height(p, v, no, tw)});
    const float problem = problem_height(p, v, Field::consent, l.content_w);
    const float notice_h = l.bottom - l.top - tile_h - problem - 30 * s;
    ImGui::BeginChild("notice", ImVec2(l.content_w, notice_h), false,
                      ImGuiWindowFlags_NoBackground);
    const std::string days =
        v.config ? std::to_string(static_cast<long>(v.config->upload.retention_days)) : "30";
    for (const char* id :
         {labels::consent_what, labels::consent_why, labels::consent_who, labels::consent_how_long})
        p.text(format(v.tr(id), {{"days", days}}), p.pal.text, v.fonts.body,
               l.content_w - v.target_px - 10 * s);
    drag_scroll();
    const bool more = more_below();
    ImGui::EndChild();
    const float y0 = l.top + notice_h + 20 * s;
    ImGui::SetCursorScreenPos(ImVec2(l.margin, y0));
    if (p.tile(yes.id, yes.title, yes.explain, ImVec2(tw, tile_h), yes.selected))
        out.push_back(intent::ChooseConsent{true});
    ImGui::SetCursorScreenPos(ImVec2(l.margin + tw + 30 * s, y0));
    if (p.tile(no.id, no.title, no.explain, ImVec2(tw, tile_h), no.selected))
        out.push_back(intent::ChooseConsent{false});
    ImGui::SetCursorScreenPos(ImVec2(l.margin, y0 + tile_h + 6 * s));
    problem_for(p, v, Field::consent, l.content_w);
    bottom_bar(p, v, true, true, out);
    if (more) scroll_hint(p, v);
    return out;
}

}  // namespace lapor::ui::screens
