// The taps `make image-update-test` replays on the kiosk in QEMU to file real reports while the
// endpoint is down: a citizen's journey through the real lapor-kiosk loop, headless at the
// kiosk's screen size (1280x800, 96 dpi), driven by SDL events aimed at the recorded widgets.
// Each tap's screen point is written to $LAPOR_TAP_PLAN ("X Y WIDGET-ID" per line) when set; the
// journey must end with the report stored, so a plan that no longer files one fails here first.
#include <cctype>
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

struct Step {
    float x, y;
    std::string id;
};

class Recorder {
public:
    explicit Recorder(Driver& d) : d_(d) {}
    void tap(const std::string& id) {
        const ui::Rect r = d_.rect(id);
        steps.push_back({r.cx(), r.cy(), id});
        d_.tap(id);
    }
    // The on-screen keyboard, as Driver::type_on_screen types (pages and shift as a person).
    void type(const std::string& text) {
        for (char c : text) {
            if (c == ' ') {
                tap("key:space");
                continue;
            }
            const bool upper = std::isupper(static_cast<unsigned char>(c)) != 0;
            const std::string id =
                "key:" + std::string(1, upper ? static_cast<char>(std::tolower(c)) : c);
            if (!d_.has(id)) tap("key:page");
            REQUIRE_MESSAGE(d_.has(id), "no key for '" << c << "'");
            if (upper) tap("key:shift");
            tap(id);
        }
    }
    std::vector<Step> steps;

private:
    Driver& d_;
};

}  // namespace

TEST_CASE("the update test's tap plan files an anonymous complaint in a sandbox kiosk") {
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
    Recorder r(d);

    REQUIRE(d.screen() == "attract");
    r.tap("attract:lang:id");
    r.tap("start:complaint");
    REQUIRE(d.screen() == "agency");
    r.tap("agency:dishub");
    r.tap("category:dishub-parkir-liar");
    r.tap("next");
    REQUIRE(d.screen() == "text");
    r.tap("field:title");
    r.type("Parkir liar");
    r.tap("key:close");
    r.tap("field:body");
    r.type("Mobil di bahu jalan");
    r.tap("key:close");
    r.tap("next");
    REQUIRE(d.screen() == "date_location");
    r.tap("field:location");
    r.type("Pasar Baru");
    r.tap("key:close");
    r.tap("next");
    REQUIRE(d.screen() == "privacy");
    r.tap("privacy:anonymous");
    r.tap("next");
    REQUIRE(d.screen() == "consent");
    r.tap("consent:no");
    r.tap("next");
    REQUIRE(d.screen() == "review");
    r.tap("submit");
    REQUIRE(d.screen() == "receipt");
    std::string tracking;
    REQUIRE(d.has_prefix("tracking:", &tracking));
    r.tap("done");
    CHECK(d.screen() == "attract");

    auto store = open_store(sb.dir() + "/data/kiosk.db", clock, OpenMode::existing);
    const auto v = store->find_by_tracking(tracking.substr(std::string("tracking:").size()));
    REQUIRE(v);
    CHECK(v->state == OutboxState::queued);
    CHECK(store->counts().total() == 1);

    if (const char* out = std::getenv("LAPOR_TAP_PLAN"); out && *out) {
        std::ofstream f(out);
        for (const auto& s : r.steps)
            f << static_cast<int>(s.x) << " " << static_cast<int>(s.y) << " " << s.id << "\n";
        REQUIRE(f.good());
    }
    MESSAGE(r.steps.size() << " taps, from attract back to attract");
}
