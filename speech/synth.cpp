#include "synth.h"

#include <espeak-ng/speak_lib.h>

#include <mutex>

namespace lapor::speech {
namespace {

std::mutex engine_mutex;
bool loaded = false;
std::string load_error;
int rate = 0;

using ChunkFn = std::function<bool(const std::int16_t*, std::size_t)>;

// espeak-ng calls this with each chunk; the chunk function arrives as the events' user_data.
int on_chunk(short* wav, int count, espeak_EVENT* events) {
    if (!events) return 0;
    auto* fn = static_cast<const ChunkFn*>(events->user_data);
    if (!fn || !wav || count <= 0) return 0;
    return (*fn)(reinterpret_cast<const std::int16_t*>(wav), static_cast<std::size_t>(count)) ? 0
                                                                                              : 1;
}

std::string load_locked() {
    if (loaded) return load_error;
    loaded = true;
    // DONT_EXIT: without it espeak-ng ends the process when its data is missing.
    rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 60, nullptr, espeakINITIALIZE_DONT_EXIT);
    if (rate <= 0) {
        rate = 0;
        load_error =
            "the speech engine (espeak-ng) could not load its voice data: install the "
            "espeak-ng-data package";
        return load_error;
    }
    espeak_SetSynthCallback(on_chunk);
    // The first utterance after loading comes out a little slower and longer than every later
    // one of the same text; say something nobody hears, so what citizens hear (and the tour's
    // .wav files) is the steady state. It also warms the caches for the first real utterance.
    const ChunkFn discard = [](const std::int16_t*, std::size_t) { return true; };
    espeak_SetVoiceByName("id");
    espeak_Synth("a.", 3, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr,
                 const_cast<ChunkFn*>(&discard));
    return "";
}

bool has_voice_locked(std::string_view code) {
    return espeak_SetVoiceByName(std::string(code).c_str()) == EE_OK;
}

}  // namespace

std::string engine_load() {
    std::lock_guard lock(engine_mutex);
    return load_locked();
}

int engine_rate() {
    std::lock_guard lock(engine_mutex);
    return rate;
}

VoiceChoice engine_voice_for(std::string_view code) {
    std::lock_guard lock(engine_mutex);
    if (!load_locked().empty()) return {"", true};
    return choose_voice(code, has_voice_locked);
}

bool synthesize(std::string_view text, std::string_view code, const ChunkFn& chunk) {
    std::lock_guard lock(engine_mutex);
    if (!load_locked().empty()) return false;
    const auto v = choose_voice(code, has_voice_locked);
    if (espeak_SetVoiceByName(v.voice.c_str()) != EE_OK) return false;
    bool cut = false;
    const ChunkFn guarded = [&](const std::int16_t* s, std::size_t n) {
        if (cut) return false;
        if (!chunk(s, n)) cut = true;
        return !cut;
    };
    const std::string owned(text);  // espeak-ng wants a terminated string
    const auto err = espeak_Synth(owned.c_str(), owned.size() + 1, 0, POS_CHARACTER, 0,
                                  espeakCHARS_UTF8, nullptr, const_cast<ChunkFn*>(&guarded));
    return err == EE_OK && !cut;
}

std::vector<std::int16_t> synthesize_all(std::string_view text, std::string_view code) {
    std::vector<std::int16_t> out;
    synthesize(text, code, [&](const std::int16_t* s, std::size_t n) {
        out.insert(out.end(), s, s + n);
        return true;
    });
    return out;
}

}  // namespace lapor::speech
