// Text for the printer: UTF-8 -> one byte per character in a single-byte code page. What the page
// lacks is transliterated readably ("Ṛ" -> "R", "—" -> "-", "€" -> "EUR"), never sent as UTF-8;
// what has no reading becomes '?'. Decomposed input (e + U+0301) is composed first.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace lapor::printer {

enum class CodePage { cp437, cp850, cp858, cp1252 };
std::optional<CodePage> code_page_from(std::string_view name);
std::string_view to_string(CodePage p);

// UTF-8 to printer bytes. Invalid UTF-8 sequences become '?'; control characters are dropped.
std::string to_code_page(std::string_view utf8, CodePage page);
// The Unicode character a printer byte shows (for previews); 0 for none.
char32_t from_code_page(unsigned char byte, CodePage page);

}  // namespace lapor::printer
