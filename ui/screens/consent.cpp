// Consent: the UU PDP notice (what, why, who reads it, how long), then yes or no.
#include "common.h"
#include "i18n_marker.h"
#include "labels.h"

namespace lapor::ui::screens {

Actions consent(Painter& p, const View& v) {
    Actions out;
    const Layout l = layout(p, v, top_bar(p, v, v.tr(labels::title(Screen::consent)), out));
    const float s = l.s;
    ImGui::SetCursorScreenPos(ImVec2(l.margin, l.top));
    const float tile_h = 120 * s;
    const float notice_h = l.bottom - l.top - tile_h - 50 * s;
    ImGui::BeginChild("notice", ImVec2(l.content_w, notice_h), false,
                      ImGuiWindowFlags_NoBackground);
    const std::string days =
        v.config ? std::to_string(static_cast<long>(v.config->upload.retention_days)) : "30";
    for (const char* id :
         {labels::consent_what, labels::consent_why, labels::consent_who, labels::consent_how_long})
        p.text(format(v.tr(id), {{"days", days}}), p.pal.text, v.fonts.body,
               l.content_w - v.target_px - 10 * s);
    drag_scroll();
    ImGui::EndChild();
    const float y0 = ImGui::GetCursorScreenPos().y;
    const float tw = (l.content_w - 30 * s) / 2;
    const auto given = v.flow->draft().consent;
    ImGui::SetCursorScreenPos(ImVec2(l.margin, y0));
    if (p.tile("consent:yes", v.tr(N_("ui.consent.yes")), v.tr(N_("ui.consent.yes.explain")),
               ImVec2(tw, tile_h), given == true))
        out.push_back(intent::ChooseConsent{true});
    ImGui::SetCursorScreenPos(ImVec2(l.margin + tw + 30 * s, y0));
    if (p.tile("consent:no", v.tr(N_("ui.consent.no")), v.tr(N_("ui.consent.no.explain")),
               ImVec2(tw, tile_h), given == false))
        out.push_back(intent::ChooseConsent{false});
    ImGui::SetCursorScreenPos(ImVec2(l.margin, y0 + tile_h + 6 * s));
    problem_for(p, v, Field::consent, l.content_w);
    bottom_bar(p, v, true, true, out);
    return out;
}

}  // namespace lapor::ui::screens
