// SDL events into the UI: the pointer (mouse and finger, synthetic touch-mouse events dropped),
// the physical keyboard and barcode scanners (typing into the focused field), lockdown, and the
// edits every keyboard makes through ui/text_edit.h.
#include <algorithm>

#include "app_impl.h"
#include "crypto.h"
#include "text_edit.h"
#include "utf8.h"

namespace lapor::ui {

void App::Impl::activity() {
    if (k.in_staff()) {
        k.staff->touch();
        return;
    }
    // Any touch answers the idle countdown and restarts the idle timer.
    if (k.flow && k.flow->screen() != Screen::attract) k.flow->apply(intent::StillHere{});
}

const std::string& App::Impl::current_text() const {
    static const std::string none;
    if (ui.focus == Input::search) return ui.search;
    if (ui.focus == Input::staff) return ui.staff_input;
    if (ui.focus == Input::status) return ui.status_input;
    if (!k.flow) return none;
    const ReportDraft& d = k.flow->draft();
    switch (ui.focus) {
        case Input::title: return d.title;
        case Input::body: return d.body;
        case Input::location: return d.location;
        case Input::name: return d.name;
        case Input::phone: return d.phone;
        case Input::email: return d.email;
        case Input::nik: return d.nik;
        default: return none;
    }
}

// A little above each field's limit, so the validation message still explains the limit while
// a 10,000-character paste or a stuck scanner cannot grow a buffer without bound.
std::size_t App::Impl::insert_cap() const {
    constexpr std::size_t slack = 20;
    switch (ui.focus) {
        case Input::title: return title_max + slack;
        case Input::body: return body_max + slack;
        case Input::location: return location_max + slack;
        case Input::name: return name_max + slack;
        case Input::email: return 254 + slack;  // RFC 5321's address limit
        case Input::phone: return 20 + slack;
        case Input::nik: return 16 + slack;
        case Input::search: return 100;
        case Input::staff: return 2048;   // a receipt URL, a tracking code or a PIN
        case Input::status: return 1024;  // a receipt link from a scanner, or a code
        default: return 0;
    }
}

void App::Impl::set_text(std::string& text) {
    if (ui.focus == Input::search) {
        secure_clear(ui.search);
        ui.search.swap(text);
    } else if (ui.focus == Input::staff) {
        secure_clear(ui.staff_input);
        ui.staff_input.swap(text);
    } else if (ui.focus == Input::status) {
        secure_clear(ui.status_input);
        ui.status_input.swap(text);
        ui.status.reset();  // a new code: the old answer would mislead
        ui.status_store_error = false;
    } else if (auto f = field_of(ui.focus)) {
        Intent typed = intent::Type{*f, text};
        apply_intent(typed);
        secure_clear(std::get<intent::Type>(typed).text);
    }
    secure_clear(text);
    loop.frames_pending = std::max(loop.frames_pending, 2);
}

void App::Impl::focus_on(Input in) {
    ui.focus = in;
    ui.keyboard.reset();
    ui.keyboard.multiline = in == Input::body;
    if (in == Input::nik) ui.keyboard.set_page(KeyboardPage::numeric);
    if (in == Input::phone) ui.keyboard.set_page(KeyboardPage::phone);
    if (in == Input::staff && k.staff && k.staff->screen() == StaffScreen::pin)
        ui.keyboard.set_page(KeyboardPage::numeric);
    ui.cursor = current_text().size();
    loop.frames_pending = std::max(loop.frames_pending, 2);
}

void App::Impl::keyboard_action(const KeyAction& a) {
    if (ui.focus == Input::none) return;
    std::string text = current_text();
    std::size_t& cursor = ui.cursor;
    cursor = std::min(cursor, text.size());
    switch (a.kind) {
        case KeyAction::none: return;
        case KeyAction::insert: {
            std::string add = a.text;
            if (ui.focus == Input::nik ||
                (ui.focus == Input::staff && k.staff && k.staff->screen() == StaffScreen::pin))
                add = edit::numeric_only(add, false);
            if (ui.focus == Input::phone) add = edit::numeric_only(add, true);
            if (ui.focus != Input::body && ui.focus != Input::staff && ui.focus != Input::status)
                add.erase(std::remove(add.begin(), add.end(), '\n'), add.end());
            // Keep at most insert_cap() code points (cut at a code point boundary).
            const std::size_t have = utf8::count(text).value_or(text.size());
            const std::size_t room = insert_cap() > have ? insert_cap() - have : 0;
            std::size_t cut = 0, points = 0;
            while (cut < add.size()) {
                std::size_t next = cut + 1;
                while (next < add.size() && (static_cast<unsigned char>(add[next]) & 0xC0) == 0x80)
                    ++next;
                if (points == room) break;
                ++points;
                cut = next;
            }
            if (cut < add.size()) {
                std::fill(add.begin() + static_cast<std::ptrdiff_t>(cut), add.end(), '\0');
                add.resize(cut);
            }
            if (add.empty()) {
                secure_clear(add);
                break;
            }
            edit::insert(text, cursor, add);
            secure_clear(add);
            break;
        }
        case KeyAction::backspace: edit::backspace(text, cursor); break;
        case KeyAction::left:
            edit::left(text, cursor);
            secure_clear(text);
            loop.frames_pending = 2;
            return;
        case KeyAction::right:
            edit::right(text, cursor);
            secure_clear(text);
            loop.frames_pending = 2;
            return;
        case KeyAction::close:
            secure_clear(text);
            if (ui.focus == Input::staff) {
                staff_submit_input();
                return;
            }
            if (ui.focus == Input::status) {
                check_status();
                return;
            }
            ui.focus = Input::none;
            loop.frames_pending = 2;
            return;
    }
    set_text(text);
}

void App::Impl::type_text(const std::string& t) {
    if (ui.focus == Input::none) return;
    keyboard_action(KeyAction{KeyAction::insert, t});
}

void App::Impl::edit_key(SDL_Keycode key) {
    if (ui.focus == Input::none) return;
    switch (key) {
        case SDLK_BACKSPACE: keyboard_action({KeyAction::backspace, ""}); break;
        case SDLK_LEFT: keyboard_action({KeyAction::left, ""}); break;
        case SDLK_RIGHT: keyboard_action({KeyAction::right, ""}); break;
        case SDLK_HOME: ui.cursor = 0; break;
        case SDLK_END: ui.cursor = current_text().size(); break;
        case SDLK_DELETE: {
            std::string text = current_text();
            edit::erase_forward(text, ui.cursor);
            set_text(text);
            break;
        }
        case SDLK_RETURN:
        case SDLK_KP_ENTER:
            // A scanner ends its URL with Enter; in the body Enter is a line break.
            if (ui.focus == Input::body)
                keyboard_action({KeyAction::insert, "\n"});
            else if (ui.focus == Input::staff)
                staff_submit_input();
            else if (ui.focus == Input::status)
                check_status();
            else
                keyboard_action({KeyAction::close, ""});
            break;
        default: break;
    }
    loop.frames_pending = std::max(loop.frames_pending, 2);
}

bool App::Impl::handle_event(const SDL_Event& e) {
    const ImVec2 size = plat.size();
    const float fw = size.x, fh = size.y;
    const float corner = std::max(plat.target_px * 2.0f, 80.0f * plat.layout_scale);
    auto in_corner = [&](ImVec2 p) { return p.x >= fw - corner && p.y <= corner; };
    if (guide_event(e)) return false;  // the audio guide's keys (app_voice.cpp)
    auto press = [&](ImVec2 p, bool down) {
        pointer.pos = p;
        if (down == pointer.down) return false;
        pointer.down = down;
        if (down) {
            activity();
            if (in_corner(p) && k.flow && k.oos_error.empty() && !k.in_staff())
                pointer.corner_down_since = clock->mono_ms();
        } else {
            pointer.corner_down_since.reset();
            pointer.backspace_held = false;
        }
        loop.frames_pending = 2;
        return true;
    };
    switch (e.type) {
        case SDL_QUIT:
            // Lockdown: in fullscreen nothing but SIGTERM stops the kiosk.
            if (opt.windowed) loop.stop = true;
            return false;
        case SDL_MOUSEMOTION:
            if (e.motion.which == SDL_TOUCH_MOUSEID) return false;
            pointer.pos = ImVec2(static_cast<float>(e.motion.x), static_cast<float>(e.motion.y));
            if (pointer.down) {
                if (!in_corner(pointer.pos)) pointer.corner_down_since.reset();
                loop.frames_pending = std::max(loop.frames_pending, 1);
            }
            return false;
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEBUTTONUP:
            if (e.button.which == SDL_TOUCH_MOUSEID || e.button.button != SDL_BUTTON_LEFT)
                return false;
            return press(ImVec2(static_cast<float>(e.button.x), static_cast<float>(e.button.y)),
                         e.type == SDL_MOUSEBUTTONDOWN);
        case SDL_FINGERDOWN:
        case SDL_FINGERUP:
            return press(ImVec2(e.tfinger.x * fw, e.tfinger.y * fh), e.type == SDL_FINGERDOWN);
        case SDL_FINGERMOTION:
            pointer.pos = ImVec2(e.tfinger.x * fw, e.tfinger.y * fh);
            if (!in_corner(pointer.pos)) pointer.corner_down_since.reset();
            loop.frames_pending = std::max(loop.frames_pending, 1);
            return false;
        case SDL_TEXTINPUT:
            activity();
            type_text(e.text.text);
            return false;
        case SDL_KEYDOWN:
            activity();
            edit_key(e.key.keysym.sym);
            return false;
        case SDL_WINDOWEVENT:
            if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) loop.fonts_pending = true;
            loop.frames_pending = 2;
            return false;
        default: return false;
    }
}

}  // namespace lapor::ui
