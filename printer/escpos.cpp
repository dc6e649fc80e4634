#include "escpos.h"

#include <algorithm>

#include "codepage.h"
#include "qr.h"

namespace lapor::printer {
namespace {

void put(std::string& out, std::initializer_list<int> bytes) {
    for (int b : bytes) out += static_cast<char>(static_cast<unsigned char>(b));
}

class Encoder {
public:
    Encoder(const Profile& p, std::string& out) : p_(p), out_(out) {
        if (p.code_pages.empty()) throw ProfileError("profile " + p.name + " has no code page");
        page_ = *code_page_from(p.code_pages.front().page);
        put(out_, {cmd::esc, '@'});
        put(out_, {cmd::esc, 't', p.code_pages.front().esc_t});
        put(out_, {cmd::esc, 'R', 0});
    }

    void operator()(const Text& t) {
        const int w = std::clamp(t.width, 1, 8), h = std::clamp(t.height, 1, 8);
        set_align(t.align);
        set_bold(t.bold);
        set_size(w, h);
        for (const auto& line : wrap(to_code_page(t.utf8, page_), p_.columns / w)) line_out(line);
    }

    void operator()(const Pair& pr) {
        set_align(Align::left);
        set_bold(false);
        set_size(1, 1);
        const std::string label = to_code_page(pr.label, page_);
        const std::string value = to_code_page(pr.value, page_);
        const auto cols = static_cast<std::size_t>(p_.columns);
        if (label.size() + 1 + value.size() <= cols) {
            line_out(label + std::string(cols - label.size() - value.size(), ' ') + value);
            return;
        }
        for (const auto& l : wrap(label, p_.columns)) line_out(l);
        for (const auto& l : wrap(value, p_.columns - 2))
            line_out(std::string(cols - l.size(), ' ') + l);
    }

    void operator()(const Separator& s) {
        set_align(Align::left);
        set_bold(false);
        set_size(1, 1);
        const char c = s.ch >= 0x20 && s.ch < 0x7F ? s.ch : '-';
        line_out(std::string(static_cast<std::size_t>(p_.columns), c));
    }

    void operator()(const Qr& q) {
        const QrSymbol sym = encode_qr(q.data);
        const int module = qr_module_dots(sym, p_.dots);
        if (module == 0)
            throw QrError("the QR code (" + std::to_string(sym.modules) +
                          " modules with its quiet zone, at least 4 dots a module) does not fit "
                          "the " +
                          std::to_string(p_.dots) + "-dot width of profile " + p_.name);
        if (p_.qr == QrMode::native && static_cast<int>(q.data.size()) <= p_.native_qr_max_bytes) {
            // The printer adds no quiet zone: the fit check above reserved 4 modules at the
            // sides, and a blank line (>= 24 dots) above and below keeps text off the symbol.
            set_align(Align::center);
            put(out_, {cmd::esc, 'd', 1});
            out_ += encode_native_qr(q.data, module);
            put(out_, {cmd::lf});
            return;
        }
        raster(qr_raster(sym, module, p_.dots));
    }

    void operator()(const Image& im) {
        if (im.bitmap.width > p_.dots)
            throw QrError("an image " + std::to_string(im.bitmap.width) +
                          " dots wide does not fit profile " + p_.name);
        // Pad to the full width so the image is centred even where ESC a ignores rasters.
        Bitmap full(p_.dots, im.bitmap.height);
        const int x0 = (p_.dots - im.bitmap.width) / 2;
        for (int y = 0; y < im.bitmap.height; ++y)
            for (int x = 0; x < im.bitmap.width; ++x)
                if (im.bitmap.get(x, y)) full.set(x0 + x, y);
        raster(full);
    }

    void operator()(const Feed& f) {
        int n = std::clamp(f.lines, 0, 255);
        if (n > 0) put(out_, {cmd::esc, 'd', n});
    }

    void operator()(const Cut&) {
        finish();
        if (p_.feed_before_cut > 0) put(out_, {cmd::esc, 'd', p_.feed_before_cut});
        if (p_.cut == CutKind::partial) put(out_, {cmd::gs, 'V', 1});
        if (p_.cut == CutKind::full) put(out_, {cmd::gs, 'V', 0});
    }

    void finish() {
        set_align(Align::left);
        set_bold(false);
        set_size(1, 1);
    }

private:
    void line_out(const std::string& bytes) {
        out_ += bytes;
        put(out_, {cmd::lf});
    }
    void raster(const Bitmap& b) {
        set_align(Align::left);
        out_ += encode_raster(b, p_.raster_max_rows);
    }
    void set_align(Align a) {
        if (a == align_) return;
        align_ = a;
        put(out_, {cmd::esc, 'a', static_cast<int>(a)});
    }
    void set_bold(bool b) {
        if (b == bold_) return;
        bold_ = b;
        put(out_, {cmd::esc, 'E', b ? 1 : 0});
    }
    void set_size(int w, int h) {
        const int n = ((w - 1) << 4) | (h - 1);
        if (n == size_) return;
        size_ = n;
        put(out_, {cmd::gs, '!', n});
    }

    const Profile& p_;
    std::string& out_;
    CodePage page_ = CodePage::cp437;
    Align align_ = Align::left;  // the state ESC @ leaves
    bool bold_ = false;
    int size_ = 0;
};

}  // namespace

std::vector<std::string> wrap(const std::string& text, int columns) {
    std::vector<std::string> lines;
    const auto cols = static_cast<std::size_t>(std::max(columns, 1));
    std::string cur;
    std::size_t i = 0;
    while (i < text.size()) {
        // Next word and the spaces before it.
        std::size_t j = i;
        while (j < text.size() && text[j] == ' ') ++j;
        std::size_t k = j;
        while (k < text.size() && text[k] != ' ') ++k;
        std::string word = text.substr(j, k - j);
        i = k;
        if (word.empty()) break;
        if (!cur.empty() && cur.size() + 1 + word.size() <= cols) {
            cur += ' ' + word;
            continue;
        }
        if (!cur.empty()) lines.push_back(cur), cur.clear();
        while (word.size() > cols) {  // a word longer than a line is broken hard
            lines.push_back(word.substr(0, cols));
            word.erase(0, cols);
        }
        cur = word;
    }
    if (!cur.empty() || lines.empty()) lines.push_back(cur);
    return lines;
}

std::string encode_raster(const Bitmap& b, int max_rows) {
    std::string out;
    const int xbytes = b.bytes_per_row();
    const int step = std::clamp(max_rows, 1, 255);
    for (int y = 0; y < b.height; y += step) {
        const int rows = std::min(step, b.height - y);
        put(out, {cmd::gs, 'v', '0', 0, xbytes & 0xFF, xbytes >> 8, rows & 0xFF, rows >> 8});
        const auto* start = b.bits.data() + static_cast<std::size_t>(y * xbytes);
        out.append(reinterpret_cast<const char*>(start), static_cast<std::size_t>(rows * xbytes));
    }
    return out;
}

std::string encode_native_qr(const std::string& data, int module_dots) {
    std::string out;
    put(out, {cmd::gs, '(', 'k', 4, 0, 49, 65, 50, 0});        // model 2
    put(out, {cmd::gs, '(', 'k', 3, 0, 49, 67, module_dots});  // module size
    put(out, {cmd::gs, '(', 'k', 3, 0, 49, 69, 49});           // error correction M
    const std::size_t k = data.size() + 3;
    put(out, {cmd::gs, '(', 'k', static_cast<int>(k & 0xFF), static_cast<int>(k >> 8), 49, 80, 48});
    out += data;                                      // store
    put(out, {cmd::gs, '(', 'k', 3, 0, 49, 81, 48});  // print
    return out;
}

std::string encode(const Document& doc, const Profile& profile) {
    std::string out;
    out.reserve(32 * 1024);
    Encoder e(profile, out);
    for (const auto& b : doc.blocks) std::visit(e, b);
    e.finish();
    return out;
}

}  // namespace lapor::printer
