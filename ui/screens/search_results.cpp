// The agency screen's search results while the keyboard is open: the categories the typed words
// find (kiosk/catalog_search.h), best first, as buttons in two columns; a tap chooses the agency
// and the category and closes the keyboard.
#include <algorithm>

#include "catalog_search.h"
#include "common.h"
#include "i18n_marker.h"

namespace lapor::ui::screens {

void search_results(Painter& p, const View& v, ImVec2 at, ImVec2 size, Actions& out) {
    const float s = p.s;
    ImGui::SetCursorScreenPos(at);
    if (v.ui.search.empty()) {
        p.text(v.tr(N_("ui.search.examples")), p.pal.muted, v.fonts.small, size.x);
        return;
    }
    const auto hits = search_catalog(*v.catalog, v.ui.search, v.lang);
    if (hits.empty()) {
        p.text(v.tr(N_("ui.search.none")), p.pal.text, v.fonts.body, size.x);
        p.record.insert_or_assign("search:none", Rect{});
        return;
    }
    // As many rows of two as fit at the target size; the rest after OK, in the agency list.
    const float gap = 8 * s;
    const float bh = std::max(v.target_px, v.fonts.small->FontSize * 2 + 12 * s);
    const int rows = std::max(1, static_cast<int>((size.y + gap) / (bh + gap)));
    const float bw = (size.x - gap) / 2;
    const std::size_t shown = std::min(hits.size(), static_cast<std::size_t>(rows) * 2);
    for (std::size_t i = 0; i < shown; ++i) {
        const SearchHit& h = hits[i];
        const float x = at.x + static_cast<float>(i % 2) * (bw + gap);
        const float y = at.y + static_cast<float>(i / 2) * (bh + gap);
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        // The category, and the agency (its short name first, as people know it) below.
        const std::string label = h.category->name.in(v.lang) + "\n" + h.agency->name.in(v.lang);
        if (p.button("result:" + h.category->id, label, ImVec2(bw, bh), ButtonKind::normal, nullptr,
                     v.fonts.small)) {
            out.push_back(intent::ChooseAgency{h.agency->id});
            out.push_back(intent::ChooseCategory{h.category->id});
            out.push_back(act::Focus{Input::none});
        }
    }
    p.record.insert_or_assign("search:hits:" + std::to_string(hits.size()), Rect{});
}

}  // namespace lapor::ui::screens
