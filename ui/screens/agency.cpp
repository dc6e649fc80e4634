// Agency and category: a search box, the agencies on the left, the chosen one's categories on the
// right.
#include <algorithm>

#include "catalog_search.h"
#include "common.h"
#include "i18n_marker.h"
#include "labels.h"

namespace lapor::ui::screens {

Actions agency(Painter& p, const View& v) {
    Actions out;
    const Layout lay = layout(p, v, top_bar(p, v, v.tr(labels::title(Screen::agency)), out));
    const float s = lay.s;
    const std::string& search = v.ui.search;
    ImGui::SetCursorScreenPos(ImVec2(lay.margin, lay.top));
    const float y0 = lay.top;
    const std::string hint = search.empty() ? v.tr(N_("ui.search.hint")) : search;
    if (p.field("field:search", hint, 0, false, false, ImVec2(lay.content_w, 64 * s)))
        out.push_back(act::Focus{Input::search});
    const float list_top = y0 + 64 * s + 16 * s;
    const float col_w = (lay.content_w - 24 * s) / 2;
    const float list_h = lay.bottom - list_top - 60 * s;
    const ReportDraft& dr = v.flow->draft();
    const Language l = v.lang;
    ImGui::SetCursorScreenPos(ImVec2(lay.margin, list_top));
    p.text(v.tr(N_("ui.agency.pick")), p.pal.text, v.fonts.small);
    ImGui::SetCursorScreenPos(ImVec2(lay.margin, list_top + 34 * s));
    ImGui::BeginChild("agencies", ImVec2(col_w, list_h - 34 * s), false,
                      ImGuiWindowFlags_AlwaysVerticalScrollbar | ImGuiWindowFlags_NoBackground);
    // With words in the search box: the agencies whose categories they find, best first
    // (kiosk/catalog_search.h); the chosen one stays in the list.
    std::vector<const Agency*> shown;
    if (search.empty()) {
        for (const auto& a : v.catalog->agencies()) shown.push_back(&a);
    } else {
        shown = agencies_of(search_catalog(*v.catalog, search, l));
        if (const Agency* chosen = v.catalog->find_agency(dr.agency_id))
            if (std::find(shown.begin(), shown.end(), chosen) == shown.end())
                shown.insert(shown.begin(), chosen);
        if (shown.empty()) p.text(v.tr(N_("ui.search.none")), p.pal.text, v.fonts.body, col_w);
    }
    for (const Agency* ap : shown) {
        const Agency& a = *ap;
        if (p.button("agency:" + a.id, a.name.in(l), ImVec2(col_w - v.target_px - 12 * s, 70 * s),
                     dr.agency_id == a.id ? ButtonKind::selected : ButtonKind::normal))
            out.push_back(intent::ChooseAgency{a.id});
    }
    drag_scroll();
    ImGui::EndChild();
    ImGui::SetCursorScreenPos(ImVec2(lay.margin + col_w + 24 * s, list_top));
    p.text(v.tr(N_("ui.category.pick")), p.pal.text, v.fonts.small);
    ImGui::SetCursorScreenPos(ImVec2(lay.margin + col_w + 24 * s, list_top + 34 * s));
    ImGui::BeginChild("categories", ImVec2(col_w, list_h - 34 * s), false,
                      ImGuiWindowFlags_AlwaysVerticalScrollbar | ImGuiWindowFlags_NoBackground);
    if (const Agency* a = v.catalog->find_agency(dr.agency_id)) {
        for (const auto& c : a->categories)
            if (p.button("category:" + c.id, c.name.in(l),
                         ImVec2(col_w - v.target_px - 12 * s, 70 * s),
                         dr.category_id == c.id ? ButtonKind::selected : ButtonKind::normal))
                out.push_back(intent::ChooseCategory{c.id});
    } else {
        p.text(v.tr(N_("ui.category.first_agency")), p.pal.muted, v.fonts.body, col_w);
    }
    drag_scroll();
    ImGui::EndChild();
    ImGui::SetCursorScreenPos(ImVec2(lay.margin, list_top + list_h + 4 * s));
    problem_for(p, v, Field::agency, lay.content_w);
    problem_for(p, v, Field::category, lay.content_w);
    bottom_bar(p, v, true, true, out);
    return out;
}

}  // namespace lapor::ui::screens
