// The on-screen keyboard as data: pages of keys and what a key press does. Drawing is in
// widgets.cpp; this part has no ImGui in it so it is unit tested on its own.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace lapor::ui {

enum class KeyKind { text, backspace, left, right, newline, shift, caps, page, close, space };

struct Key {
    std::string id;     // stable widget id: "key:a", "key:backspace", "key:7" ...
    std::string label;  // what the key shows (letters follow shift/caps)
    KeyKind kind = KeyKind::text;
    std::string text;    // inserted, for text keys
    float width = 1.0f;  // in key units
};

enum class KeyboardPage { letters, symbols, numeric, phone };

struct KeyAction {
    enum Kind { none, insert, backspace, left, right, close } kind = none;
    std::string text;
};

class Keyboard {
public:
    void set_page(KeyboardPage p) {
        page_ = p;
        shift_ = false;
    }
    KeyboardPage page() const { return page_; }
    bool shift() const { return shift_; }
    bool caps() const { return caps_; }
    bool multiline = false;  // a newline key instead of nothing (the body field)

    std::vector<std::vector<Key>> rows() const;
    // The effect of pressing a key; shift/caps/page keys change the keyboard and return none.
    KeyAction press(const Key& k);
    void reset() {
        page_ = KeyboardPage::letters;
        shift_ = caps_ = false;
    }

private:
    KeyboardPage page_ = KeyboardPage::letters;
    bool shift_ = false;
    bool caps_ = false;
};

}  // namespace lapor::ui
