// The screenshot tour's sounds: <lang>-<screen>.wav of what the speaker button says on each
// citizen screen, in both languages. Each must be audible, its text must be the catalog's words
// for that screen, and the sound must be as long as that text said by the espeak-ng program (a
// second, independent path to the engine). Not a recognizer: espeak-ng's output for one text
// varies from one utterance to the next, so long sounds are compared by length (within 3 %).
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

#include "fixtures.h"
#include "i18n.h"
#include "run_program.h"
#include "share.h"
#include "sound_compare.h"
#include "tour.h"
#include "wav.h"

using namespace lapor;
using lapor::test::TempDir;

namespace {

std::string read(const std::string& path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// The catalog words each screen's sound must contain (title and what to do).
struct Expect {
    const char* file;
    const char* title;
    const char* what;
};
const Expect expected[] = {
    {"classification", "screen.classification", "speech.do.classification"},
    {"agency-empty", "screen.agency", "speech.do.agency"},
    {"agency", "screen.agency", "speech.do.agency"},
    {"text-problems", "screen.text", "speech.do.text"},
    {"text", "screen.text", "speech.do.text"},
    {"date-location", "screen.date_location", "speech.do.date_location"},
    {"privacy", "screen.privacy", "speech.do.privacy"},
    {"help", "ui.help", "ui.help.privacy"},  // Bantuan over the privacy screen
    {"consent", "screen.consent", "speech.do.consent"},
    {"contact-problem", "screen.contact", "speech.do.contact"},
    {"review", "screen.review", "speech.do.review"},
    {"cancel-confirm", "ui.cancel.ask", "ui.cancel.ask.body"},  // Batal over the review
    {"countdown", "ui.countdown.title", "ui.countdown.body"},
    {"receipt", "screen.receipt", "speech.do.receipt"},
    {"status-found", "screen.status", "speech.do.status"},
    {"status-done", "screen.status", "speech.do.status"},
    {"status-held", "screen.status", "speech.do.status"},
    {"status-conflict", "screen.status", "speech.do.status"},
    {"status-waiting", "screen.status", "speech.do.status"},
    {"status-not-found", "screen.status", "speech.do.status"},
};
// What each status answer and panel adds: its own words from the catalog.
const Expect says[] = {
    {"status-done", "status.stage.closed", "ui.status.reply"},
    {"status-held", "status.stage.saved", "status.problem.refused"},
    {"status-conflict", "status.stage.saved", "status.problem.conflict"},
    {"status-waiting", "status.stage.saved", "ui.status.not_sent_yet"},
    {"status-not-found", "ui.status.code", "status.verdict.not_found"},
    {"cancel-confirm", "ui.cancel.keep", "ui.cancel.erase"},
    {"countdown", "ui.countdown.yes", "ui.countdown.yes"},
    {"help", "ui.help.staff", "ui.help.close"},
};

}  // namespace

TEST_CASE("the tour writes an audible .wav of every citizen screen, saying the catalog's words") {
    ::setenv("SDL_AUDIODRIVER", "dummy", 1);
    TempDir dir;
    REQUIRE(ui::screenshot_tour(dir.path(), 1280, 800) > 100);
    const Messages m = Messages::load_dir(po_dir());
    int checked = 0;
    for (const char* lang : {"id", "en"}) {
        for (const auto& e : expected) {
            const std::string base = dir / (std::string(lang) + "-" + e.file);
            INFO(base);
            const auto snd = speech::read_wav(base + ".wav");
            REQUIRE(snd);
            const auto st = speech::stats(*snd);
            CHECK(st.seconds > 1.0);
            CHECK(st.rms > 0.02);
            std::string text = read(base + ".txt");
            REQUIRE(!text.empty());
            text.pop_back();  // the newline
            CHECK(text.find(m.tr(lang, e.title)) == 0);
            std::string what = m.tr(lang, e.what);
            what = what.substr(0, what.find('{'));  // the receipt's code follows
            CHECK(text.find(what) != std::string::npos);
            // The sound is this text: as long as the espeak-ng program saying it.
            const auto r =
                test::run_program({ESPEAK_NG_PROGRAM, "-v", lang, "-w", base + ".cli.wav", text});
            REQUIRE(r.code == 0);
            const auto cli = test::trimmed(speech::read_wav(base + ".cli.wav")->samples);
            const auto ours = test::trimmed(snd->samples);
            const double ratio = double(ours.size()) / double(cli.size());
            CHECK(ratio > 0.97);
            CHECK(ratio < 1.03);
            ++checked;
        }
        // The attract and language screens show both languages and say both, each in its voice.
        const std::string both = read(dir / (std::string(lang) + "-attract.txt"));
        CHECK(both.find(m.tr("id", "speech.do.attract")) != std::string::npos);
        CHECK(both.find(m.tr("en", "speech.do.attract")) != std::string::npos);
        CHECK(speech::stats(*speech::read_wav(dir / (std::string(lang) + "-language.wav"))).rms >
              0.02);
    }
    CHECK(checked == 2 * static_cast<int>(std::size(expected)));
    for (const char* lang : {"id", "en"})
        for (const auto& e : says) {
            const std::string said = read(dir / (std::string(lang) + "-" + e.file + ".txt"));
            INFO(lang << "-" << e.file << ": " << said);
            CHECK(said.find(m.tr(lang, e.title)) != std::string::npos);
            CHECK(said.find(m.tr(lang, e.what)) != std::string::npos);
        }
    // A held or conflicting report is not sent "when the kiosk is connected".
    for (const char* file : {"id-status-held.txt", "id-status-conflict.txt"})
        CHECK(read(dir / file).find(m.tr("id", "ui.status.not_sent_yet")) == std::string::npos);
    // The status check's answer is read out: the stage reached, the agency's reply.
    for (const char* lang : {"id", "en"}) {
        const std::string said = read(dir / (std::string(lang) + "-status-found.txt"));
        CHECK(said.find(m.tr(lang, "status.stage.in_progress")) != std::string::npos);
        CHECK(said.find("Petugas Dishub akan menertibkan parkir") != std::string::npos);
    }
    // The two languages say different words.
    CHECK(read(dir / "id-privacy.txt") != read(dir / "en-privacy.txt"));
}
