// Touch widgets drawn with ImGui primitives, each recording its rectangle by id for the frame
// (tests aim real SDL events at these rectangles). Citizen text is drawn with TextUnformatted-style
// calls that never copy it into ImGui's buffers.
#pragma once
#include <imgui.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "fonts.h"
#include "keyboard.h"
#include "theme.h"

namespace lapor::ui {

struct Rect {
    float x = 0, y = 0, w = 0, h = 0;
    // Partly scrolled out of its list: the rectangle is the visible part (taps aim there, and a
    // target that is only partly shown need not be 9 mm).
    bool clipped = false;
    // Entirely scrolled out of its list (the rectangle is where it would be), or under an
    // overlay panel's window: not on screen to a finger.
    bool hidden = false;
    // What the audio guide says for it (a button's or tile's label; never typed text) and
    // whether it shows as chosen.
    std::string label{};
    bool selected = false;
    float cx() const { return x + w / 2; }
    float cy() const { return y + h / 2; }
};

using WidgetRecord = std::map<std::string, Rect, std::less<>>;

// A text as laid out, for the layout checks (tests/ui/layout_check.h): where all of it goes,
// what of the screen its window shows, and what it must stay inside.
struct TextItem {
    Rect rect;  // its whole extent as laid out, before any clipping
    Rect clip;  // the part of the screen its window or list shows (the draw list's clip)
    // What it must lie inside: the overlay panel or banner it is in, the range a scrolling list
    // can bring into view, or the window. A text that labels a widget names it in `owner` and
    // must lie inside the widget instead.
    Rect panel;
    std::string owner;     // the widget it labels ("" for free text)
    bool in_list = false;  // in a scrolling list: may be scrolled partly out of view
    bool covered = false;  // under an overlay (the countdown, Bantuan, "Hapus laporan ini?")
    std::string excerpt;   // its first words, for the checks' messages
    float font_px = 0;     // its font's size (glyphs overhang their text by a part of it)
};
using TextRecord = std::vector<TextItem>;
using KeyLabels = std::map<KeyKind, std::string>;  // shown instead of a key's own label

enum class ButtonKind { normal, primary, selected, quiet };

struct Painter {
    const Palette& pal;
    const Fonts& fonts;
    WidgetRecord& record;
    float target_px;  // smallest touch target (9 mm)
    float s;          // layout scale (1.0 at 1280x800, 100 % text)
    // Every text drawn this frame is added here when set (layout checks; off in service).
    TextRecord* texts = nullptr;
    // Overlay panels and banners being drawn, innermost last: free text must stay inside.
    std::vector<Rect> panels{};

    void note(std::string_view id, ImVec2 pos, ImVec2 size);
    // An overlay's window now covers everything drawn so far: those widgets take no taps.
    void cover();
    // Adds a text laid out at `pos` with `size` to `texts` (when set); `owner` is the widget it
    // labels, if any.
    void record_text(ImFont* font, ImVec2 pos, ImVec2 size, std::string_view t,
                     std::string_view owner = {});
    // Draws `t` at `pos` (wrapped at `wrap`, 0: no wrap) into the window's draw list and records
    // it. Every text a screen draws goes through this or text(), so the checks see all of it.
    void draw_text(ImFont* font, ImVec2 pos, ImVec4 color, std::string_view t, float wrap,
                   std::string_view owner);
    // The label and chosen state of the widget just noted (for the audio guide).
    void label_last(std::string_view id, std::string_view label, bool selected);

    // A button at the cursor position; returns true when released over it. Shows its pressed
    // state while held. `held` (optional) reports whether it is held down this frame.
    bool button(std::string_view id, std::string_view label, ImVec2 size,
                ButtonKind kind = ButtonKind::normal, bool* held = nullptr, ImFont* font = nullptr);
    // A tile: a bold title and a plain explanation line (wrapped).
    bool tile(std::string_view id, std::string_view title, std::string_view explain, ImVec2 size,
              bool selected);
    // A text field showing `value` (wrapped when `multiline`) with the cursor when focused.
    // Returns true when tapped.
    bool field(std::string_view id, const std::string& value, std::size_t cursor, bool focused,
               bool multiline, ImVec2 size, bool masked = false);
    // Wrapped text at the cursor in the given colour and font (no copy of the text). `owner`:
    // the widget it labels when it is part of a touch target (a field's label).
    void text(std::string_view t, ImVec4 color, ImFont* font = nullptr, float wrap_width = 0,
              std::string_view owner = {});
    // Vertical space, keeping the cursor's x.
    void gap(float h);
    // A coloured banner across `width`.
    void banner(std::string_view t, float width);
    // The on-screen keyboard filling `area` (top-left + size); returns the key pressed, if any,
    // and whether the backspace key is held (for repeat).
    const Key* keyboard(const Keyboard& kb, ImVec2 pos, ImVec2 size, bool* backspace_held,
                        bool* backspace_pressed_now, const KeyLabels* labels = nullptr);
};

// Height of one line of `font`, and the size of `t` wrapped at `wrap` (0: no wrap).
ImVec2 text_size(ImFont* font, std::string_view t, float wrap = 0);

}  // namespace lapor::ui
