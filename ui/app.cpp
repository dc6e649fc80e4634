// Lifecycle and loop of lapor-kiosk. Sections: boot (config, store, keys, catalog, printer),
// SDL + ImGui setup, the wipe, the loop turn, printing, systemd.
#include "app.h"

#include <systemd/sd-daemon.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "app_impl.h"
#include "backend_sdlrenderer.h"
#include "crypto.h"
#include "identity.h"
#include "qr_texture.h"
#include "result_text.h"
#include "share.h"
#include "zeroing_alloc.h"

namespace lapor::ui {

namespace {
std::atomic<bool> stop_requested{false};
}

void request_stop() { stop_requested.store(true); }

// ---------------------------------------------------------------------------------- boot
void App::Impl::boot() {
    try {
        messages = Messages::load_dir(po_dir());
        messages_loaded = true;
    } catch (const std::exception& e) {
        oos_error = std::string("message catalogs: ") + e.what();
        return;
    }
    try {
        config = load_config(opt.config_path.empty() ? default_config_path() : opt.config_path);
        crypto_init();
        const Config& c = *config;
        std::filesystem::create_directories(c.kiosk.data_dir);
        store = open_store(c.db_path(), *clock);
        const KeyPair device = load_device_key(c.device_key_path());
        keyring.add(KeyringEntry{c.kiosk.id, c.kiosk.code_prefix, device.public_key});
        if (auto stored = store->current_catalog())
            catalog = std::make_unique<Catalog>(Catalog::parse(stored->json));
        else
            catalog = std::make_unique<Catalog>(Catalog::load_file(default_catalog_path()));
        submitter.emplace(*store, SubmitContext::from(c, device), *clock);
        FlowSettings fs;
        fs.idle_timeout_ms = static_cast<std::int64_t>(c.session.idle_timeout_s * 1000);
        fs.countdown_ms = static_cast<std::int64_t>(c.session.countdown_s * 1000);
        fs.receipt_screen_ms = static_cast<std::int64_t>(c.session.receipt_screen_s * 1000);
        fs.time_zone = c.time_zone();
        fs.default_language = c.kiosk.languages.empty() || c.kiosk.languages.front() == "id"
                                  ? Language::id
                                  : Language::en;
        flow = std::make_unique<Flow>(fs, *clock, *catalog, [this](const ReportDraft& d) {
            return submitter->submit(d, *catalog);
        });
        staff = std::make_unique<StaffSession>(config->staff, *clock, store.get());
        printer = printer::start_print_service(c, *clock);
        printer->request_status();
    } catch (const std::exception& e) {
        oos_error = e.what();
        flow.reset();
        printer.reset();
    }
}

// ------------------------------------------------------------------------- SDL and ImGui
void App::Impl::init_sdl() {
    const char* driver = SDL_getenv("SDL_VIDEODRIVER");
    const std::string drv = driver ? driver : "";
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");  // SIGTERM is ours: lockdown ignores SDL_QUIT
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");  // one tap is one tap
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    if (drv == "kmsdrm") {
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "opengles2");  // KMSDRM has no window framebuffer
    } else {
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0)
        throw std::runtime_error(std::string("SDL could not start: ") + SDL_GetError());
    const bool fullscreen =
        !opt.windowed && (!config || config->display.fullscreen) && drv != "dummy";
    Uint32 flags = SDL_WINDOW_SHOWN;
    if (fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    window = SDL_CreateWindow("LAPOR! Kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                              opt.width, opt.height, flags);
    if (!window) throw std::runtime_error(std::string("no window: ") + SDL_GetError());
    renderer = SDL_CreateRenderer(window, -1, 0);
    if (!renderer) throw std::runtime_error(std::string("no renderer: ") + SDL_GetError());
    if (fullscreen) SDL_ShowCursor(SDL_DISABLE);
    const std::string current = SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "";
    blocking_wait = current == "x11" || current == "wayland";
    SDL_StartTextInput();  // physical keyboards and barcode scanners type into our fields
}

void App::Impl::rebuild_fonts() {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer, &w, &h);
    layout_scale = std::min(static_cast<float>(w) / 1280.0f, static_cast<float>(h) / 800.0f);
    const float text = 1.0f + 0.25f * static_cast<float>(text_step);
    const double dpi = config ? config->display.dpi : 96.0;
    const double base_text = config ? config->display.text_scale : 1.0;
    target_px = static_cast<float>(std::ceil(9.0 / 25.4 * dpi));
    if (font_texture) SDL_DestroyTexture(font_texture);
    try {
        fonts = build_fonts(*atlas, layout_scale * text * static_cast<float>(base_text));
    } catch (const FontError& e) {
        // Without Noto Sans the kiosk cannot serve citizens, but it must still say so on screen
        // (no restart loop): ImGui's built-in font, and the out-of-service screen.
        atlas->Clear();
        ImFontConfig cfg;
        cfg.SizePixels = 13.0f * std::max(1.0f, 2.0f * layout_scale);
        ImFont* f = atlas->AddFontDefault(&cfg);
        atlas->Build();
        fonts = Fonts{f, f, f, f, cfg.SizePixels};
        if (oos_error.empty()) oos_error = e.what();
    }
    font_texture = backend::upload_font_atlas(renderer, *atlas);
    if (!font_texture) throw std::runtime_error(std::string("font texture: ") + SDL_GetError());
    fonts_pending = false;
}

void App::Impl::new_context() {
    ctx = ImGui::CreateContext(atlas.get());
    ImGui::SetCurrentContext(ctx);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // nothing about a session is written to disk
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
    io.MouseDragThreshold = 12.0f;
    backend::init_context();
    const float s = layout_scale * (1.0f + 0.25f * static_cast<float>(text_step));
    apply_theme(palette(theme), target_px, s);
}

void App::Impl::init_imgui() {
    install_imgui_zeroing_allocator();
    atlas = std::make_unique<ImFontAtlas>();
    rebuild_fonts();
    new_context();
}

namespace {
// Short strings (up to 15 bytes: a name, a phone number) live inside std::string's own buffer,
// so copies made while typing sit in stack frames the zeroing delete never sees. The loop calls
// the wipe from about the depth where events are handled, so zeroing a large area below it
// overwrites those dead frames.
[[gnu::noinline]] void scrub_stack() {
    volatile char area[256 * 1024];
    explicit_bzero(const_cast<char*>(area), sizeof area);
    asm volatile("" : : "r"(area) : "memory");
}
}  // namespace

// The wipe: everything the citizen typed goes, including ImGui's own buffers (a new context; the
// zeroing allocator cleans the old one's memory as it is freed), and the dead stack below us.
void App::Impl::wipe() {
    scrub_stack();
    secure_clear(search);
    secure_clear(staff_view.input);
    edited_since_check.clear();
    staff_view = StaffView{};
    focus = Input::none;
    cursor = 0;
    keyboard.reset();
    if (qr_texture) SDL_DestroyTexture(qr_texture);
    qr_texture = nullptr;
    secure_clear(qr_for);
    print = PrintView{};
    theme = ThemeKind::standard;  // the next citizen starts with the defaults
    if (text_step != 0) {
        text_step = 0;
        fonts_pending = true;
    }
    ImGui::DestroyContext(ctx);
    ctx = nullptr;
    scrub_event_queue();
    if (fonts_pending) rebuild_fonts();
    new_context();
    wipe_pending = false;
    frames_pending = 2;
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

// A catalog that sync installed while a citizen was busy takes effect on the attract screen.
void App::Impl::refresh_catalog() {
    if (!store || !flow || flow->screen() != Screen::attract) return;
    try {
        auto stored = store->current_catalog();
        if (!stored || stored->version == catalog->version()) return;
        auto fresh = std::make_unique<Catalog>(Catalog::parse(stored->json));
        flow->set_catalog(*fresh);
        catalog = std::move(fresh);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lapor-kiosk: keeping catalog %s: %s\n", catalog->version().c_str(),
                     e.what());
    }
}

// ------------------------------------------------------------------------------- printing
void App::Impl::start_receipt_print() {
    const auto& r = flow->receipt();
    if (!r || !printer) return;
    printer::ReceiptJob job;
    job.report = *r;
    const Language l = r->language;
    if (const Agency* a = catalog->find_agency(r->agency_id)) job.agency_name = a->name.in(l);
    if (const Category* c = catalog->find_category(r->agency_id, r->category_id))
        job.category_name = c->name.in(l);
    print = PrintView{};
    print.phase = PrintView::Phase::printing;
    print.tracking = r->tracking;
    print.job = printer->submit_receipt(job);
}

void App::Impl::poll_printer() {
    if (!printer) return;
    if (print.phase == PrintView::Phase::printing) {
        if (auto out = printer->poll(print.job)) {
            print.outcome = *out;
            print.phase = PrintView::Phase::done;
            frames_pending = 2;
        }
    }
    if (staff_view.job) {
        if (auto out = printer->poll(*staff_view.job)) {
            const bool ok = out->result == printer::JobResult::printed ||
                            out->result == printer::JobResult::printed_unconfirmed;
            staff_view.message = staff_view.job_what + ": " +
                                 tr(printer::staff_message(out->result)) +
                                 (out->detail.empty() ? "" : " (" + out->detail + ")");
            staff_view.message_bad = !ok;
            staff_view.job.reset();
            frames_pending = 2;
        }
    }
}

// -------------------------------------------------------------------------------- systemd
void App::Impl::notify_ready() {
    if (first_presented) return;
    first_presented = true;
    const auto ms = clock->mono_ms() - start_mono_ms;
    if (!opt.quiet)
        std::fprintf(stderr, "lapor-kiosk: first frame after %lld ms (%s)\n",
                     static_cast<long long>(ms),
                     oos_error.empty() ? "in service" : "out of service");
    if (opt.systemd) sd_notify(0, "READY=1");
}

void App::Impl::watchdog() {
    if (!opt.systemd || watchdog_usec == 0) return;
    const auto now = system_clock.mono_ms();
    if (now - last_watchdog_ms < static_cast<std::int64_t>(watchdog_usec / 4000)) return;
    last_watchdog_ms = now;
    sd_notify(0, "WATCHDOG=1");
}

// ----------------------------------------------------------------------------------- loop
// SDL_WaitEventTimeout really blocks only where the video driver can wake it (x11, wayland);
// elsewhere (kmsdrm, dummy, offscreen) SDL polls every millisecond. There we poll ourselves in
// longer slices: 10 ms for two seconds after input, then 30 ms (a first touch waits at most that).
bool App::Impl::wait_event(SDL_Event& e, int budget_ms) {
    if (blocking_wait) return SDL_WaitEventTimeout(&e, budget_ms) != 0;
    const Uint32 start = SDL_GetTicks();
    for (;;) {
        SDL_PumpEvents();
        if (SDL_PeepEvents(&e, 1, SDL_GETEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0) {
            last_input_ticks = SDL_GetTicks();
            return true;
        }
        const Uint32 now = SDL_GetTicks();
        const Uint32 spent = now - start;
        if (spent >= static_cast<Uint32>(budget_ms) || stop_requested.load()) return false;
        const Uint32 slice = now - last_input_ticks < 2000 ? 10 : 30;
        SDL_Delay(std::min(slice, static_cast<Uint32>(budget_ms) - spent));
    }
}

int App::Impl::wait_budget_ms() const {
    if (frames_pending > 0 || wipe_pending) return 0;
    std::int64_t wait = 250;  // SIGTERM is noticed within this
    if (watchdog_usec)
        wait = std::min<std::int64_t>(wait, static_cast<std::int64_t>(watchdog_usec / 2000));
    if (flow) {
        if (auto t = flow->next_timer_ms()) wait = std::min(wait, *t + 1);
        if (flow->countdown_left_s()) wait = std::min<std::int64_t>(wait, 200);
    }
    if (staff) {
        if (auto t = staff->next_timer_ms()) wait = std::min(wait, *t + 1);
        if (staff->locked_for_s()) wait = std::min<std::int64_t>(wait, 500);
    }
    if (print.phase == PrintView::Phase::printing || staff_view.job)
        wait = std::min<std::int64_t>(wait, 50);
    if (corner_down_since || backspace_held) wait = std::min<std::int64_t>(wait, 50);
    return static_cast<int>(std::max<std::int64_t>(wait, 0));
}

void App::Impl::frame() {
    ImGui::SetCurrentContext(ctx);
    ImGuiIO& io = ImGui::GetIO();
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer, &w, &h);
    io.DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
    io.DisplayFramebufferScale = ImVec2(1, 1);
    const auto now = clock->mono_ms();
    io.DeltaTime = last_frame_ms
                       ? std::max(0.001f, static_cast<float>(now - last_frame_ms) / 1000.0f)
                       : 1.0f / 60.0f;
    last_frame_ms = now;
    // ui/ is the platform backend: the pointer comes from SDL mouse and finger events.
    io.MousePos = pointer;
    io.MouseDown[0] = pointer_down;
    for (int i = 1; i < 5; ++i) io.MouseDown[i] = false;
    ImGui::NewFrame();
    record.clear();
    draw();
    ImGui::Render();
    const ImVec4 bg = palette(theme).bg;
    SDL_SetRenderDrawColor(renderer, static_cast<Uint8>(bg.x * 255), static_cast<Uint8>(bg.y * 255),
                           static_cast<Uint8>(bg.z * 255), 255);
    SDL_RenderClear(renderer);
    backend::render(renderer, ImGui::GetDrawData());
    ++frames_drawn;
}

void App::Impl::after_frame() {
    for (const auto& i : intents) apply(i);
    // Three frames: ImGui sizes scroll regions from the previous frame's content.
    if (!intents.empty()) frames_pending = std::max(frames_pending, 3);
    intents.clear();
}

bool App::turn(int wait_ms) {
    Impl& m = *impl_;
    if (stop_requested.load()) m.stop = true;
    if (m.stop) return false;
    if (m.wipe_pending) m.wipe();
    if (m.fonts_pending) {
        ImGui::DestroyContext(m.ctx);
        m.rebuild_fonts();
        m.new_context();
        m.frames_pending = 2;
    }
    const int budget = std::min(wait_ms, m.wait_budget_ms());
    SDL_Event e;
    bool got = budget > 0 ? m.wait_event(e, budget) : SDL_PollEvent(&e) != 0;
    while (got) {
        if (m.handle_event(e)) break;  // one pointer transition per frame
        got = SDL_PollEvent(&e) != 0;
    }
    SDL_memset(&e, 0, sizeof e);  // it may have carried typed text
    if (stop_requested.load()) m.stop = true;
    // Timers: the held corner, backspace repeat, the flow's idle/receipt timers, staff timeout.
    const auto now = m.clock->mono_ms();
    if (m.corner_down_since && m.staff && !m.staff->active() && m.flow &&
        now - *m.corner_down_since >= StaffSession::hold_ms) {
        m.corner_down_since.reset();
        m.pointer_down = false;
        m.open_staff();
        m.frames_pending = 2;
    }
    if (m.backspace_held && now >= m.backspace_next_ms) {
        m.keyboard_action(KeyAction{KeyAction::backspace, ""});
        m.backspace_next_ms = now + 80;
        m.frames_pending = std::max(m.frames_pending, 1);
    }
    if (m.flow && !(m.staff && m.staff->active())) {
        const bool had_countdown = m.flow->countdown_left_s().has_value();
        if (m.flow->tick()) m.frames_pending = 2;
        if (had_countdown || m.flow->countdown_left_s())
            m.frames_pending = std::max(m.frames_pending, 1);
    }
    if (m.staff && m.staff->screen() == StaffScreen::pin) {
        // The lockout's seconds count down on screen, and its end must show.
        const bool locked = m.staff->locked_for_s().has_value();
        if (locked || locked != m.lock_shown) m.frames_pending = std::max(m.frames_pending, 1);
        m.lock_shown = locked;
    }
    if (m.staff && m.staff->tick()) {
        m.wipe_pending = true;
        m.frames_pending = 2;
    }
    m.poll_printer();
    if (m.flow && m.flow->screen() != m.last_screen) {
        const Screen before = m.last_screen;
        m.last_screen = m.flow->screen();
        m.focus = Input::none;
        m.keyboard.reset();
        if (m.last_screen == Screen::attract && before != Screen::attract) {
            m.wipe_pending = true;
            if (m.printer) m.printer->request_status();
        }
        if (m.last_screen == Screen::receipt) m.start_receipt_print();
        m.frames_pending = 2;
    }
    if (m.wipe_pending) return true;  // wipe before drawing anything more
    if (m.frames_pending > 0) {
        const Uint64 t0 = SDL_GetPerformanceCounter();
        m.frame();
        SDL_RenderPresent(m.renderer);
        if (m.frame_times.size() < 100000)
            m.frame_times.push_back(static_cast<double>(SDL_GetPerformanceCounter() - t0) * 1000.0 /
                                    static_cast<double>(SDL_GetPerformanceFrequency()));
        m.notify_ready();
        --m.frames_pending;
        m.after_frame();
    }
    m.watchdog();
    return !m.stop;
}

void App::settle() {
    for (int i = 0; i < 200; ++i) {
        turn(0);
        if (impl_->frames_pending == 0 && !impl_->wipe_pending &&
            !SDL_HasEvents(SDL_FIRSTEVENT, SDL_LASTEVENT))
            return;
    }
}

int App::run() {
    while (turn(1000)) {
    }
    return 0;
}

// ---------------------------------------------------------------------------- construction
App::App(AppOptions o) : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    m.opt = std::move(o);
    m.clock = m.opt.clock ? m.opt.clock : &m.system_clock;
    m.start_mono_ms = m.clock->mono_ms();
    (void)zeroed_bytes();  // links the zeroing operator new/delete
    m.boot();
    m.init_sdl();
    m.init_imgui();
    if (m.opt.systemd) {
        std::uint64_t usec = 0;
        if (sd_watchdog_enabled(0, &usec) > 0) m.watchdog_usec = usec;
    }
}

App::~App() {
    Impl& m = *impl_;
    m.printer.reset();  // joins the print worker
    if (m.ctx) ImGui::DestroyContext(m.ctx);
    if (m.qr_texture) SDL_DestroyTexture(m.qr_texture);
    if (m.font_texture) SDL_DestroyTexture(m.font_texture);
    m.atlas.reset();
    if (m.renderer) SDL_DestroyRenderer(m.renderer);
    if (m.window) SDL_DestroyWindow(m.window);
    SDL_Quit();
    if (m.flow) m.flow->apply(intent::Cancel{});
}

// ------------------------------------------------------------------------------- accessors
const WidgetRecord& App::widgets() const { return impl_->record; }
bool App::countdown_showing() const {
    return impl_->flow && impl_->flow->countdown_left_s().has_value();
}
std::string App::out_of_service_error() const { return impl_->oos_error; }
int App::frames_drawn() const { return impl_->frames_drawn; }
const std::vector<double>& App::frame_times_ms() const { return impl_->frame_times; }
SDL_Window* App::window() const { return impl_->window; }
SDL_Renderer* App::renderer() const { return impl_->renderer; }
Flow* App::flow() { return impl_->flow.get(); }

std::string App::screen_name() const {
    const Impl& m = *impl_;
    if (!m.oos_error.empty()) return "out_of_service";
    if (m.staff && m.staff->active()) {
        switch (m.staff->screen()) {
            case StaffScreen::pin: return "staff_pin";
            case StaffScreen::verify: return "staff_verify";
            case StaffScreen::queue: return "staff_queue";
            case StaffScreen::printer: return "staff_printer";
            case StaffScreen::diagnostics: return "staff_diagnostics";
            case StaffScreen::none: break;
        }
    }
    return std::string(to_string(m.flow->screen()));
}

void App::set_theme_high_contrast(bool on) {
    impl_->theme = on ? ThemeKind::high_contrast : ThemeKind::standard;
    ImGui::SetCurrentContext(impl_->ctx);
    apply_theme(palette(impl_->theme), impl_->target_px,
                impl_->layout_scale * (1.0f + 0.25f * static_cast<float>(impl_->text_step)));
    impl_->frames_pending = 2;
}

void App::set_text_scale_step(int step) {
    if (impl_->text_step == step) return;
    impl_->text_step = step;
    impl_->fonts_pending = true;
}

// Staff mode opens in the language of the session it interrupts (the citizen's, or the kiosk's
// default at the attract screen); the staff bar's ID/EN toggle changes it.
void App::Impl::open_staff() {
    const Language l = lang();
    staff->open_pin();
    staff_view = StaffView{};
    staff_view.language = l;
    focus = Input::staff;
    cursor = 0;
}

void App::open_staff_for_tour(int screen, const std::string& pin, std::optional<Language> lang) {
    Impl& m = *impl_;
    if (!m.staff) return;
    m.open_staff();
    if (lang) m.staff_view.language = *lang;
    m.keyboard.reset();
    if (screen > 0 && m.staff->check_pin(pin) == PinResult::ok)
        m.staff->go(static_cast<StaffScreen>(static_cast<int>(StaffScreen::pin) + screen));
    m.staff_load_tab();  // as tapping the tab does
    m.frames_pending = 2;
}

void App::set_staff_scan_for_tour(const std::string& url) {
    impl_->staff_view.input = url;
    impl_->cursor = url.size();
    impl_->staff_submit_input();
}

void App::set_print_failure_for_tour(const std::string& detail) {
    impl_->print.phase = PrintView::Phase::done;
    impl_->print.outcome = printer::JobOutcome{printer::JobResult::paper_out,
                                               printer::PrinterState::paper_out, detail};
    impl_->frames_pending = 2;
}

std::string App::capture_rgba(int& w, int& h) {
    Impl& m = *impl_;
    for (int i = 0; i < 3; ++i) turn(0);
    for (int i = 0; i < 2; ++i) {  // scroll regions size themselves from the previous frame
        m.frame();
        SDL_RenderPresent(m.renderer);
    }
    m.frame();
    SDL_GetRendererOutputSize(m.renderer, &w, &h);
    std::string px(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4, '\0');
    SDL_RenderReadPixels(m.renderer, nullptr, SDL_PIXELFORMAT_ABGR8888, px.data(), w * 4);
    SDL_RenderPresent(m.renderer);
    m.after_frame();
    return px;
}

}  // namespace lapor::ui
