// SDL events into the UI: the pointer (mouse and finger, synthetic touch-mouse events dropped),
// the physical keyboard and barcode scanners (typing into the focused field), lockdown, and the
// edits every keyboard makes through ui/text_edit.h.
#include <algorithm>

#include "app_impl.h"
#include "crypto.h"
#include "text_edit.h"
#include "utf8.h"

namespace lapor::ui {

std::optional<Field> field_of(Input in) {
    switch (in) {
        case Input::title: return Field::title;
        case Input::body: return Field::body;
        case Input::location: return Field::location;
        case Input::name: return Field::name;
        case Input::phone: return Field::phone;
        case Input::email: return Field::email;
        case Input::nik: return Field::nik;
        default: return std::nullopt;
    }
}

void App::Impl::activity() {
    if (staff && staff->active()) {
        staff->touch();
        return;
    }
    // Any touch answers the idle countdown and restarts the idle timer.
    if (flow && flow->screen() != Screen::attract) flow->apply(intent::StillHere{});
}

void App::Impl::apply(const Intent& i) {
    if (!flow) return;
    if (const auto* t = std::get_if<intent::Type>(&i)) edited_since_check.push_back(t->field);
    if (std::holds_alternative<intent::Start>(i)) refresh_catalog();
    if (std::holds_alternative<intent::Next>(i) || std::holds_alternative<intent::Submit>(i) ||
        std::holds_alternative<intent::Back>(i) || std::holds_alternative<intent::Edit>(i))
        edited_since_check.clear();
    flow->apply(i);
    frames_pending = std::max(frames_pending, 2);
}

const std::string& App::Impl::current_text() const {
    static const std::string none;
    if (focus == Input::search) return search;
    if (focus == Input::staff) return staff_view.input;
    if (!flow) return none;
    const ReportDraft& d = flow->draft();
    switch (focus) {
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
    switch (focus) {
        case Input::title: return title_max + slack;
        case Input::body: return body_max + slack;
        case Input::location: return location_max + slack;
        case Input::name: return name_max + slack;
        case Input::email: return 254 + slack;  // RFC 5321's address limit
        case Input::phone: return 20 + slack;
        case Input::nik: return 16 + slack;
        case Input::search: return 100;
        case Input::staff: return 2048;  // a receipt URL, a tracking code or a PIN
        default: return 0;
    }
}

void App::Impl::set_text(std::string& text) {
    if (focus == Input::search) {
        secure_clear(search);
        search.swap(text);
    } else if (focus == Input::staff) {
        secure_clear(staff_view.input);
        staff_view.input.swap(text);
    } else if (auto f = field_of(focus)) {
        Intent typed = intent::Type{*f, text};
        apply(typed);
        secure_clear(std::get<intent::Type>(typed).text);
    }
    secure_clear(text);
    frames_pending = std::max(frames_pending, 2);
}

void App::Impl::focus_on(Input in) {
    focus = in;
    keyboard.reset();
    keyboard.multiline = in == Input::body;
    if (in == Input::nik) keyboard.set_page(KeyboardPage::numeric);
    if (in == Input::phone) keyboard.set_page(KeyboardPage::phone);
    if (in == Input::staff && staff && staff->screen() == StaffScreen::pin)
        keyboard.set_page(KeyboardPage::numeric);
    cursor = current_text().size();
    frames_pending = std::max(frames_pending, 2);
}

void App::Impl::keyboard_action(const KeyAction& a) {
    if (focus == Input::none) return;
    std::string text = current_text();
    cursor = std::min(cursor, text.size());
    switch (a.kind) {
        case KeyAction::none: return;
        case KeyAction::insert: {
            std::string add = a.text;
            if (focus == Input::nik ||
                (focus == Input::staff && staff && staff->screen() == StaffScreen::pin))
                add = edit::numeric_only(add, false);
            if (focus == Input::phone) add = edit::numeric_only(add, true);
            if (focus != Input::body && focus != Input::staff)
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
            frames_pending = 2;
            return;
        case KeyAction::right:
            edit::right(text, cursor);
            secure_clear(text);
            frames_pending = 2;
            return;
        case KeyAction::close:
            secure_clear(text);
            if (focus == Input::staff) {
                staff_submit_input();
                return;
            }
            focus = Input::none;
            frames_pending = 2;
            return;
    }
    set_text(text);
}

void App::Impl::type_text(const std::string& t) {
    if (focus == Input::none) return;
    keyboard_action(KeyAction{KeyAction::insert, t});
}

void App::Impl::edit_key(SDL_Keycode key) {
    if (focus == Input::none) return;
    switch (key) {
        case SDLK_BACKSPACE: keyboard_action({KeyAction::backspace, ""}); break;
        case SDLK_LEFT: keyboard_action({KeyAction::left, ""}); break;
        case SDLK_RIGHT: keyboard_action({KeyAction::right, ""}); break;
        case SDLK_HOME: cursor = 0; break;
        case SDLK_END: cursor = current_text().size(); break;
        case SDLK_DELETE: {
            std::string text = current_text();
            edit::erase_forward(text, cursor);
            set_text(text);
            break;
        }
        case SDLK_RETURN:
        case SDLK_KP_ENTER:
            // A scanner ends its URL with Enter; in the body Enter is a line break.
            if (focus == Input::body)
                keyboard_action({KeyAction::insert, "\n"});
            else if (focus == Input::staff)
                staff_submit_input();
            else
                keyboard_action({KeyAction::close, ""});
            break;
        default: break;
    }
    frames_pending = std::max(frames_pending, 2);
}

bool App::Impl::handle_event(const SDL_Event& e) {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer, &w, &h);
    const float fw = static_cast<float>(w), fh = static_cast<float>(h);
    const float corner = std::max(target_px * 2.0f, 80.0f * layout_scale);
    auto in_corner = [&](ImVec2 p) { return p.x >= fw - corner && p.y <= corner; };
    auto press = [&](ImVec2 p, bool down) {
        pointer = p;
        if (down == pointer_down) return false;
        pointer_down = down;
        if (down) {
            activity();
            if (in_corner(p) && flow && oos_error.empty() && !(staff && staff->active()))
                corner_down_since = clock->mono_ms();
        } else {
            corner_down_since.reset();
            backspace_held = false;
        }
        frames_pending = 2;
        return true;
    };
    switch (e.type) {
        case SDL_QUIT:
            // Lockdown: in fullscreen nothing but SIGTERM stops the kiosk.
            if (opt.windowed) stop = true;
            return false;
        case SDL_MOUSEMOTION:
            if (e.motion.which == SDL_TOUCH_MOUSEID) return false;
            pointer = ImVec2(static_cast<float>(e.motion.x), static_cast<float>(e.motion.y));
            if (pointer_down) {
                if (!in_corner(pointer)) corner_down_since.reset();
                frames_pending = std::max(frames_pending, 1);
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
            pointer = ImVec2(e.tfinger.x * fw, e.tfinger.y * fh);
            if (!in_corner(pointer)) corner_down_since.reset();
            frames_pending = std::max(frames_pending, 1);
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
            if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) fonts_pending = true;
            frames_pending = 2;
            return false;
        default: return false;
    }
}

}  // namespace lapor::ui
