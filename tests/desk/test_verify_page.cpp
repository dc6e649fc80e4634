// The staff desk's offline verify page in a real browser: Debian's headless Chromium, driven over
// the DevTools protocol (cdp_client.h) as a USB scanner would type into it, every verdict
// compared with `kioskctl verify` and with the golden vectors of docs/receipt.md.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <utime.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "cdp_client.h"
#include "config.h"
#include "crypto.h"
#include "fixtures.h"
#include "golden_vectors.h"
#include "identity.h"
#include "profile.h"
#include "qr_decode.h"
#include "receipt.h"
#include "run_program.h"
#include "tracking.h"

using namespace lapor;
using nlohmann::json;
using test::Chromium;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// One browser and one scratch folder for the whole suite (a browser start costs a second or two).
struct Desk {
    test::TempDir tmp;
    std::unique_ptr<Chromium> browser;
    Desk() {
        // No kiosk config on a staff PC: kioskctl verify relies on the keyring's bases.
        ::setenv("LAPOR_KIOSK_CONFIG", (tmp / "no-config.toml").c_str(), 1);
        const auto binary = Chromium::find();
        if (!binary)
            FAIL("chromium is not installed: run scripts/setup.sh (scripts/packages/desk)");
        std::filesystem::create_directories(tmp / "chromium");
        browser = std::make_unique<Chromium>(*binary, tmp / "chromium");
    }
};

Desk& desk() {
    static Desk d;
    return d;
}

test::RunResult kioskctl(std::vector<std::string> args) {
    args.insert(args.begin(), KIOSKCTL);
    return test::run_program(args);
}

// Writes the page for `keyring` and opens it; returns its path.
std::string open_page(const std::string& keyring, const std::string& name,
                      std::vector<std::string> extra = {}) {
    const std::string out = desk().tmp / name;
    std::vector<std::string> args{"verify-page", "--keyring", keyring, "--out", out};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = kioskctl(args);
    REQUIRE_MESSAGE(r.code == 0, std::string(r.out + r.err));
    desk().browser->open("file://" + out);
    return out;
}

// What the page shows after one scan (waits for the next verdict, up to 20 s).
json page_check(const std::string& link) {
    Chromium& b = *desk().browser;
    const int before = b.eval("Number(document.getElementById('result').dataset.seq || 0)");
    b.scan(link);
    return b.eval(
        "new Promise((ok, fail) => { const t0 = performance.now(); const tick = () => {"
        " const r = document.getElementById('result');"
        " if (Number(r.dataset.seq || 0) > " +
        std::to_string(before) +
        ") ok({verdict: r.dataset.verdict, tracking: r.dataset.tracking, kiosk: r.dataset.kiosk,"
        " local: r.dataset.local, base: r.dataset.base, office: r.dataset.office,"
        " headline: document.getElementById('verdict').textContent,"
        " mark: document.getElementById('mark').textContent,"
        " reason: document.getElementById('reason').textContent,"
        " input: document.getElementById('link').value,"
        " focused: document.activeElement && document.activeElement.id,"
        " status: document.getElementById('status').hidden ? '' :"
        " document.getElementById('status').href});"
        " else if (performance.now() - t0 > 20000) fail('no verdict within 20 s');"
        " else setTimeout(tick, 2); }; tick(); })");
}

json cli_check(const std::string& link, const std::string& keyring) {
    const auto r = kioskctl({"--json", "verify", link, "--keyring", keyring});
    REQUIRE_MESSAGE((r.code == 0 || r.code == 1), r.err);
    return json::parse(r.out);
}

// The page and kioskctl agree on one link: the same verdict, and for genuine receipts the same
// tracking code, kiosk, filing time (office zone) and site.
std::string agreed_verdict(const std::string& link, const std::string& keyring) {
    const json page = page_check(link);
    const json cli = cli_check(link, keyring);
    CHECK(page["verdict"] == cli["result"]);
    const bool genuine = page["verdict"] == "genuine";
    CHECK(page["headline"] == (genuine ? "ASLI" : "TIDAK ASLI"));
    CHECK(page["mark"] == (genuine ? "✔" : "✘"));
    CHECK(page["reason"].get<std::string>().size() > 10);
    // Ready for the next scan.
    CHECK(page["input"] == "");
    CHECK(page["focused"] == "link");
    if (genuine) {
        // value(): a missing field fails the check instead of aborting the run.
        CHECK(page["tracking"] == cli.value("tracking", "-"));
        CHECK(page["kiosk"] == cli.value("kiosk_id", "-"));
        CHECK(page["local"] == cli.value("created_local", "-"));
        CHECK(page["base"] == cli.value("verify_base", "-"));
        CHECK(page["status"].get<std::string>().starts_with(cli.value("verify_base", "-")));
    } else {
        CHECK(page["status"] == "");
    }
    return page["verdict"];
}

std::string write_golden_keyring() {
    const std::string path = desk().tmp / "golden.keyring";
    std::ofstream(path) << test::golden_keyring_text();
    return path;
}

void set_mtime(const std::string& path, std::int64_t unix_s) {
    const utimbuf t{static_cast<time_t>(unix_s), static_cast<time_t>(unix_s)};
    REQUIRE(::utime(path.c_str(), &t) == 0);
}

}  // namespace

TEST_CASE("Debian's chromium checks Ed25519 with WebCrypto from a file:// page") {
    const std::string keyring = write_golden_keyring();
    open_page(keyring, "golden.html");
    Chromium& b = *desk().browser;
    CHECK(b.eval("isSecureContext") == true);
    CHECK(b.eval("document.getElementById('problem').textContent") == "");
    CHECK(page_check(test::golden_link_vectors()[0].url)["verdict"] == "genuine");
}

TEST_CASE("golden vectors: the page, kioskctl verify and docs/receipt.md agree on every link") {
    const std::string keyring = write_golden_keyring();
    open_page(keyring, "golden.html");
    const auto vectors = test::golden_link_vectors();
    REQUIRE(vectors.size() >= 40);
    for (const auto& v : vectors) {
        CAPTURE(v.name);
        CAPTURE(v.url);
        if (v.url.find_first_not_of(" \t\r\n") == std::string::npos) {
            // A blank Enter at the counter is no scan: the page keeps the last verdict.
            CHECK(cli_check(v.url, keyring)["result"] == v.expect);
            continue;
        }
        CHECK(agreed_verdict(v.url, keyring) == v.expect);
        if (!v.local.empty()) CHECK(page_check(v.url)["local"] == v.local);
    }
    // Links up to 4 KB parse (the golden link padded with a parameter), one byte more does not.
    std::string padded = vectors[0].url + "&x=";
    padded += std::string(max_receipt_link - padded.size(), 'a');
    CHECK(agreed_verdict(padded, keyring) == "genuine");
    CHECK(agreed_verdict(padded + "a", keyring) == "malformed");
}

TEST_CASE("every printer profile's sample receipt is GENUINE in the page; forgeries are not") {
    Desk& d = desk();
    const std::string dir = d.tmp / "kiosk";
    std::filesystem::create_directories(dir);
    std::vector<std::pair<std::string, std::string>> links;  // profile, link read off the print
    for (const auto& profile : printer::load_profiles(printer::default_profiles_path())) {
        CAPTURE(profile.name);
        const std::string png = dir + "/" + profile.name + ".png";
        // Without a config, receipt-preview uses the demo kiosk in ./var/demo.
        const auto r = test::run_program(
            {"sh", "-c",
             "cd '" + dir + "' && exec '" KIOSKCTL "' receipt-preview --profile " + profile.name +
                 " --out '" + png + "'"});
        REQUIRE_MESSAGE(r.code == 0, r.err);
        const auto decoded = printer::test::zbarimg(png);
        REQUIRE(decoded.size() == 1);
        links.emplace_back(profile.name, decoded[0]);
    }
    REQUIRE(links.size() >= 4);
    // The office keyring, gathered the way a technician does it.
    const std::string keyring = d.tmp / "office.keyring";
    const auto e = kioskctl({"keyring", "export", "--out", keyring, dir + "/var/demo/identity"});
    REQUIRE_MESSAGE(e.code == 0, e.err);
    open_page(keyring, "office.html", {"--office", "Kantor Walikota Jakarta Pusat"});
    for (const auto& [profile, link] : links) {
        CAPTURE(profile);
        CAPTURE(link);
        CHECK(agreed_verdict(link, keyring) == "genuine");
        // Each way of forging or damaging that link.
        auto changed = [&](const std::string& from, const std::string& to) {
            std::string u = link;
            const auto at = u.find(from);
            REQUIRE(at != std::string::npos);
            u.replace(at, from.size(), to);
            return u;
        };
        const auto t_at = link.find("&t=") + 3;
        std::string later = link;
        later[t_at + 5] = later[t_at + 5] == '9' ? '8' : '9';
        CHECK(agreed_verdict(later, keyring) == "bad_signature");
        const char cls = link[link.find("&c=") + 3];
        CHECK(agreed_verdict(changed(std::string("&c=") + cls, cls == 'p' ? "&c=a" : "&c=p"),
                             keyring) == "bad_signature");
        const auto code_at = link.find("/r/") + 3;
        std::string code = link.substr(code_at, 16);
        std::string typo = code;
        typo[6] = typo[6] == 'A' ? 'B' : 'A';
        CHECK(agreed_verdict(changed(code, typo), keyring) == "bad_check");
        CHECK(agreed_verdict(changed("k=", "k=X"), keyring) == "unknown_kiosk");
        CHECK(agreed_verdict(changed("https://", "http://"), keyring) == "wrong_site");
        const auto host_end = link.find('/', 8);
        CHECK(agreed_verdict("https://evil.example" + link.substr(host_end), keyring) ==
              "wrong_site");
        CHECK(agreed_verdict(link.substr(0, link.size() - 2), keyring) == "malformed");
        CHECK(agreed_verdict(link + "#x  ", keyring) == "genuine");
    }
}

TEST_CASE("a re-flashed kiosk: keyring export keeps both keys; an old key after it is refused") {
    Desk& d = desk();
    const std::string dir = d.tmp / "reflash";
    std::filesystem::create_directories(dir);
    const auto first = test::run_program(
        {"sh", "-c", "cd '" + dir + "' && exec '" KIOSKCTL "' receipt-preview --out first.png"});
    REQUIRE_MESSAGE(first.code == 0, first.err);
    const std::string config = dir + "/var/demo/kiosk.toml";
    const Config c = load_config(config);
    const auto jan = *parse_utc_time("2026-01-01"), jun = *parse_utc_time("2026-06-01");

    // Key A, born 1 January: its device.pub and a provisioning record (keygen --json).
    set_mtime(c.device_key_path(), jan);
    const auto rec = kioskctl({"--config", config, "--json", "keygen"});
    REQUIRE(rec.code == 0);
    std::filesystem::create_directories(dir + "/records");
    std::ofstream(dir + "/records/" + c.kiosk.id + "-a.json") << rec.out;
    std::filesystem::copy_file(c.device_pub_path(), dir + "/a.pub");
    const KeyPair a = load_device_key(c.device_key_path());
    // The re-flash: a new key B, born 1 June.
    std::filesystem::remove(c.device_key_path());
    REQUIRE(kioskctl({"--config", config, "keygen"}).code == 0);
    set_mtime(c.device_key_path(), jun);
    REQUIRE(kioskctl({"--config", config, "keygen"}).code == 0);
    std::filesystem::copy_file(c.device_pub_path(), dir + "/b.pub");
    const KeyPair b = load_device_key(c.device_key_path());

    const std::string keyring = dir + "/office.keyring";
    const auto ex = kioskctl({"keyring", "export", "--out", keyring, dir + "/records"});
    REQUIRE_MESSAGE(ex.code == 0, ex.err);
    const auto ex2 = kioskctl(
        {"keyring", "export", "--into", keyring, "--out", keyring, dir + "/a.pub", dir + "/b.pub"});
    REQUIRE_MESSAGE(ex2.code == 0, ex2.err);
    CHECK(ex2.err.find("already listed") != std::string::npos);
    CHECK(ex2.err.find("re-flash") != std::string::npos);
    const Keyring ring = Keyring::load_file(keyring);
    REQUIRE(ring.entries().size() == 2);
    CHECK(ring.entries()[0].valid_from == jan);
    CHECK(ring.entries()[0].valid_until == jun);
    CHECK(ring.entries()[1].valid_from == jun);
    CHECK_FALSE(ring.entries()[1].valid_until);
    CHECK(ring.entries()[0].office == c.kiosk.office);

    auto signed_link = [&](const KeyPair& key, const std::string& date) {
        const ReceiptFields f{new_tracking_code(c.kiosk.code_prefix), c.kiosk.id,
                              *parse_utc_time(date), Classification::complaint};
        return receipt_url(c.receipt.verify_base, f, sign_receipt(f, key.secret_key));
    };
    open_page(keyring, "reflash.html");
    CHECK(agreed_verdict(signed_link(a, "2026-03-01"), keyring) == "genuine");
    CHECK(agreed_verdict(signed_link(b, "2026-07-01"), keyring) == "genuine");
    // Key A after the re-flash (a stolen old disk), key B before it existed: expired / not yet.
    CHECK(agreed_verdict(signed_link(a, "2026-07-01"), keyring) == "key_not_valid");
    CHECK(agreed_verdict(signed_link(b, "2026-03-01"), keyring) == "key_not_valid");
    // An export never drops a key: exporting only B into the keyring keeps A.
    const auto ex3 =
        kioskctl({"keyring", "export", "--into", keyring, "--out", keyring, dir + "/b.pub"});
    REQUIRE(ex3.code == 0);
    CHECK(Keyring::load_file(keyring).entries().size() == 2);
}

TEST_CASE("at the counter: result stays, input refocused, words and mark, English, 20 in history") {
    const std::string keyring = write_golden_keyring();
    open_page(keyring, "counter.html", {"--office", "Kantor Walikota Jakarta Pusat"});
    Chromium& b = *desk().browser;
    const auto vectors = test::golden_link_vectors();
    const json g = page_check(vectors[0].url);
    REQUIRE(g["verdict"] == "genuine");
    // The verdict stays until the next scan, whatever else happens on the page.
    b.eval("new Promise(ok => setTimeout(ok, 300))");
    CHECK(b.eval("document.getElementById('result').dataset.verdict") == "genuine");
    // Colour plus words plus mark: the two verdicts differ in all three.
    const std::string colour =
        "getComputedStyle(document.getElementById('result')).backgroundColor";
    const json green = b.eval(colour);
    const json bad = page_check(vectors[14].url);
    CHECK(bad["verdict"] != "genuine");
    CHECK(b.eval(colour) != green);
    // English on a click, the verdict re-told in it; the scanner input gets the focus back.
    b.click("lang-en");
    CHECK(b.eval("document.getElementById('verdict').textContent") == "NOT GENUINE");
    CHECK(b.eval("document.activeElement.id") == "link");
    const json en = page_check(vectors[0].url);
    CHECK(en["headline"] == "GENUINE");
    CHECK(en["reason"].get<std::string>().find("has not been altered") != std::string::npos);
    b.click("lang-id");
    // History: the last 20 checks, newest first, in memory only.
    for (int i = 0; i < 22; ++i) page_check(vectors[static_cast<std::size_t>(i % 5 + 10)].url);
    CHECK(b.eval("document.querySelectorAll('#history-list li').length") == 20);
    CHECK(b.eval("localStorage.length + sessionStorage.length") == 0);
    // 200 % zoom of a 1280 px wide window: 640 CSS px, nothing cut off or scrolled sideways.
    b.call("Emulation.setDeviceMetricsOverride",
           {{"width", 640}, {"height", 450}, {"deviceScaleFactor", 2}, {"mobile", false}});
    page_check(vectors[0].url);
    CHECK(b.eval("document.documentElement.scrollWidth <= window.innerWidth") == true);
    for (const char* id : {"link", "verdict", "reason", "fields", "check"})
        CHECK_MESSAGE(b.eval(std::string("document.getElementById('") + id +
                             "').getBoundingClientRect().right <= window.innerWidth") == true,
                      id);
    b.call("Emulation.clearDeviceMetricsOverride");
}

TEST_CASE("the camera button: absent without BarcodeDetector, scans like typing where offered") {
    const std::string keyring = write_golden_keyring();
    Chromium& b = *desk().browser;
    open_page(keyring, "camera.html");
    CHECK(b.eval("'BarcodeDetector' in window") == false);  // desktop Linux Chromium has none
    CHECK(b.eval("document.getElementById('camera').hidden") == true);
    // A browser that offers it (as Chrome on Android does): a stand-in detector that "sees" the
    // golden link in a canvas stream standing in for the camera.
    const std::string link = test::golden_link_vectors()[0].url;
    const json script =
        b.call("Page.addScriptToEvaluateOnNewDocument",
               {{"source",
                 "window.BarcodeDetector = class { constructor(o) { this.o = o; }"
                 " static async getSupportedFormats() { return ['qr_code']; }"
                 " async detect() { return [{ rawValue: " +
                     json(link).dump() +
                     " }]; } };"
                     "navigator.mediaDevices.getUserMedia = async () => {"
                     " const c = document.createElement('canvas'); c.width = 64; c.height = 64;"
                     " c.getContext('2d').fillRect(0, 0, 64, 64); return c.captureStream(); };"}});
    b.open("file://" + desk().tmp / "camera.html");
    CHECK(b.eval("document.getElementById('camera').hidden") == false);
    CHECK(b.eval("document.getElementById('camera').textContent") == "Pindai dengan kamera");
    b.click("camera");
    const json r = b.eval(
        "new Promise((ok, fail) => { const t0 = performance.now(); const tick = () => {"
        " const d = document.getElementById('result').dataset;"
        " if (d.seq) ok(d.verdict); else if (performance.now() - t0 > 20000) fail('none');"
        " else setTimeout(tick, 10); }; tick(); })");
    CHECK(r == "genuine");
    CHECK(b.eval("document.getElementById('video').hidden") == true);  // camera closed again
    b.call("Page.removeScriptToEvaluateOnNewDocument", {{"identifier", script["identifier"]}});
}

TEST_CASE("the page never reaches the network and sends the link nowhere") {
    const std::string keyring = write_golden_keyring();
    const std::string page = open_page(keyring, "offline.html");
    Chromium& b = *desk().browser;
    const std::string html = slurp(page);
    CHECK(html.find("connect-src 'none'") != std::string::npos);
    CHECK(html.find("default-src 'none'") != std::string::npos);
    CHECK(html.find("<script src") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    b.call("Network.enable");
    b.clear_events();
    for (std::size_t i = 0; i < 5; ++i) page_check(test::golden_link_vectors()[i].url);
    b.eval("new Promise(ok => setTimeout(ok, 100))");
    int requests = 0;
    for (const auto& e : b.events())
        if (e["method"] == "Network.requestWillBeSent") ++requests;
    CHECK(requests == 0);
    // Anything that tried to send the link would be refused by the page's own policy.
    CHECK(b.eval("fetch('https://lapor.go.id/x').then(() => 'sent', () => 'refused')") ==
          "refused");
    b.call("Network.disable");
}

TEST_CASE("screenshots of a genuine and a forged receipt (docs/desk-*.png)") {
    const std::string keyring = write_golden_keyring();
    open_page(keyring, "shots.html", {"--office", "Kantor Walikota Jakarta Pusat"});
    Chromium& b = *desk().browser;
    b.call("Emulation.setDeviceMetricsOverride",
           {{"width", 900}, {"height", 760}, {"deviceScaleFactor", 1}, {"mobile", false}});
    const auto vectors = test::golden_link_vectors();
    // A few earlier checks so the history shows, then the one the shot is about.
    page_check(vectors[2].url);
    page_check(vectors[21].url);
    const char* dir_env = std::getenv("LAPOR_DESK_SCREENSHOTS");
    const std::string dir = dir_env && *dir_env ? dir_env : desk().tmp.path();
    CHECK(page_check(vectors[0].url)["verdict"] == "genuine");
    b.screenshot(dir + "/desk-genuine.png");
    CHECK(page_check(vectors[13].url)["verdict"] == "bad_signature");
    b.screenshot(dir + "/desk-forged.png");
    for (const char* f : {"/desk-genuine.png", "/desk-forged.png"})
        CHECK(slurp(dir + f).starts_with("\x89PNG"));
    b.call("Emulation.clearDeviceMetricsOverride");
}

TEST_CASE("verify-page and keyring export: usage and environment errors say what to do") {
    Desk& d = desk();
    const std::string keyring = write_golden_keyring();
    auto r = kioskctl({"verify-page", "--keyring", keyring});
    CHECK(r.code == 2);
    CHECK(r.err.find("--out") != std::string::npos);
    r = kioskctl({"verify-page", "--keyring", d.tmp / "missing", "--out", d.tmp / "x.html"});
    CHECK(r.code == 3);
    CHECK(r.err.find("cannot read") != std::string::npos);
    // A keyring with no base= and no --verify-base would make every link "wrong site".
    const std::string bare = d.tmp / "bare.keyring";
    std::ofstream(bare) << "K1 JK01 A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\n";
    r = kioskctl({"verify-page", "--keyring", bare, "--out", d.tmp / "x.html"});
    CHECK(r.code == 2);
    CHECK(r.err.find("--verify-base") != std::string::npos);
    r = kioskctl(
        {"verify-page", "--keyring", bare, "--verify-base", "http://x", "--out", d.tmp / "x.html"});
    CHECK(r.code == 2);
    CHECK(r.err.find("https://") != std::string::npos);
    r = kioskctl({"verify-page", "--keyring", bare, "--verify-base", "https://lapor.go.id/kiosk",
                  "--out", d.tmp / "x.html"});
    CHECK(r.code == 0);
    // An office name cannot break out of the page's data.
    r = kioskctl({"verify-page", "--keyring", keyring, "--office", "</script><b>@SCRIPT@", "--out",
                  d.tmp / "y.html"});
    REQUIRE(r.code == 0);
    const std::string html = slurp(d.tmp / "y.html");
    CHECK(html.find("</script><b>") == std::string::npos);
    CHECK(html.find("\\u003c/script>\\u003cb>@SCRIPT@") != std::string::npos);

    r = kioskctl({"keyring", "export"});
    CHECK(r.code == 2);
    r = kioskctl({"keyring", "export", d.tmp / "nothing-here"});
    CHECK(r.code == 3);
    CHECK(r.err.find("no such file") != std::string::npos);
    std::ofstream(d.tmp / "broken.pub") << "K1 JK01 A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg= "
                                           "tz=Mars/Olympus\n";
    r = kioskctl({"keyring", "export", "--out", d.tmp / "k", d.tmp / "broken.pub"});
    CHECK(r.code == 3);
    CHECK(r.err.find("broken.pub: line 1: tz=Mars/Olympus") != std::string::npos);
    CHECK(r.err.find("nothing was written") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(d.tmp / "k"));
}
