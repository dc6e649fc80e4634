#include "sdl_audio_out.h"

#include <SDL.h>

namespace lapor::speech {
namespace {

class SdlAudioOut : public AudioOut {
public:
    ~SdlAudioOut() override {
        if (device_) SDL_CloseAudioDevice(device_);
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
        device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
        if (!device_)
            return std::string("no audio playback device (") + SDL_GetError() +
                   "): connect speakers or headphones";
        SDL_PauseAudioDevice(device_, 0);
        return "";
    }

    void play(const std::int16_t* samples, std::size_t count) override {
        SDL_QueueAudio(device_, samples, static_cast<Uint32>(count * sizeof(std::int16_t)));
    }

    void stop() override {
        if (device_) SDL_ClearQueuedAudio(device_);
    }

    bool busy() const override { return device_ && SDL_GetQueuedAudioSize(device_) > 0; }
    void thread_done() override { SDL_TLSCleanup(); }

private:
    SDL_AudioDeviceID device_ = 0;
    bool inited_ = false;
};

}  // namespace

std::unique_ptr<AudioOut> make_sdl_audio_out() { return std::make_unique<SdlAudioOut>(); }

}  // namespace lapor::speech
