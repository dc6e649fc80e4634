#include "choices.h"

#include <algorithm>

namespace lapor::ui::screens {

float tile_height(const Painter& p, const View& v, const Choice& c, float w) {
    // As Painter::tile lays it out: 20 px padding, the title, 8 px, the explanation.
    const float s = p.s;
    const float wrap = w - 40 * s;
    float h = 40 * s + text_size(v.fonts.heading, c.title, wrap).y;
    if (!c.explain.empty()) h += 8 * s + text_size(v.fonts.body, c.explain, wrap).y;
    return std::max(h + 4 * s, v.target_px);
}

ChoiceLayout choice_tiles(Painter& p, const View& v, const char* name,
                          const std::vector<Choice>& choices, ImVec2 pos, ImVec2 size) {
    ChoiceLayout out;
    const float s = p.s;
    const float gap = 16 * s;
    const auto n = static_cast<float>(choices.size());
    auto tallest = [&](float w) {
        float h = 0;
        for (const auto& c : choices) h = std::max(h, tile_height(p, v, c, w));
        return h;
    };
    auto draw = [&](std::size_t i, ImVec2 at, ImVec2 sz) {
        ImGui::SetCursorScreenPos(at);
        if (p.tile(choices[i].id, choices[i].title, choices[i].explain, sz, choices[i].selected))
            out.tapped = i;
    };
    const float row_h = tallest(size.x);
    const float rows_fill = (size.y - gap * (n - 1)) / n;
    if (row_h <= rows_fill) {  // one under the other, sharing the height
        for (std::size_t i = 0; i < choices.size(); ++i)
            draw(i, ImVec2(pos.x, pos.y + static_cast<float>(i) * (rows_fill + gap)),
                 ImVec2(size.x, rows_fill));
        return out;
    }
    const float col_w = (size.x - gap * (n - 1)) / n;
    if (tallest(col_w) <= size.y) {  // side by side, as tall as the area
        for (std::size_t i = 0; i < choices.size(); ++i)
            draw(i, ImVec2(pos.x + static_cast<float>(i) * (col_w + gap), pos.y),
                 ImVec2(col_w, size.y));
        return out;
    }
    // Neither fits: a list that scrolls, each tile as tall as its words.
    ImGui::SetCursorScreenPos(pos);
    ImGui::BeginChild(name, size, false,
                      ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollbar);
    float y = ImGui::GetCursorScreenPos().y;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        const float h = tile_height(p, v, choices[i], size.x);
        draw(i, ImVec2(pos.x, y), ImVec2(size.x, h));
        y += h + gap;
    }
    ImGui::SetCursorScreenPos(ImVec2(pos.x, y - gap));
    ImGui::Dummy(ImVec2(1, 1));
    drag_scroll();
    out.more_below = more_below();
    ImGui::EndChild();
    return out;
}

}  // namespace lapor::ui::screens
