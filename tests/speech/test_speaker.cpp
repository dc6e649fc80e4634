// The speaker thread: off the caller's thread, cut off when told, volume, text only without a
// device, and the real SDL output (SDL's "disk" audio driver writes what a sound card would play).
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "fixtures.h"
#include "sdl_audio_out.h"
#include "sound_compare.h"
#include "speaker.h"
#include "synth.h"
#include "wav.h"

using namespace lapor::speech;
using namespace std::chrono_literals;
using lapor::test::TempDir;

namespace {

// Records what it is given. With `hold_first`, the first play() blocks until release(), so a
// test can act while an utterance is being synthesized.
struct Recorded {
    std::mutex m;
    std::condition_variable cv;
    std::vector<std::int16_t> samples;
    int plays = 0, stops = 0;
    bool hold_first = false, holding = false, released = false;
    std::string open_error;
};

class FakeOut : public AudioOut {
public:
    explicit FakeOut(Recorded& r) : r_(r) {}
    std::string open(int) override { return r_.open_error; }
    void play(const std::int16_t* s, std::size_t n) override {
        std::unique_lock lock(r_.m);
        r_.samples.insert(r_.samples.end(), s, s + n);
        if (r_.plays++ == 0 && r_.hold_first) {
            r_.holding = true;
            r_.cv.notify_all();
            r_.cv.wait(lock, [&] { return r_.released; });
        }
    }
    void stop() override {
        std::lock_guard lock(r_.m);
        ++r_.stops;
    }
    bool busy() const override { return false; }

private:
    Recorded& r_;
};

// Waits for a condition with a generous deadline (the machine is shared and may be slow).
template <typename F>
bool eventually(F f) {
    for (auto end = std::chrono::steady_clock::now() + 20s; std::chrono::steady_clock::now() < end;
         std::this_thread::sleep_for(2ms)) {
        if (f()) return true;
    }
    return f();
}

const std::string long_text =
    "Selamat datang di kios pengaduan. Silakan pilih jenis laporan Anda. Pengaduan, aspirasi, "
    "atau permintaan informasi. Tekan tombol pengeras suara untuk mendengar petunjuk lagi.";

}  // namespace

TEST_CASE("the speaker speaks on its own thread and the device gets all of it") {
    Recorded r;
    Speaker sp(std::make_unique<FakeOut>(r), 100);
    sp.wait_ready();
    CHECK(sp.has_audio());
    CHECK(sp.status() == "speech ready (espeak-ng, 22050 Hz)");
    const auto t0 = std::chrono::steady_clock::now();
    sp.say("Laporan Anda sudah tersimpan.", "id");
    // say() only queues: it returns long before the utterance (about 2 s of sound) is made.
    CHECK(std::chrono::steady_clock::now() - t0 < 50ms);
    REQUIRE(eventually([&] { return sp.idle(); }));
    std::lock_guard lock(r.m);
    CHECK(lapor::test::sounds_alike(r.samples,
                                    synthesize_all("Laporan Anda sudah tersimpan.", "id")));
    REQUIRE(sp.last_first_sample_ms());
    CHECK(*sp.last_first_sample_ms() >= 0);
    CHECK(sp.cut_offs() == 0);
}

TEST_CASE("stop() cuts off an utterance being synthesized") {
    Recorded r;
    r.hold_first = true;
    Speaker sp(std::make_unique<FakeOut>(r), 100);
    sp.say(long_text, "id");
    {
        std::unique_lock lock(r.m);
        REQUIRE(r.cv.wait_for(lock, 20s, [&] { return r.holding; }));
    }
    sp.stop();  // the screen changed
    {
        std::lock_guard lock(r.m);
        r.released = true;
    }
    r.cv.notify_all();
    REQUIRE(eventually([&] { return sp.idle() && sp.cut_offs() == 1; }));
    std::lock_guard lock(r.m);
    CHECK(r.plays == 1);  // nothing after the chunk that was playing when told
    CHECK(r.stops >= 1);  // and the device dropped what it held
    CHECK(r.samples.size() < synthesize_all(long_text, "id").size() / 4);
}

TEST_CASE("say() replaces what is being said; add() queues after it") {
    Recorded r;
    r.hold_first = true;
    Speaker sp(std::make_unique<FakeOut>(r), 100);
    sp.say(long_text, "id");
    {
        std::unique_lock lock(r.m);
        REQUIRE(r.cv.wait_for(lock, 20s, [&] { return r.holding; }));
    }
    sp.say("Ya.", "id");
    sp.add("Tidak.", "id");
    {
        std::lock_guard lock(r.m);
        r.released = true;
    }
    r.cv.notify_all();
    REQUIRE(eventually([&] { return sp.idle(); }));
    CHECK(sp.cut_offs() == 1);
    const auto first_chunk = [&] {
        std::vector<std::int16_t> out;
        synthesize(long_text, "id", [&](const std::int16_t* s, std::size_t n) {
            out.assign(s, s + n);
            return false;
        });
        return out;
    }();
    // Heard: the chunk playing when told, then "Ya." and "Tidak." whole, and nothing more.
    std::vector<std::int16_t> rest;
    for (const char* t : {"Ya.", "Tidak."}) {
        const auto s = synthesize_all(t, "id");
        rest.insert(rest.end(), s.begin(), s.end());
    }
    std::lock_guard lock(r.m);
    REQUIRE(r.samples.size() > first_chunk.size());
    const std::vector<std::int16_t> after(r.samples.begin() + long(first_chunk.size()),
                                          r.samples.end());
    CHECK(lapor::test::sounds_alike(after, rest));
}

TEST_CASE("volume scales the samples; 0 is silent") {
    const auto full = synthesize_all("Volume.", "id");
    for (int v : {100, 50, 0}) {
        Recorded r;
        Speaker sp(std::make_unique<FakeOut>(r), v);
        sp.say("Volume.", "id");
        REQUIRE(eventually([&] { return sp.idle() && sp.has_audio(); }));
        std::lock_guard lock(r.m);
        const Sound got{22050, r.samples}, ref{22050, full};
        CHECK(stats(got).seconds == doctest::Approx(stats(ref).seconds).epsilon(0.02));
        CHECK(stats(got).rms == doctest::Approx(stats(ref).rms * v / 100).epsilon(0.05));
        if (v == 0) CHECK(stats(got).peak == 0);
    }
    Recorded r;
    Speaker sp(std::make_unique<FakeOut>(r), 100);
    sp.set_volume(250);
    CHECK(sp.volume() == 100);
    sp.set_volume(-3);
    CHECK(sp.volume() == 0);
}

TEST_CASE("no audio device: text only, and the status says why") {
    Speaker none(nullptr, 80);
    none.wait_ready();
    CHECK_FALSE(none.has_audio());
    CHECK(none.status() == "text only: no audio output configured");
    none.say("Tidak terdengar.", "id");
    CHECK(eventually([&] { return none.idle(); }));

    Recorded r;
    r.open_error = "no audio playback device (none found): connect speakers or headphones";
    Speaker broken(std::make_unique<FakeOut>(r), 80);
    broken.wait_ready();
    CHECK_FALSE(broken.has_audio());
    CHECK(broken.status() ==
          "text only: no audio playback device (none found): connect speakers or headphones");
    broken.say("Tidak terdengar.", "id");
    REQUIRE(eventually([&] { return broken.idle(); }));
    std::lock_guard lock(r.m);
    CHECK(r.samples.empty());
}

TEST_CASE("SDL audio output: what it plays reaches the device (SDL's disk driver)") {
    TempDir dir;
    const std::string raw = dir / "card.raw";
    ::setenv("SDL_AUDIODRIVER", "disk", 1);
    ::setenv("SDL_DISKAUDIOFILE", raw.c_str(), 1);
    ::setenv("SDL_DISKAUDIODELAY", "1", 1);  // ms between buffers: drain quickly
    {
        Speaker sp(make_sdl_audio_out(), 100);
        sp.wait_ready();
        REQUIRE(sp.has_audio());
        sp.say("Laporan Anda sudah tersimpan.", "id");
        REQUIRE(eventually([&] { return sp.idle(); }));
    }
    std::ifstream f(raw, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    Sound heard{22050, std::vector<std::int16_t>(bytes.size() / 2)};
    std::memcpy(heard.samples.data(), bytes.data(), heard.samples.size() * 2);
    const Sound said{22050, synthesize_all("Laporan Anda sudah tersimpan.", "id")};
    CHECK(heard.samples.size() >= said.samples.size());
    CHECK(stats(heard).rms ==
          doctest::Approx(stats(said).rms * std::sqrt(double(said.samples.size()) /
                                                      static_cast<double>(heard.samples.size())))
              .epsilon(0.05));

    ::setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
    Speaker none(make_sdl_audio_out(), 100);
    none.wait_ready();
    CHECK_FALSE(none.has_audio());
    CHECK(none.status().starts_with("text only: no audio driver ("));
    ::unsetenv("SDL_AUDIODRIVER");
}

namespace {

// A device that plays in real time: what it was given less what its clock says it has played.
class RealTimeOut : public AudioOut {
public:
    std::string open(int rate) override {
        rate_ = rate;
        return "";
    }
    void play(const std::int16_t*, std::size_t n) override {
        std::lock_guard lock(m_);
        const auto now = std::chrono::steady_clock::now();
        if (given_ == 0) start_ = now;
        given_ += n;
        max_ahead_ = std::max(max_ahead_, ahead(now));
    }
    void stop() override {
        std::lock_guard lock(m_);
        given_ = 0;
    }
    bool busy() const override { return queued() > 0; }
    std::size_t queued() const override {
        std::lock_guard lock(m_);
        return ahead(std::chrono::steady_clock::now());
    }
    double max_ahead_s() const {
        std::lock_guard lock(m_);
        return static_cast<double>(max_ahead_) / rate_;
    }
    double given_s() const {
        std::lock_guard lock(m_);
        return static_cast<double>(given_) / rate_;
    }

private:
    std::size_t ahead(std::chrono::steady_clock::time_point now) const {
        if (given_ == 0) return 0;
        const auto played =
            static_cast<std::size_t>(std::chrono::duration<double>(now - start_).count() * rate_);
        return given_ > played ? given_ - played : 0;
    }
    mutable std::mutex m_;
    int rate_ = 22050;
    std::size_t given_ = 0, max_ahead_ = 0;
    std::chrono::steady_clock::time_point start_;
};

// The nice value of this process's thread named `name` (from /proc), or nullopt.
std::optional<int> nice_of_thread(const std::string& name) {
    for (const auto& t : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream comm(t.path() / "comm");
        std::string n;
        std::getline(comm, n);
        if (n != name) continue;
        std::ifstream stat(t.path() / "stat");
        std::string all((std::istreambuf_iterator<char>(stat)), {});
        std::istringstream rest(all.substr(all.rfind(')') + 2));  // after "pid (comm) "
        std::string field;
        for (int i = 3; i <= 19; ++i) rest >> field;  // field 19: nice
        return std::stoi(field);
    }
    return std::nullopt;
}

}  // namespace

// espeak-ng makes sound about 20 times faster than it plays: unpaced, a 5 s sentence was
// synthesized in one burst of CPU beside the UI thread. Paced, it stays about a second ahead.
TEST_CASE("synthesis keeps pace with playback, a second ahead, on a lower-priority thread") {
    auto out = std::make_unique<RealTimeOut>();
    RealTimeOut& dev = *out;
    Speaker sp(std::move(out), 100);
    sp.wait_ready();
    REQUIRE(sp.has_audio());
    const auto nice = nice_of_thread(Speaker::worker_name);
    CHECK(nice.has_value());
    if (nice) CHECK(*nice >= Speaker::worker_nice);  // as low as asked, or the test ran niced
    sp.say("Silakan pilih jenis laporan Anda. Pengaduan, aspirasi, atau permintaan informasi.",
           "id");
    CHECK(eventually([&] { return sp.idle(); }));
    MESSAGE("spoken " << dev.given_s() << " s, at most " << dev.max_ahead_s() << " s ahead");
    CHECK(dev.given_s() > 3.0);  // long enough that a burst would show
    // A second, plus one of the engine's 60 ms chunks and a slow wake-up on a loaded machine.
    CHECK(dev.max_ahead_s() <= Speaker::lead_ms / 1000.0 + 0.3);
}
