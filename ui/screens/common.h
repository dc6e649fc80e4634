// What the screens share: the top bar (title, language, text size, contrast, cancel), the bottom
// bar (back, next), validation messages, the keyboard, finger scrolling, and staff mode's tabs.
#pragma once
#include <imgui.h>

#include <optional>
#include <string>

#include "view.h"

namespace lapor::ui::screens {

inline constexpr ImGuiWindowFlags fixed_window =
    ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;

extern const char* const month_ids[12];

// The frame of a citizen screen below the top bar.
struct Layout {
    float s = 1;          // layout scale times text size
    float margin = 40;    // left and right
    float content_w = 0;  // between the margins
    float top = 0;        // below the top bar
    float bottom = 0;     // above the bottom bar
};
Layout layout(const Painter& p, const View& v, float top);

// Drags the current child window's content with the finger (touch screens have no wheel).
void drag_scroll();
// Whether the current child window has more below what shows (call before EndChild).
bool more_below();
// "Geser ke atas untuk melihat bagian berikutnya" between Kembali and Lanjut, for a page whose
// lower part is out of sight.
void scroll_hint(Painter& p, const View& v);
// The height the flow's message for `f` takes under its field (0 when there is none to show).
float problem_height(const Painter& p, const View& v, Field f, float width);

float toggle_button_width(const Painter& p, std::string_view label);
// The language's code as its toggle shows it: "ID", "EN", "JV".
std::string toggle_label(const LanguageFile& l);
float language_toggle_width(const Painter& p, const View& v);
// One toggle per offered language (ID/EN/...) at `pos`, buttons `bh` high; returns the language
// tapped, if any.
std::optional<Language> language_toggle(Painter& p, const View& v, ImVec2 pos, float bh);

// Batal on the left; Bantuan, language, text size and contrast on the right (the top-right
// corner stays free: holding it opens staff mode); below them the step and the title. Returns
// where the content starts.
float top_bar(Painter& p, const View& v, const std::string& title, Actions& out,
              bool cancel = true);
void bottom_bar(Painter& p, const View& v, bool back, bool next, Actions& out,
                const char* next_label = nullptr);
// The flow's message for `f` under its field (unless typed in since the flow judged it).
void problem_for(Painter& p, const View& v, Field f, float width);
// A field's label that is part of its touch target: tapping it focuses the field `in`.
void field_label(Painter& p, const View& v, const std::string& field_id, const std::string& label,
                 float width, Input in, Actions& out);
// The on-screen keyboard from `top` to the bottom of the screen.
void keyboard(Painter& p, const View& v, float top, Actions& out);

// Staff mode: the tabs, exit and ID/EN; returns where the content starts.
float staff_bar(Painter& p, const View& v, Actions& out);
// Staff text also recorded as "text:<line>" so tests read what is on screen.
void staff_line(Painter& p, const std::string& t, ImVec4 color, ImFont* font, float w);
std::string staff_text(const View& v, const StaffMessage& m);
// A time in the office's time zone, e.g. "2026-11-29 14:05 WIB".
std::string office_time(const View& v, std::int64_t unix_s);

}  // namespace lapor::ui::screens
