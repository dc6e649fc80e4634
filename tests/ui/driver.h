// Drives a real lapor-kiosk App headless with real SDL events aimed at the widget rectangles
// recorded in the last frame. Journey tests use only this (never the flow's intents).
#pragma once
#include <SDL.h>
#include <doctest/doctest.h>

#include <string.h>

#include <cctype>
#include <string>

#include "app.h"
#include "fake_clock.h"
#include "sandbox.h"

namespace lapor::test {

// The options every journey test starts the app with: the sandbox's config, a window, the
// test's clock, no systemd and no log lines.
inline ui::AppOptions sandbox_options(const ui::Sandbox& sb, const Clock& clock) {
    ui::AppOptions o;
    o.config_path = sb.config_path();
    o.windowed = true;
    o.clock = &clock;
    o.systemd = false;
    o.quiet = true;
    return o;
}

class Driver {
public:
    Driver(ui::App& app, FakeClock& clock) : app_(app), clock_(clock) {}

    bool has(const std::string& id) {
        app_.settle();
        return app_.widgets().count(id) > 0;
    }
    bool has_prefix(const std::string& prefix, std::string* found = nullptr) {
        app_.settle();
        for (const auto& [id, r] : app_.widgets())
            if (id.rfind(prefix, 0) == 0) {
                if (found) *found = id;
                return true;
            }
        return false;
    }
    ui::Rect rect(const std::string& id) {
        app_.settle();
        const auto it = app_.widgets().find(id);
        REQUIRE_MESSAGE(it != app_.widgets().end(),
                        "no widget '" << id << "' on screen " << app_.screen_name());
        return it->second;
    }
    // A finger tap (down, a frame, up) at the centre of the widget.
    void tap(const std::string& id) {
        const ui::Rect r = rect(id);
        finger(SDL_FINGERDOWN, r.cx(), r.cy());
        finger(SDL_FINGERUP, r.cx(), r.cy());
    }
    // The same with the mouse.
    void click(const std::string& id) {
        const ui::Rect r = rect(id);
        mouse(SDL_MOUSEBUTTONDOWN, r.cx(), r.cy());
        mouse(SDL_MOUSEBUTTONUP, r.cx(), r.cy());
    }
    // Holds a finger on the widget (or a point) for `ms` of the injected clock.
    void hold_at(float x, float y, std::int64_t ms) {
        finger(SDL_FINGERDOWN, x, y);
        for (std::int64_t t = 0; t < ms; t += 100) {
            clock_.advance_ms(100);
            app_.settle();
        }
        finger(SDL_FINGERUP, x, y);
    }
    void hold(const std::string& id, std::int64_t ms) {
        const ui::Rect r = rect(id);
        hold_at(r.cx(), r.cy(), ms);
    }
    // A finger dragged from (x, y) by (dx, dy) in ten steps, as when scrolling a list.
    void drag(float x, float y, float dx, float dy) {
        finger(SDL_FINGERDOWN, x, y);
        for (int i = 1; i <= 10; ++i)
            finger(SDL_FINGERMOTION, x + dx * static_cast<float>(i) / 10,
                   y + dy * static_cast<float>(i) / 10);
        finger(SDL_FINGERUP, x + dx, y + dy);
    }
    void finger(Uint32 type, float x, float y) {
        int w = 0, h = 0;
        SDL_GetRendererOutputSize(app_.renderer(), &w, &h);
        SDL_Event e{};
        e.type = type;
        e.tfinger.touchId = 1;
        e.tfinger.fingerId = 1;
        e.tfinger.x = x / static_cast<float>(w);
        e.tfinger.y = y / static_cast<float>(h);
        e.tfinger.pressure = 1;
        SDL_PushEvent(&e);
        app_.settle();
    }
    void mouse(Uint32 type, float x, float y) {
        SDL_Event e{};
        e.type = type;
        e.button.which = 0;
        e.button.button = SDL_BUTTON_LEFT;
        e.button.x = static_cast<int>(x);
        e.button.y = static_cast<int>(y);
        SDL_PushEvent(&e);
        app_.settle();
    }
    // Types on the on-screen keyboard, switching pages and using shift as a person would.
    void type_on_screen(const std::string& text) {
        for (char c : text) {
            if (c == ' ') {
                tap("key:space");
                continue;
            }
            if (c == '\n') {
                tap("key:newline");
                continue;
            }
            const bool upper = std::isupper(static_cast<unsigned char>(c)) != 0;
            const std::string id =
                "key:" + std::string(1, upper ? static_cast<char>(std::tolower(c)) : c);
            if (!has(id)) tap("key:page");
            REQUIRE_MESSAGE(has(id), "no key for '" << c << "'");
            if (upper) tap("key:shift");
            tap(id);
        }
    }
    // A physical keyboard or a barcode scanner: text input events, then Enter if asked.
    void type_physical(const std::string& text, bool enter = false) {
        SDL_Event e{};
        e.type = SDL_TEXTINPUT;
        std::snprintf(e.text.text, sizeof e.text.text, "%s", text.c_str());
        REQUIRE(text.size() < sizeof e.text.text);
        SDL_PushEvent(&e);
        explicit_bzero(&e, sizeof e);  // the app's copy is what a test looks for, not ours
        app_.settle();
        if (enter) key(SDLK_RETURN);
    }
    void type_physical_long(const std::string& text, bool enter = false) {
        for (std::size_t i = 0; i < text.size(); i += 16) type_physical(text.substr(i, 16));
        if (enter) key(SDLK_RETURN);
    }
    void key(SDL_Keycode k, Uint16 mod = 0) {
        SDL_Event e{};
        e.type = SDL_KEYDOWN;
        e.key.keysym.sym = k;
        e.key.keysym.mod = mod;
        SDL_PushEvent(&e);
        app_.settle();
    }
    // Every touch target on screen is at least `min_px` on each side (9 mm at display.dpi).
    void check_targets(float min_px) {
        app_.settle();
        for (const auto& [id, r] : app_.widgets()) {
            if (r.w == 0 && r.h == 0) continue;  // markers, not targets
            if (r.clipped) continue;             // partly scrolled out of its list
            INFO(app_.screen_name() << ": " << id << " " << r.w << "x" << r.h);
            CHECK(std::min(r.w, r.h) >= min_px);
        }
    }
    // Waits in real time (for the print worker thread) until the widget shows.
    bool wait_for(const std::string& id, int real_ms) {
        for (int t = 0; t < real_ms; t += 20) {
            app_.settle();
            if (app_.widgets().count(id)) return true;
            SDL_Delay(20);
        }
        return false;
    }
    void advance(std::int64_t ms) {
        clock_.advance_ms(ms);
        app_.settle();
    }
    std::string screen() {
        app_.settle();
        return app_.screen_name();
    }

private:
    ui::App& app_;
    FakeClock& clock_;
};

}  // namespace lapor::test
