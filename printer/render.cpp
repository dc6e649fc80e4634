#include "render.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "codepage.h"
#include "qr.h"

namespace lapor::printer {
namespace {

constexpr int cell_w = 12, cell_h = 24, line_gap = 6;

// One 12 x 24 glyph per code point, rendered once (FreeType, greyscale thresholded).
class Font {
public:
    static Font& instance() {
        static Font f;
        return f;
    }
    // Row-major cell_w x cell_h, 1 = black.
    const std::vector<std::uint8_t>& glyph(char32_t cp) {
        std::lock_guard lock(mu_);
        auto it = cache_.find(cp);
        if (it != cache_.end()) return it->second;
        return cache_.emplace(cp, draw(cp)).first->second;
    }

private:
    Font() {
        static const char* paths[] = {"/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
                                      "/usr/share/fonts/truetype/noto/NotoMono-Regular.ttf"};
        if (FT_Init_FreeType(&lib_) != 0) throw RenderError("FreeType could not start");
        for (const char* p : paths) {
            if (::access(p, R_OK) == 0 && FT_New_Face(lib_, p, 0, &face_) == 0) break;
        }
        if (!face_)
            throw RenderError(
                "no monospaced font for the preview: install fonts-dejavu-core (apt-get install "
                "fonts-dejavu-core)");
        FT_Set_Pixel_Sizes(face_, 0, 20);
    }
    ~Font() {
        if (face_) FT_Done_Face(face_);
        FT_Done_FreeType(lib_);
    }
    std::vector<std::uint8_t> draw(char32_t cp) {
        std::vector<std::uint8_t> g(cell_w * cell_h, 0);
        if (cp == 0 || cp == ' ') return g;
        if (FT_Load_Char(face_, cp, FT_LOAD_RENDER) != 0) return g;
        const FT_GlyphSlot s = face_->glyph;
        const int baseline = 19;
        const int ox = s->bitmap_left + (cell_w - static_cast<int>(s->advance.x >> 6)) / 2;
        const int oy = baseline - s->bitmap_top;
        for (unsigned y = 0; y < s->bitmap.rows; ++y) {
            for (unsigned x = 0; x < s->bitmap.width; ++x) {
                const int px = ox + static_cast<int>(x), py = oy + static_cast<int>(y);
                if (px < 0 || px >= cell_w || py < 0 || py >= cell_h) continue;
                const auto v = s->bitmap.buffer[y * static_cast<unsigned>(s->bitmap.pitch) + x];
                if (v >= 110) g[static_cast<std::size_t>(py * cell_w + px)] = 1;
            }
        }
        return g;
    }

    std::mutex mu_;
    FT_Library lib_ = nullptr;
    FT_Face face_ = nullptr;
    std::map<char32_t, std::vector<std::uint8_t>> cache_;
};

struct Glyph {
    char32_t cp;
    bool bold, underline;
    int w, h;
};

class Renderer {
public:
    Renderer(const Profile& p, RenderOptions o) : p_(p), o_(o) { reset(); }

    void run(std::string_view s) {
        std::size_t i = 0;
        auto need = [&](std::size_t n) {
            if (i + n > s.size())
                throw RenderError("the stream ends inside a command at byte " + std::to_string(i));
        };
        auto at = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
        while (i < s.size()) {
            const std::uint8_t b = at(i);
            if (b == 0x0A) {
                newline();
                ++i;
            } else if (b == 0x00) {
                ++i;
            } else if (b >= 0x20 && b != 0x7F) {
                put_char(b);
                ++i;
            } else if (b == 0x10) {  // DLE EOT n: real-time status, nothing printed
                need(3);
                i += 3;
            } else if (b == 0x1B) {
                need(2);
                const std::uint8_t c = at(i + 1);
                if (c == '@') {
                    reset();
                    i += 2;
                    continue;
                }
                if (c == '2') {
                    spacing_ = 30;
                    i += 2;
                    continue;
                }
                need(3);
                const std::uint8_t n = at(i + 2);
                switch (c) {
                    case 't': set_page(n); break;
                    case 'R': break;
                    case 'E': bold_ = n & 1; break;
                    case '-': underline_ = n != 0 && n != '0'; break;
                    case 'a': align_ = n % 48 > 2 ? 0 : n % 48; break;
                    case 'd': flush_line(), feed(n * line_height()); break;
                    case '3': spacing_ = n; break;
                    default: throw RenderError("unknown command ESC " + std::to_string(c));
                }
                i += 3;
            } else if (b == 0x1D) {
                need(2);
                const std::uint8_t c = at(i + 1);
                if (c == '!') {
                    need(3);
                    w_ = (at(i + 2) >> 4) + 1;
                    h_ = (at(i + 2) & 7) + 1;
                    i += 3;
                } else if (c == 'V') {
                    need(3);
                    const std::uint8_t m = at(i + 2);
                    i += (m == 65 || m == 66) ? 4 : 3;
                    flush_line();
                    cut_line();
                } else if (c == 'r' || c == 'a') {
                    need(3);
                    i += 3;
                } else if (c == 'v') {
                    need(8);
                    const int xb = at(i + 4) | at(i + 5) << 8, rows = at(i + 6) | at(i + 7) << 8;
                    const auto k = static_cast<std::size_t>(xb) * static_cast<std::size_t>(rows);
                    need(8 + k);
                    raster(s.substr(i + 8, k), xb, rows);
                    i += 8 + k;
                } else if (c == '(') {
                    need(5);
                    if (at(i + 2) != 'k') throw RenderError("unknown command GS (");
                    const auto len = static_cast<std::size_t>(at(i + 3) | at(i + 4) << 8);
                    need(5 + len);
                    native_qr(s.substr(i + 5, len));
                    i += 5 + len;
                } else {
                    throw RenderError("unknown command GS " + std::to_string(c));
                }
            } else {
                throw RenderError("stray control byte " + std::to_string(b) + " at " +
                                  std::to_string(i));
            }
        }
        flush_line();
    }

    Bitmap finish() {
        feed(o_.margin);
        const int width = p_.dots + 2 * o_.margin;
        const int height = static_cast<int>(rows_.size()) + o_.margin;
        Bitmap b(width, height);
        for (int y = 0; y < static_cast<int>(rows_.size()); ++y) {
            const auto& r = rows_[static_cast<std::size_t>(y)];
            for (int x = 0; x < p_.dots; ++x)
                if (r[static_cast<std::size_t>(x)]) b.set(x + o_.margin, y + o_.margin);
        }
        return b;
    }

private:
    void reset() {
        bold_ = underline_ = false;
        align_ = 0;
        w_ = h_ = 1;
        spacing_ = 30;
        page_ = CodePage::cp437;
        line_.clear();
    }
    void set_page(int n) {
        for (const auto& e : p_.code_pages) {
            if (e.esc_t == n) {
                page_ = *code_page_from(e.page);
                return;
            }
        }
        // Not in this profile: Epson's numbers, which most clones share.
        switch (n) {
            case 0: page_ = CodePage::cp437; return;
            case 2: page_ = CodePage::cp850; return;
            case 16: page_ = CodePage::cp1252; return;
            case 19: page_ = CodePage::cp858; return;
            default: break;
        }
        throw RenderError("ESC t " + std::to_string(n) + " is not a code page of profile " +
                          p_.name);
    }
    int line_height() const { return std::max(spacing_, cell_h + line_gap); }
    void feed(int dots) {
        // About 2 m of paper at 203 dpi: far beyond any receipt, and a bound for hostile input.
        constexpr std::size_t max_rows = 16000;
        if (rows_.size() + static_cast<std::size_t>(dots) > max_rows)
            throw RenderError("the job is longer than 2 m of paper; not rendered");
        for (int k = 0; k < dots; ++k) rows_.emplace_back(static_cast<std::size_t>(p_.dots), 0);
    }
    void put_char(std::uint8_t byte) {
        const int width_now = line_width();
        if (width_now + cell_w * w_ > p_.dots) newline();  // the printer wraps by itself
        line_.push_back({from_code_page(byte, page_), bold_, underline_, w_, h_});
    }
    int line_width() const {
        int w = 0;
        for (const auto& g : line_) w += cell_w * g.w;
        return w;
    }
    void newline() {
        if (line_.empty()) {
            feed(line_height());
            return;
        }
        flush_line();
    }
    void flush_line() {
        if (line_.empty()) return;
        int hmax = 1;
        for (const auto& g : line_) hmax = std::max(hmax, g.h);
        const int height = cell_h * hmax;
        const int top = static_cast<int>(rows_.size());
        feed(std::max(line_height() - cell_h, line_gap) + height);
        const int width = line_width();
        int x = align_ == 1 ? (p_.dots - width) / 2 : align_ == 2 ? p_.dots - width : 0;
        for (const auto& g : line_) {
            const auto& bits = Font::instance().glyph(g.cp);
            const int y0 = top + height - cell_h * g.h;  // glyphs share the baseline
            for (int gy = 0; gy < cell_h; ++gy) {
                for (int gx = 0; gx < cell_w; ++gx) {
                    bool on = bits[static_cast<std::size_t>(gy * cell_w + gx)] ||
                              (g.bold && gx > 0 &&
                               bits[static_cast<std::size_t>(gy * cell_w + gx - 1)]) ||
                              (g.underline && gy >= cell_h - 2);
                    if (on) dot_block(x + gx * g.w, y0 + gy * g.h, g.w, g.h);
                }
            }
            x += cell_w * g.w;
        }
        line_.clear();
    }
    void dot_block(int x, int y, int w, int h) {
        for (int yy = y; yy < y + h; ++yy)
            for (int xx = x; xx < x + w; ++xx)
                if (xx >= 0 && xx < p_.dots && yy >= 0 && yy < static_cast<int>(rows_.size()))
                    rows_[static_cast<std::size_t>(yy)][static_cast<std::size_t>(xx)] = 1;
    }
    void raster(std::string_view data, int xbytes, int rows) {
        if (!line_.empty())
            throw RenderError(
                "GS v 0 with text waiting in the line buffer (the printer would "
                "ignore or garble it)");
        const int width = xbytes * 8;
        const int top = static_cast<int>(rows_.size());
        feed(rows);
        const int x0 = align_ == 1 ? (p_.dots - width) / 2 : align_ == 2 ? p_.dots - width : 0;
        for (int y = 0; y < rows; ++y)
            for (int x = 0; x < width; ++x) {
                const auto byte =
                    static_cast<std::uint8_t>(data[static_cast<std::size_t>(y * xbytes + x / 8)]);
                if ((byte >> (7 - x % 8)) & 1) dot_block(x0 + x, top + y, 1, 1);
            }
    }
    void native_qr(std::string_view body) {
        if (body.size() < 3 || static_cast<std::uint8_t>(body[0]) != 49)
            throw RenderError("GS ( k with an unknown symbol type");
        const auto fn = static_cast<std::uint8_t>(body[1]);
        if (fn == 67) qr_module_ = static_cast<std::uint8_t>(body[2]);
        if (fn == 80) qr_data_ = std::string(body.substr(3));
        if (fn == 81) {
            flush_line();
            const QrSymbol sym = encode_qr(qr_data_);
            // The printer prints the symbol only (no quiet zone); a too-wide one is not printed.
            // The side is checked before the raster is built: a module size up to 255 would
            // otherwise allocate hundreds of megabytes for a symbol that cannot be printed.
            const int side = sym.modules * qr_module_;
            if (side > p_.dots)
                throw RenderError("a QR symbol of " + std::to_string(side) +
                                  " dots does not fit the paper width of " +
                                  std::to_string(p_.dots) + " dots");
            Bitmap b = qr_raster(sym, qr_module_, (sym.modules + 8) * qr_module_);
            const int top = static_cast<int>(rows_.size());
            feed(side);
            const int x0 = align_ == 1 ? (p_.dots - side) / 2 : align_ == 2 ? p_.dots - side : 0;
            const int q = 4 * qr_module_;
            for (int y = 0; y < side; ++y)
                for (int x = 0; x < side; ++x)
                    if (b.get(x + q, y + q)) dot_block(x0 + x, top + y, 1, 1);
        }
    }
    void cut_line() {
        feed(4);
        const int y = static_cast<int>(rows_.size());
        feed(2);
        for (int x = 0; x < p_.dots; x += 8) dot_block(x, y, 4, 2);
        feed(4);
    }

    const Profile& p_;
    RenderOptions o_;
    std::vector<std::vector<std::uint8_t>> rows_;
    std::vector<Glyph> line_;
    bool bold_ = false, underline_ = false;
    int align_ = 0, w_ = 1, h_ = 1, spacing_ = 30;
    int qr_module_ = 3;
    std::string qr_data_;
    CodePage page_ = CodePage::cp437;
};

}  // namespace

Bitmap render_escpos(std::string_view bytes, const Profile& profile, RenderOptions o) {
    Renderer r(profile, o);
    r.run(bytes);
    return r.finish();
}

}  // namespace lapor::printer
