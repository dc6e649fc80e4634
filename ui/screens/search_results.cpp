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
    // The category, and the agency (its short name first, as people know it) below.
    auto label_of = [&](const SearchHit& h) {
        return h.category->name.in(v.lang) + "\n" + h.agency->name.in(v.lang);
    };
    // Two columns when every label keeps to its two lines there, else one; as many rows as fit
    // (the rest after OK, in the agency list), each as tall as its longest label.
    const float gap = 8 * s;
    const float pad = 16 * s;  // Painter::button's side margins
    const std::size_t considered = std::min<std::size_t>(hits.size(), 12);
    const float two_lines = v.fonts.small->FontSize * 2;
    float widest = 0;
    for (std::size_t i = 0; i < considered; ++i)
        widest = std::max(widest, text_size(v.fonts.small, label_of(hits[i])).x);
    const int cols = widest <= (size.x - gap) / 2 - pad ? 2 : 1;
    const float bw = (size.x - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
    float label_h = two_lines;
    for (std::size_t i = 0; i < considered; ++i)
        label_h = std::max(label_h, text_size(v.fonts.small, label_of(hits[i]), bw - pad).y);
    const float bh = std::max(v.target_px, label_h + 12 * s);
    const int rows = std::max(1, static_cast<int>((size.y + gap) / (bh + gap)));
    const std::size_t shown =
        std::min(hits.size(), static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols));
    for (std::size_t i = 0; i < shown; ++i) {
        const SearchHit& h = hits[i];
        const auto c = static_cast<float>(i % static_cast<std::size_t>(cols));
        const auto r = static_cast<float>(i / static_cast<std::size_t>(cols));
        ImGui::SetCursorScreenPos(ImVec2(at.x + c * (bw + gap), at.y + r * (bh + gap)));
        const std::string label = label_of(h);
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
