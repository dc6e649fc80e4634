// Choice tiles (a bold title and an explanation each) that keep their words at every text size.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common.h"

namespace lapor::ui::screens {

struct Choice {
    const char* id;
    std::string title;
    std::string explain;
    bool selected = false;
};

struct ChoiceLayout {
    std::optional<std::size_t> tapped;  // the choice tapped this frame
    bool more_below = false;            // a list with choices below what shows (say so)
};

// The tiles in the area at `pos` of `size`: one under the other when each tile's words fit that
// way, else side by side when they fit that way, else one under the other in a list that scrolls
// with the finger. A tile is never shorter than its words.
ChoiceLayout choice_tiles(Painter& p, const View& v, const char* name,
                          const std::vector<Choice>& choices, ImVec2 pos, ImVec2 size);

// The height a tile of width `w` needs for its title and explanation.
float tile_height(const Painter& p, const View& v, const Choice& c, float w);

}  // namespace lapor::ui::screens
