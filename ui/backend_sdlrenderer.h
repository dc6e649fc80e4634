// Dear ImGui 1.86 renderer backend for SDL_Renderer (Debian's libimgui-dev ships none).
//
// Implemented: SDL_Texture* as ImTextureID; 16-bit indices with ImDrawCmd::VtxOffset (large
// meshes); clip rectangles scaled by the framebuffer scale; the font atlas uploaded once and its
// CPU copy freed, owned here rather than by an ImGui context so a context can be destroyed and
// recreated (the wipe) without re-uploading fonts. Solid rectangles become SDL_RenderFillRectF
// and solid triangles skip the texture (much faster in SDL's software renderer).
// Missing: user callbacks other than ImDrawCallback_ResetRenderState; multi-viewport.
#pragma once
#include <SDL.h>

struct ImDrawData;
struct ImFontAtlas;

namespace lapor::ui::backend {

// Uploads the atlas's pixels into a new texture, sets its TexID and frees the CPU copy.
// Returns the texture (destroy it with SDL_DestroyTexture), or nullptr with SDL_GetError().
SDL_Texture* upload_font_atlas(SDL_Renderer* renderer, ImFontAtlas& atlas);

// Marks the current ImGui context as driven by this backend (flags and name).
void init_context();

// Draws one frame's draw data; leaves the renderer's clip rect and viewport as it found them.
void render(SDL_Renderer* renderer, const ImDrawData* data);

}  // namespace lapor::ui::backend
