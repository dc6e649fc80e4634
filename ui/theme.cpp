#include "theme.h"

#include <cmath>

namespace lapor::ui {
namespace {

ImVec4 rgb(unsigned hex, float a = 1.0f) {
    return ImVec4(static_cast<float>((hex >> 16) & 0xFF) / 255.0f,
                  static_cast<float>((hex >> 8) & 0xFF) / 255.0f,
                  static_cast<float>(hex & 0xFF) / 255.0f, a);
}

double linear(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }
double luminance(ImVec4 c) {
    return 0.2126 * linear(c.x) + 0.7152 * linear(c.y) + 0.0722 * linear(c.z);
}

}  // namespace

Palette palette(ThemeKind k) {
    Palette p{};
    if (k == ThemeKind::standard) {
        p.bg = rgb(0xF3F5F8);
        p.text = rgb(0x1B1F24);
        p.muted = rgb(0x4A5563);
        p.panel = rgb(0xFFFFFF);
        p.panel_text = rgb(0x1B1F24);
        p.button = rgb(0xDCE3EC);
        p.button_text = rgb(0x1B1F24);
        p.button_pressed = rgb(0xA9B7C8);
        p.primary = rgb(0x0B4F9C);
        p.primary_text = rgb(0xFFFFFF);
        p.primary_pressed = rgb(0x06305F);
        p.selected = rgb(0x0B4F9C);
        p.selected_text = rgb(0xFFFFFF);
        p.field = rgb(0xFFFFFF);
        p.field_text = rgb(0x1B1F24);
        p.field_border = rgb(0x4A5563);
        p.error = rgb(0xA8071A);
        p.warn_bg = rgb(0xFFE8A3);
        p.warn_text = rgb(0x3D2B00);
        p.overlay = rgb(0x000000, 0.55f);
    } else {
        p.bg = rgb(0x000000);
        p.text = rgb(0xFFFFFF);
        p.muted = rgb(0xE0E0E0);
        p.panel = rgb(0x000000);
        p.panel_text = rgb(0xFFFFFF);
        p.button = rgb(0x000000);
        p.button_text = rgb(0xFFFF00);
        p.button_pressed = rgb(0x404040);
        p.primary = rgb(0xFFFF00);
        p.primary_text = rgb(0x000000);
        p.primary_pressed = rgb(0xFFFFFF);
        p.selected = rgb(0x00FFFF);
        p.selected_text = rgb(0x000000);
        p.field = rgb(0x000000);
        p.field_text = rgb(0xFFFFFF);
        p.field_border = rgb(0xFFFFFF);
        p.error = rgb(0xFF8080);
        p.warn_bg = rgb(0xFFFF00);
        p.warn_text = rgb(0x000000);
        p.overlay = rgb(0x000000, 0.85f);
    }
    return p;
}

void apply_theme(const Palette& p, float target_px, float scale) {
    ImGuiStyle& s = ImGui::GetStyle();
    s = ImGuiStyle();
    s.WindowPadding = ImVec2(24 * scale, 16 * scale);
    s.FramePadding = ImVec2(16 * scale, 12 * scale);
    s.ItemSpacing = ImVec2(16 * scale, 14 * scale);
    s.ItemInnerSpacing = ImVec2(10 * scale, 8 * scale);
    s.ScrollbarSize = target_px;
    s.GrabMinSize = target_px;
    s.FrameRounding = 0;  // square shapes are fast in SDL's software renderer
    s.ChildRounding = 0;
    s.ScrollbarRounding = 0;
    s.GrabRounding = 0;
    s.WindowBorderSize = 0;
    s.ChildBorderSize = 0;
    s.FrameBorderSize = 2;
    s.TouchExtraPadding = ImVec2(0, 0);
    // Every shape is square and axis-aligned: without anti-aliasing fringes each border segment
    // is one rectangle, which the backend fills fast.
    s.AntiAliasedLines = false;
    s.AntiAliasedLinesUseTex = false;
    s.AntiAliasedFill = false;
    ImVec4* c = s.Colors;
    c[ImGuiCol_Text] = p.text;
    c[ImGuiCol_TextDisabled] = p.muted;
    c[ImGuiCol_WindowBg] = p.bg;
    c[ImGuiCol_ChildBg] = p.bg;
    c[ImGuiCol_PopupBg] = p.panel;
    c[ImGuiCol_Border] = p.field_border;
    c[ImGuiCol_FrameBg] = p.field;
    c[ImGuiCol_FrameBgHovered] = p.field;
    c[ImGuiCol_FrameBgActive] = p.field;
    c[ImGuiCol_Button] = p.button;
    c[ImGuiCol_ButtonHovered] = p.button;  // touch first: no hover-only look
    c[ImGuiCol_ButtonActive] = p.button_pressed;
    c[ImGuiCol_Header] = p.selected;
    c[ImGuiCol_HeaderHovered] = p.selected;
    c[ImGuiCol_HeaderActive] = p.selected;
    c[ImGuiCol_ScrollbarBg] = p.button;
    c[ImGuiCol_ScrollbarGrab] = p.field_border;
    c[ImGuiCol_ScrollbarGrabHovered] = p.field_border;
    c[ImGuiCol_ScrollbarGrabActive] = p.text;
    c[ImGuiCol_Separator] = p.field_border;
    c[ImGuiCol_ModalWindowDimBg] = p.overlay;
}

double contrast_ratio(ImVec4 a, ImVec4 b) {
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

std::vector<ColorPair> text_pairs(const ImGuiStyle& s, const Palette& p) {
    const ImVec4* c = s.Colors;
    return {
        {"Text on WindowBg", c[ImGuiCol_Text], c[ImGuiCol_WindowBg]},
        {"Text on ChildBg", c[ImGuiCol_Text], c[ImGuiCol_ChildBg]},
        {"TextDisabled on WindowBg", c[ImGuiCol_TextDisabled], c[ImGuiCol_WindowBg]},
        {"Text on PopupBg", c[ImGuiCol_Text], c[ImGuiCol_PopupBg]},
        {"Text on FrameBg", c[ImGuiCol_Text], c[ImGuiCol_FrameBg]},
        {"button text on Button", p.button_text, c[ImGuiCol_Button]},
        {"button text on ButtonHovered", p.button_text, c[ImGuiCol_ButtonHovered]},
        {"button text on ButtonActive", p.button_text, c[ImGuiCol_ButtonActive]},
        {"Text on Header", p.selected_text, c[ImGuiCol_Header]},
        {"muted on bg", p.muted, p.bg},
        {"panel text on panel", p.panel_text, p.panel},
        {"muted on panel", p.muted, p.panel},
        {"primary text on primary", p.primary_text, p.primary},
        {"primary text on primary pressed", p.primary_text, p.primary_pressed},
        {"selected text on selected", p.selected_text, p.selected},
        {"field text on field", p.field_text, p.field},
        {"error on bg", p.error, p.bg},
        {"error on panel", p.error, p.panel},
        {"warning text on warning", p.warn_text, p.warn_bg},
    };
}

}  // namespace lapor::ui
