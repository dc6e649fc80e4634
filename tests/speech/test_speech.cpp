// The engine (espeak-ng), the voice fallback and .wav files, on the real library.
#include <doctest/doctest.h>

#include <cstdlib>

#include "fixtures.h"
#include "run_program.h"
#include "sound_compare.h"
#include "synth.h"
#include "voice_choice.h"
#include "wav.h"

using namespace lapor::speech;
using lapor::test::TempDir;

TEST_CASE("voice choice: own voice when the engine has it, else Indonesian") {
    auto has = [](std::string_view v) { return v == "id" || v == "en"; };
    CHECK(choose_voice("id", has).voice == "id");
    CHECK_FALSE(choose_voice("id", has).fallback);
    CHECK(choose_voice("en", has).voice == "en");
    CHECK_FALSE(choose_voice("en", has).fallback);
    CHECK(choose_voice("jv", has).voice == "id");
    CHECK(choose_voice("jv", has).fallback);
    CHECK(choose_voice("", has).voice == "id");
}

TEST_CASE("espeak-ng has Indonesian and English and no Javanese; jv falls back") {
    REQUIRE(engine_load() == "");
    CHECK(engine_rate() == 22050);
    CHECK(engine_voice_for("id").voice == "id");
    CHECK_FALSE(engine_voice_for("en").fallback);
    const auto jv = engine_voice_for("jv");
    CHECK(jv.voice == "id");
    CHECK(jv.fallback);
    // Javanese text in the Indonesian voice: it sounds as when asking for Indonesian, and not
    // as the English voice does.
    const std::string text = "Sugeng rawuh. Mangga pilih basa.";
    // espeak-ng's first utterance of a text after others comes out a little different (what it
    // said before shapes it): said once first, the two compared are both the steady state.
    (void)synthesize_all(text, "id");
    CHECK(lapor::test::sounds_alike(synthesize_all(text, "jv"), synthesize_all(text, "id")));
    CHECK_FALSE(lapor::test::sounds_alike(synthesize_all(text, "en"), synthesize_all(text, "id")));
}

TEST_CASE("speech is audible and lasts as long as the words") {
    Sound s{engine_rate(), synthesize_all("Silakan pilih jenis laporan Anda.", "id")};
    const auto st = stats(s);
    CHECK(st.seconds > 1.0);
    CHECK(st.seconds < 6.0);
    CHECK(st.rms > 0.02);
    CHECK(st.peak > 3000);
    Sound longer{engine_rate(), synthesize_all("Silakan pilih jenis laporan Anda. Pengaduan, "
                                               "aspirasi, atau permintaan informasi.",
                                               "id")};
    CHECK(stats(longer).seconds > st.seconds + 1.0);
    CHECK(stats(Sound{22050, std::vector<std::int16_t>(22050, 0)}).rms == 0);
}

TEST_CASE("synthesis stops when the chunk function says so") {
    std::size_t got = 0;
    int chunks = 0;
    const bool done = synthesize(
        "Ini kalimat yang cukup panjang untuk beberapa potongan suara, "
        "dan masih ada lagi setelah koma ini.",
        "id", [&](const std::int16_t*, std::size_t n) {
            got += n;
            return ++chunks < 2;
        });
    CHECK_FALSE(done);
    CHECK(chunks == 2);
    const auto all = synthesize_all(
        "Ini kalimat yang cukup panjang untuk beberapa potongan "
        "suara, dan masih ada lagi setelah koma ini.",
        "id");
    CHECK(got < all.size() / 2);
}

TEST_CASE("a .wav file reads back exactly and matches the espeak-ng program") {
    TempDir dir;
    const std::string text = "Laporan Anda sudah tersimpan.";
    Sound s{engine_rate(), synthesize_all(text, "id")};
    write_wav(dir / "saved.wav", s);
    const auto back = read_wav(dir / "saved.wav");
    REQUIRE(back);
    CHECK(back->rate == 22050);
    CHECK(back->samples == s.samples);
    CHECK_FALSE(read_wav(dir / "missing.wav"));

    // The espeak-ng program is a second, independent way to say the same text: what the kiosk
    // says is that text, not something else.
    const auto r =
        lapor::test::run_program({ESPEAK_NG_PROGRAM, "-v", "id", "-w", dir / "cli.wav", text});
    REQUIRE(r.code == 0);
    const auto cli = read_wav(dir / "cli.wav");
    REQUIRE(cli);
    CHECK(cli->rate == s.rate);
    CHECK(lapor::test::sounds_alike(cli->samples, s.samples));
    const auto other = lapor::test::run_program(
        {ESPEAK_NG_PROGRAM, "-v", "id", "-w", dir / "other.wav", "Silakan pilih jenis laporan."});
    REQUIRE(other.code == 0);
    CHECK_FALSE(lapor::test::sounds_alike(read_wav(dir / "other.wav")->samples, s.samples));
}
