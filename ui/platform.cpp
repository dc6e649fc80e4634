#include "platform.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "backend_sdlrenderer.h"
#include "startup_trace.h"

namespace lapor::ui {

void Platform::init_sdl(bool fullscreen, int width, int height) {
    const char* driver = SDL_getenv("SDL_VIDEODRIVER");
    const std::string drv = driver ? driver : "";
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");  // SIGTERM is ours: lockdown ignores SDL_QUIT
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");  // one tap is one tap
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    if (drv == "kmsdrm") {
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "opengles2");  // KMSDRM has no window framebuffer
    } else {
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0)
        throw std::runtime_error(std::string("SDL could not start: ") + SDL_GetError());
    startup_trace().mark("sdl_init");
    fullscreen = fullscreen && drv != "dummy";
    Uint32 flags = SDL_WINDOW_SHOWN;
    if (fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    window = SDL_CreateWindow("LAPOR! Kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width,
                              height, flags);
    if (!window) throw std::runtime_error(std::string("no window: ") + SDL_GetError());
    startup_trace().mark("window");
    renderer = SDL_CreateRenderer(window, -1, 0);
    if (!renderer) throw std::runtime_error(std::string("no renderer: ") + SDL_GetError());
    if (fullscreen) SDL_ShowCursor(SDL_DISABLE);
    const std::string current = SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "";
    blocking_wait = current == "x11" || current == "wayland";
    SDL_StartTextInput();  // physical keyboards and barcode scanners type into our fields
    atlas = std::make_unique<ImFontAtlas>();
    startup_trace().mark("renderer");
}

ImVec2 Platform::size() const {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer, &w, &h);
    return ImVec2(static_cast<float>(w), static_cast<float>(h));
}

void Platform::rebuild_fonts(float text_scale, float bar_scale, double dpi, std::string& font_error,
                             GlyphSet glyphs) {
    const ImVec2 d = size();
    layout_scale = std::min(d.x / 1280.0f, d.y / 800.0f);
    target_px = static_cast<float>(std::ceil(9.0 / 25.4 * dpi));
    if (font_texture) SDL_DestroyTexture(font_texture);
    try {
        fonts = build_fonts(*atlas, layout_scale * text_scale, layout_scale * bar_scale, glyphs);
    } catch (const FontError& e) {
        // Without Noto Sans the kiosk cannot serve citizens, but it must still say so on screen
        // (no restart loop): ImGui's built-in font, and the out-of-service screen.
        atlas->Clear();
        ImFontConfig cfg;
        cfg.SizePixels = 13.0f * std::max(1.0f, 2.0f * layout_scale);
        ImFont* f = atlas->AddFontDefault(&cfg);
        atlas->Build();
        fonts = Fonts{f, f, f, f, f, cfg.SizePixels};
        font_error = e.what();
    }
    startup_trace().mark("font_atlas");
    font_texture = backend::upload_font_atlas(renderer, *atlas);
    if (!font_texture) throw std::runtime_error(std::string("font texture: ") + SDL_GetError());
    startup_trace().mark("font_upload");
}

void Platform::new_context(ThemeKind theme, float style_scale) {
    ctx = ImGui::CreateContext(atlas.get());
    ImGui::SetCurrentContext(ctx);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // nothing about a session is written to disk
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
    io.MouseDragThreshold = 12.0f;
    backend::init_context();
    apply_theme(palette(theme), target_px, style_scale);
}

void Platform::destroy_context() {
    if (ctx) ImGui::DestroyContext(ctx);
    ctx = nullptr;
}

void Platform::close() {
    destroy_context();
    if (font_texture) SDL_DestroyTexture(font_texture);
    font_texture = nullptr;
    atlas.reset();
    if (renderer) SDL_DestroyRenderer(renderer);
    renderer = nullptr;
    if (window) SDL_DestroyWindow(window);
    window = nullptr;
}

Platform::~Platform() { close(); }

}  // namespace lapor::ui
