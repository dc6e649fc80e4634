// Review: every section with an Edit button, then Submit.
#include <algorithm>

#include "common.h"
#include "i18n_marker.h"
#include "labels.h"

namespace lapor::ui::screens {

Actions review(Painter& p, const View& v) {
    Actions out;
    const Layout l = layout(p, v, top_bar(p, v, v.tr(labels::title(Screen::review)), out));
    const float s = l.s;
    const ImVec2 d = v.display;
    const ReportDraft& dr = v.flow->draft();
    ImGui::SetCursorScreenPos(ImVec2(l.margin, l.top));
    ImGui::BeginChild("review", ImVec2(l.content_w, l.bottom - l.top - 10 * s), false,
                      ImGuiWindowFlags_NoBackground);
    const float inner = l.content_w - v.target_px - 20 * s;
    auto section = [&](Section sec, const char* head, const std::vector<std::string>& lines,
                       const char* edit_id) {
        const float y = ImGui::GetCursorScreenPos().y;
        const float x = ImGui::GetCursorScreenPos().x;
        p.text(v.tr(head), p.pal.muted, v.fonts.small, inner - 200 * s);
        for (const auto& ln : lines) p.text(ln, p.pal.text, v.fonts.body, inner - 200 * s);
        const float y1 = ImGui::GetCursorScreenPos().y;
        ImGui::SetCursorScreenPos(ImVec2(x + inner - 180 * s, y));
        if (p.button(edit_id, v.tr(N_("ui.edit")), ImVec2(180 * s, 60 * s)))
            out.push_back(intent::Edit{sec});
        ImGui::SetCursorScreenPos(ImVec2(x, std::max(y1, y + 66 * s) + 10 * s));
        ImGui::Separator();
    };
    const Language lang = v.lang;
    const Agency* a = v.catalog->find_agency(dr.agency_id);
    const Category* c = v.catalog->find_category(dr.agency_id, dr.category_id);
    section(Section::classification, N_("ui.review.classification"),
            {dr.classification ? v.tr(labels::name(*dr.classification)) : ""},
            "edit:classification");
    section(Section::agency, N_("ui.review.agency"),
            {a ? a->name.in(lang) : "", c ? c->name.in(lang) : ""}, "edit:agency");
    section(Section::text, N_("ui.review.text"), {dr.title, dr.body}, "edit:text");
    section(Section::date_location, N_("ui.review.date_location"),
            {dr.incident_date ? std::to_string(dr.incident_date->day) + " " +
                                    v.tr(month_ids[dr.incident_date->month - 1]) + " " +
                                    std::to_string(dr.incident_date->year)
                              : "",
             dr.location},
            "edit:date_location");
    section(Section::privacy, N_("ui.review.privacy"),
            {dr.privacy ? v.tr(labels::name(*dr.privacy)) : ""}, "edit:privacy");
    section(Section::consent, N_("ui.review.consent"),
            {v.tr(dr.consent == true ? N_("ui.consent.yes") : N_("ui.consent.no"))},
            "edit:consent");
    if (dr.consent == true)
        section(Section::contact, N_("ui.review.contact"), {dr.name, dr.phone, dr.email, dr.nik},
                "edit:contact");
    drag_scroll();
    // The lower sections are out of sight: say so above the bottom bar.
    const bool more = more_below();
    ImGui::EndChild();
    if (more) scroll_hint(p, v);
    if (v.flow->error()) {
        ImGui::SetCursorScreenPos(ImVec2(l.margin, l.bottom - 50 * s));
        p.text(v.tr(v.flow->error()), p.pal.error, v.fonts.body, l.content_w);
    }
    const float bh = std::max(v.target_px, 76 * s);
    bottom_bar(p, v, true, false, out);
    ImGui::SetCursorScreenPos(ImVec2(d.x - 24 * s - 340 * s, d.y - bh - 18 * s));
    if (p.button("submit", v.tr(N_("ui.submit")), ImVec2(340 * s, bh), ButtonKind::primary))
        out.push_back(intent::Submit{});
    return out;
}

}  // namespace lapor::ui::screens
