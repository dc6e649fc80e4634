// The pure encoder: code pages, golden bytes per command family, full receipts per profile
// checked by the strict stream checker, QR decoded back with zbar.
#include <doctest/doctest.h>
#include <iconv.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "codepage.h"
#include "escpos.h"
#include "escpos_checker.h"
#include "fixtures.h"
#include "printer_fixture.h"
#include "qr.h"
#include "qr_decode.h"
#include "render.h"
#include "result_text.h"

using namespace lapor;
using namespace lapor::printer;
using namespace lapor::printer::test;

namespace {

std::string bytes(std::initializer_list<int> b) {
    std::string s;
    for (int v : b) s += static_cast<char>(static_cast<unsigned char>(v));
    return s;
}

const std::string prologue_437 = bytes({0x1B, '@', 0x1B, 't', 0, 0x1B, 'R', 0});

Profile tiny_profile() {
    Profile p;
    p.name = "test";
    p.dots = 384;
    p.columns = 32;
    p.code_pages = {{"cp437", 0}};
    p.feed_before_cut = 3;
    return p;
}

std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
}

}  // namespace

TEST_CASE("code pages: tables agree with glibc iconv") {
    int opened = 0;
    for (const char* name : {"cp437", "cp850", "cp858", "cp1252"}) {
        const CodePage page = *code_page_from(name);
        const std::string iconv_name = std::string(name) == "cp858" ? "IBM858" : name;
        iconv_t cd = iconv_open("UTF-32LE", iconv_name.c_str());
        if (cd == reinterpret_cast<iconv_t>(-1)) {
            MESSAGE("iconv lacks " << iconv_name << "; skipped");
            continue;
        }
        ++opened;
        for (int b = 0x80; b <= 0xFF; ++b) {
            char in = static_cast<char>(b);
            char32_t out = 0;
            char* ip = &in;
            char* op = reinterpret_cast<char*>(&out);
            std::size_t il = 1, ol = 4;
            const bool ok = iconv(cd, &ip, &il, &op, &ol) != static_cast<std::size_t>(-1);
            INFO(name << " byte " << b);
            // A byte iconv cannot map (cp1252's 0x81, 0x8D, ...) must not print as anything.
            if (ok)
                CHECK(from_code_page(static_cast<unsigned char>(b), page) == out);
            else
                CHECK(from_code_page(static_cast<unsigned char>(b), page) == 0);
            iconv(cd, nullptr, nullptr, nullptr, nullptr);
        }
        iconv_close(cd);
    }
    // glibc ships all four; a comparison that compared nothing is a failure, not a pass.
    CHECK(opened > 0);
}

TEST_CASE("code pages: names print readably, never as UTF-8") {
    CHECK(to_code_page("Séno", CodePage::cp437) == "S\x82no");
    CHECK(to_code_page("Séno", CodePage::cp1252) == "S\xE9no");
    CHECK(to_code_page("Nyoman Ṛddhi", CodePage::cp437) == "Nyoman Rddhi");
    // Decomposed input: e + combining acute is composed first.
    CHECK(to_code_page("Se\xCC\x81no", CodePage::cp437) == "S\x82no");
    CHECK(to_code_page("R\xCC\xA3"
                       "ddhi",
                       CodePage::cp858) == "Rddhi");
    CHECK(to_code_page("Rp 10.000 — “ok” …", CodePage::cp437) == "Rp 10.000 - \"ok\" ...");
    CHECK(to_code_page("€5", CodePage::cp858) ==
          "\xD5"
          "5");
    CHECK(to_code_page("€5", CodePage::cp437) == "EUR5");
    CHECK(to_code_page("Łódź", CodePage::cp437) ==
          "L\xA2"
          "dz");
    CHECK(to_code_page("ß", CodePage::cp1252) == "\xDF");
    CHECK(to_code_page("日本🙏", CodePage::cp437) == "???");
    CHECK(to_code_page("a\x01\tb\x7F", CodePage::cp437) == "ab");  // control characters dropped
    CHECK(to_code_page("bad \xC3\x28 utf8", CodePage::cp437) == "bad ?( utf8");
    for (const char* s : {"Séno", "Nyoman Ṛddhi", "Ñoño", "Ngurah Rāi", "Đặng Thị"}) {
        for (auto page : {CodePage::cp437, CodePage::cp850, CodePage::cp858, CodePage::cp1252}) {
            const std::string out = to_code_page(s, page);
            // No UTF-8 lead/continuation pair survives: every byte maps to one character.
            for (char ch : out) {
                const auto c = static_cast<unsigned char>(ch);
                CHECK((c < 0x80 || from_code_page(c, page) != 0));
            }
            CHECK(out.find('?') == std::string::npos);
        }
    }
}

TEST_CASE("golden bytes: prologue, text styles, alignment, size") {
    Document d;
    d.add(Text{"Hi", Align::center, true, 2, 2});
    d.add(Text{"x"});
    CHECK(encode(d, tiny_profile()) ==
          prologue_437 + bytes({0x1B, 'a', 1, 0x1B, 'E', 1, 0x1D, '!', 0x11}) + "Hi\n" +
              bytes({0x1B, 'a', 0, 0x1B, 'E', 0, 0x1D, '!', 0}) + "x\n");
}

TEST_CASE("golden bytes: code page selection per profile") {
    const Profile epson = profile("epson-tm-t88v");
    Document d;
    d.add(Text{"é"});
    CHECK(encode(d, epson) == bytes({0x1B, '@', 0x1B, 't', 19, 0x1B, 'R', 0, 0x82, 0x0A}));
}

TEST_CASE("golden bytes: separators, pairs and wrapping") {
    Document d;
    d.add(Separator{'='});
    d.add(Pair{"Kode", "AB12"});
    d.add(Pair{"A label that is very long indeed", "and a value"});
    const std::string out = encode(d, tiny_profile());
    CHECK(out == prologue_437 + std::string(32, '=') + "\n" + "Kode" + std::string(24, ' ') +
                     "AB12\n" + "A label that is very long indeed\n" + std::string(21, ' ') +
                     "and a value\n");
    CHECK(wrap("one two three", 7) == std::vector<std::string>{"one two", "three"});
    CHECK(wrap("abcdefghij", 4) == std::vector<std::string>{"abcd", "efgh", "ij"});
    CHECK(wrap("", 4) == std::vector<std::string>{""});
}

TEST_CASE("golden bytes: feed and cut") {
    Document d;
    d.add(Feed{2}).add(Cut{});
    CHECK(encode(d, tiny_profile()) ==
          prologue_437 + bytes({0x1B, 'd', 2, 0x1B, 'd', 3, 0x1D, 'V', 1}));
    Profile none = tiny_profile();
    none.cut = CutKind::none;
    CHECK(encode(Document{}.add(Cut{}), none) == prologue_437 + bytes({0x1B, 'd', 3}));
    Profile full = tiny_profile();
    full.cut = CutKind::full;
    CHECK(encode(Document{}.add(Cut{}), full) ==
          prologue_437 + bytes({0x1B, 'd', 3, 0x1D, 'V', 0}));
}

TEST_CASE("golden bytes: raster in strips of at most 255 rows") {
    Bitmap b(16, 300);
    b.set(0, 0);
    b.set(15, 299);
    const std::string out = encode_raster(b, 255);
    REQUIRE(out.size() == 8 + 2 * 255 + 8 + 2 * 45);
    CHECK(out.substr(0, 8) == bytes({0x1D, 'v', '0', 0, 2, 0, 255, 0}));
    CHECK(static_cast<unsigned char>(out[8]) == 0x80);
    CHECK(out.substr(8 + 510, 8) == bytes({0x1D, 'v', '0', 0, 2, 0, 45, 0}));
    CHECK(static_cast<unsigned char>(out.back()) == 0x01);
    const auto c = check_escpos(out);
    REQUIRE(c.ok());
    REQUIRE(c.rasters.size() == 1);  // stitched back
    CHECK(c.rasters[0].height == 300);
    CHECK(c.rasters[0].bits == b.bits);
    CHECK(to_pbm(b).substr(0, 10) == "P4\n16 300\n");
}

TEST_CASE("golden bytes: an image is centred inside the full print width") {
    Bitmap b(8, 1);
    b.set(0, 0);
    b.set(7, 0);
    const std::string out = encode(Document{}.add(Image{b}), tiny_profile());
    std::string row(48, '\0');
    row[23] = '\x08';  // dots 188 and 195: (384 - 8) / 2 = 188
    row[24] = '\x10';
    CHECK(out == prologue_437 + bytes({0x1D, 'v', '0', 0, 48, 0, 1, 0}) + row);
    Bitmap wide(400, 1);
    CHECK_THROWS_AS(encode(Document{}.add(Image{wide}), tiny_profile()), QrError);
}

TEST_CASE("golden bytes: native QR") {
    const std::string out = encode_native_qr("AB", 5);
    CHECK(out == bytes({0x1D, '(', 'k', 4, 0, 49, 65, 50, 0,         // model 2
                        0x1D, '(', 'k', 3, 0, 49, 67, 5,             // module 5 dots
                        0x1D, '(', 'k', 3, 0, 49, 69, 49,            // level M
                        0x1D, '(', 'k', 5, 0, 49, 80, 48, 'A', 'B',  // store
                        0x1D, '(', 'k', 3, 0, 49, 81, 48}));         // print
    const auto c = check_escpos(out);
    REQUIRE(c.ok());
    REQUIRE(c.native_qrs.size() == 1);
    CHECK(c.native_qrs[0].data == "AB");
    CHECK(c.native_qrs[0].module == 5);
    CHECK(c.native_qrs[0].ec == 49);
}

TEST_CASE("QR: raster geometry, and a symbol that cannot fit is an error") {
    const QrSymbol sym = encode_qr(golden_url);
    CHECK(sym.modules == 17 + 4 * sym.version);
    const int m = qr_module_dots(sym, 384);
    CHECK(m >= 4);
    const Bitmap b = qr_raster(sym, m, 384);
    CHECK(b.width == 384);
    CHECK(b.height == (sym.modules + 8) * m);
    // Quiet zone: the first and last 4 modules of rows and columns are white.
    const int left = (384 - (sym.modules + 8) * m) / 2;
    for (int y = 0; y < b.height; ++y) {
        for (int x = 0; x < left + 4 * m; ++x) REQUIRE_FALSE(b.get(x, y));
    }
    for (int x = 0; x < b.width; ++x)
        for (int y = 0; y < 4 * m; ++y) REQUIRE_FALSE(b.get(x, y));
    CHECK(b.get(left + 4 * m, 4 * m));  // finder pattern corner
    CHECK(decode_qr(b) == std::vector<std::string>{golden_url});

    Profile narrow = tiny_profile();
    narrow.dots = 192;
    narrow.columns = 16;
    CHECK_THROWS_AS(encode(Document{}.add(Qr{golden_url}), narrow), QrError);
    CHECK_THROWS_AS(encode_qr(std::string(8000, 'x')), QrError);
}

TEST_CASE("native QR only where the profile allows it and the symbol fits") {
    Profile p = profile("epson-tm-t20ii");
    auto c = check_escpos(encode(Document{}.add(Qr{golden_url}), p));
    REQUIRE(c.ok());
    CHECK(c.native_qrs.size() == 1);
    CHECK(c.rasters.empty());
    // No quiet zone from the printer: a blank line above and a line feed below the symbol.
    const auto at = std::find(c.commands.begin(), c.commands.end(), "GS ( k 65");
    REQUIRE(at != c.commands.end());
    CHECK(*(at - 1) == "ESC d");
    const auto print = std::find(c.commands.begin(), c.commands.end(), "GS ( k 81");
    REQUIRE(print + 1 != c.commands.end());
    CHECK(*(print + 1) == "LF");
    p.native_qr_max_bytes = 100;  // the URL is longer: fall back to the raster
    c = check_escpos(encode(Document{}.add(Qr{golden_url}), p));
    REQUIRE(c.ok());
    CHECK(c.native_qrs.empty());
    CHECK(c.rasters.size() == 1);
}

TEST_CASE("full receipt on every profile: strict stream, golden bytes, QR decodes") {
    lapor::test::TempDir tmp;
    for (const auto& p : shipped_profiles()) {
        for (bool copy : {false, true}) {
            for (Language lang : {Language::id, Language::en}) {
                INFO("profile " << p.name << " copy " << copy << " lang " << to_string(lang));
                const std::string out =
                    encode(receipt_document(golden_job(lang, copy), golden_context()), p);
                const auto c = check_escpos(out, {p.dots / 8, p.raster_max_rows});
                REQUIRE_MESSAGE(c.ok(), c.first_error());
                CHECK(c.inits == 1);
                CHECK(c.commands.at(0) == "ESC @");
                CHECK(c.commands.at(1) == "ESC t");
                CHECK(c.commands.at(2) == "ESC R");
                CHECK(c.code_pages == std::vector<int>{p.code_pages.front().esc_t});
                CHECK(c.cuts == 1);
                CHECK(c.text.find("JK01-7K3M-9QX2-H") != std::string::npos);
                CHECK(c.text.find("JKT-PUSAT-01") != std::string::npos);
                CHECK((c.text.find("SALINAN / COPY") != std::string::npos) == copy);
                CHECK(c.text.find("WIB") != std::string::npos);
                for (char ch : c.text)
                    CHECK((ch == '\n' || static_cast<unsigned char>(ch) >= 0x20));
                if (p.qr == QrMode::native) {
                    REQUIRE(c.native_qrs.size() == 1);
                    CHECK(c.native_qrs[0].data == golden_url);
                    CHECK(c.native_qrs[0].ec == 49);
                    CHECK(c.native_qrs[0].module >= 4);
                } else {
                    REQUIRE(c.rasters.size() == 1);
                    CHECK(c.rasters[0].width == p.dots);
                    for (int rows : c.strip_rows) CHECK(rows <= 255);
                    CHECK(decode_qr(c.rasters[0]) == std::vector<std::string>{golden_url});
                }
                // The rendered preview of the exact bytes decodes too (libpng -> zbarimg).
                if (!copy && lang == Language::id) {
                    const std::string png = tmp / (p.name + ".png");
                    write_png(render_escpos(out, p), png);
                    CHECK(zbarimg(png) == std::vector<std::string>{golden_url});
                    // Golden bytes: the committed receipt for this profile.
                    const std::string golden = std::string(LAPOR_SOURCE_DIR) +
                                               "/tests/printer/golden/receipt-" + p.name + ".bin";
                    if (std::getenv("LAPOR_UPDATE_GOLDEN")) {
                        std::ofstream(golden, std::ios::binary) << out;
                    }
                    CHECK_MESSAGE(
                        read_file(golden) == out,
                        "bytes differ from " << golden << " (LAPOR_UPDATE_GOLDEN=1 rewrites)");
                }
            }
        }
    }
}

TEST_CASE("receipt: time in the office's time zone, copy marks, no citizen text") {
    CHECK(format_local_time(1764400000, *time_zone_from("Asia/Jakarta"), Language::id) ==
          "29/11/2025 14.06 WIB");
    CHECK(format_local_time(1764400000, *time_zone_from("Asia/Makassar"), Language::en) ==
          "29/11/2025 15:06 WITA");
    CHECK(format_local_time(1764400000, *time_zone_from("Asia/Jayapura"), Language::en) ==
          "29/11/2025 16:06 WIT");
    ReceiptJob j = golden_job(Language::en);
    j.report.upload_body = "SECRET-CITIZEN-TEXT";
    const auto c =
        check_escpos(encode(receipt_document(j, golden_context()), profile("generic-80mm")));
    REQUIRE(c.ok());
    CHECK(c.text.find("SECRET") == std::string::npos);
    CHECK(c.text.find("COMPLAINT RECEIPT") != std::string::npos);
    CHECK(c.text.find("Transport Agency") != std::string::npos);
}

TEST_CASE("the preview renders another profile's code page by Epson's numbers") {
    const std::string epson = encode(Document{}.add(Text{"Séno"}), profile("epson-tm-t88v"));
    CHECK_NOTHROW(render_escpos(epson, profile("generic-80mm")));
    CHECK_THROWS_AS(render_escpos(bytes({0x1B, 't', 77}), profile("generic-80mm")), RenderError);
    CHECK_THROWS_AS(render_escpos(bytes({0x1B, 'Z', 0}), profile("generic-80mm")), RenderError);
    CHECK_THROWS_AS(render_escpos(bytes({0x1D, 'v', '0', 0, 1, 0, 9, 0}), profile("generic-80mm")),
                    RenderError);
}

TEST_CASE("the preview refuses a native QR wider than the paper before building it") {
    // Module size 255 from the stream: the symbol would be 21 * 255 dots wide. It must be refused
    // before the raster (about 280 MB at this size) is allocated.
    const std::string huge = bytes({0x1D, '(', 'k', 3, 0, 49, 67, 255}) +
                             bytes({0x1D, '(', 'k', 4, 0, 49, 80, 48, 'x'}) +
                             bytes({0x1D, '(', 'k', 3, 0, 49, 81, 48});
    CHECK_THROWS_WITH_AS(render_escpos(huge, profile("generic-80mm")),
                         doctest::Contains("does not fit the paper width"), RenderError);
    // The same symbol at a size that fits renders.
    std::string fits = huge;
    fits[7] = 3;
    CHECK_NOTHROW(render_escpos(fits, profile("generic-80mm")));
}

TEST_CASE("the stream checker refuses what a printer would misread") {
    CHECK_FALSE(check_escpos(bytes({0x1B, 'Z', 0})).ok());  // unknown command
    CHECK_FALSE(check_escpos(bytes({0x07})).ok());          // stray control byte
    CHECK_FALSE(check_escpos(bytes({0x1D, 'v', '0', 0, 1, 0, 2, 0, 0xFF})).ok());  // short data
    CHECK_FALSE(check_escpos(bytes({0x1D, '(', 'k', 4, 0, 49, 67, 5, 0})).ok());   // pL mismatch
    CHECK_FALSE(check_escpos(bytes({0x1D, 'v', '0', 0, 1, 0, 0, 1})).ok());        // 256 rows
    CHECK_FALSE(check_escpos(std::string("x") + bytes({0x1D, 'v', '0', 0, 1, 0, 1, 0, 0})).ok());
    CHECK_FALSE(check_escpos(bytes({0x1B})).ok());  // truncated
    CHECK(check_escpos(bytes({0x1B, '@', 'a', 0x0A, 0x10, 0x04, 1})).ok());
}

TEST_CASE("profiles file: the shipped one loads; mistakes are named") {
    CHECK(shipped_profiles().size() >= 4);
    CHECK(profile("generic-58mm").dots == 384);
    CHECK(profile("generic-58mm").columns == 32);
    CHECK(profile("epson-tm-t88v").dots == 512);
    CHECK(profile("epson-tm-t88v").columns == 42);
    CHECK_THROWS_WITH_AS(find_profile(shipped_profiles(), "nope"),
                         doctest::Contains("generic-80mm"), ProfileError);
    CHECK_THROWS_AS(parse_profiles("{"), ProfileError);
    CHECK_THROWS_WITH_AS(
        parse_profiles(R"({"version":1,"profiles":[{"name":"x","code_pages":[{"page":"utf8"}]}]})"),
        doctest::Contains("unknown code page"), ProfileError);
    CHECK_THROWS_WITH_AS(
        parse_profiles(
            R"({"version":1,"profiles":[{"name":"x","dots":500,"code_pages":[{"page":"cp437"}]}]})"),
        doctest::Contains("multiple of 8"), ProfileError);
    CHECK_THROWS_WITH_AS(
        parse_profiles(
            R"({"version":1,"profiles":[{"name":"x","colour":1,"code_pages":[{"page":"cp437"}]}]})"),
        doctest::Contains("unknown field"), ProfileError);
}

TEST_CASE("result texts exist in both languages and differ by result") {
    const Messages& m = messages();
    for (auto r : {JobResult::printed, JobResult::printed_unconfirmed, JobResult::paper_out,
                   JobResult::cover_open, JobResult::offline, JobResult::unknown}) {
        for (Language l : {Language::id, Language::en}) {
            CHECK(m.has(l, citizen_message(r)));
            CHECK(m.has(l, staff_message(r)));
        }
    }
    CHECK(std::string(citizen_message(JobResult::printed)) !=
          citizen_message(JobResult::paper_out));
    CHECK(std::string(staff_message(JobResult::paper_out)) != staff_message(JobResult::cover_open));
    CHECK(attract_warning(PrinterState::ok) == nullptr);
    CHECK(attract_warning(PrinterState::paper_near_end) == nullptr);
    CHECK(attract_warning(PrinterState::unknown) == nullptr);
    for (auto s : {PrinterState::paper_out, PrinterState::cover_open, PrinterState::offline}) {
        REQUIRE(attract_warning(s) != nullptr);
        CHECK(m.has(Language::id, attract_warning(s)));
    }
}
