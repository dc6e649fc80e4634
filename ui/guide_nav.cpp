#include "guide_nav.h"

#include <algorithm>
#include <cmath>

namespace lapor::ui {

std::optional<std::size_t> move_focus(const std::vector<Target>& targets, std::size_t from,
                                      Direction d) {
    if (from >= targets.size()) return targets.empty() ? std::nullopt : std::optional(0);
    const Target& a = targets[from];
    const bool horizontal = d == Direction::left || d == Direction::right;
    // Targets in line with this one (same row for left/right, same column for up/down) come
    // first, so a wide key or tile does not make the focus jump to the next row.
    auto in_line = [&](const Target& b) {
        return horizontal ? b.y < a.y + a.h && a.y < b.y + b.h : b.x < a.x + a.w && a.x < b.x + b.w;
    };
    for (int pass = 0; pass < 2; ++pass) {
        std::optional<std::size_t> best;
        float best_score = 0;
        for (std::size_t i = 0; i < targets.size(); ++i) {
            if (i == from) continue;
            const Target& b = targets[i];
            if (pass == 0 && !in_line(b)) continue;
            float along = 0, side = 0;
            switch (d) {
                case Direction::up: along = a.cy() - b.cy(), side = b.cx() - a.cx(); break;
                case Direction::down: along = b.cy() - a.cy(), side = b.cx() - a.cx(); break;
                case Direction::left: along = a.cx() - b.cx(), side = b.cy() - a.cy(); break;
                case Direction::right: along = b.cx() - a.cx(), side = b.cy() - a.cy(); break;
            }
            if (along <= 1) continue;  // not that way
            // Sideways distance counts double: moving down a column beats jumping across.
            const float score = along + 2 * std::fabs(side);
            if (!best || score < best_score) best = i, best_score = score;
        }
        if (best) return best;
    }
    return std::nullopt;
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
