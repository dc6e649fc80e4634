#include "text_edit.h"

namespace lapor::ui::edit {
namespace {
bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
}  // namespace

void insert(std::string& s, std::size_t& cursor, std::string_view text) {
    if (cursor > s.size()) cursor = s.size();
    s.insert(cursor, text);
    cursor += text.size();
}

void backspace(std::string& s, std::size_t& cursor) {
    if (cursor > s.size()) cursor = s.size();
    if (cursor == 0) return;
    std::size_t start = cursor - 1;
    while (start > 0 && continuation(s[start])) --start;
    s.erase(start, cursor - start);
    cursor = start;
}

void erase_forward(std::string& s, std::size_t& cursor) {
    if (cursor >= s.size()) return;
    std::size_t end = cursor + 1;
    while (end < s.size() && continuation(s[end])) ++end;
    s.erase(cursor, end - cursor);
}

void left(const std::string& s, std::size_t& cursor) {
    if (cursor > s.size()) cursor = s.size();
    if (cursor == 0) return;
    --cursor;
    while (cursor > 0 && continuation(s[cursor])) --cursor;
}

void right(const std::string& s, std::size_t& cursor) {
    if (cursor >= s.size()) return;
    ++cursor;
    while (cursor < s.size() && continuation(s[cursor])) ++cursor;
}

std::string numeric_only(std::string_view text, bool allow_plus) {
    std::string out;
    for (char c : text)
        if ((c >= '0' && c <= '9') || (allow_plus && c == '+')) out += c;
    return out;
}

}  // namespace lapor::ui::edit
