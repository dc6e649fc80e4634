// Editing a UTF-8 string at a byte cursor that always sits on a character boundary. Pure
// functions: the on-screen keyboard, a physical keyboard and a barcode scanner all edit through
// these, on the UI's own buffers (never ImGui's).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace lapor::ui::edit {

void insert(std::string& s, std::size_t& cursor, std::string_view text);
void backspace(std::string& s, std::size_t& cursor);
void erase_forward(std::string& s, std::size_t& cursor);
void left(const std::string& s, std::size_t& cursor);
void right(const std::string& s, std::size_t& cursor);
// Keeps only the characters a numeric field accepts (digits, and '+' for phone numbers).
std::string numeric_only(std::string_view text, bool allow_plus);

}  // namespace lapor::ui::edit
