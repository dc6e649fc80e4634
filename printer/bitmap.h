// A 1-bit image in the printer's own layout: rows MSB-first, 1 = black, width padded to whole
// bytes. This is the GS v 0 payload and the body of a PBM P4 file.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace lapor::printer {

struct Bitmap {
    int width = 0;                   // dots
    int height = 0;                  // rows
    std::vector<std::uint8_t> bits;  // height * bytes_per_row()

    Bitmap() = default;
    Bitmap(int w, int h)
        : width(w), height(h), bits(static_cast<std::size_t>((w + 7) / 8 * h), 0) {}
    int bytes_per_row() const { return (width + 7) / 8; }
    bool get(int x, int y) const {
        return (bits[static_cast<std::size_t>(y * bytes_per_row() + x / 8)] >> (7 - x % 8)) & 1;
    }
    void set(int x, int y, bool black = true) {
        auto& b = bits[static_cast<std::size_t>(y * bytes_per_row() + x / 8)];
        const auto mask = static_cast<std::uint8_t>(0x80u >> (x % 8));
        b = black ? static_cast<std::uint8_t>(b | mask) : static_cast<std::uint8_t>(b & ~mask);
    }
    void fill_rect(int x, int y, int w, int h) {
        for (int yy = y; yy < y + h; ++yy)
            for (int xx = x; xx < x + w; ++xx) set(xx, yy);
    }
};

// Writes the bitmap as a 1-bit greyscale PNG (libpng). Throws std::runtime_error on failure.
void write_png(const Bitmap& b, const std::string& path);
// The PNG file's bytes, for tests and callers that write elsewhere.
std::string encode_png(const Bitmap& b);

}  // namespace lapor::printer
