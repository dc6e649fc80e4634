#include "tracking.h"

#include <array>

#include "crypto.h"

namespace lapor {
namespace {

// GF(32) = GF(2)[x] / (x^5 + x^2 + 1); alpha = x. Addition is XOR.
int gf_mul(int a, int b) {
    int r = 0;
    for (int i = 0; i < 5; ++i) {
        if (b & (1 << i)) r ^= a;
        a <<= 1;
        if (a & 0x20) a ^= 0x25;
    }
    return r;
}

// alpha^0 .. alpha^12
constexpr std::array<int, 13> make_powers() {
    std::array<int, 13> p{};
    int v = 1;
    for (auto& x : p) {
        x = v;
        v <<= 1;
        if (v & 0x20) v ^= 0x25;
    }
    return p;
}
constexpr auto alpha_pow = make_powers();

int value_of(char c) {
    const auto pos = crockford_alphabet.find(c);
    return pos == crockford_alphabet.npos ? -1 : static_cast<int>(pos);
}

}  // namespace

bool valid_code_prefix(std::string_view prefix) {
    if (prefix.size() != 4) return false;
    for (char c : prefix) {
        if (value_of(c) < 0) return false;
    }
    return true;
}

char tracking_check_char(std::string_view data12) {
    int sum = 0;
    for (std::size_t i = 0; i < 12 && i < data12.size(); ++i)
        sum ^= gf_mul(alpha_pow[i + 1], value_of(data12[i]));
    return crockford_alphabet[static_cast<std::size_t>(sum)];
}

std::string new_tracking_code(std::string_view prefix) {
    std::string raw(prefix);
    for (int i = 0; i < 8; ++i) raw += crockford_alphabet[random_below(32)];
    raw += tracking_check_char(raw);
    return format_tracking(raw);
}

std::string format_tracking(std::string_view raw) {
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (i == 4 || i == 8 || i == 12) out += '-';
        out += raw[i];
    }
    return out;
}

ParsedTracking parse_tracking(std::string_view text) {
    ParsedTracking p;
    if (text.size() > 64) {
        p.error = TrackingError::malformed;
        return p;
    }
    for (char c : text) {
        if (c == '-' || c == ' ') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c == 'O') c = '0';
        if (c == 'I' || c == 'L') c = '1';
        if (value_of(c) < 0) {
            p.error = TrackingError::malformed;
            return p;
        }
        p.raw += c;
    }
    if (p.raw.size() != tracking_chars) {
        p.error = TrackingError::malformed;
    } else if (tracking_check_char(std::string_view(p.raw).substr(0, 12)) != p.raw[12]) {
        p.error = TrackingError::bad_check;
    }
    return p;
}

}  // namespace lapor
