// The agency screen's search through the real loop: everyday words typed on the on-screen
// keyboard (with a typo) show the categories that fit above the keyboard while it is open; a tap
// on one chooses its agency and category; nothing found says so; English words in English.
#include "app.h"
#include "driver.h"
#include "flow.h"
#include "sandbox.h"

using namespace lapor;
using lapor::test::Driver;
using lapor::test::FakeClock;

namespace {

// The result is on screen, fully above the keyboard, while the keyboard is open.
void check_result_above_keyboard(Driver& d, const std::string& id) {
    REQUIRE(d.has("key:close"));  // the keyboard is open
    REQUIRE(d.has(id));
    const ui::Rect r = d.rect(id);
    const ui::Rect q = d.rect("key:q");  // the keyboard's top row
    CHECK(r.y + r.h <= q.y);
    CHECK(r.y >= d.rect("field:search").y + d.rect("field:search").h);
    CHECK(std::min(r.w, r.h) >= 34.0f);  // 9 mm at the sandbox's display
}

}  // namespace

TEST_CASE("search: everyday words with a typo show results while typing; a tap chooses") {
    FakeClock clock;
    ui::Sandbox sb;
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    d.tap("start:complaint");
    REQUIRE(d.screen() == "agency");
    d.tap("field:search");
    CHECK(d.has("key:close"));
    d.type_on_screen("samp");  // still typing: results already
    check_result_above_keyboard(d, "result:dlh-sampah-tidak-diangkut");
    d.type_on_screen("ha");  // "sampha": two letters swapped
    check_result_above_keyboard(d, "result:dlh-sampah-tidak-diangkut");
    check_result_above_keyboard(d, "result:dlh-pembuangan-sampah-liar");
    CHECK_FALSE(d.has_prefix("result:dishub"));
    d.tap("result:dlh-sampah-tidak-diangkut");
    CHECK_FALSE(d.has("key:close"));  // the keyboard closed
    CHECK(d.screen() == "agency");
    CHECK(app.flow()->draft().agency_id == "dlh");
    CHECK(app.flow()->draft().category_id == "dlh-sampah-tidak-diangkut");
    CHECK(d.has("agency:dlh"));
    CHECK_FALSE(d.has("agency:dishub"));  // the list shows what the words found
    d.tap("next");
    CHECK(d.screen() == "text");
}

TEST_CASE("search: two words, KTP, nothing found, and English words") {
    FakeClock clock;
    ui::Sandbox sb;
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    d.tap("start:complaint");
    d.tap("field:search");
    d.type_on_screen("jalan rusak");
    check_result_above_keyboard(d, "result:dpupr-jalan-rusak");
    // The best result comes first: top left.
    const ui::Rect best = d.rect("result:dpupr-jalan-rusak");
    for (const auto& [id, r] : app.widgets())
        if (id.rfind("result:", 0) == 0) CHECK((r.y > best.y || (r.y == best.y && r.x >= best.x)));
    for (int i = 0; i < 11; ++i) d.tap("key:backspace");
    d.type_on_screen("KTP");
    check_result_above_keyboard(d, "result:disdukcapil-ktp-el");
    for (int i = 0; i < 3; ++i) d.tap("key:backspace");
    d.type_on_screen("qqqq");
    CHECK(d.has("search:none"));
    CHECK_FALSE(d.has_prefix("result:"));
    d.tap("key:close");
    CHECK(d.screen() == "agency");
    CHECK_FALSE(d.has_prefix("agency:"));  // nothing found: an empty list that says so
    d.tap("back");
    d.tap("back");
    d.tap("back");
    REQUIRE(d.screen() == "attract");

    d.tap("attract:lang:en");
    d.tap("start:complaint");
    d.tap("field:search");
    d.type_on_screen("pothole");
    check_result_above_keyboard(d, "result:dpupr-jalan-rusak");
    d.tap("result:dpupr-jalan-rusak");
    CHECK(app.flow()->draft().category_id == "dpupr-jalan-rusak");
}
