// Every citizen screen at 100, 125 and 150 % text (changed with the text-size button, as a
// citizen would), in both languages: each touch target lies inside the screen, no two targets
// overlap, and each is at least 9 mm. Walks the journey with real taps.
#include <algorithm>

#include "app.h"
#include "driver.h"
#include "flow.h"
#include "sandbox.h"

using namespace lapor;
using lapor::test::Driver;
using lapor::test::FakeClock;

namespace {

ui::AppOptions layout_options(const ui::Sandbox& sb, const Clock& clock) {
    ui::AppOptions o;
    o.config_path = sb.config_path();
    o.windowed = true;
    o.clock = &clock;
    o.systemd = false;
    o.quiet = true;
    return o;
}

// The targets of the current frame: inside the screen, apart, big enough.
void check_layout(ui::App& app, Driver& d, const std::string& where) {
    app.settle();
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(app.renderer(), &w, &h);
    std::vector<std::pair<std::string, ui::Rect>> targets;
    for (const auto& [id, r] : app.widgets())
        if (r.w > 0 && r.h > 0 && !r.hidden)
            targets.emplace_back(id, r);  // clipped: the part shown
    for (const auto& [id, r] : targets) {
        INFO(where << " " << d.screen() << ": " << id << " at " << r.x << "," << r.y << " " << r.w
                   << "x" << r.h);
        CHECK(r.x >= -0.5f);
        CHECK(r.y >= -0.5f);
        CHECK(r.x + r.w <= static_cast<float>(w) + 0.5f);
        CHECK(r.y + r.h <= static_cast<float>(h) + 0.5f);
        if (!r.clipped) CHECK(std::min(r.w, r.h) >= 34.0f);  // 9 mm at the display's dpi
    }
    for (std::size_t i = 0; i < targets.size(); ++i)
        for (std::size_t j = i + 1; j < targets.size(); ++j) {
            const ui::Rect& a = targets[i].second;
            const ui::Rect& b = targets[j].second;
            const float ox = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
            const float oy = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
            INFO(where << " " << d.screen() << ": " << targets[i].first << " and "
                       << targets[j].first);
            CHECK_FALSE((ox > 1 && oy > 1));
        }
}

// This screen at each text size, through the text-size button; back at 100 % after.
void at_each_size(ui::App& app, Driver& d, const std::string& where) {
    for (int step = 0; step < 3; ++step) {
        check_layout(app, d, where + " " + std::to_string(100 + 25 * step) + "%");
        d.tap("textsize");
    }
}

}  // namespace

TEST_CASE("layout: every citizen screen holds at 100, 125 and 150 % in both languages") {
    for (const char* lang : {"id", "en"}) {
        FakeClock clock;
        ui::Sandbox sb;
        ui::App app(layout_options(sb, clock));
        Driver d(app, clock);
        d.tap(std::string("attract:lang:") + lang);
        for (int step = 0; step < 3; ++step) {  // attract has no text-size button
            app.set_text_scale_step(step);
            check_layout(app, d, std::string(lang) + " attract");
        }
        app.set_text_scale_step(0);
        d.tap("status:open");
        at_each_size(app, d, lang);
        d.tap("back");
        d.tap("start:complaint");
        at_each_size(app, d, lang);  // agency
        d.tap("back");
        at_each_size(app, d, lang);  // classification
        d.tap("back");
        at_each_size(app, d, lang);  // language
        d.tap(std::string("choose:") + lang);
        d.tap("class:complaint");
        d.tap("agency:dishub");
        d.tap("category:dishub-parkir-liar");
        d.tap("next");
        REQUIRE(d.screen() == "text");
        at_each_size(app, d, lang);
        d.tap("field:title");
        d.type_on_screen("Parkir liar");
        at_each_size(app, d, lang);  // the editor and keyboard
        d.tap("key:close");
        d.tap("field:body");
        d.type_on_screen("Mobil parkir di bahu jalan");
        d.tap("key:close");
        d.tap("next");
        REQUIRE(d.screen() == "date_location");
        at_each_size(app, d, lang);
        d.tap("date:today");
        d.tap("field:location");
        d.type_on_screen("Pasar Baru");
        d.tap("key:close");
        d.tap("next");
        REQUIRE(d.screen() == "privacy");
        at_each_size(app, d, lang);
        d.tap("privacy:anonymous");
        d.tap("next");
        REQUIRE(d.screen() == "consent");
        at_each_size(app, d, lang);
        d.tap("consent:yes");
        d.tap("next");
        REQUIRE(d.screen() == "contact");
        at_each_size(app, d, lang);
        d.tap("next");
        REQUIRE(d.screen() == "review");
        at_each_size(app, d, lang);
        d.tap("submit");
        REQUIRE(d.screen() == "receipt");
        at_each_size(app, d, lang);
    }
}
