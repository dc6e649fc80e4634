// The kiosk's voice: speaks texts on a worker thread so the UI thread never waits for synthesis,
// cuts off what is being said when told (the screen changed, the focus moved), applies the
// volume setting, and falls back to text only when there is no audio device.
//
// say() replaces whatever is being said; add() queues after it (the audio guide reads a focus,
// then its state). Figures for the benchmark: the time from say() to the first sample handed to
// the device.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "audio_out.h"

namespace lapor::speech {

class Speaker {
public:
    // `out` null, or failing to open: text only (has_audio() false, status() says why). The voice
    // data loads on the worker thread, so construction returns at once. `load_now` false: the
    // worker waits for start() (or the first say/add/wait_ready) before loading, so the kiosk's
    // first frame does not share the CPU with it.
    Speaker(std::unique_ptr<AudioOut> out, int volume_percent, bool load_now = true);
    ~Speaker();
    Speaker(const Speaker&) = delete;
    Speaker& operator=(const Speaker&) = delete;

    void start();  // load the voice and open the device now (once; later calls do nothing)
    // When the voice data was loaded and the device opened (or failed), CLOCK_MONOTONIC ns; 0
    // before.
    std::int64_t ready_mono_ns() const;

    void say(std::string text, std::string language_code);
    void add(std::string text, std::string language_code);
    void stop();  // cut off: nothing more of what was said or queued is heard

    void set_volume(int percent);  // 0..100, clamped
    int volume() const { return volume_.load(); }

    // False until the device opened, and for good when it did not (text only).
    bool has_audio() const { return audio_.load(); }
    // "" while starting; then a sentence for staff diagnostics and the log.
    std::string status() const;
    // True when nothing is queued, synthesized or still being heard.
    bool idle() const;
    // Blocks until the voice data is loaded and the device opened (or failed); tests and the
    // benchmark use it, the UI does not.
    void wait_ready();

    // The last utterance's time from say()/add() to its first sample reaching the device, ms.
    std::optional<double> last_first_sample_ms() const;
    // When the device got the first audible sample of what is being said now (AudioOut::
    // sound_started_ns), CLOCK_MONOTONIC ns; 0 before, or without audio.
    std::int64_t sound_started_ns() const { return audio_ ? out_->sound_started_ns() : 0; }
    // Utterances cut off so far (tests).
    int cut_offs() const { return cut_offs_.load(); }

    // Synthesis stays at most this far ahead of what the device has played (when the device can
    // tell, AudioOut::queued): espeak-ng makes sound about 20 times faster than it plays, and a
    // whole utterance in one burst takes the CPU from the UI thread on a small machine.
    // LAPOR_SPEECH_LEAD_MS overrides it (0: unpaced, as before; ui_bench compares the two).
    static constexpr int lead_ms = 1000;
    // The worker thread's nice value: below the UI thread, which must draw in time; speech has a
    // second of sound in hand.
    static constexpr int worker_nice = 5;
    // Its name, as `top -H` and /proc/<pid>/task/<tid>/comm show it.
    static constexpr const char* worker_name = "lapor-speech";

    // What `text` sounds like in `language_code` at the current volume, for .wav files; runs on
    // the caller's thread (the engine is locked, synth.h). Empty when the engine cannot load.
    std::vector<std::int16_t> render(const std::string& text, const std::string& language_code,
                                     int* rate = nullptr);

private:
    struct Item {
        std::string text, language;
        std::int64_t asked_ns = 0;
    };
    void run();
    void speak(const Item& item, std::uint64_t generation);

    std::unique_ptr<AudioOut> out_;
    std::atomic<int> volume_;
    std::atomic<bool> audio_{false};
    std::atomic<std::uint64_t> generation_{0};
    std::atomic<int> cut_offs_{0};
    std::atomic<bool> speaking_{false};

    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::deque<Item> queue_;
    bool started_ = false, ready_ = false, quit_ = false, flush_ = false;
    std::int64_t ready_ns_ = 0;
    std::string status_;
    std::optional<double> first_sample_ms_;
    std::thread worker_;
};

}  // namespace lapor::speech
