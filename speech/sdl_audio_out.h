// Speech to the sound card through SDL2's audio queue (SDL_QueueAudio), so no callback runs on
// SDL's audio thread. The kiosk's only device-specific speech code.
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
