// A strict ESC/POS stream checker for the tests (independent of the encoder): every byte must
// belong to a known command with valid parameters, declared lengths (pL/pH, xL/xH/yL/yH) must
// match the data, no stray control bytes, and the stream must end on a command boundary.
// It collects what a printer would act on: text, rasters (consecutive GS v 0 strips of one width
// stitched into one image), native QR symbols, cuts and code pages.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "bitmap.h"

namespace lapor::printer::test {

struct NativeQr {
    int module = 0;
    int ec = 0;  // 48 + {L,M,Q,H}
    std::string data;
    bool printed = false;
};

struct CheckedStream {
    std::vector<std::string> errors;    // empty when the stream is clean
    std::vector<std::string> commands;  // in order: "ESC @", "GS v 0", "LF", "text", ...
    std::vector<Bitmap> rasters;
    std::vector<int> strip_rows;  // rows of every GS v 0 strip
    std::vector<NativeQr> native_qrs;
    std::vector<int> code_pages;  // ESC t values
    std::string text;             // printable bytes, '\n' for LF
    int cuts = 0;
    int inits = 0;
    int nuls = 0;
    bool ok() const { return errors.empty(); }
    std::string first_error() const { return errors.empty() ? "" : errors.front(); }
};

struct CheckOptions {
    int max_raster_bytes_per_row = 0;  // 0: no limit; else dots / 8 of the profile
    int max_strip_rows = 255;
};

CheckedStream check_escpos(std::string_view bytes, CheckOptions o = {});

// P4 PBM: "P4\n<w> <h>\n" + the rows (the GS v 0 payload is bit-identical).
std::string to_pbm(const Bitmap& b);

}  // namespace lapor::printer::test
