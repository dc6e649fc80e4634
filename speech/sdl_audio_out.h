// Speech to the sound card through SDL2: the speaker's worker appends samples to a buffer, and
// SDL's audio thread takes them from it in its callback (silence when there are none). Owning the
// callback lets the kiosk know when the first audible sample of an utterance reached the device
// (sound_started_ns(): the tap-to-sound figure of bench/ui_bench). The kiosk's only
// device-specific speech code.
//
// Implemented: the default playback device, mono 16-bit, queue and clear. Missing: choosing a
// device by name (the kiosk has one; PulseAudio/PipeWire are not on the image).
#pragma once
#include <memory>

#include "audio_out.h"

namespace lapor::speech {

// Opens nothing until open(); a failed open() (no device, no driver) means text only.
std::unique_ptr<AudioOut> make_sdl_audio_out();

}  // namespace lapor::speech
