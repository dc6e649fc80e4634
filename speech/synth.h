// espeak-ng (Debian's libespeak-ng) behind three calls. The engine keeps global state, so there
// is one per process: every call takes a process-wide lock, and the voice data is loaded on the
// first call (lazily: the first frame of the UI never waits for it).
//
// Implemented: UTF-8 text in a kiosk language, voice fallback (voice_choice.h), synthesis in
// chunks that the caller can cut off. Missing: SSML, rate and pitch settings (espeak defaults).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "voice_choice.h"

namespace lapor::speech {

// Loads the voice data if not yet done; "" when the engine works, else why not (a sentence).
std::string engine_load();
// Samples a second of everything synthesize() produces (22050 for espeak-ng); 0 before loading.
int engine_rate();
// The voice that speaks `language_code` (loads the engine).
VoiceChoice engine_voice_for(std::string_view language_code);

// Speaks `text` in `language_code`, handing each chunk of samples to `chunk`; when `chunk`
// returns false the rest is not synthesized. Returns false when cut off or the engine failed.
bool synthesize(std::string_view text, std::string_view language_code,
                const std::function<bool(const std::int16_t*, std::size_t)>& chunk);

// The whole of it at once (for .wav files and tests).
std::vector<std::int16_t> synthesize_all(std::string_view text, std::string_view language_code);

}  // namespace lapor::speech
