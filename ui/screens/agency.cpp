// Agency and category: a search box, the agencies on the left, the chosen one's categories on the
// right.
#include "common.h"
#include "i18n_marker.h"
#include "labels.h"

namespace lapor::ui::screens {

namespace {
bool case_insensitive_contains(std::string_view hay, std::string_view needle) {
    if (needle.empty()) return true;
    auto lower = [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); };
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        std::size_t j = 0;
        while (j < needle.size() && lower(hay[i + j]) == lower(needle[j])) ++j;
        if (j == needle.size()) return true;
    }
    return false;
}
}  // namespace

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
    for (const auto& a : v.catalog->agencies()) {
        bool match = case_insensitive_contains(a.name.in(l), search);
        for (const auto& c : a.categories)
            match = match || case_insensitive_contains(c.name.in(l), search);
        if (!match) continue;
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
