// Journeys for the findings of the citizen UI's second pass (issue #14), each driven by real SDL
// events through the real loop: Batal asks first, the top bar keeps its places, a drag never
// selects, the receipt screen counts down without Batal, the step counter, Bantuan, the privacy
// message clears, labels focus their field, the review's scroll hint, the month-step note and
// the 20-second warning.
#include <cstring>

#include "app.h"
#include "driver.h"
#include "flow.h"
#include "sandbox.h"
#include "store.h"

using namespace lapor;
using lapor::test::Driver;
using lapor::test::FakeClock;

namespace {

void to_agency(Driver& d) {
    d.tap("attract:lang:id");
    d.tap("start:complaint");  // a report type's button on attract starts at the agency
    REQUIRE(d.screen() == "agency");
}

void to_text(Driver& d) {
    to_agency(d);
    d.tap("agency:dishub");
    d.tap("category:dishub-parkir-liar");
    d.tap("next");
    REQUIRE(d.screen() == "text");
}

void fill_text(Driver& d) {
    d.tap("field:title");
    d.type_physical("Parkir liar");
    d.tap("key:close");
    d.tap("field:body");
    d.type_physical("Mobil di bahu jalan.");
    d.tap("key:close");
}

bool same_place(const ui::Rect& a, const ui::Rect& b) {
    return a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h;
}

}  // namespace

TEST_CASE("Batal asks 'Hapus laporan ini?' with the safe choice first; only Ya erases") {
    FakeClock clock;
    ui::Sandbox sb;
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    to_text(d);
    fill_text(d);
    d.tap("cancel");
    CHECK(d.screen() == "text");  // nothing erased yet
    REQUIRE(d.has("cancel:keep"));
    REQUIRE(d.has("cancel:erase"));
    CHECK(d.rect("cancel:keep").y < d.rect("cancel:erase").y);  // the safe choice first
    d.tap("cancel:keep");
    CHECK_FALSE(d.has("cancel:keep"));
    CHECK(d.screen() == "text");
    CHECK(app.flow()->draft().title == "Parkir liar");  // kept
    d.tap("cancel");
    d.tap("cancel:erase");
    CHECK(d.screen() == "attract");
    CHECK(app.flow()->draft().title.empty());
}

TEST_CASE("the top bar keeps its places at 100, 125 and 150 %; Batal is far from the settings") {
    FakeClock clock;
    ui::Sandbox sb;
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    to_agency(d);
    const char* ids[] = {"cancel", "help", "lang:id", "lang:en", "textsize", "contrast"};
    std::vector<ui::Rect> at100;
    for (const char* id : ids) at100.push_back(d.rect(id));
    for (int step = 1; step <= 2; ++step) {
        d.tap("textsize");
        for (std::size_t i = 0; i < std::size(ids); ++i) {
            INFO(ids[i] << " at " << 100 + 25 * step << " %");
            CHECK(same_place(d.rect(ids[i]), at100[i]));
        }
    }
    // Batal is on the other side of the bar from the contrast and text size buttons.
    const ui::Rect cancel = d.rect("cancel"), contrast = d.rect("contrast");
    CHECK(cancel.x + cancel.w < 640);  // the left half
    CHECK(contrast.x > 640);           // the right half
}

TEST_CASE("dragging the agency list scrolls it and never selects the row under the finger") {
    FakeClock clock;
    ui::Sandbox sb;
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    to_agency(d);
    const ui::Rect first = d.rect("agency:dishub");
    d.drag(first.cx(), first.cy() + 150, 0, -120);  // starts on a row, moves well past 12 px
    CHECK(app.flow()->draft().agency_id.empty());
    CHECK_FALSE(d.has_prefix("category:"));
    CHECK(d.rect("agency:dishub").y < first.y);  // the list did move
    // A small wobble (under the threshold) is still a tap.
    const ui::Rect r = d.rect("agency:disdukcapil");
    d.drag(r.cx(), r.cy(), 4, 3);
    CHECK(app.flow()->draft().agency_id == "disdukcapil");
}

TEST_CASE("the receipt screen counts down visibly and has no Batal") {
    FakeClock clock;
    ui::SandboxOptions so;
    so.receipt_screen_s = 60;
    ui::Sandbox sb(so);
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    to_text(d);
    fill_text(d);
    d.tap("next");
    d.tap("field:location");
    d.type_physical("Pasar Baru");
    d.tap("key:close");
    d.tap("next");
    d.tap("privacy:anonymous");
    d.tap("next");
    d.tap("consent:no");
    d.tap("next");
    REQUIRE(d.screen() == "review");
    d.tap("submit");
    REQUIRE(d.screen() == "receipt");
    CHECK_FALSE(d.has("cancel"));
    CHECK(d.has("receipt_left:60"));
    d.advance(10'000);
    CHECK(d.has("receipt_left:50"));
    d.advance(50'500);
    CHECK(d.screen() == "attract");
}

TEST_CASE("step counter 'Langkah n dari 7' and a Bantuan panel that explains the screen") {
    FakeClock clock;
    ui::Sandbox sb;
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    CHECK_FALSE(d.has_prefix("step:"));  // attract has no steps
    d.tap("start:complaint");            // the report type chosen on attract: step 2
    CHECK(d.has("step:2/7"));
    d.tap("back");
    CHECK(d.screen() == "classification");
    CHECK(d.has("step:1/7"));
    d.tap("back");
    CHECK(d.screen() == "language");
    CHECK_FALSE(d.has_prefix("step:"));  // language comes before the steps
    d.tap("choose:id");
    CHECK(d.has("step:1/7"));
    d.tap("class:complaint");
    CHECK(d.has("step:2/7"));
    d.tap("help");
    CHECK(d.has("help:agency"));
    d.tap("help:close");
    CHECK_FALSE(d.has("help:agency"));
    d.tap("agency:dishub");
    d.tap("category:dishub-parkir-liar");
    d.tap("next");
    CHECK(d.has("step:3/7"));
}

TEST_CASE("the privacy message goes once a choice is made; a label focuses its field") {
    FakeClock clock;
    ui::Sandbox sb;
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    to_text(d);
    d.tap("label:title");  // the words above the field
    CHECK(d.has("field:edit"));
    d.type_physical("Parkir liar");
    d.tap("key:close");
    d.tap("label:body");
    CHECK(d.has("field:edit"));
    d.type_physical("Mobil di bahu jalan.");
    d.tap("key:close");
    d.tap("next");
    d.tap("label:location");
    CHECK(d.has("field:edit"));
    d.type_physical("Pasar Baru");
    d.tap("key:close");
    d.tap("next");
    REQUIRE(d.screen() == "privacy");
    d.tap("next");
    CHECK(d.has("problem:privacy"));
    d.tap("privacy:anonymous");
    CHECK_FALSE(d.has("problem:privacy"));
}

TEST_CASE("month + on the 31st says the day moved; the review shows a scroll hint at 150 %") {
    FakeClock clock;  // 2025-11-29 in Jakarta
    ui::Sandbox sb;
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    to_text(d);
    fill_text(d);
    d.tap("next");
    REQUIRE(d.screen() == "date_location");
    d.tap("date:year-");   // 29 November 2024
    d.tap("date:month-");  // 29 October
    d.tap("date:day+");
    d.tap("date:day+");  // 31 October
    CHECK_FALSE(d.has("date_note"));
    d.tap("date:month+");  // November has 30 days
    CHECK(d.has("date_note"));
    CHECK(app.flow()->draft().incident_date->day == 30);
    d.tap("date:today");
    CHECK_FALSE(d.has("date_note"));
    d.tap("field:location");
    d.type_physical("Pasar Baru");
    d.tap("key:close");
    d.tap("next");
    d.tap("privacy:public");
    d.tap("next");
    d.tap("consent:yes");
    d.tap("next");
    d.tap("next");  // contact left empty
    REQUIRE(d.screen() == "review");
    d.tap("textsize");
    d.tap("textsize");
    CHECK(d.has("scroll_hint"));
    const ui::Rect edit = d.rect("edit:classification");
    for (int i = 0; i < 6 && d.has("scroll_hint"); ++i) d.drag(edit.x - 100, 500, 0, -300);
    CHECK_FALSE(d.has("scroll_hint"));  // at the end of the sections
}

TEST_CASE("the 'still here?' warning gives 20 s by default (WCAG 2.2.1)") {
    FakeClock clock;
    ui::SandboxOptions so;  // the sandbox writes the default countdown
    so.idle_timeout_s = 30;
    ui::Sandbox sb(so);
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    to_agency(d);
    d.advance(30'500);
    REQUIRE(app.countdown_showing());
    d.advance(19'000);
    CHECK(app.countdown_showing());
    CHECK(d.screen() == "agency");
    d.advance(1'500);
    CHECK(d.screen() == "attract");
}

// What the screen shows, read from the text record: every text a tile of `owner` draws.
namespace {
std::string shown_in(ui::App& app, const std::string& owner) {
    app.settle();
    std::string all;
    for (const auto& t : app.texts())
        if (t.owner == owner) all += t.excerpt + "|";
    return all;
}
}  // namespace

TEST_CASE("the privacy tiles say who sees the name; declining consent says nobody does") {
    FakeClock clock;
    ui::Sandbox sb;
    ui::App app(lapor::test::sandbox_options(sb, clock));
    app.record_texts(true);
    Driver d(app, clock);
    to_text(d);
    fill_text(d);
    d.tap("next");
    d.tap("field:location");
    d.type_physical("Pasar Baru");
    d.tap("key:close");
    d.tap("next");
    REQUIRE(d.screen() == "privacy");
    // Each choice names who sees the name: the public (if given), the officers handling it.
    const std::string pub = shown_in(app, "privacy:public");
    const std::string anon = shown_in(app, "privacy:anonymous");
    const std::string conf = shown_in(app, "privacy:confidential");
    INFO(pub << "\n" << anon << "\n" << conf);
    CHECK(pub.find("nama Anda") != std::string::npos);
    CHECK(pub.find("bila Anda mengisinya") != std::string::npos);  // no name, no contradiction
    CHECK(anon.find("tidak nama Anda") != std::string::npos);
    CHECK(conf.find("hanya petugas yang menangani") != std::string::npos);
    // Publik, then consent declined: the screen says the report goes without the name, which
    // Publik's own words allow ("bila Anda mengisinya").
    d.tap("privacy:public");
    d.tap("next");
    REQUIRE(d.screen() == "consent");
    const std::string no = shown_in(app, "consent:no");
    INFO(no);
    CHECK(no.find("tanpa nama") != std::string::npos);
    d.tap("consent:no");
    d.tap("next");
    CHECK(d.screen() == "review");
}
