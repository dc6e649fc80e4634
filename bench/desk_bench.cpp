// Benchmark of the staff desk's offline verify page (issue #16) in Debian's headless Chromium:
// the time from the scanner's Enter to the verdict, for genuine receipts (WebCrypto Ed25519
// verify) against links that are not receipts (same input handling and drawing, no signature
// check), measured in the same run. Target: scan to verdict under 50 ms.
//
// "Scan to verdict" is measured inside the page, from the Enter key event's timestamp to the
// first animation frame after the verdict is in the page (window.deskTimings); the scanner's own
// typing of the link (hardware speed) is not ours and not counted. The driver's round trip
// (DevTools Enter sent -> verdict read back, protocol overhead included) is printed beside it.
//   desk_bench [--scans N] [--runs R]
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cdp_client.h"
#include "crypto.h"
#include "receipt.h"
#include "tracking.h"

using namespace lapor;
using nlohmann::json;
using Steady = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

struct Run {
    std::vector<double> verdict_ms, frame_ms, round_trip_ms;
};

// Scans each link once; the page's own timings and the driver's round trips.
Run scan_all(test::Chromium& b, const std::vector<std::string>& links) {
    Run r;
    b.eval("window.deskTimings.length = 0");
    for (const auto& link : links) {
        const int before = b.eval("Number(document.getElementById('result').dataset.seq || 0)");
        b.call("Input.insertText", {{"text", link}});
        const auto t0 = Steady::now();
        b.scan("");  // Enter
        b.eval(
            "new Promise(ok => { const tick = () => Number(document.getElementById('result')"
            ".dataset.seq || 0) > " +
            std::to_string(before) + " ? ok() : setTimeout(tick, 0); tick(); })");
        r.round_trip_ms.push_back(
            std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
    }
    b.eval("new Promise(ok => requestAnimationFrame(() => requestAnimationFrame(ok)))");
    for (const auto& t : b.eval("window.deskTimings")) {
        r.verdict_ms.push_back(t["verdict_ms"]);
        r.frame_ms.push_back(t["frame_ms"]);
    }
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    int scans = 40, runs = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--scans") scans = std::max(1, std::atoi(argv[i + 1]));
        if (a == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
    }
    const auto chromium = test::Chromium::find();
    if (!chromium) {
        std::fprintf(stderr, "desk_bench: chromium is not installed (scripts/setup.sh)\n");
        return 3;
    }
    crypto_init();
    std::string tmpl = (std::filesystem::temp_directory_path() / "desk-bench-XXXXXX").string();
    const std::string dir = ::mkdtemp(tmpl.data());
    // An office of 20 kiosks with two keys each, as a page after a few re-flashes would hold.
    const std::string base = "https://lapor.go.id/kiosk";
    std::string keyring_text;
    KeyPair signer;
    for (int k = 0; k < 20; ++k) {
        for (int gen = 0; gen < 2; ++gen) {
            const KeyPair kp = ed25519_generate();
            const std::string id = "KIOSK-" + std::to_string(k);
            KeyringEntry e{id, "K" + std::string(1, "0123456789ABCDEFGHJK"[k]) + "01",
                           kp.public_key};
            e.verify_base = base;
            if (gen == 0)
                e.valid_until = 1780272000;
            else
                e.valid_from = 1780272000;
            keyring_text += keyring_line(e) + "\n";
            if (k == 19 && gen == 1) signer = kp;  // the last key listed: the most keys tried
        }
    }
    std::ofstream(dir + "/office.keyring") << keyring_text;
    const std::string page = dir + "/verify.html";
    const std::string cmd = std::string("'") + KIOSKCTL + "' verify-page --keyring '" + dir +
                            "/office.keyring' --out '" + page + "' >/dev/null";
    if (std::system(cmd.c_str()) != 0) {
        std::fprintf(stderr, "desk_bench: kioskctl verify-page failed\n");
        return 3;
    }
    std::vector<std::string> genuine, baseline;
    for (int i = 0; i < scans; ++i) {
        const ReceiptFields f{new_tracking_code("KK01"), "KIOSK-19", 1790000000 + i,
                              Classification::complaint};
        genuine.push_back(receipt_url(base, f, sign_receipt(f, signer.secret_key)));
        // Same length, not a receipt link: everything but the signature check.
        std::string not_receipt = genuine.back();
        not_receipt.replace(not_receipt.find("/r/"), 3, "/x/");
        baseline.push_back(not_receipt);
    }
    std::filesystem::create_directories(dir + "/chromium");
    std::vector<double> g_verdict, g_frame, b_verdict, b_frame, g_trip;
    {
        test::Chromium b(*chromium, dir + "/chromium");
        b.open("file://" + page);
        scan_all(b, genuine);  // warm-up: key import, JIT
        std::printf("desk_bench: %d scans per run, %d runs; 20 kiosks x 2 keys in the page\n",
                    scans, runs);
        std::printf("%-4s %-28s %-28s %s\n", "run", "genuine verdict/frame ms",
                    "not-a-receipt verdict/frame", "round trip ms (genuine)");
        for (int r = 0; r < runs; ++r) {
            const Run g = scan_all(b, genuine);
            const Run n = scan_all(b, baseline);
            if (b.eval("document.getElementById('result').dataset.verdict") != "malformed" ||
                g.verdict_ms.size() != genuine.size()) {
                std::fprintf(stderr, "desk_bench: the page did not give the expected verdicts\n");
                return 1;
            }
            std::printf("%-4d %8.2f / %-17.2f %8.2f / %-17.2f %.2f\n", r + 1, median(g.verdict_ms),
                        median(g.frame_ms), median(n.verdict_ms), median(n.frame_ms),
                        median(g.round_trip_ms));
            g_verdict.push_back(median(g.verdict_ms));
            g_frame.push_back(median(g.frame_ms));
            b_verdict.push_back(median(n.verdict_ms));
            b_frame.push_back(median(n.frame_ms));
            g_trip.push_back(median(g.round_trip_ms));
        }
    }
    std::filesystem::remove_all(dir);
    const double gf = median(g_frame), bf = median(b_frame);
    std::printf(
        "median of runs: genuine scan->verdict %.2f ms, ->painted frame %.2f ms; "
        "not-a-receipt %.2f / %.2f ms; ratio (frame) %.2f; driver round trip %.2f ms\n",
        median(g_verdict), gf, median(b_verdict), bf, bf > 0 ? gf / bf : 0, median(g_trip));
    std::printf("target: scan to verdict under 50 ms: %s\n", gf < 50 ? "met" : "NOT met");
    return 0;
}
