#include "escpos_checker.h"

#include <cstdio>

namespace lapor::printer::test {
namespace {

std::string hex(unsigned v) {
    char b[8];
    std::snprintf(b, sizeof b, "0x%02X", v);
    return b;
}

}  // namespace

CheckedStream check_escpos(std::string_view s, CheckOptions o) {
    CheckedStream r;
    std::size_t i = 0;
    bool line_empty = true;
    bool last_was_raster = false;
    NativeQr qr;
    auto at = [&](std::size_t k) {
        return static_cast<unsigned>(static_cast<unsigned char>(s[k]));
    };
    auto err = [&](const std::string& what) {
        r.errors.push_back("byte " + std::to_string(i) + ": " + what);
    };
    auto have = [&](std::size_t n, const char* name) {
        if (i + n <= s.size()) return true;
        err(std::string(name) + " truncated: needs " + std::to_string(n) + " bytes, " +
            std::to_string(s.size() - i) + " left");
        return false;
    };
    while (i < s.size() && r.errors.size() < 20) {
        const unsigned b = at(i);
        bool raster_now = false;
        if (b == 0x0A) {
            r.commands.push_back("LF");
            r.text += '\n';
            line_empty = true;
            ++i;
        } else if (b == 0x00) {
            ++r.nuls;
            ++i;
        } else if ((b >= 0x20 && b < 0x7F) || b >= 0x80) {
            if (r.commands.empty() || r.commands.back() != "text") r.commands.push_back("text");
            r.text += static_cast<char>(b);
            line_empty = false;
            ++i;
        } else if (b == 0x10) {
            if (!have(3, "DLE")) break;
            if (at(i + 1) != 0x04 || at(i + 2) < 1 || at(i + 2) > 4) {
                err("DLE must be DLE EOT 1-4, got " + hex(at(i + 1)) + " " + hex(at(i + 2)));
                break;
            }
            r.commands.push_back("DLE EOT " + std::to_string(at(i + 2)));
            i += 3;
        } else if (b == 0x1B) {
            if (!have(2, "ESC")) break;
            const unsigned c = at(i + 1);
            if (c == '@') {
                r.commands.push_back("ESC @");
                ++r.inits;
                line_empty = true;
                i += 2;
            } else if (c == '2') {
                r.commands.push_back("ESC 2");
                i += 2;
            } else if (c == 't' || c == 'R' || c == 'E' || c == '-' || c == 'a' || c == 'd' ||
                       c == '3') {
                if (!have(3, "ESC")) break;
                const unsigned n = at(i + 2);
                const std::string name = std::string("ESC ") + static_cast<char>(c);
                bool valid = true;
                if (c == 'R') valid = n <= 17;
                if (c == 'E') valid = n <= 1;
                if (c == '-') valid = n <= 2 || (n >= 48 && n <= 50);
                if (c == 'a') valid = n <= 2 || (n >= 48 && n <= 50);
                if (!valid) {
                    err(name + " with invalid n=" + std::to_string(n));
                    break;
                }
                if (c == 't') r.code_pages.push_back(static_cast<int>(n));
                if (c == 'd') line_empty = true;
                r.commands.push_back(name);
                i += 3;
            } else {
                err("unknown command ESC " + hex(c));
                break;
            }
        } else if (b == 0x1D) {
            if (!have(2, "GS")) break;
            const unsigned c = at(i + 1);
            if (c == '!') {
                if (!have(3, "GS !")) break;
                if ((at(i + 2) & 0x88) != 0) {
                    err("GS ! size above 8");
                    break;
                }
                r.commands.push_back("GS !");
                i += 3;
            } else if (c == 'V') {
                if (!have(3, "GS V")) break;
                const unsigned m = at(i + 2);
                std::size_t len = 0;
                if (m == 0 || m == 1 || m == 48 || m == 49)
                    len = 3;
                else if (m == 65 || m == 66)
                    len = 4;
                else {
                    err("GS V with invalid m=" + std::to_string(m));
                    break;
                }
                if (!have(len, "GS V")) break;
                if (!line_empty) err("GS V not at the start of a line");
                r.commands.push_back("GS V");
                ++r.cuts;
                i += len;
            } else if (c == 'r' || c == 'a') {
                if (!have(3, "GS r/a")) break;
                if (c == 'r' && at(i + 2) != 1 && at(i + 2) != 2 && at(i + 2) != 49 &&
                    at(i + 2) != 50) {
                    err("GS r with invalid n");
                    break;
                }
                r.commands.push_back(c == 'r' ? "GS r" : "GS a");
                i += 3;
            } else if (c == 'v') {
                if (!have(8, "GS v 0")) break;
                const unsigned m = at(i + 3);
                if (at(i + 2) != '0' || !(m <= 3 || (m >= 48 && m <= 51))) {
                    err("GS v must be GS v 0 m with m 0-3");
                    break;
                }
                const int xb = static_cast<int>(at(i + 4) | at(i + 5) << 8);
                const int rows = static_cast<int>(at(i + 6) | at(i + 7) << 8);
                if (xb == 0 || rows == 0) {
                    err("GS v 0 with an empty image");
                    break;
                }
                if (o.max_raster_bytes_per_row && xb > o.max_raster_bytes_per_row)
                    err("GS v 0 " + std::to_string(xb) + " bytes wide, the paper takes " +
                        std::to_string(o.max_raster_bytes_per_row));
                if (rows > o.max_strip_rows)
                    err("GS v 0 strip of " + std::to_string(rows) + " rows (at most " +
                        std::to_string(o.max_strip_rows) + ")");
                if (!line_empty) err("GS v 0 with text in the line buffer");
                const auto k = static_cast<std::size_t>(xb) * static_cast<std::size_t>(rows);
                if (!have(8 + k, "GS v 0 data")) break;
                Bitmap strip(xb * 8, rows);
                std::copy(s.begin() + static_cast<std::ptrdiff_t>(i + 8),
                          s.begin() + static_cast<std::ptrdiff_t>(i + 8 + k), strip.bits.begin());
                r.strip_rows.push_back(rows);
                if (last_was_raster && r.rasters.back().width == strip.width) {
                    auto& img = r.rasters.back();
                    img.bits.insert(img.bits.end(), strip.bits.begin(), strip.bits.end());
                    img.height += rows;
                } else {
                    r.rasters.push_back(std::move(strip));
                }
                r.commands.push_back("GS v 0");
                raster_now = true;
                i += 8 + k;
            } else if (c == '(') {
                if (!have(5, "GS (")) break;
                if (at(i + 2) != 'k') {
                    err("unknown command GS ( " + hex(at(i + 2)));
                    break;
                }
                const std::size_t len = at(i + 3) | at(i + 4) << 8;
                if (!have(5 + len, "GS ( k")) break;
                if (len < 3 || at(i + 5) != 49) {
                    err("GS ( k: only QR (cn 49) with pL/pH >= 3");
                    break;
                }
                const unsigned fn = at(i + 6);
                auto fixed = [&](std::size_t want) {
                    if (len != want)
                        err("GS ( k fn " + std::to_string(fn) + ": pL/pH says " +
                            std::to_string(len) + ", the function takes " + std::to_string(want));
                };
                if (fn == 65) {
                    fixed(4);
                    if (len == 4 && (at(i + 7) < 49 || at(i + 7) > 50 || at(i + 8) != 0))
                        err("GS ( k fn 65: model must be 49/50 followed by 0");
                } else if (fn == 67) {
                    fixed(3);
                    if (len == 3 && (at(i + 7) < 1 || at(i + 7) > 16))
                        err("GS ( k fn 67: module 1-16");
                    qr.module = static_cast<int>(at(i + 7));
                } else if (fn == 69) {
                    fixed(3);
                    if (len == 3 && (at(i + 7) < 48 || at(i + 7) > 51))
                        err("GS ( k fn 69: level 48-51");
                    qr.ec = static_cast<int>(at(i + 7));
                } else if (fn == 80) {
                    if (at(i + 7) != 48) err("GS ( k fn 80: m must be 48");
                    if (len - 3 < 1 || len - 3 > 7089) err("GS ( k fn 80: 1-7089 data bytes");
                    qr.data.assign(s.substr(i + 8, len - 3));
                } else if (fn == 81) {
                    fixed(3);
                    if (qr.data.empty()) err("GS ( k fn 81 prints nothing stored");
                    qr.printed = true;
                    r.native_qrs.push_back(qr);
                } else {
                    err("GS ( k with unknown fn " + std::to_string(fn));
                }
                r.commands.push_back("GS ( k " + std::to_string(fn));
                i += 5 + len;
            } else {
                err("unknown command GS " + hex(c));
                break;
            }
        } else {
            err("stray control byte " + hex(b));
            break;
        }
        last_was_raster = raster_now;
    }
    return r;
}

std::string to_pbm(const Bitmap& b) {
    std::string out = "P4\n" + std::to_string(b.width) + " " + std::to_string(b.height) + "\n";
    out.append(b.bits.begin(), b.bits.end());
    return out;
}

}  // namespace lapor::printer::test
