#include "guide_nav.h"

#include <algorithm>
#include <cmath>

namespace lapor::ui {

std::optional<std::size_t> move_focus(const std::vector<Target>& targets, std::size_t from,
                                      Direction d) {
    if (from >= targets.size()) return targets.empty() ? std::nullopt : std::optional(0);
    const Target& a = targets[from];
    std::optional<std::size_t> best;
    float best_score = 0;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        if (i == from) continue;
        const Target& b = targets[i];
        float along = 0, side = 0;
        switch (d) {
            case Direction::up: along = a.cy() - b.cy(), side = b.cx() - a.cx(); break;
            case Direction::down: along = b.cy() - a.cy(), side = b.cx() - a.cx(); break;
            case Direction::left: along = a.cx() - b.cx(), side = b.cy() - a.cy(); break;
            case Direction::right: along = b.cx() - a.cx(), side = b.cy() - a.cy(); break;
        }
        if (along <= 1) continue;  // not that way (or on the same line)
        // Sideways distance counts double: moving down a column beats jumping across.
        const float score = along + 2 * std::fabs(side);
        if (!best || score < best_score) best = i, best_score = score;
    }
    return best;
}

std::vector<Target> in_reading_order(std::vector<Target> targets) {
    std::stable_sort(targets.begin(), targets.end(), [](const Target& a, const Target& b) {
        // Same row when their centres are within half the smaller height.
        const float tol = std::min(a.h, b.h) / 2;
        if (std::fabs(a.cy() - b.cy()) > tol) return a.cy() < b.cy();
        return a.cx() < b.cx();
    });
    return targets;
}

}  // namespace lapor::ui
