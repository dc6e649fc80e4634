// Lifecycle and loop of lapor-kiosk: construction, the loop turn and its timers, the wipe,
// systemd. The parts are in app_impl.h.
#include "app.h"

#include <systemd/sd-daemon.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "app_impl.h"
#include "backend_sdlrenderer.h"
#include "crypto.h"
#include "qr_texture.h"
#include "screens/screens.h"
#include "session_metrics.h"
#include "startup_trace.h"
#include "zeroing_alloc.h"

namespace lapor::ui {

namespace {
std::atomic<bool> stop_requested{false};
}

void request_stop() { stop_requested.store(true); }

// ------------------------------------------------------------------------- fonts, context
float App::Impl::style_scale() const {
    return plat.layout_scale * (1.0f + 0.25f * static_cast<float>(ui.text_step));
}

void App::Impl::rebuild_fonts(GlyphSet glyphs) {
    const float text = 1.0f + 0.25f * static_cast<float>(ui.text_step);
    const double dpi = k.config ? k.config->display.dpi : 96.0;
    const double base_text = k.config ? k.config->display.text_scale : 1.0;
    std::string font_error;
    // The top bar's words stay at 125 % whatever the citizen's text size, so it never moves.
    plat.rebuild_fonts(text * static_cast<float>(base_text), 1.25f * static_cast<float>(base_text),
                       dpi, font_error, glyphs);
    if (!font_error.empty() && k.oos_error.empty()) k.oos_error = font_error;
    loop.fonts_pending = false;
}

void App::Impl::new_context() { plat.new_context(ui.theme, style_scale()); }

Language App::Impl::lang() const {
    if (k.in_staff()) return k.staff->language();
    return k.flow ? k.flow->language() : Language::id;
}

std::string App::Impl::tr(const char* msgid) const {
    const std::string id = msgid;
    return k.messages.tr(lang(), id);
}

// ------------------------------------------------------------------------------ the wipe
namespace {
// Short strings (up to 15 bytes: a name, a phone number) live inside std::string's own buffer,
// so copies made while typing sit in stack frames the zeroing delete never sees. The loop calls
// this at the top of the turn after a wipe (not inside wipe(): that frame and the ones above it
// would keep whatever they hold; under ASan the frames are larger and one did), so zeroing a
// large area below the loop overwrites every dead frame that handled the citizen's input.
[[gnu::noinline]] void scrub_stack() {
    volatile char area[256 * 1024];
    explicit_bzero(const_cast<char*>(area), sizeof area);
    asm volatile("" : : "r"(area) : "memory");
}
}  // namespace

// Everything the citizen typed goes, including ImGui's own buffers (a new context; the zeroing
// allocator cleans the old one's memory as it is freed), and the dead stack below us.
void App::Impl::wipe() {
    loop.scrub_pending = true;  // the stack, from the top of the next turn
    secure_clear(ui.search);
    secure_clear(ui.staff_input);
    secure_clear(ui.status_input);
    ui.status.reset();
    ui.status_store_error = false;
    // The guide echoed letters and read back words: the next citizen must not find them.
    for (auto& said : voice.said) secure_clear(said);
    voice.said.clear();
    ui.edited_since_check.clear();
    ui.focus = Input::none;
    ui.cursor = 0;
    ui.keyboard.reset();
    ui.print = PrintView{};
    ui.staff_job.reset();
    ui.confirm_cancel = false;
    ui.help = false;
    ui.date_note.clear();
    if (qr_texture) SDL_DestroyTexture(qr_texture);
    qr_texture = nullptr;
    secure_clear(qr_for);
    ui.theme = ThemeKind::standard;  // the next citizen starts with the defaults
    if (ui.text_step != 0) {
        ui.text_step = 0;
        loop.fonts_pending = true;
    }
    plat.destroy_context();
    scrub_event_queue();
    if (loop.fonts_pending) rebuild_fonts();
    new_context();
    loop.wipe_pending = false;
    loop.frames_pending = 2;
}

// Text typed on a physical keyboard or scanner arrived in SDL_TEXTINPUT events; SDL recycles
// its event slots without zeroing them. Queuing and dropping blank events overwrites the
// recently used slots (SDL reuses the most recently freed first).
void App::Impl::scrub_event_queue() {
    SDL_Event blank;
    SDL_memset(&blank, 0, sizeof blank);
    blank.type = SDL_USEREVENT;
    for (int i = 0; i < 512; ++i) SDL_PushEvent(&blank);
    SDL_FlushEvent(SDL_USEREVENT);
}

// -------------------------------------------------------------------------------- systemd
void App::Impl::notify_ready() {
    if (loop.first_presented) return;
    loop.first_presented = true;
    loop.fonts_pending = true;  // every glyph, next turn (the first atlas has ASCII only)
    if (voice.speaker) voice.speaker->start();
    const auto ms = clock->mono_ms() - loop.start_mono_ms;
    startup_trace().close();
    if (!opt.quiet)
        std::fprintf(stderr, "lapor-kiosk: first frame after %lld ms (%s); start-up ms: %s\n",
                     static_cast<long long>(ms),
                     k.oos_error.empty() ? "in service" : "out of service",
                     startup_trace().summary().c_str());
    if (opt.systemd) sd_notify(0, "READY=1");
    // After READY, so the store write never delays it: for monitoring and fleet updates.
    if (k.store && k.oos_error.empty()) {
        try {
            record_ui_start(*k.store, ms);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "lapor-kiosk: cannot record the start: %s\n", e.what());
        }
    }
}

void App::Impl::watchdog() {
    if (!opt.systemd || loop.watchdog_usec == 0) return;
    const auto now = system_clock.mono_ms();
    if (now - loop.last_watchdog_ms < static_cast<std::int64_t>(loop.watchdog_usec / 4000)) return;
    loop.last_watchdog_ms = now;
    sd_notify(0, "WATCHDOG=1");
}

// ----------------------------------------------------------------------------------- loop
// SDL_WaitEventTimeout really blocks only where the video driver can wake it (x11, wayland);
// elsewhere (kmsdrm, dummy, offscreen) SDL polls every millisecond. There we poll ourselves in
// longer slices: 10 ms for two seconds after input, then 30 ms (a first touch waits at most that).
bool App::Impl::wait_event(SDL_Event& e, int budget_ms) {
    if (plat.blocking_wait) return SDL_WaitEventTimeout(&e, budget_ms) != 0;
    const Uint32 start = SDL_GetTicks();
    for (;;) {
        SDL_PumpEvents();
        if (SDL_PeepEvents(&e, 1, SDL_GETEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0) {
            loop.last_input_ticks = SDL_GetTicks();
            return true;
        }
        const Uint32 now = SDL_GetTicks();
        const Uint32 spent = now - start;
        if (spent >= static_cast<Uint32>(budget_ms) || stop_requested.load()) return false;
        const Uint32 slice = now - loop.last_input_ticks < 2000 ? 10 : 30;
        SDL_Delay(std::min(slice, static_cast<Uint32>(budget_ms) - spent));
    }
}

int App::Impl::wait_budget_ms() const {
    if (loop.frames_pending > 0 || loop.wipe_pending) return 0;
    std::int64_t wait = 250;  // SIGTERM is noticed within this
    if (loop.watchdog_usec)
        wait = std::min<std::int64_t>(wait, static_cast<std::int64_t>(loop.watchdog_usec / 2000));
    if (k.flow) {
        if (auto t = k.flow->next_timer_ms()) wait = std::min(wait, *t + 1);
        if (k.flow->countdown_left_s() || k.flow->receipt_left_s())
            wait = std::min<std::int64_t>(wait, 200);
    }
    if (k.staff) {
        if (auto t = k.staff->next_timer_ms()) wait = std::min(wait, *t + 1);
        if (k.staff->locked_for_s()) wait = std::min<std::int64_t>(wait, 500);
    }
    if (ui.print.phase == PrintView::Phase::printing || ui.staff_job)
        wait = std::min<std::int64_t>(wait, 50);
    if (pointer.corner_down_since || pointer.backspace_held)
        wait = std::min<std::int64_t>(wait, 50);
    return static_cast<int>(std::max<std::int64_t>(wait, 0));
}

// The QR code on screen as a texture, made once per link before the screen draws it: the
// receipt's, or the verify link the status check offers for another kiosk's code.
void App::Impl::prepare_qr() {
    const std::string* url = nullptr;
    if (k.flow && k.flow->screen() == Screen::receipt && k.flow->receipt())
        url = &k.flow->receipt()->qr_url;
    if (k.flow && k.flow->screen() == Screen::status && ui.status && !ui.status->verify_url.empty())
        url = &ui.status->verify_url;
    if (!url || qr_for == *url) return;
    if (qr_texture) SDL_DestroyTexture(qr_texture);
    int qr_size = 0;
    qr_texture = make_qr_texture(plat.renderer, *url, qr_size);
    qr_for = *url;
}

void App::Impl::frame() {
    ImGui::SetCurrentContext(plat.ctx);
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = plat.size();
    io.DisplayFramebufferScale = ImVec2(1, 1);
    const auto now = clock->mono_ms();
    io.DeltaTime = loop.last_frame_ms
                       ? std::max(0.001f, static_cast<float>(now - loop.last_frame_ms) / 1000.0f)
                       : 1.0f / 60.0f;
    loop.last_frame_ms = now;
    // ui/ is the platform backend: the pointer comes from SDL mouse and finger events.
    io.MousePos = pointer.pos;
    io.MouseDown[0] = pointer.down;
    for (int i = 1; i < 5; ++i) io.MouseDown[i] = false;
    prepare_qr();
    ImGui::NewFrame();
    record.clear();
    const Palette pal = palette(ui.theme);
    texts.clear();
    Painter p{
        pal, plat.fonts, record, plat.target_px, style_scale(), record_texts ? &texts : nullptr};
    const View v{k.messages,
                 k.messages_loaded,
                 lang(),
                 k.flow.get(),
                 k.staff.get(),
                 k.catalog.get(),
                 k.config ? &*k.config : nullptr,
                 ui,
                 plat.fonts,
                 plat.target_px,
                 plat.layout_scale,
                 io.DisplaySize,
                 k.printer_state(),
                 k.printer_readable,
                 static_cast<ImTextureID>(qr_texture),
                 k.oos_error,
                 k.status.get(),
                 clock->now_ms(),
                 &k.languages};
    Actions out = screens::draw(p, v);
    guide_frame();
    actions.insert(actions.end(), std::make_move_iterator(out.begin()),
                   std::make_move_iterator(out.end()));
    ImGui::Render();
    SDL_SetRenderDrawColor(plat.renderer, static_cast<Uint8>(pal.bg.x * 255),
                           static_cast<Uint8>(pal.bg.y * 255), static_cast<Uint8>(pal.bg.z * 255),
                           255);
    SDL_RenderClear(plat.renderer);
    backend::render(plat.renderer, ImGui::GetDrawData());
    ++loop.frames_drawn;
}

void App::Impl::after_frame() {
    Actions todo;
    todo.swap(actions);
    bool changed = false;
    for (const auto& a : todo) {
        // The keyboard reports its backspace every frame; only a change needs a new frame.
        changed = changed || !std::holds_alternative<act::Backspace>(a);
        apply(a);
    }
    // Three frames: ImGui sizes scroll regions from the previous frame's content.
    if (changed) loop.frames_pending = std::max(loop.frames_pending, 3);
}

// Timers: the held corner, backspace repeat, the flow's idle/receipt timers, staff timeout.
void App::Impl::timers() {
    const auto now = clock->mono_ms();
    if (pointer.corner_down_since && k.staff && !k.staff->active() && k.flow &&
        now - *pointer.corner_down_since >= StaffFlow::hold_ms) {
        pointer.corner_down_since.reset();
        pointer.down = false;
        open_staff();
        loop.frames_pending = 2;
    }
    if (pointer.backspace_held && now >= pointer.backspace_next_ms) {
        keyboard_action(KeyAction{KeyAction::backspace, ""});
        pointer.backspace_next_ms = now + 80;
        loop.frames_pending = std::max(loop.frames_pending, 1);
    }
    if (k.flow && !k.in_staff()) {
        const bool had_countdown = k.flow->countdown_left_s().has_value();
        if (k.flow->tick()) loop.frames_pending = 2;
        if (had_countdown || k.flow->countdown_left_s())
            loop.frames_pending = std::max(loop.frames_pending, 1);
    }
    if (const auto left = k.flow ? k.flow->receipt_left_s() : std::nullopt) {
        // The receipt screen's count-down shows whole seconds.
        const int shown = static_cast<int>(std::ceil(*left));
        if (shown != loop.receipt_shown_s) loop.frames_pending = std::max(loop.frames_pending, 1);
        loop.receipt_shown_s = shown;
    }
    if (k.staff && k.staff->screen() == StaffScreen::pin) {
        // The lockout's seconds count down on screen, and its end must show.
        const bool locked = k.staff->locked_for_s().has_value();
        if (locked || locked != loop.lock_shown)
            loop.frames_pending = std::max(loop.frames_pending, 1);
        loop.lock_shown = locked;
    }
    if (k.staff && k.staff->tick()) {
        loop.wipe_pending = true;
        loop.frames_pending = 2;
    }
    poll_printer();
    log_speech_ready();
    // The attract warning and the staff printer screen follow the printer's state as the print
    // service learns it (at boot, after each job), without waiting for a touch.
    if (const auto ps = k.printer_state(); ps != loop.printer_shown) {
        loop.printer_shown = ps;
        loop.frames_pending = std::max(loop.frames_pending, 1);
    }
    if (k.flow && k.flow->screen() != loop.last_screen) {
        const Screen before = loop.last_screen;
        loop.last_screen = k.flow->screen();
        // Session counters and the `screen` health fact (kiosk/session_metrics.h). A store
        // that cannot be written costs the counters, never the citizen's session.
        if (k.store) {
            try {
                record_screen_change(*k.store, before, loop.last_screen);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "lapor-kiosk: cannot count the session: %s\n", e.what());
            }
        }
        ui.focus = Input::none;
        ui.help = false;
        ui.date_note.clear();
        ui.keyboard.reset();
        if (loop.last_screen == Screen::attract && before != Screen::attract) {
            loop.wipe_pending = true;
            if (k.printer) k.printer->request_status();
        }
        if (loop.last_screen == Screen::receipt) start_receipt_print();
        // The status check's input takes what a scanner types from the start.
        if (loop.last_screen == Screen::status) focus_on(Input::status);
        voice_screen_changed(loop.last_screen);
        loop.frames_pending = 2;
    }
    // Staff at the kiosk keep a fleet update from rebooting it (kiosk/session_metrics.h).
    if (k.store && k.staff && k.staff->active() != loop.staff_recorded) {
        loop.staff_recorded = k.staff->active();
        try {
            record_staff_mode(*k.store, loop.staff_recorded, loop.last_screen);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "lapor-kiosk: cannot record staff mode: %s\n", e.what());
        }
    }
}

bool App::turn(int wait_ms) {
    Impl& m = *impl_;
    if (stop_requested.load()) m.loop.stop = true;
    if (m.loop.stop) return false;
    if (m.loop.wipe_pending) m.wipe();
    if (m.loop.scrub_pending) {  // wipe() has returned: its frame is dead too
        scrub_stack();
        m.loop.scrub_pending = false;
    }
    if (m.loop.fonts_pending) {
        m.plat.destroy_context();
        m.rebuild_fonts();
        m.new_context();
        m.loop.frames_pending = 2;
    }
    const int budget = std::min(wait_ms, m.wait_budget_ms());
    SDL_Event e;
    bool got = budget > 0 ? m.wait_event(e, budget) : SDL_PollEvent(&e) != 0;
    while (got) {
        if (m.handle_event(e)) break;  // one pointer transition per frame
        got = SDL_PollEvent(&e) != 0;
    }
    SDL_memset(&e, 0, sizeof e);  // it may have carried typed text
    if (stop_requested.load()) m.loop.stop = true;
    m.timers();
    if (m.loop.wipe_pending) return true;  // wipe before drawing anything more
    if (m.loop.frames_pending > 0) {
        const Uint64 t0 = SDL_GetPerformanceCounter();
        startup_trace().mark("events");
        m.frame();
        startup_trace().mark("draw");
        SDL_RenderPresent(m.plat.renderer);
        startup_trace().mark("present");
        if (m.loop.frame_times.size() < 100000)
            m.loop.frame_times.push_back(static_cast<double>(SDL_GetPerformanceCounter() - t0) *
                                         1000.0 /
                                         static_cast<double>(SDL_GetPerformanceFrequency()));
        m.notify_ready();
        --m.loop.frames_pending;
        m.after_frame();
    }
    m.watchdog();
    return !m.loop.stop;
}

// After a wipe the dead stack is zeroed from the loop itself, above turn() (whose frame could
// hold what the previous turns left); turn() does it at its top when called alone.
void App::settle() {
    for (int i = 0; i < 200; ++i) {
        turn(0);
        if (impl_->loop.scrub_pending) {
            scrub_stack();
            impl_->loop.scrub_pending = false;
        }
        if (impl_->loop.frames_pending == 0 && !impl_->loop.wipe_pending &&
            !SDL_HasEvents(SDL_FIRSTEVENT, SDL_LASTEVENT))
            return;
    }
}

int App::run() {
    while (turn(1000)) {
        if (impl_->loop.scrub_pending) {
            scrub_stack();
            impl_->loop.scrub_pending = false;
        }
    }
    return 0;
}

// ---------------------------------------------------------------------------- construction
App::App(AppOptions o) : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    m.opt = std::move(o);
    m.clock = m.opt.clock ? m.opt.clock : &m.system_clock;
    m.loop.start_mono_ms = m.clock->mono_ms();
    (void)zeroed_bytes();  // links the zeroing operator new/delete
    m.k.boot(m.opt.config_path, *m.clock);
    install_imgui_zeroing_allocator();
    m.plat.init_sdl(!m.opt.windowed && (!m.k.config || m.k.config->display.fullscreen), m.opt.width,
                    m.opt.height);
    // The first frame's atlas holds only what the attract screen shows; the full one is built in
    // the turn after the first frame is presented (notify_ready).
    m.rebuild_fonts(GlyphSet::first_frame);
    m.new_context();
    startup_trace().mark("context");
    m.start_voice();  // the voice data loads on the speaker's own thread
    startup_trace().mark("voice");
    if (m.opt.systemd) {
        std::uint64_t usec = 0;
        if (sd_watchdog_enabled(0, &usec) > 0) m.loop.watchdog_usec = usec;
    }
}

App::~App() {
    Impl& m = *impl_;
    m.k.printer.reset();      // joins the print worker
    m.voice.speaker.reset();  // joins the speech worker, closes the audio device
    if (m.qr_texture) SDL_DestroyTexture(m.qr_texture);
    m.plat.close();
    SDL_Quit();
    if (m.k.flow) m.k.flow->apply(intent::Cancel{});
}

// ------------------------------------------------------------------------------- accessors
const WidgetRecord& App::widgets() const { return impl_->record; }
void App::record_texts(bool on) {
    impl_->record_texts = on;
    impl_->loop.frames_pending = std::max(impl_->loop.frames_pending, 1);
}
const TextRecord& App::texts() const { return impl_->texts; }
bool App::countdown_showing() const {
    return impl_->k.flow && impl_->k.flow->countdown_left_s().has_value();
}
std::string App::out_of_service_error() const { return impl_->k.oos_error; }
int App::frames_drawn() const { return impl_->loop.frames_drawn; }
const std::vector<double>& App::frame_times_ms() const { return impl_->loop.frame_times; }
SDL_Window* App::window() const { return impl_->plat.window; }
SDL_Renderer* App::renderer() const { return impl_->plat.renderer; }
Flow* App::flow() { return impl_->k.flow.get(); }
std::vector<std::pair<std::string, std::string>> App::speech_text() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& p : impl_->screen_speech()) out.emplace_back(p.text, p.language);
    return out;
}
const std::vector<std::string>& App::spoken() const { return impl_->voice.said; }
bool App::guide_on() const { return impl_->voice.guide.on; }
std::string App::guide_focus() const { return impl_->voice.guide.focus; }
std::string App::speech_status() const {
    return impl_->voice.speaker ? impl_->voice.speaker->status() : "speech is off (ui.speech)";
}
speech::Speaker* App::speaker() { return impl_->voice.speaker.get(); }

std::string App::screen_name() const {
    const Impl& m = *impl_;
    if (!m.k.oos_error.empty()) return "out_of_service";
    if (m.k.in_staff()) return std::string(to_string(m.k.staff->screen()));
    return std::string(to_string(m.k.flow->screen()));
}

void App::set_theme_high_contrast(bool on) {
    impl_->ui.theme = on ? ThemeKind::high_contrast : ThemeKind::standard;
    ImGui::SetCurrentContext(impl_->plat.ctx);
    apply_theme(palette(impl_->ui.theme), impl_->plat.target_px, impl_->style_scale());
    impl_->loop.frames_pending = 2;
}

void App::set_text_scale_step(int step) {
    if (impl_->ui.text_step == step) return;
    impl_->ui.text_step = step;
    impl_->loop.fonts_pending = true;
}

void App::set_print_failure_for_tour(const std::string& detail) {
    impl_->ui.print.phase = PrintView::Phase::done;
    impl_->ui.print.outcome = printer::JobOutcome{printer::JobResult::paper_out,
                                                  printer::PrinterState::paper_out, detail};
    impl_->loop.frames_pending = 2;
}

std::string App::capture_rgba(int& w, int& h) {
    Impl& m = *impl_;
    for (int i = 0; i < 3; ++i) turn(0);
    for (int i = 0; i < 2; ++i) {  // scroll regions size themselves from the previous frame
        m.frame();
        SDL_RenderPresent(m.plat.renderer);
    }
    m.frame();
    SDL_GetRendererOutputSize(m.plat.renderer, &w, &h);
    std::string px(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4, '\0');
    SDL_RenderReadPixels(m.plat.renderer, nullptr, SDL_PIXELFORMAT_ABGR8888, px.data(), w * 4);
    SDL_RenderPresent(m.plat.renderer);
    m.after_frame();
    return px;
}

}  // namespace lapor::ui
