// Noto Sans through FreeType at the kiosk's sizes, built into one shared atlas. Sizes follow the
// window (a 1280x800 screen is the reference) times the citizen's text size (100/125/150 %).
#pragma once
#include <stdexcept>
#include <string>

struct ImFont;
struct ImFontAtlas;

namespace lapor::ui {

struct Fonts {
    ImFont* small = nullptr;    // hints, secondary lines
    ImFont* body = nullptr;     // buttons, fields, running text
    ImFont* heading = nullptr;  // screen titles (bold)
    ImFont* huge = nullptr;     // the tracking code (bold)
    ImFont* bar = nullptr;      // the top bar: one size at every text size, so it never moves
    float body_px = 0;
};

struct FontError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The folder holding NotoSans-Regular.ttf and NotoSans-Bold.ttf ($LAPOR_KIOSK_FONTS overrides).
std::string font_dir();

// Which characters an atlas holds. `first_frame`: what the attract screen shows in id and en
// (printable ASCII and the messages' punctuation; the title's letters in the huge font; nothing
// in the top bar's, which attract does not show), about a quarter of the atlas's pixels and so of
// its build time; the kiosk starts with it and builds `all` right after its first frame
// (docs/ui.md, start-up). Anything else shows as U+FFFD until then.
enum class GlyphSet { first_frame, all };

// Clears `atlas` and builds the fonts for `scale` (1.0 = reference sizes), the bar's font for
// `bar_scale`. Throws FontError.
Fonts build_fonts(ImFontAtlas& atlas, float scale, float bar_scale,
                  GlyphSet glyphs = GlyphSet::all);

}  // namespace lapor::ui
