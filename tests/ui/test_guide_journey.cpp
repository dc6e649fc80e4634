// The audio guide (issue #15): a blind citizen files a whole complaint with a USB numeric keypad
// only (no touch, no letters typed on a keyboard): any key on the attract screen starts the guide,
// 2/4/6/8 move, 5 activates, the on-screen keyboard is reached the same way. What the kiosk says
// is checked from its speech log, and the sound itself from SDL's disk audio driver.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

#include "app.h"
#include "crypto.h"
#include "driver.h"
#include "fixtures.h"
#include "i18n.h"
#include "sandbox.h"
#include "share.h"
#include "store.h"

using namespace lapor;
using lapor::test::Driver;
using lapor::test::FakeClock;

namespace {

// Presses keypad keys until the guide's focus is on `id`, then 5.
struct Keypad {
    Driver& d;
    ui::App& app;
    int presses = 0;

    void press(SDL_Keycode k) {
        d.key(k);
        ++presses;
    }
    void go_to(const std::string& id) {
        for (int step = 0; step < 120; ++step) {
            const std::string at = app.guide_focus();
            if (at == id) return;
            const ui::Rect t = d.rect(id);
            const ui::Rect f = d.rect(at);
            const float dx = t.cx() - f.cx(), dy = t.cy() - f.cy();
            const bool same_row = std::abs(dy) < std::min(t.h, f.h) / 2;
            SDL_Keycode k =
                same_row ? (dx > 0 ? SDLK_KP_6 : SDLK_KP_4) : (dy > 0 ? SDLK_KP_2 : SDLK_KP_8);
            press(k);
            if (app.guide_focus() == at && !same_row)  // nothing that way: go sideways first
                press(dx > 0 ? SDLK_KP_6 : SDLK_KP_4);
        }
        FAIL("the guide could not reach " << id << " from " << app.guide_focus() << " on "
                                          << app.screen_name());
    }
    void choose(const std::string& id) {
        go_to(id);
        press(SDLK_KP_5);
    }
    void type(const std::string& text) {
        for (char c : text) choose(c == ' ' ? "key:space" : "key:" + std::string(1, c));
    }
};

bool said(ui::App& app, const std::string& text) {
    for (const auto& s : app.spoken())
        if (s == text) return true;
    return false;
}

}  // namespace

TEST_CASE("audio guide: a whole complaint filed with a numeric keypad only") {
    test::TempDir audio;
    ::setenv("SDL_AUDIODRIVER", "disk", 1);
    ::setenv("SDL_DISKAUDIOFILE", (audio / "card.raw").c_str(), 1);
    ::setenv("SDL_DISKAUDIODELAY", "0", 1);
    FakeClock clock;
    ui::Sandbox sb;
    ui::AppOptions o = test::sandbox_options(sb, clock);
    const Messages m = Messages::load_dir(po_dir());
    {
        ui::App app(o);
        Driver d(app, clock);
        Keypad k{d, app};
        CHECK(d.screen() == "attract");
        CHECK_FALSE(app.guide_on());
        k.press(SDLK_KP_8);  // any key of the keypad starts the guide, and only starts it
        CHECK(app.guide_on());
        CHECK(d.screen() == "attract");
        CHECK(said(app, m.tr("id", "speech.guide.start")));

        // A report type's button on attract starts at the agency screen; Back reaches the
        // classification screen, which the guide announces.
        k.choose("start:complaint");
        CHECK(d.screen() == "agency");
        k.choose("back");
        CHECK(d.screen() == "classification");
        // The new screen is announced: title, what to do, choices.
        CHECK(said(app,
                   "Apa yang ingin Anda sampaikan? Pilih salah satu jenis laporan. Pilihan: "
                   "Pengaduan, Aspirasi, Permintaan Informasi."));
        k.choose("class:complaint");
        CHECK(d.screen() == "agency");
        k.choose("agency:dishub");
        k.go_to("category:dishub-parkir-liar");
        k.choose("category:dishub-parkir-liar");
        k.choose("next");
        CHECK(d.screen() == "text");

        k.go_to("field:title");
        CHECK(said(app, m.tr("id", "ui.field.title") + ", " + m.tr("id", "speech.state.empty")));
        k.press(SDLK_KP_5);  // opens the field with the on-screen keyboard
        k.type("jalan rusak");
        CHECK(said(app, "j"));      // each letter is echoed
        CHECK(said(app, "jalan"));  // and the word read back at the space
        k.choose("key:close");
        CHECK(said(app, "rusak"));
        k.choose("field:body");
        k.type("lubang besar");
        k.choose("key:close");
        k.go_to("field:body");
        k.go_to("field:title");  // the focus says the field's name and what it holds
        CHECK(said(app, m.tr("id", "ui.field.title") + ", jalan rusak"));
        k.choose("next");
        CHECK(d.screen() == "date_location");

        k.choose("date:today");
        k.choose("field:location");
        k.type("pasar baru");
        k.choose("key:close");
        k.choose("next");
        CHECK(d.screen() == "privacy");
        k.choose("privacy:anonymous");
        k.go_to("privacy:public");
        k.go_to("privacy:anonymous");
        CHECK(
            said(app, m.tr("id", "privacy.anonymous") + ", " + m.tr("id", "speech.state.chosen")));
        k.choose("next");
        CHECK(d.screen() == "consent");
        k.choose("consent:no");
        k.choose("next");
        CHECK(d.screen() == "review");
        k.choose("submit");
        CHECK(d.screen() == "receipt");
        std::string tracking;
        REQUIRE(d.has_prefix("tracking:", &tracking));
        tracking = tracking.substr(9);
        MESSAGE("keypad presses for the whole complaint: " << k.presses);

        auto store = open_store(sb.dir() + "/data/kiosk.db", clock, OpenMode::existing);
        const auto v = store->find_by_tracking(tracking);
        REQUIRE(v);
        CHECK(v->report.classification == Classification::complaint);
        CHECK(v->report.agency_id == "dishub");
        CHECK(v->report.privacy == Privacy::anonymous);
        const auto body = nlohmann::json::parse(v->report.upload_body);
        const auto plain =
            unseal(*base64_decode(body["sealed"]["payload"].get<std::string>()), sb.national_key());
        REQUIRE(plain);
        const auto j = nlohmann::json::parse(*plain);
        CHECK(j["title"] == "jalan rusak");
        CHECK(j["body"] == "lubang besar");
        CHECK(j["location"] == "pasar baru");

        // Back on attract the guide is off for the next citizen, and its words are gone.
        d.advance(61'000);
        CHECK(d.screen() == "attract");
        CHECK_FALSE(app.guide_on());
        CHECK(app.spoken().empty());
    }
    // Something was heard: the sound card got speech, not silence.
    std::ifstream f(audio / "card.raw", std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    CHECK(bytes.size() > 22050 * 2);
    long long loud = 0;
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
        const auto s = static_cast<std::int16_t>(static_cast<unsigned char>(bytes[i]) |
                                                 (static_cast<unsigned char>(bytes[i + 1]) << 8));
        if (s > 2000 || s < -2000) ++loud;
    }
    CHECK(loud > 1000);
    ::unsetenv("SDL_AUDIODRIVER");
}

namespace {
std::set<std::string> chosen(ui::App& app) {
    app.settle();
    std::set<std::string> out;
    for (const auto& [id, r] : app.widgets())
        if (r.selected) out.insert(id);
    return out;
}
bool said_containing(ui::App& app, const std::string& part) {
    for (const auto& s : app.spoken())
        if (s.find(part) != std::string::npos) return true;
    return false;
}
}  // namespace

// The panels over a screen ("Hapus laporan ini?", Bantuan, "Apakah Anda masih di sini?") cover
// the screen's targets: with the keypad the focus must stay on the panel's own choices, start on
// the safe one and say the panel, and go back where it was when the panel closes.
TEST_CASE("audio guide: an overlay keeps the focus on its own choices") {
    FakeClock clock;
    ui::Sandbox sb;
    const Messages m = Messages::load_dir(po_dir());
    ui::App app(test::sandbox_options(sb, clock));
    Driver d(app, clock);
    Keypad k{d, app};
    k.press(SDLK_KP_8);  // starts the guide
    REQUIRE(app.guide_on());
    k.choose("start:complaint");
    REQUIRE(d.screen() == "agency");
    k.choose("agency:dishub");
    REQUIRE(d.rect("agency:dishub").selected);

    // Every move stays among the panel's choices; each one it lands on is on the panel.
    auto moves_stay_on = [&](const std::set<std::string>& own) {
        for (SDL_Keycode key : {SDLK_KP_2, SDLK_KP_2, SDLK_KP_6, SDLK_KP_4, SDLK_KP_8, SDLK_KP_8,
                                SDLK_DOWN, SDLK_RIGHT, SDLK_UP, SDLK_LEFT, SDLK_KP_2, SDLK_KP_8}) {
            k.press(key);
            INFO("after key " << key << " the focus is " << app.guide_focus());
            CHECK(own.count(app.guide_focus()) == 1);
            CHECK_FALSE(d.rect(app.guide_focus()).hidden);
        }
    };

    // Batal: the question is said, the focus is on "Tidak, lanjutkan mengisi".
    k.choose("cancel");
    REQUIRE(d.has("cancel:keep"));
    CHECK(app.guide_focus() == "cancel:keep");
    CHECK(said_containing(app, m.tr("id", "ui.cancel.ask")));
    CHECK(said_containing(app, m.tr("id", "ui.cancel.ask.body")));
    CHECK(app.spoken().back() == m.tr("id", "ui.cancel.keep"));
    moves_stay_on({"cancel:keep", "cancel:erase"});
    k.go_to("cancel:erase");  // both choices can be reached
    CHECK(app.spoken().back() == m.tr("id", "ui.cancel.erase"));
    k.choose("cancel:keep");
    CHECK_FALSE(d.has("cancel:keep"));
    CHECK(d.screen() == "agency");
    CHECK(d.rect("agency:dishub").selected);  // nothing was erased
    CHECK(app.guide_focus() == "cancel");     // back on the button that opened it
    CHECK(app.spoken().back() == m.tr("id", "ui.cancel"));

    // Bantuan: the screen's help is said, the focus is on Tutup and stays there.
    k.choose("help");
    REQUIRE(d.has("help:close"));
    CHECK(app.guide_focus() == "help:close");
    CHECK(said_containing(app, m.tr("id", "ui.help.agency")));
    moves_stay_on({"help:close"});
    k.press(SDLK_KP_5);
    CHECK_FALSE(d.has("help:close"));
    CHECK(app.guide_focus() == "help");
    k.go_to("agency:dishub");
    const std::set<std::string> before = chosen(app);

    // The idle warning: said as it appears, the focus on "Ya, saya masih di sini"; a key
    // answers it and does nothing else, and the focus returns to where it was.
    d.advance(91'000);
    REQUIRE(d.has("still_here"));
    CHECK(app.guide_focus() == "still_here");
    CHECK(said_containing(app, m.tr("id", "ui.countdown.title")));
    CHECK(said_containing(app, m.tr("id", "ui.countdown.yes")));
    k.press(SDLK_KP_5);
    CHECK_FALSE(d.has("still_here"));
    CHECK(d.screen() == "agency");
    CHECK(app.guide_focus() == "agency:dishub");
    CHECK(chosen(app) == before);  // the tap did not fall through onto the screen
    d.advance(91'000);
    REQUIRE(d.has("still_here"));
    k.press(SDLK_KP_2);
    CHECK_FALSE(d.has("still_here"));
    CHECK(app.guide_focus() == "agency:dishub");
    CHECK(d.screen() == "agency");
    CHECK(chosen(app) == before);
}
