#include "fonts.h"

#include <imgui.h>
#include <imgui_freetype.h>

#include <cstdlib>
#include <filesystem>

namespace lapor::ui {

std::string font_dir() {
    if (const char* d = std::getenv("LAPOR_KIOSK_FONTS"); d && *d) return d;
    return "/usr/share/fonts/truetype/noto";
}

namespace {

// Latin as Indonesian and English use it, plus the punctuation the messages use. ImGui 1.86 has
// 16-bit characters; anything else shows the fallback glyph.
// U+FFFD is the placeholder for what the font cannot draw: emoji (outside the 16-bit range of
// Debian's ImGui build, decoded as U+FFFD) and other scripts show as a visible "�", never "?"
// (ImGui picks U+FFFD as its fallback glyph when the font has it; Noto Sans does).
const ImWchar glyph_ranges[] = {0x0020, 0x017F, 0x2013, 0x2014, 0x2018, 0x2019,
                                0x201C, 0x201D, 0x2022, 0x2022, 0x2026, 0x2026,
                                0x2039, 0x203A, 0xFFFD, 0xFFFD, 0};
const ImWchar first_frame_ranges[] = {0x0020, 0x007E, 0x2013, 0x2014, 0x2018, 0x2019,
                                      0x201C, 0x201D, 0x2022, 0x2022, 0x2026, 0x2026,
                                      0x2039, 0x203A, 0xFFFD, 0xFFFD, 0};
// The tracking code and the attract title only.
const ImWchar huge_ranges[] = {0x0020, 0x005F, 0};
// At the first frame (the attract screen): the title's letters only; the top bar is not shown.
// The 72 px glyphs are nearly half of the atlas's pixels.
const ImWchar huge_first_frame_ranges[] = {'!', '!', 'A', 'A', 'L', 'L', 'O', 'P', 'R', 'R', 0};
const ImWchar bar_first_frame_ranges[] = {0x0020, 0x0020, 0xFFFD, 0xFFFD, 0};

ImFont* add(ImFontAtlas& atlas, const std::string& file, float px, const ImWchar* ranges) {
    if (!std::filesystem::exists(file))
        throw FontError("font file " + file +
                        " is missing: install fonts-noto-core or set LAPOR_KIOSK_FONTS");
    ImFontConfig cfg;
    cfg.OversampleH = 1;
    cfg.OversampleV = 1;
    cfg.PixelSnapH = true;
    cfg.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
    ImFont* f = atlas.AddFontFromFileTTF(file.c_str(), px, &cfg, ranges);
    if (!f) throw FontError("font file " + file + " could not be read");
    return f;
}

}  // namespace

Fonts build_fonts(ImFontAtlas& atlas, float scale, float bar_scale, GlyphSet glyphs) {
    atlas.Clear();
    atlas.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    atlas.Flags |= ImFontAtlasFlags_NoMouseCursors;
    const std::string regular = font_dir() + "/NotoSans-Regular.ttf";
    const std::string bold = font_dir() + "/NotoSans-Bold.ttf";
    const bool all = glyphs == GlyphSet::all;
    const ImWchar* text = all ? glyph_ranges : first_frame_ranges;
    Fonts f;
    f.body_px = 28.0f * scale;
    f.body = add(atlas, regular, f.body_px, text);  // the first font is ImGui's default
    f.small = add(atlas, regular, 22.0f * scale, text);
    f.heading = add(atlas, bold, 40.0f * scale, text);
    f.huge = add(atlas, bold, 72.0f * scale, all ? huge_ranges : huge_first_frame_ranges);
    f.bar = add(atlas, regular, 28.0f * bar_scale, all ? glyph_ranges : bar_first_frame_ranges);
    atlas.TexDesiredWidth = 1024;
    if (!atlas.Build()) throw FontError("the font atlas could not be built");
    return f;
}

}  // namespace lapor::ui
