// The UI's plain parts: text editing, the on-screen keyboard model, contrast of the live style,
// and the zeroing allocator being linked in.
#include <doctest/doctest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include "fonts.h"
#include "i18n.h"
#include "keyboard.h"
#include "languages.h"
#include "share.h"
#include "text_edit.h"
#include "theme.h"
#include "zeroing_alloc.h"

using namespace lapor::ui;

TEST_CASE("editing keeps UTF-8 characters whole") {
    std::string s = "Jalan";
    std::size_t c = s.size();
    edit::insert(s, c, " \xC3\xA9");  // é
    CHECK(s == "Jalan \xC3\xA9");
    edit::left(s, c);
    CHECK(c == 6);
    edit::right(s, c);
    CHECK(c == 8);
    edit::backspace(s, c);
    CHECK(s == "Jalan ");
    c = 0;
    edit::backspace(s, c);
    CHECK(s == "Jalan ");
    edit::erase_forward(s, c);
    CHECK(s == "alan ");
    CHECK(edit::numeric_only("+62 812-34", true) == "+6281234");
    CHECK(edit::numeric_only("+62 812-34", false) == "6281234");
}

TEST_CASE("the on-screen keyboard: shift once, caps lock, symbols page, numeric pads") {
    Keyboard kb;
    auto find = [&](const std::string& id) {
        for (const auto& row : kb.rows())
            for (const auto& k : row)
                if (k.id == id) return k;
        FAIL("no key " << id);
        return Key{};
    };
    CHECK(kb.press(find("key:a")).text == "a");
    kb.press(find("key:shift"));
    CHECK(find("key:a").label == "A");
    CHECK(kb.press(find("key:a")).text == "A");
    CHECK(kb.press(find("key:a")).text == "a");  // shift is for one letter
    kb.press(find("key:caps"));
    CHECK(kb.press(find("key:b")).text == "B");
    CHECK(kb.press(find("key:c")).text == "C");
    kb.press(find("key:page"));
    CHECK(kb.press(find("key:@")).text == "@");
    CHECK(kb.press(find("key:7")).text == "7");
    CHECK(kb.press(find("key:backspace")).kind == KeyAction::backspace);
    CHECK(kb.press(find("key:space")).text == " ");
    kb.set_page(KeyboardPage::numeric);
    CHECK(kb.rows().size() == 5);
    bool plus = false;
    for (const auto& row : kb.rows())
        for (const auto& k : row) plus = plus || k.id == "key:+";
    CHECK_FALSE(plus);
    kb.set_page(KeyboardPage::phone);
    CHECK(kb.press(find("key:+")).text == "+");
    kb.reset();
    kb.multiline = true;
    CHECK(kb.press(find("key:newline")).text == "\n");
}

TEST_CASE("every text/background pair of the live style meets WCAG AA (4.5:1), both themes") {
    install_imgui_zeroing_allocator();
    ImGuiContext* ctx = ImGui::CreateContext();
    for (auto kind : {ThemeKind::standard, ThemeKind::high_contrast}) {
        const Palette p = palette(kind);
        apply_theme(p, 34, 1.0f);
        for (const auto& pair : text_pairs(ImGui::GetStyle(), p)) {
            INFO(pair.name << (kind == ThemeKind::standard ? " (standard)" : " (high contrast)"));
            CHECK(contrast_ratio(pair.fg, pair.bg) >= 4.5);
        }
        if (kind == ThemeKind::high_contrast)
            for (const auto& pair : text_pairs(ImGui::GetStyle(), p))
                CHECK(contrast_ratio(pair.fg, pair.bg) >= 7.0);  // AAA for the contrast theme
    }
    // The ratio itself: black on white is 21:1, a colour on itself 1:1.
    CHECK(contrast_ratio(ImVec4(0, 0, 0, 1), ImVec4(1, 1, 1, 1)) == doctest::Approx(21.0));
    CHECK(contrast_ratio(ImVec4(0.5f, 0.5f, 0.5f, 1), ImVec4(0.5f, 0.5f, 0.5f, 1)) ==
          doctest::Approx(1.0));
    ImGui::DestroyContext(ctx);
}

TEST_CASE("freed memory is zeroed (the replacement operator delete is linked in)") {
    const std::size_t before = zeroed_bytes();
    auto* s = new std::string(100, 'x');
    delete s;
    CHECK(zeroed_bytes() > before);
}

TEST_CASE("what the font cannot draw (emoji) shows as a visible U+FFFD placeholder, never '?'") {
    ImFontAtlas atlas;
    const Fonts f = build_fonts(atlas, 1.0f, 1.0f);
    for (ImFont* font : {f.body, f.small, f.heading, f.bar}) {
        CHECK(font->FallbackChar == 0xFFFD);
        CHECK(font->FindGlyphNoFallback(0xFFFD) != nullptr);
    }
    // Debian's ImGui keeps 16-bit characters: an emoji (U+1F600) decodes to U+FFFD, and draws
    // as that placeholder glyph.
    unsigned int c = 0;
    const char* emoji = "\xF0\x9F\x98\x80";
    ImTextCharFromUtf8(&c, emoji, emoji + 4);
    CHECK(c == 0xFFFD);
    CHECK(f.body->FindGlyph(static_cast<ImWchar>(c)) == f.body->FindGlyphNoFallback(0xFFFD));
}

// The kiosk's first frame (the attract screen) uses a small atlas (fonts.h, GlyphSet::first_frame)
// so it appears sooner; every character attract shows in Indonesian and English must be in it.
TEST_CASE("the first frame's atlas holds every character the attract screen shows") {
    const lapor::Messages m = lapor::Messages::load_dir(lapor::po_dir());
    const char* ids[] = {"ui.attract.tagline",
                         "ui.attract.touch",
                         "ui.attract.status",
                         "ui.attract.how",
                         "ui.attract.step1",
                         "ui.attract.step2",
                         "ui.attract.step3",
                         "ui.attract.privacy",
                         "ui.attract.printer_warning",
                         "printer.attract.warning",
                         "ui.speak",
                         "ui.guide",
                         "classification.complaint",
                         "classification.aspiration",
                         "classification.information",
                         "classification.complaint.explain",
                         "classification.aspiration.explain",
                         "classification.information.explain"};
    ImFontAtlas atlas;
    const Fonts f = build_fonts(atlas, 1.0f, 1.0f, GlyphSet::first_frame);
    for (const char* code : {"id", "en"})
        for (const char* id : ids) {
            // A copy: tr() returns its msgid argument (here a temporary) when it has no entry.
            const std::string text = m.tr(code, std::string(id));
            CHECK_MESSAGE(text != id, code << " has no entry " << id);
            for (const char* s = text.c_str(); *s;) {
                unsigned int c = 0;
                s += ImTextCharFromUtf8(&c, s, nullptr);
                if (c == '\n') continue;
                INFO(code << " " << id << ": U+" << std::hex << c);
                for (ImFont* font : {f.body, f.small, f.heading})
                    CHECK(font->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr);
            }
        }
    // The language choice: every installed language's name in itself (its .po header).
    for (const auto& l : lapor::installed_languages(lapor::po_dir()))
        for (const char* s = l.name.c_str(); *s;) {
            unsigned int c = 0;
            s += ImTextCharFromUtf8(&c, s, nullptr);
            INFO(l.code << " name: U+" << std::hex << c);
            CHECK(f.body->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr);
        }
    for (char c : std::string("LAPOR!"))
        CHECK(f.huge->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr);
    // The full atlas, built after the first frame, has what citizens type (é in a name).
    ImFontAtlas full;
    const Fonts all = build_fonts(full, 1.0f, 1.0f);
    CHECK(all.body->FindGlyphNoFallback(0x00E9) != nullptr);
    CHECK(f.body->FindGlyphNoFallback(0x00E9) == nullptr);
}
