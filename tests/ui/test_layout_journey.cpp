// Every citizen screen at 100, 125 and 150 % text (changed with the text-size button, as a
// citizen would), in both languages and both themes, walked with real taps: the screens with their
// keyboards, the search results, the Bantuan panel, the "Hapus laporan ini?" question, the idle
// countdown, the receipt, and the status check's answers. On each: the touch targets (inside the
// screen, apart, at least 9 mm) and the texts (inside the screen and what holds them, off other
// targets, apart), and every glyph drawn belongs to a recorded text (tests/ui/layout_check.h).
#include <algorithm>

#include "app.h"
#include "config.h"
#include "driver.h"
#include "flow.h"
#include "layout_check.h"
#include "sandbox.h"
#include "status_check.h"
#include "store.h"
#include "tracking.h"

using namespace lapor;
using lapor::test::check_layout;
using lapor::test::Driver;
using lapor::test::FakeClock;

namespace {

struct Walk {
    ui::App& app;
    Driver& d;
    std::string prefix;  // "id standard", ...
    int checked = 0;

    void check(const std::string& what) {
        check_layout(app, prefix + " " + d.screen() + " " + what);
        ++checked;
    }
    // This screen at each text size, through the text-size button, with its Bantuan panel; back
    // at 100 % after.
    void at_each_size(const std::string& what = "", bool help = true) {
        for (int step = 0; step < 3; ++step) {
            const std::string size = what + " " + std::to_string(100 + 25 * step) + "%";
            check(size);
            if (help && d.has("help")) {
                d.tap("help");
                REQUIRE(d.has("help:close"));
                check(size + " help");
                d.tap("help:close");
            }
            d.tap("textsize");
        }
    }
};

// A report the national system has moved on, with a long reply: what the status check shows.
void national_answer(const ui::Sandbox& sb, const Clock& clock) {
    const Config cfg = load_config(sb.config_path());
    auto store = open_store(cfg.kiosk.data_dir + "/kiosk.db", clock, OpenMode::existing);
    const auto leased = store->lease_next(1, 60'000);
    REQUIRE(leased.size() == 1);
    REQUIRE(store->mark_accepted(leased[0].id, 201, "LAPOR-2026-0042", ""));
    const std::int64_t t = clock.now_ms() / 1000;
    store->update_status(leased[0].id, {"verified", "", t + 600, ""});
    store->update_status(leased[0].id, {"dispositioned", "Dinas Perhubungan", t + 1200, ""});
    store->update_status(leased[0].id,
                         {"in_progress", "Dinas Perhubungan", t + 1800,
                          "Terima kasih atas laporan Anda. Petugas Dinas Perhubungan akan "
                          "menertibkan parkir di lokasi ini mulai Senin pagi dan memasang rambu "
                          "larangan parkir di kedua sisi jalan."});
}

void walk(const char* lang, bool contrast) {
    FakeClock clock;
    ui::SandboxOptions so;
    so.idle_timeout_s = 600;  // the walk is long; the countdown is visited on purpose
    so.countdown_s = 30;
    ui::Sandbox sb(so);
    ui::App app(lapor::test::sandbox_options(sb, clock));
    app.record_texts(true);
    Driver d(app, clock);
    Walk w{app, d, std::string(lang) + (contrast ? " contrast" : " standard")};
    d.tap(std::string("attract:lang:") + lang);
    app.set_theme_high_contrast(contrast);  // the attract screen has no contrast button
    for (int step = 0; step < 3; ++step) {  // nor a text-size button
        app.set_text_scale_step(step);
        w.check(std::to_string(100 + 25 * step) + "%");
    }
    app.set_text_scale_step(0);
    d.tap("status:open");
    w.at_each_size("empty");
    d.tap("back");
    d.tap("start:complaint");
    REQUIRE(d.screen() == "agency");
    w.at_each_size("empty");
    d.tap("back");
    w.at_each_size();  // classification
    d.tap("back");
    w.at_each_size();  // language
    d.tap(std::string("choose:") + lang);
    d.tap("class:complaint");
    // The search with its results above the keyboard, and a search that finds nothing.
    d.tap("field:search");
    d.type_on_screen(std::string(lang) == "en" ? "garbage" : "sampah");
    w.at_each_size("search", false);
    d.type_on_screen("xqzv");
    w.at_each_size("search nothing", false);
    for (int i = 0; i < 20; ++i) d.tap("key:backspace");
    d.tap("key:close");
    d.tap("agency:dishub");
    d.tap("category:dishub-parkir-liar");
    w.at_each_size();
    // "Hapus laporan ini?" at each size, the safe answer.
    for (int step = 0; step < 3; ++step) {
        d.tap("cancel");
        REQUIRE(d.has("cancel:keep"));
        w.check("cancel " + std::to_string(100 + 25 * step) + "%");
        d.tap("cancel:keep");
        d.tap("textsize");
    }
    d.tap("next");
    REQUIRE(d.screen() == "text");
    d.tap("next");  // empty: the problems show
    w.at_each_size("problems");
    d.tap("field:title");
    d.type_on_screen("Parkir liar di depan Pasar Baru");
    w.at_each_size("keyboard", false);
    d.tap("key:page");
    w.at_each_size("symbols", false);
    d.tap("key:page");
    d.tap("key:close");
    d.tap("field:body");
    d.type_on_screen(
        "Setiap pagi mobil parkir di bahu jalan depan pasar sehingga angkot tidak "
        "bisa berhenti dan jalan macet");
    d.tap("key:close");
    w.at_each_size("typed");
    d.tap("next");
    REQUIRE(d.screen() == "date_location");
    w.at_each_size();
    // The 31st, then a month without it: the note says the day moved.
    for (int i = 0; i < 40 && d.screen() == "date_location"; ++i) {
        d.tap("date:month-");
        if (d.has("text:date:day")) break;
    }
    d.tap("field:location");
    d.type_on_screen("Jl. Pasar Baru No. 1, Sawah Besar");
    d.tap("key:close");
    d.tap("next");
    REQUIRE(d.screen() == "privacy");
    d.tap("next");  // no choice yet: the problem shows
    w.at_each_size("problem");
    d.tap("privacy:public");
    d.tap("next");
    REQUIRE(d.screen() == "consent");
    w.at_each_size();
    d.tap("consent:yes");
    d.tap("next");
    REQUIRE(d.screen() == "contact");
    d.tap("field:name");
    d.type_on_screen("Siti Rahayu");
    d.tap("key:close");
    d.tap("field:phone");
    d.type_on_screen("0812");
    w.at_each_size("phone pad", false);
    d.tap("key:close");
    d.tap("next");  // a short phone number: the problem shows
    w.at_each_size("problem");
    d.tap("field:phone");
    d.type_on_screen("34567890");
    d.tap("key:close");
    d.tap("field:nik");
    w.at_each_size("numeric pad", false);
    d.tap("key:close");
    d.tap("next");
    REQUIRE(d.screen() == "review");
    w.at_each_size();
    // The idle countdown over the review, at each size.
    for (int step = 0; step < 3; ++step) {
        d.advance(601'000);
        REQUIRE(app.countdown_showing());
        w.check("countdown " + std::to_string(100 + 25 * step) + "%");
        d.tap("still_here");
        d.tap("textsize");
    }
    d.tap("submit");
    REQUIRE(d.screen() == "receipt");
    d.wait_for("print:printed", 20'000);
    std::string tracking;
    REQUIRE(d.has_prefix("tracking:", &tracking));
    tracking = tracking.substr(9);
    w.at_each_size();
    d.tap("done");
    REQUIRE(d.screen() == "attract");
    // The status check: the national answer, a typo, another kiosk's code (with its QR).
    national_answer(sb, clock);
    app.set_theme_high_contrast(contrast);  // the wipe gave the next citizen the defaults
    d.tap(std::string("attract:lang:") + lang);
    d.tap("status:open");
    for (char c : code_characters(tracking)) d.tap(std::string("key:") + c);
    d.tap("status:check");
    REQUIRE(d.has("status:found"));
    w.at_each_size("found");
    d.tap("key:backspace");
    d.tap(code_characters(tracking).back() == 'A' ? "key:B" : "key:A");
    d.tap("status:check");
    w.at_each_size("typo");
    for (int i = 0; i < 13; ++i) d.tap("key:backspace");
    std::string other = "BD027K3M9QX2";
    other += tracking_check_char(other);
    for (char c : other) d.tap(std::string("key:") + c);
    d.tap("status:check");
    REQUIRE(d.has("status:qr"));
    w.at_each_size("other kiosk");
    MESSAGE(w.prefix << ": " << w.checked << " frames checked");
}

}  // namespace

TEST_CASE("layout: every citizen screen holds at 100, 125 and 150 %, Indonesian, standard") {
    walk("id", false);
}
TEST_CASE("layout: every citizen screen holds at 100, 125 and 150 %, English, standard") {
    walk("en", false);
}
TEST_CASE("layout: every citizen screen holds at 100, 125 and 150 %, Indonesian, high contrast") {
    walk("id", true);
}
TEST_CASE("layout: every citizen screen holds at 100, 125 and 150 %, English, high contrast") {
    walk("en", true);
}
