#include <png.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "bitmap.h"

namespace lapor::printer {
namespace {

void append(png_structp png, png_bytep data, png_size_t len) {
    auto* out = static_cast<std::string*>(png_get_io_ptr(png));
    out->append(reinterpret_cast<const char*>(data), len);
}

void flush(png_structp) {}

}  // namespace

std::string encode_png(const Bitmap& b) {
    if (b.width <= 0 || b.height <= 0) throw std::runtime_error("cannot write an empty image");
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!png || !info) {
        png_destroy_write_struct(&png, &info);
        throw std::runtime_error("libpng could not start (out of memory)");
    }
    std::string out;
    std::vector<png_byte> row(static_cast<std::size_t>(b.bytes_per_row()));
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        throw std::runtime_error("libpng failed to encode the preview");
    }
    png_set_write_fn(png, &out, append, flush);
    png_set_IHDR(png, info, static_cast<png_uint_32>(b.width), static_cast<png_uint_32>(b.height),
                 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < b.height; ++y) {
        // PNG grey: 1 = white; the printer's 1 = black.
        for (std::size_t i = 0; i < row.size(); ++i)
            row[i] = static_cast<png_byte>(~b.bits[static_cast<std::size_t>(y) * row.size() + i]);
        png_write_row(png, row.data());
    }
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

void write_png(const Bitmap& b, const std::string& path) {
    const std::string data = encode_png(b);
    const std::string tmp = path + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f.write(data.data(), static_cast<std::streamsize>(data.size()));
        if (!f.flush()) throw std::runtime_error("cannot write " + path);
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
        throw std::runtime_error("cannot write " + path);
}

}  // namespace lapor::printer
