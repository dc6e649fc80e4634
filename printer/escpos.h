// The pure ESC/POS encoder: a document (text lines, label/value pairs, separators, QR, raster
// images, feeds, cuts) -> the exact bytes for one printer profile. Deterministic, no I/O.
//
// Every job starts with ESC @ (reset), ESC t n (the profile's code page) and ESC R 0 (US
// character set, so '@' is '@'). Text is converted to the code page (codepage.h) and wrapped at
// the profile's columns. QR: a raster GS v 0 image by default (level M, 4-6 dots a module, a
// 4-module quiet zone, centred inside the full print width, strips of <= raster_max_rows); native
// GS ( k only when the profile says so and the symbol fits. A QR that fits neither way throws.
#pragma once
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "bitmap.h"
#include "profile.h"

namespace lapor::printer {

enum class Align { left, center, right };

struct Text {
    std::string utf8;
    Align align = Align::left;
    bool bold = false;
    int width = 1;  // character size multipliers, 1-8 (GS !)
    int height = 1;
};
// "Label      value" on one line when it fits, else the label, then the value right-aligned.
struct Pair {
    std::string label;
    std::string value;
};
struct Separator {
    char ch = '-';
};
struct Qr {
    std::string data;
};
// A raster image, centred (it is padded to the full print width).
struct Image {
    Bitmap bitmap;
};
struct Feed {
    int lines = 1;
};
// Feeds the profile's feed_before_cut lines, then cuts (when the profile has a cutter).
struct Cut {};

using Block = std::variant<Text, Pair, Separator, Qr, Image, Feed, Cut>;

struct Document {
    std::vector<Block> blocks;
    template <class T>
    Document& add(T b) {
        blocks.emplace_back(std::move(b));
        return *this;
    }
};

// Byte values of the commands used (for the encoder, the checker and the virtual printer).
namespace cmd {
inline constexpr std::uint8_t nul = 0x00, lf = 0x0A, esc = 0x1B, gs = 0x1D, dle = 0x10, eot = 0x04;
}

// Encodes `doc`. Throws QrError for a QR that cannot fit, ProfileError for a profile without a
// usable code page.
std::string encode(const Document& doc, const Profile& profile);

// Word-wraps already converted (one byte per column) text to `columns`.
std::vector<std::string> wrap(const std::string& text, int columns);

// Pieces of a stream, exposed for golden-byte tests.
std::string encode_raster(const Bitmap& b, int max_rows);                // GS v 0 strips
std::string encode_native_qr(const std::string& data, int module_dots);  // GS ( k sequence

}  // namespace lapor::printer
