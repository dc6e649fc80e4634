#include "utf8.h"

namespace lapor::utf8 {

std::optional<char32_t> decode(std::string_view s, std::size_t& i) {
    if (i >= s.size()) return std::nullopt;
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    int len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2, cp = b0 & 0x1Fu, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3, cp = b0 & 0x0Fu, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4, cp = b0 & 0x07u, min = 0x10000;
    } else {
        return std::nullopt;
    }
    if (s.size() - i < static_cast<std::size_t>(len)) return std::nullopt;
    for (int k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        if ((b & 0xC0) != 0x80) return std::nullopt;
        cp = (cp << 6) | (b & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    i += static_cast<std::size_t>(len);
    return cp;
}

std::optional<std::size_t> count(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++n) {
        if (!decode(s, i)) return std::nullopt;
    }
    return n;
}

std::optional<char32_t> first_control(std::string_view s, std::u32string_view allowed) {
    for (std::size_t i = 0; i < s.size();) {
        auto cp = decode(s, i);
        if (!cp) return std::nullopt;  // encoding problems are reported by count()
        const bool control = *cp < 0x20 || *cp == 0x7F || (*cp >= 0x80 && *cp <= 0x9F);
        if (control && allowed.find(*cp) == std::u32string_view::npos) return *cp;
    }
    return std::nullopt;
}

void append(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

void pop_back(std::string& s) {
    while (!s.empty()) {
        const auto b = static_cast<unsigned char>(s.back());
        s.pop_back();
        if ((b & 0xC0) != 0x80) return;
    }
}

std::string_view trim(std::string_view s) {
    const char* ws = " \t\r\n\f\v";
    const auto a = s.find_first_not_of(ws);
    if (a == std::string_view::npos) return {};
    return s.substr(a, s.find_last_not_of(ws) - a + 1);
}

}  // namespace lapor::utf8
