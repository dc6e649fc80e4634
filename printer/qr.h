// QR symbols for receipts (libqrencode, byte mode, error correction M).
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

#include "bitmap.h"

namespace lapor::printer {

struct QrError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline constexpr int qr_quiet_modules = 4;
inline constexpr int qr_min_module_dots = 4;
inline constexpr int qr_max_module_dots = 6;  // larger modules scan no better on 203 dpi paper

struct QrSymbol {
    int version = 0;
    int modules = 0;                 // modules per side, without the quiet zone
    std::vector<std::uint8_t> dark;  // modules * modules, 1 = dark
};

// Encodes `data` at level M. Throws QrError when it cannot.
QrSymbol encode_qr(std::string_view data);

// The largest module size (4-6 dots) at which the symbol and its 4-module quiet zone fit in
// `dots`; 0 when even 4 dots do not fit.
int qr_module_dots(const QrSymbol& s, int dots);

// The symbol as a raster `width_dots` wide (a multiple of 8), centred, quiet zone included,
// `module_dots` per module. Throws QrError when it does not fit.
Bitmap qr_raster(const QrSymbol& s, int module_dots, int width_dots);

}  // namespace lapor::printer
