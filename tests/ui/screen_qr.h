// Reads the QR codes in the app's current frame with zbar, as a phone camera would.
#pragma once
#include <zbar.h>

#include <string>
#include <vector>

#include "app.h"

namespace lapor::test {

inline std::vector<std::string> qr_codes_on_screen(ui::App& app) {
    using namespace zbar;  // zbar.h puts its C API in this namespace under C++
    int w = 0, h = 0;
    const std::string rgba = app.capture_rgba(w, h);
    std::vector<unsigned char> gray(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
    for (std::size_t i = 0; i < gray.size(); ++i) {
        const auto* px = reinterpret_cast<const unsigned char*>(rgba.data()) + 4 * i;
        gray[i] = static_cast<unsigned char>((px[0] * 3 + px[1] * 6 + px[2]) / 10);
    }
    zbar_image_scanner_t* scanner = zbar_image_scanner_create();
    zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    zbar_image_t* img = zbar_image_create();
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(img, static_cast<unsigned>(w), static_cast<unsigned>(h));
    zbar_image_set_data(img, gray.data(), gray.size(), nullptr);
    zbar_scan_image(scanner, img);
    std::vector<std::string> out;
    for (const zbar_symbol_t* sym = zbar_image_first_symbol(img); sym; sym = zbar_symbol_next(sym))
        out.emplace_back(zbar_symbol_get_data(sym), zbar_symbol_get_data_length(sym));
    zbar_image_destroy(img);
    zbar_image_scanner_destroy(scanner);
    return out;
}

}  // namespace lapor::test
