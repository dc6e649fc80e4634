// Tracking codes: `JK01-7K3M-9QX2-W`. 4 characters of the kiosk's code prefix, 8 random
// characters (40 bits) and one check character, all in Crockford's base32 alphabet
// (0-9 A-Z without I, L, O, U). The check character makes Σ α^(i+1)·c_i + c_12 = 0 over GF(32)
// (α a primitive element, 13 distinct weights), which catches every single wrong character and
// every swap of two characters. Definition and worked example: docs/receipt.md.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace lapor {

inline constexpr std::string_view crockford_alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
inline constexpr std::size_t tracking_chars = 13;

// True when `prefix` is 4 characters of the alphabet (upper case).
bool valid_code_prefix(std::string_view prefix);

// The check character for 12 data characters (upper-case alphabet characters).
char tracking_check_char(std::string_view data12);

// A fresh code with 8 random characters, formatted with separators.
std::string new_tracking_code(std::string_view prefix);

// "JK017K3M9QX2W" -> "JK01-7K3M-9QX2-W".
std::string format_tracking(std::string_view raw13);

enum class TrackingError { malformed, bad_check };

struct ParsedTracking {
    std::string raw;                     // 13 characters, upper case, when ok
    std::optional<TrackingError> error;  // nullopt when ok
};

// Accepts what a person types: any case, separators '-' and ' ' anywhere, and Crockford's
// aliases (O -> 0, I and L -> 1).
ParsedTracking parse_tracking(std::string_view text);

}  // namespace lapor
