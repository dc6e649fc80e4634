#include "keyboard.h"

#include <cctype>

namespace lapor::ui {
namespace {

Key text_key(const std::string& t, bool upper) {
    std::string shown = t;
    if (upper && t.size() == 1 && std::islower(static_cast<unsigned char>(t[0])))
        shown[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(t[0])));
    return Key{"key:" + t, shown, KeyKind::text, shown, 1.0f};
}

std::vector<Key> text_row(const std::string& chars, bool upper) {
    std::vector<Key> row;
    for (char c : chars) row.push_back(text_key(std::string(1, c), upper));
    return row;
}

Key special(const std::string& id, const std::string& label, KeyKind k, float w) {
    return Key{"key:" + id, label, k, "", w};
}

}  // namespace

std::vector<std::vector<Key>> Keyboard::rows() const {
    std::vector<std::vector<Key>> r;
    const Key bksp = special("backspace", "Hapus/Del", KeyKind::backspace, 2.0f);
    const Key left = special("left", "\xE2\x80\xB9", KeyKind::left, 1.2f);     // ‹
    const Key right = special("right", "\xE2\x80\xBA", KeyKind::right, 1.2f);  // ›
    const Key close = special("close", "OK", KeyKind::close, 1.6f);
    if (page_ == KeyboardPage::numeric || page_ == KeyboardPage::phone) {
        r.push_back(text_row("123", false));
        r.push_back(text_row("456", false));
        r.push_back(text_row("789", false));
        std::vector<Key> last;
        if (page_ == KeyboardPage::phone) last.push_back(text_key("+", false));
        last.push_back(text_key("0", false));
        last.push_back(bksp);
        r.push_back(last);
        r.push_back({left, right, close});
        return r;
    }
    const bool upper = shift_ || caps_;
    if (page_ == KeyboardPage::letters) {
        auto r1 = text_row("qwertyuiop", upper);
        r1.push_back(bksp);
        r.push_back(r1);
        auto r2 = text_row("asdfghjkl", upper);
        if (multiline)
            r2.push_back(special("newline", "Enter", KeyKind::newline, 2.0f));
        else
            r2.push_back(text_key("-", false));
        r.push_back(r2);
        std::vector<Key> r3{special("shift", "Shift", KeyKind::shift, 1.6f)};
        for (auto& k : text_row("zxcvbnm", upper)) r3.push_back(k);
        r3.push_back(text_key(",", false));
        r3.push_back(text_key(".", false));
        r3.push_back(special("caps", "Caps", KeyKind::caps, 1.6f));
        r.push_back(r3);
        r.push_back({special("page", "?123", KeyKind::page, 1.6f), left,
                     special("space", "Spasi / Space", KeyKind::space, 5.0f), right, close});
        return r;
    }
    auto r1 = text_row("1234567890", false);
    r1.push_back(bksp);
    r.push_back(r1);
    r.push_back(text_row("@#/-_():;\"&", false));
    r.push_back(text_row("!?'.,+=%*", false));
    r.push_back({special("page", "ABC", KeyKind::page, 1.6f), left,
                 special("space", "Spasi / Space", KeyKind::space, 5.0f), right, close});
    return r;
}

KeyAction Keyboard::press(const Key& k) {
    switch (k.kind) {
        case KeyKind::text: {
            KeyAction a{KeyAction::insert, k.text};
            shift_ = false;
            return a;
        }
        case KeyKind::space: return {KeyAction::insert, " "};
        case KeyKind::newline: return {KeyAction::insert, "\n"};
        case KeyKind::backspace: return {KeyAction::backspace, ""};
        case KeyKind::left: return {KeyAction::left, ""};
        case KeyKind::right: return {KeyAction::right, ""};
        case KeyKind::close: return {KeyAction::close, ""};
        case KeyKind::shift: shift_ = !shift_; return {};
        case KeyKind::caps:
            caps_ = !caps_;
            shift_ = false;
            return {};
        case KeyKind::page:
            page_ = page_ == KeyboardPage::letters ? KeyboardPage::symbols : KeyboardPage::letters;
            shift_ = false;
            return {};
    }
    return {};
}

}  // namespace lapor::ui
