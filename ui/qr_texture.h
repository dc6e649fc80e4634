// The receipt's QR code on screen: libqrencode modules drawn into an SDL texture with a quiet
// zone, scaled without smoothing so a phone camera reads it from the screen.
#pragma once
#include <SDL.h>

#include <string>

namespace lapor::ui {

// Returns nullptr when the text cannot be encoded; `modules` gets the side in modules.
SDL_Texture* make_qr_texture(SDL_Renderer* r, const std::string& text, int& modules);

}  // namespace lapor::ui
