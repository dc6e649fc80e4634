// The app's state, shared by app.cpp (lifecycle and loop), app_input.cpp (SDL events),
// screens.cpp and screens_staff.cpp (drawing). Internal to ui/.
#pragma once
#include <SDL.h>
#include <imgui.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app.h"
#include "catalog.h"
#include "config.h"
#include "doctor.h"
#include "flow.h"
#include "fonts.h"
#include "i18n.h"
#include "keyboard.h"
#include "print_service.h"
#include "receipt.h"
#include "staff.h"
#include "store.h"
#include "submit.h"
#include "theme.h"
#include "widgets.h"

namespace lapor::ui {

// Which text the keyboard edits: a flow field, the agency search, or a staff input.
enum class Input { none, title, body, location, name, phone, email, nik, search, staff };
std::optional<Field> field_of(Input in);

struct PrintView {
    enum class Phase { idle, printing, done } phase = Phase::idle;
    printer::JobId job = 0;
    std::optional<printer::JobOutcome> outcome;
    std::string tracking;         // the receipt it is for
    bool forced_failure = false;  // the screenshot tour's failure screen
};

struct StaffView {
    std::string input;  // the PIN digits, a scanned URL, or a tracking code (App::cursor edits it)
    std::string message;  // the last result, one sentence
    bool message_bad = false;
    std::optional<Verification> verification;
    std::optional<ReportView> looked_up;
    std::optional<printer::JobId> job;
    std::string job_what;
    std::optional<std::vector<Check>> checks;  // diagnostics, run when the tab opens
    // The queue tab's data, read from the store when the tab opens (and on Refresh), not per frame.
    struct Queue {
        QueueCounts counts;
        std::vector<ReportView> rejected, conflict;
    };
    std::optional<Queue> queue;
    std::string store_error;  // a StoreError from the last staff look-up, shown on screen
    // Staff mode's language: the session's when staff mode opened, then the ID/EN toggle.
    std::optional<Language> language;
};

struct App::Impl {
    AppOptions opt;
    SystemClock system_clock;
    const Clock* clock = nullptr;

    // SDL and ImGui
    SDL_Window* window = nullptr;
    SDL_Renderer* renderer = nullptr;
    SDL_Texture* font_texture = nullptr;
    std::unique_ptr<ImFontAtlas> atlas;
    ImGuiContext* ctx = nullptr;
    Fonts fonts;
    float layout_scale = 1.0f;  // 1.0 at 1280x800
    float target_px = 34.0f;    // 9 mm at display.dpi
    WidgetRecord record;

    // The kiosk
    std::string oos_error;  // non-empty: out of service, with the technical reason
    Messages messages;
    bool messages_loaded = false;
    std::optional<Config> config;
    std::unique_ptr<Store> store;
    std::unique_ptr<Catalog> catalog;  // replaced between citizens when sync installs a new one
    std::optional<Submitter> submitter;
    std::unique_ptr<Flow> flow;
    std::unique_ptr<printer::PrintService> printer;
    Keyring keyring;
    std::unique_ptr<StaffSession> staff;

    // What only the screen knows (reset for each citizen)
    ThemeKind theme = ThemeKind::standard;
    int text_step = 0;
    Input focus = Input::none;
    std::size_t cursor = 0;
    Keyboard keyboard;
    std::string search;
    // Fields typed in since the flow last judged them: their old message would mislead.
    std::vector<Field> edited_since_check;
    StaffView staff_view;
    PrintView print;
    SDL_Texture* qr_texture = nullptr;
    int qr_size = 0;
    std::string qr_for;

    // Pointer (mouse or finger) as ui/ feeds it to ImGui
    ImVec2 pointer{-1, -1};
    bool pointer_down = false;
    std::optional<std::int64_t> corner_down_since;
    bool backspace_held = false;
    std::int64_t backspace_next_ms = 0;

    // The loop
    int frames_pending = 2;
    int frames_drawn = 0;
    bool first_presented = false;
    std::int64_t start_mono_ms = 0;
    std::int64_t last_frame_ms = 0;
    Screen last_screen = Screen::attract;
    bool wipe_pending = false;
    bool lock_shown = false;
    bool fonts_pending = false;
    bool stop = false;
    std::vector<Intent> intents;
    std::uint64_t watchdog_usec = 0;
    std::int64_t last_watchdog_ms = 0;
    std::vector<double> frame_times;

    // app.cpp
    void boot();
    void init_sdl();
    void init_imgui();
    void new_context();
    void rebuild_fonts();
    void wipe();
    void refresh_catalog();
    void scrub_event_queue();
    void frame();
    void after_frame();
    int wait_budget_ms() const;
    bool wait_event(SDL_Event& e, int budget_ms);
    bool blocking_wait = false;
    Uint32 last_input_ticks = 0;
    void poll_printer();
    void start_receipt_print();
    void notify_ready();
    void watchdog();

    // app_input.cpp
    // Handles one event; returns true when it changed the pointer button (end of this frame's
    // input, so a press and a release never fall in the same frame).
    bool handle_event(const SDL_Event& e);
    void edit_key(SDL_Keycode key);
    void type_text(const std::string& text);
    void apply(const Intent& i);
    void keyboard_action(const KeyAction& a);
    // The focused buffer itself (no copy: a short copy would sit in an SSO buffer on the stack).
    const std::string& current_text() const;
    void set_text(std::string& text);  // takes `text` and leaves it zeroed
    std::size_t insert_cap() const;    // code points the focused field accepts from typing
    void focus_on(Input in);
    void activity();
    void staff_submit_input();
    void staff_load_tab();  // reads the open tab's data (queue, diagnostics) from the store

    // screens.cpp, screens_staff.cpp
    std::string tr(const char* msgid) const;
    Language lang() const;
    void draw();
    void draw_out_of_service(Painter& p);
    void draw_citizen(Painter& p);
    void draw_countdown(Painter& p);
    void draw_staff(Painter& p);
    void draw_keyboard(Painter& p, float top);
    float top_bar(Painter& p, const std::string& title);  // returns where content starts
    // The ID/EN toggle at `pos`, buttons `bh` high; returns the language tapped, if any.
    // language_toggle_width() is the width it takes.
    std::optional<Language> language_toggle(Painter& p, ImVec2 pos, float bh);
    float language_toggle_width(const Painter& p) const;
    void open_staff();  // the PIN pad, a fresh StaffView in the session's language
    void bottom_bar(Painter& p, bool back, bool next, const char* next_label = nullptr);
    void problem_for(Painter& p, Field f, float width);
};

}  // namespace lapor::ui
