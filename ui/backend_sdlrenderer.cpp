#include "backend_sdlrenderer.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

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

namespace {

// SDL's software renderer rasterises textured triangles pixel by pixel, but fills a rectangle
// fast. ImGui draws every solid shape through the font texture's white pixel, so a frame of
// buttons would be mostly textured triangles. Solid axis-aligned quads (ImGui's PrimRect index
// order: 0 1 2, 0 2 3) become SDL_RenderFillRectF, and runs of solid triangles are drawn without
// the texture; everything else goes to SDL_RenderGeometryRaw unchanged, in the same order.
class Drawer {
public:
    Drawer(SDL_Renderer* r, const ImDrawList* list, const ImDrawCmd& cmd, ImVec2 white)
        : r_(r), list_(list), cmd_(cmd), white_(white) {}

    void run() {
        const ImDrawIdx* idx = list_->IdxBuffer.Data + cmd_.IdxOffset;
        const ImDrawVert* vtx = list_->VtxBuffer.Data + cmd_.VtxOffset;
        const unsigned n = cmd_.ElemCount;
        for (unsigned i = 0; i + 2 < n;) {
            if (i + 5 < n && solid_rect(vtx, idx + i)) {
                flush();
                const ImDrawVert& a = vtx[idx[i]];
                const ImDrawVert& c = vtx[idx[i + 2]];
                const ImU32 col = a.col;
                SDL_SetRenderDrawBlendMode(r_, SDL_BLENDMODE_BLEND);
                SDL_SetRenderDrawColor(
                    r_, static_cast<Uint8>(col & 0xFF), static_cast<Uint8>((col >> 8) & 0xFF),
                    static_cast<Uint8>((col >> 16) & 0xFF), static_cast<Uint8>((col >> 24) & 0xFF));
                const SDL_FRect rect{std::min(a.pos.x, c.pos.x), std::min(a.pos.y, c.pos.y),
                                     std::abs(c.pos.x - a.pos.x), std::abs(c.pos.y - a.pos.y)};
                SDL_RenderFillRectF(r_, &rect);
                i += 6;
                continue;
            }
            const bool solid =
                is_white(vtx[idx[i]]) && is_white(vtx[idx[i + 1]]) && is_white(vtx[idx[i + 2]]);
            if (!pending_.empty() && solid != pending_solid_) flush();
            pending_solid_ = solid;
            pending_.insert(pending_.end(), idx + i, idx + i + 3);
            i += 3;
        }
        flush();
    }

private:
    bool is_white(const ImDrawVert& v) const { return v.uv.x == white_.x && v.uv.y == white_.y; }

    bool solid_rect(const ImDrawVert* vtx, const ImDrawIdx* t) const {
        if (t[3] != t[0] || t[4] != t[2]) return false;
        const ImDrawVert& a = vtx[t[0]];
        const ImDrawVert& b = vtx[t[1]];
        const ImDrawVert& c = vtx[t[2]];
        const ImDrawVert& d = vtx[t[5]];
        if (!(is_white(a) && is_white(b) && is_white(c) && is_white(d))) return false;
        if (a.col != b.col || a.col != c.col || a.col != d.col) return false;
        return a.pos.y == b.pos.y && b.pos.x == c.pos.x && c.pos.y == d.pos.y && d.pos.x == a.pos.x;
    }

    void flush() {
        if (pending_.empty()) return;
        const ImDrawVert* v = list_->VtxBuffer.Data + cmd_.VtxOffset;
        const auto* base = reinterpret_cast<const char*>(v);
        const int stride = static_cast<int>(sizeof(ImDrawVert));
        SDL_RenderGeometryRaw(
            r_, pending_solid_ ? nullptr : static_cast<SDL_Texture*>(cmd_.GetTexID()),
            reinterpret_cast<const float*>(base + offsetof(ImDrawVert, pos)), stride,
            reinterpret_cast<const SDL_Color*>(base + offsetof(ImDrawVert, col)), stride,
            pending_solid_ ? nullptr
                           : reinterpret_cast<const float*>(base + offsetof(ImDrawVert, uv)),
            pending_solid_ ? 0 : stride, list_->VtxBuffer.Size - static_cast<int>(cmd_.VtxOffset),
            pending_.data(), static_cast<int>(pending_.size()),
            static_cast<int>(sizeof(ImDrawIdx)));
        pending_.clear();
    }

    SDL_Renderer* r_;
    const ImDrawList* list_;
    const ImDrawCmd& cmd_;
    ImVec2 white_;
    std::vector<ImDrawIdx> pending_;
    bool pending_solid_ = false;
};

}  // namespace

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
    const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;

    const ImVec2 off = data->DisplayPos;
    for (int n = 0; n < data->CmdListsCount; ++n) {
        const ImDrawList* list = data->CmdLists[n];
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
            Drawer(renderer, list, cmd, white).run();
        }
    }
    SDL_RenderSetViewport(renderer, &old_viewport);
    SDL_RenderSetClipRect(renderer, had_clip ? &old_clip : nullptr);
}

}  // namespace lapor::ui::backend
