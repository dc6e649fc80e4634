#include "backend_sdlrenderer.h"

#include <imgui.h>

#include <cstddef>
#include <cstdint>

namespace lapor::ui::backend {

SDL_Texture* upload_font_atlas(SDL_Renderer* renderer, ImFontAtlas& atlas) {
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    atlas.GetTexDataAsRGBA32(&pixels, &w, &h);
    SDL_Texture* tex =
        SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_STATIC, w, h);
    if (!tex) return nullptr;
    SDL_UpdateTexture(tex, nullptr, pixels, 4 * w);
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    SDL_SetTextureScaleMode(tex, SDL_ScaleModeLinear);
    atlas.SetTexID(static_cast<ImTextureID>(tex));
    atlas.ClearTexData();  // the GPU (or SDL's software texture) holds the only copy now
    return tex;
}

void init_context() {
    ImGuiIO& io = ImGui::GetIO();
    io.BackendRendererName = "lapor_sdlrenderer";
    io.BackendPlatformName = "lapor_ui";
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
}

void render(SDL_Renderer* renderer, const ImDrawData* data) {
    float rsx = 1.0f, rsy = 1.0f;
    SDL_RenderGetScale(renderer, &rsx, &rsy);
    const ImVec2 scale{rsx == 1.0f ? data->FramebufferScale.x : 1.0f,
                       rsy == 1.0f ? data->FramebufferScale.y : 1.0f};
    const int fb_w = static_cast<int>(data->DisplaySize.x * scale.x);
    const int fb_h = static_cast<int>(data->DisplaySize.y * scale.y);
    if (fb_w <= 0 || fb_h <= 0) return;

    SDL_Rect old_viewport;
    SDL_Rect old_clip;
    const SDL_bool had_clip = SDL_RenderIsClipEnabled(renderer);
    SDL_RenderGetViewport(renderer, &old_viewport);
    SDL_RenderGetClipRect(renderer, &old_clip);
    SDL_RenderSetViewport(renderer, nullptr);

    const ImVec2 off = data->DisplayPos;
    for (int n = 0; n < data->CmdListsCount; ++n) {
        const ImDrawList* list = data->CmdLists[n];
        const ImDrawVert* vtx = list->VtxBuffer.Data;
        const ImDrawIdx* idx = list->IdxBuffer.Data;
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            if (cmd.UserCallback) {
                if (cmd.UserCallback != ImDrawCallback_ResetRenderState)
                    cmd.UserCallback(list, &cmd);
                continue;
            }
            ImVec2 cmin{(cmd.ClipRect.x - off.x) * scale.x, (cmd.ClipRect.y - off.y) * scale.y};
            ImVec2 cmax{(cmd.ClipRect.z - off.x) * scale.x, (cmd.ClipRect.w - off.y) * scale.y};
            if (cmin.x < 0) cmin.x = 0;
            if (cmin.y < 0) cmin.y = 0;
            if (cmax.x > static_cast<float>(fb_w)) cmax.x = static_cast<float>(fb_w);
            if (cmax.y > static_cast<float>(fb_h)) cmax.y = static_cast<float>(fb_h);
            if (cmax.x <= cmin.x || cmax.y <= cmin.y) continue;
            const SDL_Rect r{static_cast<int>(cmin.x), static_cast<int>(cmin.y),
                             static_cast<int>(cmax.x - cmin.x), static_cast<int>(cmax.y - cmin.y)};
            SDL_RenderSetClipRect(renderer, &r);

            const ImDrawVert* v = vtx + cmd.VtxOffset;
            const auto* base = reinterpret_cast<const char*>(v);
            const int stride = static_cast<int>(sizeof(ImDrawVert));
            SDL_RenderGeometryRaw(
                renderer, static_cast<SDL_Texture*>(cmd.GetTexID()),
                reinterpret_cast<const float*>(base + offsetof(ImDrawVert, pos)), stride,
                reinterpret_cast<const SDL_Color*>(base + offsetof(ImDrawVert, col)), stride,
                reinterpret_cast<const float*>(base + offsetof(ImDrawVert, uv)), stride,
                list->VtxBuffer.Size - static_cast<int>(cmd.VtxOffset), idx + cmd.IdxOffset,
                static_cast<int>(cmd.ElemCount), static_cast<int>(sizeof(ImDrawIdx)));
        }
    }
    SDL_RenderSetViewport(renderer, &old_viewport);
    SDL_RenderSetClipRect(renderer, had_clip ? &old_clip : nullptr);
}

}  // namespace lapor::ui::backend
