// Renders an ESC/POS stream the way a thermal printer would print it, to a 1-bit bitmap (for the
// png: transport and `kioskctl receipt-preview`). It understands the commands the encoder writes
// (and the status queries, which it skips); anything else is an error, so a preview also checks
// the stream. Text uses a monospaced TrueType font (fonts-dejavu-core) in 12 x 24-dot cells, the
// size of font A on 203 dpi printers; bold is double-struck, GS ! scales by whole dots. A native
// QR wider than the paper throws RenderError (checked before its raster is built).
#pragma once
#include <stdexcept>
#include <string_view>

#include "bitmap.h"
#include "profile.h"

namespace lapor::printer {

struct RenderError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct RenderOptions {
    int margin = 24;  // white dots around the print area, like the paper's edge
};

Bitmap render_escpos(std::string_view bytes, const Profile& profile, RenderOptions o = {});

}  // namespace lapor::printer
