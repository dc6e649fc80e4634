// Languages are files, through the real loop: [ui] languages decides which languages the attract
// screen, the top bar and staff mode offer and in what order, each named by its .po file's header;
// choosing the Javanese draft shows and says the screens in Javanese; a language without its
// file puts the kiosk out of service with the key named.
#include "app.h"
#include "driver.h"
#include "i18n.h"
#include "labels.h"
#include "sandbox.h"
#include "share.h"

using namespace lapor;
using lapor::test::Driver;
using lapor::test::FakeClock;

namespace {}  // namespace

TEST_CASE("languages: the default offers id and en only; jv is a draft, off until listed") {
    FakeClock clock;
    ui::Sandbox sb;
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    CHECK(d.has("attract:lang:id"));
    CHECK(d.has("attract:lang:en"));
    CHECK_FALSE(d.has("attract:lang:jv"));
}

TEST_CASE("languages: [ui] languages = id, en, jv offers Basa Jawa; the screens are in Javanese") {
    FakeClock clock;
    ui::SandboxOptions so;
    so.extra_toml = "\n[ui]\nlanguages = [\"jv\", \"id\", \"en\"]\n";
    ui::Sandbox sb(so);
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    REQUIRE(d.screen() == "attract");
    const Messages m = Messages::load_dir(po_dir());
    // Each named in itself, from the file's X-Language-Name, in the config's order.
    REQUIRE(d.has("attract:lang:jv"));
    CHECK(d.rect("attract:lang:jv").label == "Basa Jawa");
    CHECK(d.rect("attract:lang:id").label == "Bahasa Indonesia");
    CHECK(d.rect("attract:lang:jv").x < d.rect("attract:lang:id").x);
    CHECK(d.rect("attract:lang:id").x < d.rect("attract:lang:en").x);
    // The first listed is the default: the attract screen already shows Javanese as chosen.
    CHECK(d.rect("attract:lang:jv").selected);
    // Attract says every offered language, each in its own code (voice: jv falls back to id's).
    const auto said = app.speech_text();
    REQUIRE(said.size() == 3);
    CHECK(said[0].second == "jv");
    CHECK(said[1].second == "id");
    CHECK(said[2].second == "en");

    d.tap("start:complaint");
    REQUIRE(d.screen() == "agency");
    CHECK(d.has("lang:jv"));
    CHECK(d.rect("lang:jv").selected);
    const std::string jv_title = m.tr("jv", labels::title(Screen::agency));
    CHECK(jv_title != m.tr("id", labels::title(Screen::agency)));  // really translated
    auto now = app.speech_text();
    REQUIRE(now.size() == 1);
    CHECK(now[0].second == "jv");
    CHECK(now[0].first.find(jv_title) == 0);
    // The top bar switches to English and back to Javanese.
    d.tap("lang:en");
    CHECK(d.rect("lang:en").selected);
    now = app.speech_text();
    CHECK(now[0].first.find(m.tr("en", labels::title(Screen::agency))) == 0);
    d.tap("lang:jv");
    CHECK(app.speech_text()[0].second == "jv");
}

TEST_CASE("languages: a listed language without its .po file puts the kiosk out of service") {
    FakeClock clock;
    ui::SandboxOptions so;
    so.extra_toml = "\n[ui]\nlanguages = [\"id\", \"su\"]\n";
    ui::Sandbox sb(so);
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    CHECK(d.screen() == "out_of_service");
    const std::string why = app.out_of_service_error();
    CHECK(why.find("languages") != std::string::npos);
    CHECK(why.find("su") != std::string::npos);
    CHECK(why.find("jv") != std::string::npos);  // the installed codes, to pick from
}
