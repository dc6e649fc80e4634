#include "qr_decode.h"

#include <zbar.h>

#include <cstdio>
#include <memory>

namespace lapor::printer::test {

std::vector<std::string> decode_qr(const Bitmap& b) {
    const int margin = 32;
    const int w = b.width + 2 * margin, h = b.height + 2 * margin;
    std::vector<unsigned char> grey(static_cast<std::size_t>(w * h), 255);
    for (int y = 0; y < b.height; ++y)
        for (int x = 0; x < b.width; ++x)
            if (b.get(x, y)) grey[static_cast<std::size_t>((y + margin) * w + x + margin)] = 0;
    zbar::zbar_image_scanner_t* scanner = zbar::zbar_image_scanner_create();
    zbar::zbar_image_scanner_set_config(scanner, zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 0);
    zbar::zbar_image_scanner_set_config(scanner, zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_ENABLE, 1);
    zbar::zbar_image_t* img = zbar::zbar_image_create();
    zbar::zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    zbar::zbar_image_set_size(img, static_cast<unsigned>(w), static_cast<unsigned>(h));
    zbar::zbar_image_set_data(img, grey.data(), grey.size(), nullptr);
    std::vector<std::string> out;
    if (zbar::zbar_scan_image(scanner, img) > 0) {
        for (const zbar::zbar_symbol_t* s = zbar::zbar_image_first_symbol(img); s;
             s = zbar::zbar_symbol_next(s))
            out.emplace_back(zbar::zbar_symbol_get_data(s), zbar::zbar_symbol_get_data_length(s));
    }
    zbar::zbar_image_destroy(img);
    zbar::zbar_image_scanner_destroy(scanner);
    return out;
}

std::vector<std::string> zbarimg(const std::string& path) {
    const std::string cmd =
        "zbarimg --nodbus -q --raw -Sdisable -Sqrcode.enable '" + path + "' 2>/dev/null";
    std::unique_ptr<FILE, decltype(&pclose)> p(popen(cmd.c_str(), "r"), &pclose);
    std::vector<std::string> out;
    if (!p) return out;
    std::string all;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p.get())) > 0) all.append(buf, n);
    std::size_t start = 0;
    while (start < all.size()) {
        std::size_t nl = all.find('\n', start);
        if (nl == std::string::npos) nl = all.size();
        if (nl > start) out.push_back(all.substr(start, nl - start));
        start = nl + 1;
    }
    return out;
}

}  // namespace lapor::printer::test
