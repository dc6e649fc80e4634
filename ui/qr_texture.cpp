#include "qr_texture.h"

#include <qrencode.h>

#include <vector>

namespace lapor::ui {

SDL_Texture* make_qr_texture(SDL_Renderer* r, const std::string& text, int& modules) {
    QRcode* qr = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) return nullptr;
    const int quiet = 4;
    const int n = qr->width + 2 * quiet;
    std::vector<Uint32> px(static_cast<std::size_t>(n) * static_cast<std::size_t>(n), 0xFFFFFFFFu);
    for (int y = 0; y < qr->width; ++y)
        for (int x = 0; x < qr->width; ++x)
            if (qr->data[y * qr->width + x] & 1)
                px[static_cast<std::size_t>((y + quiet) * n + x + quiet)] = 0xFF000000u;
    QRcode_free(qr);
    SDL_Texture* t = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, n, n);
    if (!t) return nullptr;
    SDL_UpdateTexture(t, nullptr, px.data(), n * 4);
    SDL_SetTextureScaleMode(t, SDL_ScaleModeNearest);
    modules = n;
    return t;
}

}  // namespace lapor::ui
