// The audio guide's moves between touch targets, as a pure function of their rectangles: a
// keypad's arrows (or 2/4/6/8) go to the nearest target in that direction, so rows of tiles,
// lists and the on-screen keyboard are all reachable without knowing each screen's layout.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace lapor::ui {

enum class Direction { up, down, left, right };

struct Target {
    std::string id;
    float x = 0, y = 0, w = 0, h = 0;
    float cx() const { return x + w / 2; }
    float cy() const { return y + h / 2; }
};

// The target to focus after moving from `from` (an index into `targets`) in `d`; nullopt when
// nothing lies that way. Nearest along the direction first, then least sideways.
std::optional<std::size_t> move_focus(const std::vector<Target>& targets, std::size_t from,
                                      Direction d);

// Reading order (top to bottom, then left to right): where the focus starts on a new screen.
std::vector<Target> in_reading_order(std::vector<Target> targets);

}  // namespace lapor::ui
