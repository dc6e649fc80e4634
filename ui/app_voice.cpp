// The speaker button and the audio guide (ui/voice.h): what to say, keypad navigation, and the
// focus ring.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app_impl.h"
#include "guide_nav.h"
#include "i18n_marker.h"
#include "sdl_audio_out.h"
#include "spoken.h"
#include "startup_trace.h"

namespace lapor::ui {
namespace {

// The top bar's buttons: the guide starts on the screen's content, not on them.
bool is_chrome(const std::string& id) {
    return id == "lang:id" || id == "lang:en" || id == "textsize" || id == "contrast" ||
           id == "cancel" || id == "speak" || id == "help";
}

// What the guide can focus: a touch target a finger can reach now. Not one under an overlay's
// window (`hidden`) or scrolled out of its list, not the overlay's panel, not a text marker.
bool guide_target(const std::string& id, const Rect& r) {
    return r.w > 0 && r.h > 0 && !r.hidden && id != "panel" && id.rfind("text:", 0) != 0;
}

std::optional<Direction> direction_of(SDL_Keycode k) {
    switch (k) {
        case SDLK_UP:
        case SDLK_KP_8: return Direction::up;
        case SDLK_DOWN:
        case SDLK_KP_2: return Direction::down;
        case SDLK_LEFT:
        case SDLK_KP_4: return Direction::left;
        case SDLK_RIGHT:
        case SDLK_KP_6: return Direction::right;
        default: return std::nullopt;
    }
}

bool is_keypad(SDL_Keycode k) { return k >= SDLK_KP_DIVIDE && k <= SDLK_KP_PERIOD; }

char keypad_digit(SDL_Keycode k) {
    if (k == SDLK_KP_0) return '0';
    if (k >= SDLK_KP_1 && k <= SDLK_KP_9) return static_cast<char>('1' + (k - SDLK_KP_1));
    return 0;
}

std::optional<Field> field_named(const std::string& name) {
    static const std::pair<const char*, Field> fields[] = {
        {"title", Field::title}, {"body", Field::body},   {"location", Field::location},
        {"name", Field::name},   {"phone", Field::phone}, {"email", Field::email},
        {"nik", Field::nik}};
    for (const auto& [n, f] : fields)
        if (name == n) return f;
    return std::nullopt;
}

// The last word before the end of `text` (what was just typed before a space or OK).
std::string last_word(const std::string& text) {
    auto end = text.find_last_not_of(" \n");
    if (end == std::string::npos) return "";
    auto start = text.find_last_of(" \n", end);
    return text.substr(start == std::string::npos ? 0 : start + 1,
                       end - (start == std::string::npos ? 0 : start + 1) + 1);
}

}  // namespace

void App::Impl::start_voice() {
    if (!k.config || !k.config->ui.speech) return;
    // The voice data loads after the first frame is presented (notify_ready), or at the first
    // say(): loading it beside the first frame would slow that frame on a busy machine.
    voice.speaker = std::make_unique<speech::Speaker>(speech::make_sdl_audio_out(),
                                                      k.config->ui.speech_volume, false);
}

void App::Impl::log_speech_ready() {
    if (voice.ready_logged || !voice.speaker) return;
    const std::int64_t ready = voice.speaker->ready_mono_ns();
    if (ready == 0) return;
    voice.ready_logged = true;
    if (opt.quiet) return;
    const auto& marks = startup_trace().marks();
    const double ms =
        marks.empty() ? 0.0 : static_cast<double>(ready - marks.front().mono_ns) / 1e6;
    std::fprintf(stderr, "lapor-kiosk: speech ready %.1f ms after start: %s\n", ms,
                 voice.speaker->status().c_str());
}

std::string App::Impl::lang_code() const { return std::string(to_string(lang())); }

std::vector<SpokenPart> App::Impl::screen_speech() const {
    if (!k.flow || !k.catalog || k.in_staff()) return {};
    if (auto o = overlay_speech(); !o.empty()) return {SpokenPart{o, lang_code()}};
    std::vector<std::string> offered;  // each language's name in itself ([ui] languages)
    for (const auto& l : k.languages) offered.push_back(l.name);
    auto in = [&](const std::string& code) {
        return SpokenPart{
            spoken_screen(*k.flow, *k.catalog, k.messages, code, offered).text(k.messages, code),
            code};
    };
    // Before a language is chosen the screen shows every offered one, so it says each, in its
    // own voice (speech/voice_choice.h falls back to Indonesian's for one espeak-ng lacks).
    const Screen s = k.flow->screen();
    if (s == Screen::attract || s == Screen::language) {
        std::vector<SpokenPart> all;
        for (const auto& l : k.languages) all.push_back(in(l.code));
        return all;
    }
    std::vector<SpokenPart> out{in(lang_code())};
    if (s == Screen::status && ui.status) out.back().text += " " + status_speech();
    return out;
}

screens::Overlay App::Impl::overlay() const {
    return screens::overlay_of(k.flow.get(), k.in_staff(), !k.oos_error.empty(), ui);
}

// The panel over the screen, as its words say it: title, what it says, its choices (the safe
// one first, as drawn).
std::string App::Impl::overlay_speech() const {
    SpokenScreen o;
    switch (overlay()) {
        case screens::Overlay::none: return {};
        case screens::Overlay::countdown: {
            const double left = k.flow->countdown_left_s().value_or(0);
            o.title = tr(N_("ui.countdown.title"));
            o.what_to_do = format(tr(N_("ui.countdown.body")),
                                  {{"n", std::to_string(static_cast<int>(std::ceil(left)))}});
            o.choices = {tr(N_("ui.countdown.yes"))};
            break;
        }
        case screens::Overlay::confirm_cancel:
            o.title = tr(N_("ui.cancel.ask"));
            o.what_to_do = tr(N_("ui.cancel.ask.body"));
            o.choices = {tr(N_("ui.cancel.keep")), tr(N_("ui.cancel.erase"))};
            break;
        case screens::Overlay::help:
            o.title = tr(N_("ui.help"));
            o.what_to_do =
                tr(screens::help_msgid(k.flow->screen())) + " " + tr(N_("ui.help.staff"));
            o.choices = {tr(N_("ui.help.close"))};
            break;
    }
    return o.text(k.messages, lang_code());
}

// The status check's answer, once there is one (never the report's text: status_check.h).
std::string App::Impl::status_speech() const {
    if (!ui.status || !k.catalog) return {};
    std::string agency = ui.status->agency;
    if (agency.empty())
        if (const Agency* a = k.catalog->find_agency(ui.status->agency_id))
            agency = a->name.in(k.flow ? k.flow->language() : Language::id);
    return spoken_status(*ui.status, k.messages, lang_code(), agency);
}

void App::Impl::say(const std::string& text, bool queue, const std::string& code) {
    if (text.empty()) return;
    voice.said.push_back(text);
    if (voice.said.size() > 400) voice.said.erase(voice.said.begin(), voice.said.begin() + 200);
    if (!voice.speaker) return;
    const std::string& c = code.empty() ? lang_code() : code;
    if (queue)
        voice.speaker->add(text, c);
    else
        voice.speaker->say(text, c);
}

void App::Impl::speak_screen() {
    bool first = true;
    for (const auto& part : screen_speech()) {
        say(part.text, !first, part.language);
        first = false;
    }
}

void App::Impl::voice_screen_changed(Screen now) {
    if (voice.speaker) voice.speaker->stop();  // what the last screen was saying is cut off
    if (now == Screen::attract) voice.guide = Guide{};  // the next citizen starts without it
    voice.guide.focus.clear();
    voice.guide.focus_before_overlay.clear();
    voice.guide.overlay = overlay();
    voice.guide.announce = voice.guide.on;
}

void App::Impl::start_guide() {
    voice.guide.on = true;
    voice.guide.focus.clear();
    voice.guide.focus_before_overlay.clear();
    voice.guide.overlay = overlay();
    say(tr(N_("speech.guide.start")), false);
    voice.guide.announce = false;
    if (k.flow && k.flow->screen() != Screen::attract) voice.guide.announce = true;
    loop.frames_pending = std::max(loop.frames_pending, 2);
}

std::string App::Impl::focus_speech(const std::string& id, const Rect& r) const {
    if (id.rfind("field:", 0) == 0) {
        const std::string name = id.substr(6);
        std::string out = tr(("ui.field." + name).c_str());
        std::string value;
        if (name == "search") {
            value = ui.search;
        } else if (name == "status") {
            value = ui.status_input;
        } else if (auto f = field_named(name); f && k.flow) {
            const ReportDraft& d = k.flow->draft();
            switch (*f) {
                case Field::title: value = d.title; break;
                case Field::body: value = d.body; break;
                case Field::location: value = d.location; break;
                case Field::name: value = d.name; break;
                case Field::phone: value = d.phone; break;
                case Field::email: value = d.email; break;
                case Field::nik: value = d.nik; break;
                default: break;
            }
        }
        out += ", " + (value.empty() ? tr(N_("speech.state.empty")) : value);
        if (auto f = field_named(name); f && k.flow) {
            for (const auto& p : k.flow->problems())
                if (p.field == *f)
                    out += ", " + format(tr(N_("speech.state.error")), {{"error", tr(p.msgid)}});
        }
        return out;
    }
    if (id == "key:space") return tr(N_("speech.key.space"));
    std::string out = r.label.empty() ? id : r.label;
    if (r.selected) out += ", " + tr(N_("speech.state.chosen"));
    return out;
}

bool App::Impl::guide_event(const SDL_Event& e) {
    if (e.type == SDL_TEXTINPUT) {
        if (voice.guide.swallow_text && e.text.text[0] == voice.guide.swallow_text &&
            e.text.text[1] == 0) {
            voice.guide.swallow_text = 0;
            return true;  // the keypad's digit was a move, not typing
        }
        if (voice.guide.on && ui.focus != Input::none) {
            const std::string t = e.text.text;
            if (t == " ")
                say(last_word(current_text()), false);
            else
                say(t, false);  // echo
        }
        return false;
    }
    if (e.type != SDL_KEYDOWN) return false;
    const SDL_Keycode key = e.key.keysym.sym;
    const bool on_attract = k.flow && k.flow->screen() == Screen::attract && !k.in_staff();
    if (!voice.guide.on) {
        if (!on_attract || !is_keypad(key) || !k.oos_error.empty()) return false;
        voice.guide.swallow_text = keypad_digit(key);
        start_guide();
        return true;
    }
    voice.guide.swallow_text = keypad_digit(key);
    // Any key answers "Apakah Anda masih di sini?", as any touch does, and does nothing else: a
    // move or a tap would land on the screen under it once it has gone.
    const bool answers_countdown = overlay() == screens::Overlay::countdown;
    activity();
    if (answers_countdown) {
        loop.frames_pending = std::max(loop.frames_pending, 2);
        return true;
    }
    std::vector<Target> targets;
    for (const auto& [id, r] : record)
        if (guide_target(id, r)) targets.push_back(Target{id, r.x, r.y, r.w, r.h});
    auto at = [&](const std::string& id) -> std::size_t {
        for (std::size_t i = 0; i < targets.size(); ++i)
            if (targets[i].id == id) return i;
        return targets.size();
    };
    if (key == SDLK_KP_0) {
        speak_screen();
        return true;
    }
    if (auto d = direction_of(key)) {
        if (auto next = move_focus(targets, at(voice.guide.focus), *d)) {
            voice.guide.focus = targets[*next].id;
            say(focus_speech(voice.guide.focus, record.at(voice.guide.focus)), false);
        }
        loop.frames_pending = std::max(loop.frames_pending, 2);
        return true;
    }
    if (key == SDLK_KP_5 || key == SDLK_RETURN || key == SDLK_KP_ENTER) {
        const auto it = record.find(voice.guide.focus);
        if (it == record.end()) return true;
        const std::string& id = it->first;
        if (id == "key:space" || id == "key:close" || id == "key:newline")
            say(last_word(current_text()), false);  // the word just typed
        else if (id.rfind("key:", 0) == 0)
            say(it->second.label, false);  // echo the letter
        // A tap at its centre, through the same path as a finger (down, a frame, up).
        SDL_Event m{};
        m.type = SDL_MOUSEBUTTONDOWN;
        m.button.button = SDL_BUTTON_LEFT;
        m.button.x = static_cast<int>(it->second.cx());
        m.button.y = static_cast<int>(it->second.cy());
        SDL_PushEvent(&m);
        m.type = SDL_MOUSEBUTTONUP;
        SDL_PushEvent(&m);
        return true;
    }
    return is_keypad(key);  // other keypad keys do nothing in the guide
}

void App::Impl::guide_frame() {
    if (!voice.guide.on) return;
    auto first_in_reading_order = [&](bool skip_chrome) -> std::string {
        std::vector<Target> targets;
        for (const auto& [id, r] : record)
            if (guide_target(id, r) && !(skip_chrome && is_chrome(id)))
                targets.push_back(Target{id, r.x, r.y, r.w, r.h});
        targets = in_reading_order(targets);
        return targets.empty() ? "" : targets.front().id;
    };
    auto focusable = [&](const std::string& id) {
        const auto it = record.find(id);
        return it != record.end() && guide_target(it->first, it->second);
    };
    // An overlay came or went: it takes the focus to its first choice (the safe one: "Tidak,
    // lanjutkan mengisi", "Tutup", "Ya, saya masih di sini") and is read out; when it goes, the
    // focus returns to where it was (the Batal or Bantuan button that opened it).
    const screens::Overlay now = overlay();
    bool say_focus = false;
    if (now != voice.guide.overlay) {
        const bool was_none = voice.guide.overlay == screens::Overlay::none;
        voice.guide.overlay = now;
        if (now != screens::Overlay::none) {
            if (was_none) voice.guide.focus_before_overlay = voice.guide.focus;
            voice.guide.focus = first_in_reading_order(false);
            voice.guide.announce = false;
            say(overlay_speech(), false);
            if (const auto it = record.find(voice.guide.focus); it != record.end())
                say(focus_speech(it->first, it->second), true);
        } else {
            voice.guide.focus = voice.guide.focus_before_overlay;
            voice.guide.focus_before_overlay.clear();
            say_focus = !voice.guide.announce;
        }
    }
    if (!focusable(voice.guide.focus)) voice.guide.focus = first_in_reading_order(true);
    const auto it = record.find(voice.guide.focus);
    if (it == record.end()) return;
    if (voice.guide.announce) {
        voice.guide.announce = false;
        speak_screen();
        say(focus_speech(it->first, it->second), true);
    } else if (say_focus) {
        say(focus_speech(it->first, it->second), false);
    }
    // The focus ring: thick, in the theme's focus colour, over everything.
    const Rect& r = it->second;
    const float t = 6 * style_scale();
    ImGui::GetForegroundDrawList()->AddRect(ImVec2(r.x - t / 2, r.y - t / 2),
                                            ImVec2(r.x + r.w + t / 2, r.y + r.h + t / 2),
                                            IM_COL32(255, 200, 0, 255), 4, 0, t);
}

}  // namespace lapor::ui
