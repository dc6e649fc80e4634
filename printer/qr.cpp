#include "qr.h"

#include <qrencode.h>

#include <algorithm>
#include <memory>

namespace lapor::printer {

QrSymbol encode_qr(std::string_view data) {
    if (data.empty()) throw QrError("a QR code needs data");
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeData(static_cast<int>(data.size()),
                          reinterpret_cast<const unsigned char*>(data.data()), 0, QR_ECLEVEL_M),
        &QRcode_free);
    if (!code)
        throw QrError("the QR data (" + std::to_string(data.size()) +
                      " bytes) is too long for a QR code at level M");
    QrSymbol s;
    s.version = code->version;
    s.modules = code->width;
    const auto n = static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width);
    s.dark.resize(n);
    // libqrencode: a module is dark when the byte's least significant bit is 1.
    for (std::size_t i = 0; i < n; ++i) s.dark[i] = code->data[i] & 1;
    return s;
}

int qr_module_dots(const QrSymbol& s, int dots) {
    for (int m = qr_max_module_dots; m >= qr_min_module_dots; --m) {
        if ((s.modules + 2 * qr_quiet_modules) * m <= dots) return m;
    }
    return 0;
}

Bitmap qr_raster(const QrSymbol& s, int module_dots, int width_dots) {
    const int side = (s.modules + 2 * qr_quiet_modules) * module_dots;
    if (module_dots < 1 || side > width_dots)
        throw QrError("the QR code (" + std::to_string(s.modules) + " modules) does not fit in " +
                      std::to_string(width_dots) + " dots");
    Bitmap b(width_dots, side);
    const int x0 = (width_dots - side) / 2 + qr_quiet_modules * module_dots;
    const int y0 = qr_quiet_modules * module_dots;
    const auto w = static_cast<std::size_t>(s.modules);
    const auto row_bytes = static_cast<std::size_t>(b.bytes_per_row());
    for (int my = 0; my < s.modules; ++my) {
        // Draw the first dot row of this module row, then copy it down.
        const int y = y0 + my * module_dots;
        for (int mx = 0; mx < s.modules; ++mx) {
            if (!s.dark[static_cast<std::size_t>(my) * w + static_cast<std::size_t>(mx)]) continue;
            for (int d = 0; d < module_dots; ++d) b.set(x0 + mx * module_dots + d, y);
        }
        const auto* first = b.bits.data() + static_cast<std::size_t>(y) * row_bytes;
        for (int r = 1; r < module_dots; ++r)
            std::copy(first, first + row_bytes,
                      b.bits.data() + static_cast<std::size_t>(y + r) * row_bytes);
    }
    return b;
}

}  // namespace lapor::printer
