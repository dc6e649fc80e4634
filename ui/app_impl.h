// The app's parts, composed: Platform (window, renderer, ImGui, fonts), Services (config, store,
// flows, printer), UiState (what only the screen knows), the pointer, and the loop. app.cpp runs
// the loop and the wipe, app_input.cpp turns SDL events into edits and taps, app_actions.cpp
// applies what the screens (ui/screens/) return. Internal to ui/.
#pragma once
#include <SDL.h>
#include <imgui.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app.h"
#include "platform.h"
#include "screens/view.h"
#include "services.h"
#include "voice.h"

namespace lapor::ui {

// Mouse or finger as ui/ feeds it to ImGui, and the timers that hang on a held pointer.
struct Pointer {
    ImVec2 pos{-1, -1};
    bool down = false;
    std::optional<std::int64_t> corner_down_since;  // held in the staff corner since
    bool backspace_held = false;
    std::int64_t backspace_next_ms = 0;
};

struct Loop {
    int frames_pending = 2;
    int frames_drawn = 0;
    bool first_presented = false;
    std::int64_t start_mono_ms = 0;
    std::int64_t last_frame_ms = 0;
    Screen last_screen = Screen::attract;
    bool staff_recorded = false;  // staff mode as last told to the store (record_staff_mode)
    bool wipe_pending = false;
    bool scrub_pending = false;  // the dead stack, after a wipe
    bool lock_shown = false;
    int receipt_shown_s = -1;
    printer::PrinterState printer_shown = printer::PrinterState::unknown;
    bool fonts_pending = false;  // set after the first frame too: its atlas has ASCII only
    bool stop = false;
    Uint32 last_input_ticks = 0;
    std::uint64_t watchdog_usec = 0;
    std::int64_t last_watchdog_ms = 0;
    std::vector<double> frame_times;
};

struct App::Impl {
    AppOptions opt;
    SystemClock system_clock;
    const Clock* clock = nullptr;
    Platform plat;
    Services k;
    UiState ui;
    Pointer pointer;
    Loop loop;
    WidgetRecord record;
    TextRecord texts;  // every text of the last frame, when recording (layout checks)
    bool record_texts = false;
    Actions actions;  // returned by the last frame's screen
    Voice voice;      // the speaker button and the audio guide (app_voice.cpp)
    SDL_Texture* qr_texture = nullptr;
    std::string qr_for;

    // app.cpp: lifecycle, the loop, the wipe
    void rebuild_fonts(GlyphSet glyphs = GlyphSet::all);
    void new_context();
    float style_scale() const;
    void wipe();
    void scrub_event_queue();
    void frame();
    void after_frame();
    int wait_budget_ms() const;
    bool wait_event(SDL_Event& e, int budget_ms);
    void timers();
    void prepare_qr();
    void notify_ready();
    void watchdog();
    Language lang() const;
    std::string tr(const char* msgid) const;

    // app_input.cpp: SDL events, and the edits every keyboard makes (ui/text_edit.h)
    // Handles one event; returns true when it changed the pointer button (end of this frame's
    // input, so a press and a release never fall in the same frame).
    bool handle_event(const SDL_Event& e);
    void edit_key(SDL_Keycode key);
    void type_text(const std::string& text);
    void keyboard_action(const KeyAction& a);
    // The focused buffer itself (no copy: a short copy would sit in an SSO buffer on the stack).
    const std::string& current_text() const;
    void set_text(std::string& text);  // takes `text` and leaves it zeroed
    std::size_t insert_cap() const;    // code points the focused field accepts from typing
    void focus_on(Input in);
    void activity();

    // app_voice.cpp: speech and the audio guide
    void start_voice();
    void log_speech_ready();  // once, when the speaker has loaded (for the log and ui_bench)
    std::string lang_code() const;
    std::vector<SpokenPart> screen_speech() const;  // what the speaker button says now
    screens::Overlay overlay() const;               // the panel over the screen, if any
    std::string overlay_speech() const;             // what it says ("" when none)
    void say(const std::string& text, bool queue, const std::string& code = "");
    void speak_screen();
    void voice_screen_changed(Screen now);
    void start_guide();
    std::string focus_speech(const std::string& id, const Rect& r) const;
    bool guide_event(const SDL_Event& e);  // true: the guide used the event
    void guide_frame();                    // focus upkeep, announcements and the ring

    // app_actions.cpp: what the screens returned, printing, staff mode
    void apply(const Action& a);
    void apply_intent(const Intent& i);
    void open_staff();  // the PIN pad, in the session's language
    void staff_go(StaffScreen s);
    void staff_exit(const char* why);
    void staff_submit_input();
    void check_status();
    std::string status_speech()
        const;  // what the status check's answer adds to the speech  // the status check's input
                // against the store (kiosk/status_check.h)
    void start_receipt_print();
    void poll_printer();
};

}  // namespace lapor::ui
