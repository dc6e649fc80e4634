#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "catalog.h"
#include "fixtures.h"
#include "i18n.h"
#include "labels.h"
#include "share.h"
#include "validation.h"

using namespace lapor;

TEST_CASE("po parsing: multi-line strings, escapes, fuzzy and untranslated entries") {
    const auto t = parse_po(
        "# comment\nmsgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
        "msgid \"a\"\nmsgstr \"\"\n\"line one\\n\"\n\"line \\\"two\\\"\"\n\n"
        "#, fuzzy\nmsgid \"b\"\nmsgstr \"unsure\"\n\n"
        "msgid \"c\"\nmsgstr \"\"\n");
    CHECK(t.size() == 1);
    CHECK(t.at("a") == "line one\nline \"two\"");
    CHECK_THROWS_WITH_AS(parse_po("msgid \"a\"\nmsgstr \"x\nmsgid"), doctest::Contains("line 2"),
                         PoError);
    CHECK_THROWS_WITH_AS(parse_po("msgid \"a\"\nbogus\n"), doctest::Contains("line 2"), PoError);
    CHECK_THROWS_AS(parse_po("msgid \"a\"\n"), PoError);
    CHECK_THROWS_AS(parse_po("msgid \"a\\q\"\nmsgstr \"b\"\n"), PoError);
}

TEST_CASE("plural forms: the header's rule picks msgstr[i]") {
    const auto c = parse_po_catalog(
        "msgid \"\"\nmsgstr \"\"\n\"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
        "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n\"\n\n"
        "msgid \"file\"\nmsgid_plural \"file\"\nmsgstr[0] \"{n} plik-one\"\n"
        "msgstr[1] \"{n} pliki-few\"\nmsgstr[2] \"{n} plikow-many\"\n\n"
        "msgid \"plain\"\nmsgstr \"P\"\n");
    CHECK(c.rule.nplurals() == 3);
    CHECK(c.messages.at("plain") == "P");
    REQUIRE(c.plurals.count("file") == 1);
    // The Polish rule: 1, 21 -> one; 2-4, 22-24 -> few; 5-21, 11-14, 0 -> many.
    const std::pair<unsigned long, int> cases[] = {{1, 0},   {21, 0},  {2, 1},   {4, 1},  {22, 1},
                                                   {0, 2},   {5, 2},   {11, 2},  {12, 2}, {14, 2},
                                                   {111, 2}, {101, 0}, {1000, 2}};
    for (auto [n, form] : cases) CHECK_MESSAGE(c.rule.index(n) == form, n);

    // Wrong number of forms for the header, a form out of order, msgstr[] without msgid_plural.
    const std::string en_header =
        "msgid \"\"\nmsgstr \"\"\n\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n\n";
    CHECK_THROWS_WITH_AS(
        parse_po_catalog(en_header + "msgid \"a\"\nmsgid_plural \"a\"\nmsgstr[0] \"x\"\n"),
        doctest::Contains("1 plural forms, the header's Plural-Forms says 2"), PoError);
    CHECK_THROWS_WITH_AS(
        parse_po_catalog(en_header + "msgid \"a\"\nmsgid_plural \"a\"\nmsgstr[1] \"x\"\n"),
        doctest::Contains("expected msgstr[0]"), PoError);
    CHECK_THROWS_AS(parse_po_catalog("msgid \"a\"\nmsgstr[0] \"x\"\n"), PoError);
    CHECK_THROWS_WITH_AS(parse_po_catalog("msgid \"\"\nmsgstr \"\"\n\"Plural-Forms: "
                                          "nplurals=2; plural=(n != ;\\n\"\n\nmsgid \"a\"\n"
                                          "msgstr \"b\"\n"),
                         doctest::Contains("plural expression"), PoError);
    CHECK_THROWS_AS(PluralRule::parse("nplurals=x; plural=0;"), PluralError);
    CHECK(PluralRule::parse("nplurals=1; plural=0;").index(7) == 0);
    // A rule that yields an index past nplurals falls back to form 0, as gettext does.
    CHECK(PluralRule::parse("nplurals=2; plural=n;").index(5) == 0);
}

TEST_CASE("'{n} more are not shown here' reads right for 1 and for many") {
    const Messages m = Messages::load_dir(po_dir());
    auto more = [&](Language l, unsigned long n) {
        return format(m.trn(l, "ui.staff.more_not_shown", n), {{"n", std::to_string(n)}});
    };
    CHECK(more(Language::en, 1) == "1 more report is not shown here.");
    CHECK(more(Language::en, 2) == "2 more reports are not shown here.");
    CHECK(more(Language::en, 0) == "0 more reports are not shown here.");
    CHECK(more(Language::id, 1) == "1 laporan lagi tidak ditampilkan di sini.");
    CHECK(more(Language::id, 40) == "40 laporan lagi tidak ditampilkan di sini.");
    // tr() without a count gives the form for many; trn() on a plain entry gives the entry.
    CHECK(m.tr(Language::en, "ui.staff.more_not_shown") == "{n} more reports are not shown here.");
    CHECK(m.trn(Language::en, "title.too_long", 1) == m.tr(Language::en, "title.too_long"));
    CHECK(m.has(Language::en, "ui.staff.more_not_shown"));
}

TEST_CASE("the shipped catalogs load and translate validation, labels and receipt text") {
    const Messages m = Messages::load_dir(po_dir());
    CHECK(m.tr(Language::id, "title.too_long") == "Judul paling banyak 150 karakter.");
    CHECK(m.tr(Language::en, "title.too_long") == "The title can be at most 150 characters.");
    CHECK(m.tr(Language::id, labels::title(Screen::attract)) == "Sentuh layar untuk mulai");
    CHECK(m.tr(Language::id, labels::receipt_copy) == "SALINAN / COPY");
    CHECK(format(m.tr(Language::en, labels::consent_how_long), {{"days", "30"}}).find("30 days") !=
          std::string::npos);
    // Every problem a draft can produce has a translation in both languages.
    for (const auto& p : validate(ReportDraft{}, test::shipped_catalog(), test::fixture_today)) {
        CHECK_MESSAGE(m.has(Language::id, p.msgid), p.msgid);
        CHECK_MESSAGE(m.has(Language::en, p.msgid), p.msgid);
    }
    CHECK_FALSE(m.has(Language::en, "no.such.id"));
    CHECK(m.tr(Language::en, "no.such.id") == "no.such.id");
}

TEST_CASE("format placeholders") {
    CHECK(format("max {n} of {m}", {{"n", "150"}, {"m", "x"}}) == "max 150 of x");
    CHECK(format("{unknown} {", {}) == "{unknown} {");
}

TEST_CASE("the shipped agency catalog is realistic and well formed") {
    const Catalog& c = test::shipped_catalog();
    CHECK(c.agencies().size() >= 12);
    for (const char* id :
         {"dishub", "dinkes", "disdik", "disdukcapil", "satpolpp", "dlh", "pdam", "rsud"}) {
        const Agency* a = c.find_agency(id);
        REQUIRE_MESSAGE(a, id);
        CHECK(a->categories.size() >= 4);
        CHECK_FALSE(a->name.id.empty());
        CHECK_FALSE(a->name.en.empty());
    }
    CHECK(c.find_category("dishub", "dishub-parkir-liar"));
    CHECK_FALSE(c.find_category("dinkes", "dishub-parkir-liar"));
}

TEST_CASE("catalog errors name the element") {
    auto err = [](const std::string& json) {
        try {
            Catalog::parse(json);
        } catch (const CatalogError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string cat = R"({"id":"c-1","name":{"id":"Satu","en":"One"}})";
    const auto doc = [&](const std::string& agency) {
        return R"({"format":1,"version":"v1","agencies":[)" + agency + "]}";
    };
    CHECK(err(doc(R"({"id":"a","name":{"id":"A","en":"A"},"categories":[)" + cat + "]}")) ==
          "catalog: agencies[0].id: \"a\" must be 2-48 of a-z, 0-9 and '-'");
    CHECK(err(doc(R"({"id":"ab","name":{"id":"A"},"categories":[)" + cat + "]}")) ==
          "catalog: agencies[0].name: missing \"en\"");
    CHECK(err(doc(R"({"id":"ab","name":{"id":"A","en":"A"},"categories":[]})")) ==
          "catalog: agencies[0].categories: expected a non-empty array");
    CHECK(err(doc(R"({"id":"c-1","name":{"id":"A","en":"A"},"categories":[)" + cat + "]}")) ==
          "catalog: agencies[0].categories[0].id: \"c-1\" is used twice");
    CHECK(err(doc(R"({"id":"ab","name":{"id":"A\u0007","en":"A"},"categories":[)" + cat + "]}"))
              .find("without control characters") != std::string::npos);
    CHECK(err("{\"format\":2}") == "catalog: format: this program reads format 1");
    CHECK(err("[1,2").find("catalog: JSON:") == 0);
    CHECK(err("[1e999]").find("catalog: JSON:") == 0);  // number overflow (found by fuzzing)
    CHECK(err("{}") == "catalog: document: missing \"format\"");
}

TEST_CASE("the citizen wording of issue #14 (one word for the receipt, no double stops)") {
    const Messages m = Messages::load_dir(po_dir());
    CHECK(m.tr(Language::id, "ui.countdown.title") == "Apakah Anda masih di sini?");
    CHECK(m.tr(Language::id, "ui.contrast") == "Kontras tinggi");
    CHECK(format(m.tr(Language::id, "ui.textsize"), {{"n", "100"}}) == "Ukuran huruf 100%");
    CHECK(m.tr(Language::id, "ui.key.backspace") == "Hapus");
    CHECK(m.tr(Language::id, "ui.key.space") == "Spasi");
    CHECK(m.tr(Language::id, "ui.key.newline") == "Baris baru");
    CHECK(m.tr(Language::id, "ui.key.shift") == "Huruf besar");
    CHECK(m.tr(Language::id, "ui.printer_state.unknown") == "tidak diketahui");
    CHECK(m.tr(Language::id, "ui.field.title.example").rfind("Contoh: ", 0) == 0);
    CHECK(m.tr(Language::id, "consent.why").find("memeriksa") != std::string::npos);
    CHECK(m.tr(Language::id, "consent.who").find("dikunci (dienkripsi)") != std::string::npos);
    CHECK(m.tr(Language::id, "privacy.confidential.explain")
              .find("hanya petugas yang menangani laporan ini yang dapat membacanya") !=
          std::string::npos);
    CHECK(m.tr(Language::id, "printer.citizen.printed") ==
          "Silakan ambil tanda terima di bawah layar.");
    CHECK(m.tr(Language::en, "receipt.follow_up").rfind("Track ", 0) == 0);
    // Every Indonesian text says "tanda terima", never "struk"; no "LAPOR!." in either language;
    // "sudah tersimpan" once on the receipt screen (its title), not again in its messages.
    for (Language l : {Language::id, Language::en}) {
        for (const char* id :
             {"ui.receipt.saved", "ui.receipt.printed", "ui.receipt.printing",
              "ui.receipt.print_failed", "printer.citizen.unconfirmed", "printer.citizen.failed",
              "ui.attract.printer_warning", "ui.staff.genuine", "ui.staff.verify_hint"}) {
            const std::string t = m.tr(l, id);
            INFO(id << ": " << t);
            CHECK(t.find("LAPOR!.") == std::string::npos);
            if (l == Language::id) {
                CHECK(t.find("truk") == std::string::npos);
                if (std::string(id) != "ui.attract.printer_warning")
                    CHECK(t.find("sudah tersimpan") == std::string::npos);
            }
        }
    }
}

// The wording list of issue #14, over every text of every shipped language (not a list of ids,
// so a new text cannot bring an old word back).
TEST_CASE("no shipped text uses the words issue #14 replaced, in any language") {
    for (const char* code : {"id", "en", "jv"}) {
        std::ifstream in(po_dir() + "/" + code + ".po");
        REQUIRE(in);
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        for (const auto& [id, t] : parse_po(text)) {
            INFO(std::string(code) << " " << id << ": " << t);
            CHECK(t.find("LAPOR!.") == std::string::npos);  // "…ke LAPOR!." reads twice stopped
            if (std::string(code) == "id") {
                for (const char* old :
                     {"struk", "Struk", "memverifikasi", "terenkripsi", "Masih di sana", "Aa "})
                    CHECK(t.find(old) == std::string::npos);
            }
            if (std::string(code) == "en") {  // one verb for sending; "Track", not "Follow"
                for (const char* old : {"Submit", "submit", "Follow", "follow up"})
                    CHECK(t.find(old) == std::string::npos);
            }
            if (std::string(code) == "jv") {  // the draft follows: "tandha tampi", "dipunkunci"
                for (const char* old : {"struk", "Struk", "sandi", "Taksih wonten ngriki"})
                    CHECK(t.find(old) == std::string::npos);
            }
        }
    }
}

// The privacy wording of issue #14 in every shipped language, the Javanese draft included: each
// privacy choice and the declined consent say whose eyes the name reaches (the language's own
// words for "your name"); Publik says the name shows only if given, so declining consent does not
// contradict it; the Bantuan text names the choices with the tiles' own labels.
TEST_CASE("every language says who sees the name on each privacy choice and on declined consent") {
    struct Words {
        const char* code;
        const char* your_name;  // "your name" as the language says it
        const char* if_given;   // Publik: the name only if the citizen gives it
        const char* nobody;     // consent declined: nobody sees the name
        const char* officers;   // "the officers handling it"
    };
    const Words words[] = {
        {"id", "nama Anda", "bila Anda mengisinya", "tidak ada yang melihat nama Anda",
         "yang menangani laporan"},
        {"en", "your name", "if you give it", "nobody sees your name", "officers handling"},
        {"jv", "nami panjenengan", "menawi panjenengan ngisi",
         "boten wonten ingkang ningali nami panjenengan", "ingkang ngurus laporan"},
    };
    for (const auto& w : words) {
        std::ifstream in(po_dir() + "/" + w.code + ".po");
        REQUIRE(in);
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        auto po = parse_po(text);
        INFO(w.code);
        for (const char* id : {"privacy.public.explain", "privacy.anonymous.explain",
                               "privacy.confidential.explain", "ui.consent.no.explain"}) {
            INFO(id << ": " << po[id]);
            CHECK(po[id].find(w.your_name) != std::string::npos);
        }
        for (const char* id : {"privacy.public.explain", "privacy.anonymous.explain",
                               "privacy.confidential.explain"}) {
            INFO(id << ": " << po[id]);
            CHECK(po[id].find(w.officers) != std::string::npos);
        }
        CHECK(po["privacy.public.explain"].find(w.if_given) != std::string::npos);
        CHECK(po["ui.consent.no.explain"].find(w.nobody) != std::string::npos);
        // Bantuan names each choice as its tile does, and the consent choice as its button does.
        const std::string& help = po["ui.help.privacy"];
        INFO("ui.help.privacy: " << help);
        for (const char* label : {"privacy.public", "privacy.anonymous", "privacy.confidential"})
            CHECK(help.find(po[label] + ":") != std::string::npos);
        CHECK(help.find(w.if_given) != std::string::npos);
        CHECK(po["ui.help.consent"].find(po["ui.consent.yes"]) != std::string::npos);
    }
}
