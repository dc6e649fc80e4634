// The input `make image-update-test` replays on the kiosk in QEMU to file real reports while the
// endpoint is down: a citizen's journey through the real lapor-kiosk loop, headless at the
// kiosk's screen size (1280x800, 96 dpi), with the audio guide's numeric keypad (2/4/6/8 move,
// 5 activates) and letters typed on a keyboard, as SDL key and text events. Each key is written
// to $LAPOR_TAP_PLAN when set ("key kp_6" or "text WORDS", QEMU key names); the journey must end
// with the report stored, so a plan that no longer files one fails here first.
//
// Why keys and not taps: QEMU's pointer devices (PS/2 mouse, virtio tablet) reach the kiosk's
// evdev but SDL 2.26 under KMSDRM turned none of their clicks into button events on a widget
// (seen with screendumps, 2026-12-07), while keyboard events work. A touch panel is a third
// path (SDL finger events) that QEMU 7.2 cannot emulate.
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "app.h"
#include "driver.h"
#include "sandbox.h"
#include "store.h"

using namespace lapor;
using lapor::test::Driver;
using lapor::test::FakeClock;

namespace {

struct Planner {
    Driver& d;
    ui::App& app;
    std::vector<std::string> lines;

    void press(SDL_Keycode k) {
        const char* name = k == SDLK_KP_2   ? "kp_2"
                           : k == SDLK_KP_4 ? "kp_4"
                           : k == SDLK_KP_6 ? "kp_6"
                           : k == SDLK_KP_8 ? "kp_8"
                                            : "kp_5";
        lines.push_back(std::string("key ") + name);
        d.key(k);
    }
    // The audio guide's moves until its focus is on `id` (as tests/ui/test_guide_journey.cpp).
    void go_to(const std::string& id) {
        for (int step = 0; step < 120; ++step) {
            const std::string at = app.guide_focus();
            if (at == id) return;
            const ui::Rect t = d.rect(id);
            const ui::Rect f = d.rect(at);
            const float dx = t.cx() - f.cx(), dy = t.cy() - f.cy();
            const bool same_row = std::abs(dy) < std::min(t.h, f.h) / 2;
            press(same_row ? (dx > 0 ? SDLK_KP_6 : SDLK_KP_4) : (dy > 0 ? SDLK_KP_2 : SDLK_KP_8));
            if (app.guide_focus() == at && !same_row) press(dx > 0 ? SDLK_KP_6 : SDLK_KP_4);
        }
        FAIL("the guide could not reach " << id << " from " << app.guide_focus() << " on "
                                          << app.screen_name());
    }
    void choose(const std::string& id) {
        go_to(id);
        press(SDLK_KP_5);
    }
    // Lower-case letters and spaces from a keyboard (each its own text event, as evdev sends).
    void type(const std::string& text) {
        lines.push_back("text " + text);
        for (char c : text) d.type_physical(std::string(1, c));
    }
};

}  // namespace

TEST_CASE("the update test's keypad plan files an anonymous complaint in a sandbox kiosk") {
    FakeClock clock;
    ui::Sandbox sb;
    ui::AppOptions o;
    o.config_path = sb.config_path();
    o.clock = &clock;
    o.systemd = false;
    o.quiet = true;
    o.width = 1280;  // the kiosk's screen in QEMU (std VGA under KMSDRM)
    o.height = 800;
    ui::App app(o);
    Driver d(app, clock);
    Planner p{d, app, {}};

    REQUIRE(d.screen() == "attract");
    p.press(SDLK_KP_8);  // starts the guide
    REQUIRE(app.guide_on());
    p.choose("start:complaint");
    REQUIRE(d.screen() == "agency");
    p.choose("agency:dishub");
    p.choose("category:dishub-parkir-liar");
    p.choose("next");
    REQUIRE(d.screen() == "text");
    p.choose("field:title");
    p.type("parkir liar");
    p.choose("key:close");
    p.choose("field:body");
    p.type("mobil di bahu jalan");
    p.choose("key:close");
    p.choose("next");
    REQUIRE(d.screen() == "date_location");
    p.choose("date:today");
    p.choose("field:location");
    p.type("pasar baru");
    p.choose("key:close");
    p.choose("next");
    REQUIRE(d.screen() == "privacy");
    p.choose("privacy:anonymous");
    p.choose("next");
    REQUIRE(d.screen() == "consent");
    p.choose("consent:no");
    p.choose("next");
    REQUIRE(d.screen() == "review");
    p.choose("submit");
    REQUIRE(d.screen() == "receipt");
    std::string tracking;
    REQUIRE(d.has_prefix("tracking:", &tracking));
    p.choose("done");
    CHECK(d.screen() == "attract");
    CHECK_FALSE(app.guide_on());  // the next citizen (the plan's next replay) starts the same way

    auto store = open_store(sb.dir() + "/data/kiosk.db", clock, OpenMode::existing);
    const auto v = store->find_by_tracking(tracking.substr(std::string("tracking:").size()));
    REQUIRE(v);
    CHECK(v->state == OutboxState::queued);
    CHECK(v->report.agency_id == "dishub");
    CHECK(store->counts().total() == 1);

    if (const char* out = std::getenv("LAPOR_TAP_PLAN"); out && *out) {
        std::ofstream f(out);
        for (const auto& l : p.lines) f << l << "\n";
        REQUIRE(f.good());
    }
    MESSAGE(p.lines.size() << " plan lines, from attract back to attract");
}
