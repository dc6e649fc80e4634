// Where speech samples go: the sound card (sdl_audio_out.h), or a fake in tests. Mono, signed
// 16-bit, at the rate given to open(). Called from the speaker's worker thread only.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace lapor::speech {

class AudioOut {
public:
    virtual ~AudioOut() = default;
    // Prepares the device for `rate` samples a second; "" when ready, else why not (a sentence).
    virtual std::string open(int rate) = 0;
    // Queues samples to be heard after those already queued.
    virtual void play(const std::int16_t* samples, std::size_t count) = 0;
    // Drops whatever is queued and not yet heard (the citizen moved on).
    virtual void stop() = 0;
    // True while queued samples are still being heard.
    virtual bool busy() const = 0;
    // Samples queued and not yet heard (the speaker keeps this under a second, so synthesis
    // keeps pace with playback instead of taking the CPU in one burst); 0 when it cannot tell.
    virtual std::size_t queued() const { return 0; }
    // When the device was handed the first audible sample (|s| > audible_level) since open() or
    // the last stop(), CLOCK_MONOTONIC ns; 0 when none yet, or when the output cannot tell.
    virtual std::int64_t sound_started_ns() const { return 0; }
    static constexpr int audible_level = 100;  // about -50 dB below full scale
    // Called on the thread that used the device, just before that thread ends: a library may keep
    // data for threads it did not start (SDL keeps its error text) that only that thread can free.
    virtual void thread_done() {}
};

}  // namespace lapor::speech
