#include "sdl_audio_out.h"

#include <SDL.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <vector>

namespace lapor::speech {
namespace {

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

class SdlAudioOut : public AudioOut {
public:
    ~SdlAudioOut() override {
        if (device_) SDL_CloseAudioDevice(device_);  // waits for the callback to return
        if (inited_) SDL_QuitSubSystem(SDL_INIT_AUDIO);
    }

    std::string open(int rate) override {
        if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
            return std::string("no audio driver (") + SDL_GetError() + ")";
        inited_ = true;
        SDL_AudioSpec want{}, have{};
        want.freq = rate;
        want.format = AUDIO_S16SYS;
        want.channels = 1;
        want.samples = 512;  // about 23 ms at 22050 Hz: a short wait before the first sound
        want.callback = &SdlAudioOut::fill;
        want.userdata = this;
        device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
        if (!device_)
            return std::string("no audio playback device (") + SDL_GetError() +
                   "): connect speakers or headphones";
        SDL_PauseAudioDevice(device_, 0);
        return "";
    }

    void play(const std::int16_t* samples, std::size_t count) override {
        std::lock_guard lock(mutex_);
        if (read_ > 0 && read_ == buffer_.size()) {  // all heard: start the buffer over
            buffer_.clear();
            read_ = 0;
        } else if (read_ >= 16384) {  // what was heard of a long utterance goes
            buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(read_));
            read_ = 0;
        }
        buffer_.insert(buffer_.end(), samples, samples + count);
    }

    void stop() override {
        std::lock_guard lock(mutex_);
        buffer_.clear();
        buffer_.shrink_to_fit();  // a long utterance's buffer is not kept for the next
        read_ = 0;
        started_ns_ = 0;
    }

    bool busy() const override {
        std::lock_guard lock(mutex_);
        return read_ < buffer_.size();
    }

    std::size_t queued() const override {
        std::lock_guard lock(mutex_);
        return buffer_.size() - read_;
    }

    std::int64_t sound_started_ns() const override {
        std::lock_guard lock(mutex_);
        return started_ns_;
    }

    void thread_done() override { SDL_TLSCleanup(); }

private:
    // On SDL's audio thread: the next `len` bytes for the device.
    static void fill(void* self, Uint8* stream, int len) {
        static_cast<SdlAudioOut*>(self)->take(reinterpret_cast<std::int16_t*>(stream),
                                              static_cast<std::size_t>(len) / 2);
    }
    void take(std::int16_t* out, std::size_t n) {
        std::lock_guard lock(mutex_);
        const std::size_t have = std::min(n, buffer_.size() - read_);
        std::copy_n(buffer_.begin() + static_cast<std::ptrdiff_t>(read_), have, out);
        std::fill(out + have, out + n, std::int16_t{0});
        if (started_ns_ == 0 && std::any_of(out, out + have, [](std::int16_t s) {
                return std::abs(s) > audible_level;
            }))
            started_ns_ = now_ns();
        read_ += have;
    }

    SDL_AudioDeviceID device_ = 0;
    bool inited_ = false;
    mutable std::mutex mutex_;
    std::vector<std::int16_t> buffer_;  // what the speaker gave, from read_ not yet heard
    std::size_t read_ = 0;
    std::int64_t started_ns_ = 0;
};

}  // namespace

std::unique_ptr<AudioOut> make_sdl_audio_out() { return std::make_unique<SdlAudioOut>(); }

}  // namespace lapor::speech
