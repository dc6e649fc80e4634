#include "codepage.h"

#include <algorithm>
#include <array>
#include <vector>

#include "codepage_tables.h"
#include "utf8.h"

namespace lapor::printer {
namespace {

const char32_t* upper(CodePage p) {
    switch (p) {
        case CodePage::cp437: return tables::cp437_upper;
        case CodePage::cp850: return tables::cp850_upper;
        case CodePage::cp858: return tables::cp858_upper;
        case CodePage::cp1252: return tables::cp1252_upper;
    }
    return tables::cp437_upper;
}

// Decodes UTF-8 leniently: each invalid sequence yields U+FFFD and moves on by one byte.
std::vector<char32_t> decode(std::string_view s) {
    std::vector<char32_t> out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        if (const auto cp = utf8::decode(s, i)) {
            out.push_back(*cp);
        } else {
            out.push_back(0xFFFD);
            ++i;
        }
    }
    return out;
}

bool is_combining(char32_t c) { return c >= 0x300 && c <= 0x36F; }

char32_t compose(char32_t base, char32_t mark) {
    const auto* b = tables::compose;
    const auto* e = tables::compose + tables::compose_size;
    const auto* it = std::lower_bound(b, e, std::make_pair(base, mark), [](const auto& x, auto k) {
        return std::make_pair(x.base, x.mark) < k;
    });
    return it != e && it->base == base && it->mark == mark ? it->composed : 0;
}

const char* fold(char32_t c) {
    const auto* b = tables::fold;
    const auto* e = tables::fold + tables::fold_size;
    const auto* it =
        std::lower_bound(b, e, c, [](const tables::FoldEntry& x, char32_t k) { return x.cp < k; });
    return it != e && it->cp == c ? it->ascii : nullptr;
}

// Reverse lookup for one page: code point -> byte, built once per page.
struct Reverse {
    std::vector<std::pair<char32_t, unsigned char>> map;
    explicit Reverse(CodePage p) {
        const char32_t* up = upper(p);
        for (int i = 0; i < 128; ++i) {
            if (up[i] != 0) map.emplace_back(up[i], static_cast<unsigned char>(0x80 + i));
        }
        std::sort(map.begin(), map.end());
    }
    int find(char32_t c) const {
        auto it = std::lower_bound(map.begin(), map.end(),
                                   std::make_pair(c, static_cast<unsigned char>(0)));
        return it != map.end() && it->first == c ? it->second : -1;
    }
};

const Reverse& reverse(CodePage p) {
    static const std::array<Reverse, 4> all{Reverse(CodePage::cp437), Reverse(CodePage::cp850),
                                            Reverse(CodePage::cp858), Reverse(CodePage::cp1252)};
    return all[static_cast<std::size_t>(p)];
}

}  // namespace

std::optional<CodePage> code_page_from(std::string_view name) {
    if (name == "cp437") return CodePage::cp437;
    if (name == "cp850") return CodePage::cp850;
    if (name == "cp858") return CodePage::cp858;
    if (name == "cp1252") return CodePage::cp1252;
    return std::nullopt;
}

std::string_view to_string(CodePage p) {
    switch (p) {
        case CodePage::cp437: return "cp437";
        case CodePage::cp850: return "cp850";
        case CodePage::cp858: return "cp858";
        case CodePage::cp1252: return "cp1252";
    }
    return "cp437";
}

std::string to_code_page(std::string_view utf8, CodePage page) {
    const auto cps = decode(utf8);
    const Reverse& rev = reverse(page);
    std::string out;
    out.reserve(cps.size());
    for (std::size_t i = 0; i < cps.size(); ++i) {
        char32_t c = cps[i];
        // Compose a following combining mark into the letter when Unicode has that letter.
        while (i + 1 < cps.size() && is_combining(cps[i + 1])) {
            const char32_t composed = compose(c, cps[i + 1]);
            if (composed == 0) break;
            c = composed;
            ++i;
        }
        if (is_combining(c)) continue;  // a mark with nothing to sit on, or left over
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) continue;
        if (c < 0x80) {
            out += static_cast<char>(c);
            continue;
        }
        if (const int b = rev.find(c); b >= 0) {
            out += static_cast<char>(b);
            continue;
        }
        if (const char* f = fold(c)) {
            // The readable form may itself contain letters the page has (it is ASCII).
            out += f;
            continue;
        }
        out += '?';
        // Skip marks after an unknown character so one glyph gives one '?'.
        while (i + 1 < cps.size() && is_combining(cps[i + 1])) ++i;
    }
    return out;
}

char32_t from_code_page(unsigned char byte, CodePage page) {
    if (byte < 0x80) return byte >= 0x20 && byte != 0x7F ? byte : 0;
    return upper(page)[byte - 0x80];
}

}  // namespace lapor::printer
