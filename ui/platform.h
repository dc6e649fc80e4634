// The window, the renderer, the ImGui context and the fonts: what ui/ needs from SDL and ImGui,
// apart from events (app_input.cpp). The wipe destroys and recreates the ImGui context.
#pragma once
#include <SDL.h>
#include <imgui.h>

#include <memory>
#include <string>

#include "fonts.h"
#include "theme.h"

namespace lapor::ui {

struct Platform {
    SDL_Window* window = nullptr;
    SDL_Renderer* renderer = nullptr;
    SDL_Texture* font_texture = nullptr;
    std::unique_ptr<ImFontAtlas> atlas;
    ImGuiContext* ctx = nullptr;
    Fonts fonts;
    float layout_scale = 1.0f;   // 1.0 at 1280x800
    float target_px = 34.0f;     // 9 mm at display.dpi
    bool blocking_wait = false;  // SDL_WaitEventTimeout really blocks (x11, wayland)

    // The window (fullscreen unless `windowed`) and its renderer; throws on failure.
    void init_sdl(bool fullscreen, int width, int height);
    // Fonts for the window size times `text_scale`; without Noto Sans, ImGui's own font and a
    // non-empty `font_error`.
    void rebuild_fonts(float text_scale, float bar_scale, double dpi, std::string& font_error,
                       GlyphSet glyphs = GlyphSet::all);
    void new_context(ThemeKind theme, float style_scale);
    void destroy_context();
    ImVec2 size() const;
    void close();  // everything above, before SDL_Quit
    ~Platform();
};

}  // namespace lapor::ui
