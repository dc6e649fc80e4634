// Layout checks on the last drawn frame of a real App (tests/ui/test_layout_journey.cpp):
// - targets: each touch target lies inside the screen, no two overlap, each is at least 9 mm;
// - texts (App::record_texts): each text lies inside the screen and inside what holds it (the
//   widget it labels, the overlay panel or banner it is in, the range its list scrolls through,
//   the window), no free text lies on a touch target, and no two texts overlap;
// - glyphs: every glyph in ImGui's draw data lies inside a recorded text, so a text drawn past
//   the record (a direct AddText) cannot slip by the checks above.
#pragma once
#include <SDL.h>
#include <doctest/doctest.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "app.h"

namespace lapor::test {

inline std::string show(const ui::Rect& r) {
    std::ostringstream o;
    o << r.x << "," << r.y << " " << r.w << "x" << r.h;
    return o.str();
}

inline ui::Rect intersection(const ui::Rect& a, const ui::Rect& b) {
    const float x0 = std::max(a.x, b.x), y0 = std::max(a.y, b.y);
    const float x1 = std::min(a.x + a.w, b.x + b.w), y1 = std::min(a.y + a.h, b.y + b.h);
    return ui::Rect{x0, y0, std::max(0.0f, x1 - x0), std::max(0.0f, y1 - y0)};
}

// More than `tol` pixels of overlap in both directions.
inline bool overlap(const ui::Rect& a, const ui::Rect& b, float tol = 1) {
    const float ox = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
    const float oy = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
    return ox > tol && oy > tol;
}

inline bool inside(const ui::Rect& in, const ui::Rect& out, float tol = 0.5f) {
    return in.x >= out.x - tol && in.y >= out.y - tol && in.x + in.w <= out.x + out.w + tol &&
           in.y + in.h <= out.y + out.h + tol;
}

// What a finger can tap: a widget with an area that shows. Markers (no area), overlay panels and
// staff mode's recorded lines ("text:…") are not targets.
inline bool is_target(const std::string& id, const ui::Rect& r) {
    return r.w > 0 && r.h > 0 && !r.hidden && id != "panel" && id.rfind("text:", 0) != 0;
}

inline ui::Rect screen_rect(ui::App& app) {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(app.renderer(), &w, &h);
    return ui::Rect{0, 0, static_cast<float>(w), static_cast<float>(h)};
}

// Touch targets: inside the screen, apart, at least `min_px` (9 mm at the display's dpi).
inline void check_targets(ui::App& app, const std::string& where, float min_px = 34) {
    const ui::Rect screen = screen_rect(app);
    std::vector<std::pair<std::string, ui::Rect>> targets;
    for (const auto& [id, r] : app.widgets())
        if (is_target(id, r)) targets.emplace_back(id, r);  // clipped: the part shown
    // Over an overlay's panel the only targets left are the panel's own: they lie on it.
    const auto panel = app.widgets().find("panel");
    for (const auto& [id, r] : targets) {
        INFO(where << ": target " << id << " at " << show(r));
        CHECK(inside(r, screen));
        if (!r.clipped) CHECK(std::min(r.w, r.h) >= min_px);
        if (panel != app.widgets().end()) {
            INFO("on the overlay panel at " << show(panel->second));
            CHECK(inside(r, panel->second));
        }
    }
    for (std::size_t i = 0; i < targets.size(); ++i)
        for (std::size_t j = i + 1; j < targets.size(); ++j) {
            INFO(where << ": targets " << targets[i].first << " " << show(targets[i].second)
                       << " and " << targets[j].first << " " << show(targets[j].second));
            CHECK_FALSE(overlap(targets[i].second, targets[j].second));
        }
}

// What of a text shows: in a list, the part inside the list's clip; elsewhere all of it (a text
// running off the screen keeps its full rectangle, so the checks see it).
inline ui::Rect shown_part(const ui::TextItem& t) {
    return t.in_list ? intersection(t.rect, t.clip) : t.rect;
}

// Texts: inside the screen and what holds them, off other widgets, apart from each other.
// Returns the number of texts checked (a walk that records nothing checks nothing).
inline int check_texts(ui::App& app, const std::string& where) {
    const ui::Rect screen = screen_rect(app);
    const auto& widgets = app.widgets();
    std::vector<std::pair<const ui::TextItem*, ui::Rect>> shown;
    for (const auto& t : app.texts()) {
        const ui::Rect vis = shown_part(t);
        if (vis.w <= 0 || vis.h <= 0) continue;  // scrolled out of its list
        if (t.covered) continue;                 // under an overlay
        INFO(where << ": text \"" << t.excerpt << "\" at " << show(t.rect) << " (owner '" << t.owner
                   << "', panel " << show(t.panel) << ")");
        CHECK(inside(vis, screen));
        if (!t.owner.empty()) {
            const auto it = widgets.find(t.owner);
            REQUIRE_MESSAGE(it != widgets.end(), "its widget is not recorded");
            const ui::Rect& o = it->second;
            if (o.hidden) continue;
            // A widget partly scrolled out records the part that shows; so is its text compared.
            INFO("in widget " << show(o));
            CHECK(inside(o.clipped ? vis : t.rect, o));
        } else {
            CHECK(inside(t.rect, t.panel));
            for (const auto& [id, r] : widgets) {
                if (!is_target(id, r)) continue;
                INFO("under widget " << id << " at " << show(r));
                CHECK_FALSE(overlap(vis, r));
            }
        }
        shown.emplace_back(&t, vis);
    }
    for (std::size_t i = 0; i < shown.size(); ++i)
        for (std::size_t j = i + 1; j < shown.size(); ++j) {
            INFO(where << ": texts \"" << shown[i].first->excerpt << "\" " << show(shown[i].second)
                       << " and \"" << shown[j].first->excerpt << "\" " << show(shown[j].second));
            CHECK_FALSE(overlap(shown[i].second, shown[j].second));
        }
    return static_cast<int>(shown.size());
}

// Every glyph drawn (a triangle textured from the font atlas away from its white pixel) lies
// inside a recorded text, give or take the glyph overhang a font has past its advance widths (a
// "J" reaches 3.4 px left of its pen at 42 px: `overhang` of the font's size). Returns the glyph
// triangles seen.
inline int check_glyphs(ui::App& app, const std::string& where, float overhang = 0.12f) {
    const ImDrawData* dd = ImGui::GetDrawData();
    REQUIRE(dd != nullptr);
    const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    const ImVec2 white = atlas->TexUvWhitePixel;
    std::vector<std::pair<ui::Rect, float>> texts;  // shown part, tolerance
    for (const auto& t : app.texts())
        texts.emplace_back(shown_part(t), std::max(2.0f, overhang * t.font_px));
    int seen = 0, lost = 0;
    for (int n = 0; n < dd->CmdListsCount; ++n) {
        const ImDrawList* dl = dd->CmdLists[n];
        for (const ImDrawCmd& cmd : dl->CmdBuffer) {
            if (cmd.UserCallback || cmd.GetTexID() != atlas->TexID) continue;
            for (unsigned int i = 0; i + 2 < cmd.ElemCount; i += 3) {
                float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
                bool glyph = true;
                for (unsigned int k = 0; k < 3; ++k) {
                    const ImDrawVert& vx =
                        dl->VtxBuffer[static_cast<int>(cmd.VtxOffset) +
                                      dl->IdxBuffer[static_cast<int>(cmd.IdxOffset + i + k)]];
                    if (std::fabs(vx.uv.x - white.x) < 1e-6f &&
                        std::fabs(vx.uv.y - white.y) < 1e-6f)
                        glyph = false;
                    x0 = std::min(x0, vx.pos.x), y0 = std::min(y0, vx.pos.y);
                    x1 = std::max(x1, vx.pos.x), y1 = std::max(y1, vx.pos.y);
                }
                if (!glyph) continue;
                const ui::Rect box = intersection(
                    ui::Rect{x0, y0, x1 - x0, y1 - y0},
                    ui::Rect{cmd.ClipRect.x, cmd.ClipRect.y, cmd.ClipRect.z - cmd.ClipRect.x,
                             cmd.ClipRect.w - cmd.ClipRect.y});
                if (box.w <= 0 || box.h <= 0) continue;  // clipped away: not on the screen
                ++seen;
                const bool owned = std::any_of(texts.begin(), texts.end(), [&](const auto& t) {
                    return inside(box, t.first, t.second);
                });
                if (!owned && ++lost <= 3) {
                    std::string near;  // the texts it touches, if any
                    for (const auto& t : app.texts())
                        if (overlap(box, shown_part(t), 0))
                            near += " \"" + t.excerpt + "\" " + show(shown_part(t));
                    INFO(where << ": a glyph at " << show(box) << " is in no recorded text;"
                               << (near.empty() ? " it touches none" : " it touches" + near));
                    CHECK(owned);
                }
            }
        }
    }
    CHECK_MESSAGE(lost == 0, where << ": " << lost << " glyph triangles outside recorded texts");
    return seen;
}

// All three on the current frame.
inline void check_layout(ui::App& app, const std::string& where) {
    app.settle();
    check_targets(app, where);
    const int texts = check_texts(app, where);
    const int glyphs = check_glyphs(app, where);
    CHECK_MESSAGE(texts > 0, where << ": no text recorded");
    CHECK_MESSAGE(glyphs > 0, where << ": no glyph drawn");
}

}  // namespace lapor::test
