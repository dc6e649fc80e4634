// Speech benchmark (issue #15): how soon a citizen hears something after asking, and what the
// voice costs. Each figure is the median of several runs; the baseline, measured in the same
// run, is espeak-ng producing its first chunk on the calling thread (no queue, no device).
//   voice data load (espeak_Initialize + a warm-up utterance), once per process
//   say() to the first sample handed to SDL's audio queue, through the speaker thread
//   synthesis speed (seconds of speech per second of CPU)
// The audio device is SDL's "disk" driver writing to /dev/null (no sound card here).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "sdl_audio_out.h"
#include "speaker.h"
#include "synth.h"

using namespace lapor::speech;
using Clock_ = std::chrono::steady_clock;

namespace {

double ms_since(Clock_::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock_::now() - t).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

const char* const texts[] = {
    "Apa yang ingin Anda sampaikan? Pilih salah satu jenis laporan.",
    "Tulis laporan Anda. Tulis judul singkat, lalu ceritakan apa yang terjadi.",
    "Siapa yang boleh melihat laporan Anda? Publik, anonim, atau rahasia.",
    "Kode pelacakan Anda: J K 0 1, 7 K 3 M, 9 Q X 2, H. Simpan tanda terima Anda.",
};

}  // namespace

int main() {
    ::setenv("SDL_AUDIODRIVER", "disk", 1);
    ::setenv("SDL_DISKAUDIOFILE", "/dev/null", 1);
    ::setenv("SDL_DISKAUDIODELAY", "0", 1);

    auto t0 = Clock_::now();
    if (auto err = engine_load(); !err.empty()) {
        std::fprintf(stderr, "speech_bench: %s\n", err.c_str());
        return 1;
    }
    const double load_ms = ms_since(t0);

    constexpr int runs = 21;
    std::vector<double> baseline, spoken, speed;
    for (int i = 0; i < runs; ++i) {
        const char* text = texts[i % 4];
        t0 = Clock_::now();
        synthesize(text, "id", [](const std::int16_t*, std::size_t) { return false; });
        baseline.push_back(ms_since(t0));

        rusage before{}, after{};
        getrusage(RUSAGE_SELF, &before);
        const auto all = synthesize_all(text, "id");
        getrusage(RUSAGE_SELF, &after);
        const double cpu_s =
            static_cast<double>(after.ru_utime.tv_sec - before.ru_utime.tv_sec) +
            static_cast<double>(after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e6;
        speed.push_back(static_cast<double>(all.size()) / engine_rate() / std::max(cpu_s, 1e-4));
    }
    {
        Speaker sp(make_sdl_audio_out(), 80);
        sp.wait_ready();
        if (!sp.has_audio()) {
            std::fprintf(stderr, "speech_bench: %s\n", sp.status().c_str());
            return 1;
        }
        for (int i = 0; i < runs; ++i) {
            sp.say(texts[i % 4], "id");
            for (auto end = Clock_::now() + std::chrono::seconds(10);
                 Clock_::now() < end && !sp.idle();)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            if (auto ms = sp.last_first_sample_ms()) spoken.push_back(*ms);
            sp.stop();
        }
    }
    if (spoken.empty()) {
        std::fprintf(stderr, "speech_bench: no utterance reached the device\n");
        return 1;
    }
    const double b = median(baseline), s = median(spoken);
    std::printf("speech_bench (espeak-ng, Indonesian voice, %d runs, medians)\n", runs);
    std::printf("  voice data load (once, on the speaker thread) %8.1f ms\n", load_ms);
    std::printf("  say() to first sample at the device           %8.2f ms  (target <= 150 ms)\n",
                s);
    std::printf("  baseline: first chunk on the calling thread   %8.2f ms  (ratio %.2f)\n", b,
                s / b);
    std::printf("  synthesis speed                               %8.0f x real time\n",
                median(speed));
    return 0;
}
