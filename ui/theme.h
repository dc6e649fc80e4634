// The two themes (standard and high contrast) as palettes applied to the live ImGui style, and
// the WCAG 2.x contrast check the tests run on what is actually applied.
#pragma once
#include <string>
#include <vector>

#include <imgui.h>

namespace lapor::ui {

enum class ThemeKind { standard, high_contrast };

struct Palette {
    ImVec4 bg, text, muted;                         // screen background, text, secondary text
    ImVec4 panel, panel_text;                       // cards, review sections
    ImVec4 button, button_text, button_pressed;     // ordinary buttons
    ImVec4 primary, primary_text, primary_pressed;  // Next, Submit, Start
    ImVec4 selected, selected_text;                 // the chosen tile or list item
    ImVec4 field, field_text, field_border;         // text fields
    ImVec4 error;                                   // validation messages (on bg)
    ImVec4 warn_bg, warn_text;                      // banners (printer warning)
    ImVec4 overlay;                                 // behind the idle countdown
};

Palette palette(ThemeKind k);

// Sets the current context's style colours, paddings and sizes. `target_px` is the smallest
// touch target (9 mm at the display's dpi).
void apply_theme(const Palette& p, float target_px, float scale);

double contrast_ratio(ImVec4 a, ImVec4 b);

struct ColorPair {
    std::string name;
    ImVec4 fg, bg;
};
// Every text/background pair the screens draw: ImGui's own (from the live style) and the
// palette's.
std::vector<ColorPair> text_pairs(const ImGuiStyle& live, const Palette& p);

}  // namespace lapor::ui
