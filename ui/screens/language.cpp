// Language: a big button per offered language ([ui] languages), each named in itself.
#include <algorithm>

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
    // Up to three in a row; more languages wrap into further rows.
    const auto& langs = v.offered();
    const std::size_t per_row = std::min<std::size_t>(langs.size(), 3);
    const float gap = 30 * s;
    const float bw =
        (l.content_w - gap * static_cast<float>(per_row - 1)) / static_cast<float>(per_row);
    const float bh = 180 * s;
    const float x0 = ImGui::GetCursorScreenPos().x, y0 = ImGui::GetCursorScreenPos().y;
    for (std::size_t i = 0; i < langs.size(); ++i) {
        const auto col = static_cast<float>(i % per_row), row = static_cast<float>(i / per_row);
        ImGui::SetCursorScreenPos(ImVec2(x0 + col * (bw + gap), y0 + row * (bh + gap)));
        if (p.button("choose:" + langs[i].code, langs[i].name, ImVec2(bw, bh), ButtonKind::primary,
                     nullptr, v.fonts.heading))
            out.push_back(intent::ChooseLanguage{Language(langs[i].code)});
    }
    bottom_bar(p, v, true, false, out);
    return out;
}

}  // namespace lapor::ui::screens
