// Languages are files: the list from the installed .po files, names from their headers, the
// config choosing which are offered, and the errors a technician reads when they do not match.
#include <doctest/doctest.h>

#include <fstream>

#include "config.h"
#include "fixtures.h"
#include "i18n.h"
#include "languages.h"
#include "share.h"

using namespace lapor;
using lapor::test::TempDir;

namespace {

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string po(const std::string& code, const std::string& name, const std::string& extra = "",
               const std::string& body = "msgid \"k\"\nmsgstr \"v\"\n") {
    return "# header comment\nmsgid \"\"\nmsgstr \"\"\n\"Language: " + code +
           "\\n\"\n\"X-Language-Name: " + name + "\\n\"\n" + extra + "\n" + body;
}

const std::string minimal = R"([kiosk]
id = "JKT-PUSAT-01"
code_prefix = "JK01"
office = "Kantor Walikota Jakarta Pusat"

[upload]
endpoint = "https://api.example.go.id/kiosk"
national_key = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="
national_key_id = "2026-01"
)";

std::string replaced_first(std::string text, const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
    return text;
}

std::string config_error(const std::string& text) {
    try {
        parse_config(text, "/etc/lapor-kiosk/kiosk.toml");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("po_header reads the fields of the header entry") {
    auto h = po_header(po("jv", "Basa Jawa", "\"X-Review-Status: draft, check it\\n\""));
    CHECK(h["Language"] == "jv");
    CHECK(h["X-Language-Name"] == "Basa Jawa");
    CHECK(h["X-Review-Status"] == "draft, check it");
    CHECK(po_header("msgid \"k\"\nmsgstr \"v\"\n").empty());  // no header entry
}

TEST_CASE("the shipped languages: id and en reviewed, jv a draft with its own name") {
    const auto langs = installed_languages(po_dir());
    REQUIRE(langs.size() >= 3);
    std::map<std::string, LanguageFile> by_code;
    for (const auto& l : langs) by_code[l.code] = l;
    CHECK(by_code["id"].name == "Bahasa Indonesia");
    CHECK(by_code["en"].name == "English");
    CHECK(by_code["jv"].name == "Basa Jawa");
    CHECK_FALSE(by_code["id"].draft);
    CHECK_FALSE(by_code["en"].draft);
    CHECK(by_code["jv"].draft);
    CHECK(by_code["jv"].review.find("native speaker") != std::string::npos);
    const auto m = Messages::load_dir(po_dir());
    CHECK(m.tr("jv", "ui.back") == "Wangsul");
    CHECK(m.trn("jv", "ui.staff.more_not_shown", 1) == m.trn("jv", "ui.staff.more_not_shown", 3));
    CHECK(m.trn("jv", "ui.staff.more_not_shown", 3).find("malih") != std::string::npos);
    // Off by default: the default config offers id and en only.
    const Config c = parse_config(minimal, "kiosk.toml");
    const auto offered = offered_languages(langs, c.ui.languages, c.source, po_dir());
    REQUIRE(offered.size() == 2);
    CHECK(offered[0].code == "id");
    CHECK(offered[1].code == "en");
}

TEST_CASE("dropping a file adds a language; the config picks and orders") {
    TempDir dir;
    write(dir / "id.po", po("id", "Bahasa Indonesia"));
    write(dir / "en.po", po("en", "English"));
    write(dir / "su.po", po("su", "Basa Sunda", "", "msgid \"k\"\nmsgstr \"w\"\n"));
    write(dir / "notes.txt", "not a language");
    write(dir / "messages.pot", "msgid \"\"\nmsgstr \"\"\n");  // a template is not a language
    const auto langs = installed_languages(dir.path());
    REQUIRE(langs.size() == 3);
    CHECK(langs[0].code == "en");
    CHECK(langs[1].code == "id");
    CHECK(langs[2].code == "su");
    CHECK(langs[2].name == "Basa Sunda");

    const Config c = parse_config(minimal + "[ui]\nlanguages = [\"su\", \"id\"]\n", "k.toml");
    const auto offered = offered_languages(langs, c.ui.languages, c.source, dir.path());
    REQUIRE(offered.size() == 2);
    CHECK(offered[0].code == "su");
    CHECK(offered[1].code == "id");

    const auto m = Messages::load_dir(dir.path());
    CHECK(m.codes() == std::vector<std::string>{"en", "id", "su"});
    CHECK(m.tr("su", "k") == "w");
    CHECK(m.tr(Language::id, "k") == "v");
}

TEST_CASE("a draft language falls back to Indonesian for what it lacks") {
    Messages m;
    PoCatalog id, jv;
    id.messages = {{"a", "apa"}, {"b", "bapak"}};
    jv.messages = {{"a", "punapa"}};
    m.set("id", id);
    m.set("jv", jv);
    CHECK(m.tr("jv", "a") == "punapa");
    CHECK(m.tr("jv", "b") == "bapak");
    CHECK_FALSE(m.has("jv", "b"));
    CHECK(m.tr("xx", "a") == "apa");
    CHECK(m.tr("jv", "missing") == "missing");
}

TEST_CASE("language file and config errors name the file or key and the fix") {
    TempDir dir;
    write(dir / "id.po", po("id", "Bahasa Indonesia"));
    write(dir / "jv.po", po("id", "Basa Jawa"));  // copied header not updated
    try {
        installed_languages(dir.path());
        FAIL("no error");
    } catch (const PoError& e) {
        CHECK(std::string(e.what()) ==
              dir / "jv.po" +
                  ": its header says \"Language: id\" but the file is named jv.po: the file "
                  "name is the language code, so make them the same");
    }
    write(dir / "jv.po", "msgid \"\"\nmsgstr \"\"\n\"Language: jv\\n\"\n");
    try {
        installed_languages(dir.path());
        FAIL("no error");
    } catch (const PoError& e) {
        CHECK(std::string(e.what()).find("jv.po: its header has no X-Language-Name") !=
              std::string::npos);
    }
    write(dir / "jv.po", po("jv", "Basa Jawa"));
    const auto langs = installed_languages(dir.path());
    try {
        offered_languages(langs, {"id", "su"}, "/etc/lapor-kiosk/kiosk.toml", dir.path());
        FAIL("no error");
    } catch (const ConfigError& e) {
        CHECK(std::string(e.what()) ==
              "/etc/lapor-kiosk/kiosk.toml: ui.languages lists \"su\" but there is no su.po in " +
                  dir.path() +
                  " (installed: id, jv): add the file (docs/ui.md, adding a language) or "
                  "remove \"su\"");
    }
    // Loading the messages needs id.po and en.po, the kiosk's two base languages.
    try {
        Messages::load_dir(dir.path());
        FAIL("no error");
    } catch (const PoError& e) {
        CHECK(std::string(e.what()) == "cannot read message catalog " + dir / "en.po");
    }

    CHECK(config_error(minimal + "[ui]\nlanguages = [\"Jawa\"]\n") ==
          "/etc/lapor-kiosk/kiosk.toml:11: ui.languages lists \"Jawa\", which is not a language "
          "code (2 or 3 lowercase letters, the name of a .po file without .po), e.g. languages "
          "= [\"id\", \"en\"]");
    CHECK(config_error(minimal + "[ui]\nlanguages = []\n").find("must list at least one") !=
          std::string::npos);
    CHECK(config_error(minimal + "[ui]\nspeech_volume = 150\n") ==
          "/etc/lapor-kiosk/kiosk.toml:11: ui.speech_volume must be between 0 and 100, e.g. "
          "speech_volume = 80");
    CHECK(config_error(minimal + "[ui]\nspeech = \"yes\"\n") ==
          "/etc/lapor-kiosk/kiosk.toml:11: ui.speech must be true or false, e.g. speech = true");
    CHECK(config_error(minimal + "[ui]\nvoice = \"id\"\n") ==
          "/etc/lapor-kiosk/kiosk.toml:11: unknown key ui.voice (the keys of [ui] are languages, "
          "speech, speech_volume)");
    CHECK(config_error(replaced_first(minimal, "office =", "languages = [\"id\"]\noffice =") +
                       "[ui]\nlanguages = [\"en\"]\n")
              .find("kiosk.languages and ui.languages are the same setting") != std::string::npos);
}

TEST_CASE("[ui] settings and the older [kiosk] languages") {
    const Config d = parse_config(minimal, "k.toml");
    CHECK(d.ui.languages == std::vector<std::string>{"id", "en"});
    CHECK(d.ui.speech);
    CHECK(d.ui.speech_volume == 80);
    const Config c = parse_config(
        minimal + "[ui]\nlanguages = [\"en\", \"jv\"]\nspeech = false\nspeech_volume = 35\n",
        "k.toml");
    CHECK(c.ui.languages == std::vector<std::string>{"en", "jv"});
    CHECK(c.kiosk.languages == c.ui.languages);
    CHECK_FALSE(c.ui.speech);
    CHECK(c.ui.speech_volume == 35);
    const Config old = parse_config(
        replaced_first(minimal, "office =", "languages = [\"en\"]\noffice ="), "k.toml");
    CHECK(old.ui.languages == std::vector<std::string>{"en"});
}
