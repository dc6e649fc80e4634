// UTF-8 helpers. Strict decoding: overlong forms, surrogates and code points above U+10FFFF are
// invalid. Counts are in Unicode code points, the unit the length limits are written in.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace lapor::utf8 {

// Decodes the code point starting at s[i] and moves i past it. On malformed input (or i at the
// end) returns nullopt and leaves i unchanged, so a lenient caller can substitute and skip a byte.
std::optional<char32_t> decode(std::string_view s, std::size_t& i);

// Number of code points, or nullopt when `s` is not valid UTF-8.
std::optional<std::size_t> count(std::string_view s);

// First control character in `s` (C0 except those in `allowed`, DEL, C1), or nullopt.
std::optional<char32_t> first_control(std::string_view s, std::u32string_view allowed = {});

// Appends the UTF-8 encoding of `cp` (must be a valid scalar value).
void append(std::string& out, char32_t cp);

// Removes the last code point (for backspace in text fields). No-op on an empty string.
void pop_back(std::string& s);

// Trims ASCII whitespace at both ends (a view into `s`).
std::string_view trim(std::string_view s);

}  // namespace lapor::utf8
