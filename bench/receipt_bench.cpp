// Benchmark of building a full receipt (sign the receipt, QR encode, raster, ESC/POS encode)
// against a bare libqrencode encode of the same URL, in the same run. Prints per-run medians and
// p99, the median of the runs and the ratio. Target (issue #3): receipt median <= 1 ms.
//   receipt_bench [--receipts N] [--runs R] [--profile NAME]
#include <qrencode.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "crypto.h"
#include "escpos.h"
#include "i18n.h"
#include "print_service.h"
#include "profile.h"
#include "receipt.h"
#include "receipt_layout.h"
#include "share.h"
#include "tracking.h"

using namespace lapor;
using Steady = std::chrono::steady_clock;

namespace {

double ms_since(Steady::time_point t) {
    return std::chrono::duration<double, std::milli>(Steady::now() - t).count();
}

struct Stats {
    double median, p99;
};

Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return {v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 99 / 100)]};
}

}  // namespace

int main(int argc, char** argv) {
    int receipts = 1000, runs = 5;
    std::string profile_name = "generic-80mm";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--receipts")
            receipts = std::max(1, std::atoi(argv[i + 1]));
        else if (a == "--runs")
            runs = std::max(1, std::atoi(argv[i + 1]));
        else if (a == "--profile")
            profile_name = argv[i + 1];
    }
    crypto_init();
    const KeyPair device = ed25519_generate();
    const printer::Profile profile = printer::load_profile(profile_name);
    const Messages messages = Messages::load_dir(po_dir());
    const printer::ReceiptContext ctx{"Kantor Walikota Jakarta Pusat",
                                      *time_zone_from("Asia/Jakarta"), &messages};
    std::vector<std::string> codes;
    for (int i = 0; i < receipts; ++i) codes.push_back(new_tracking_code("JK01"));

    std::printf("receipt_bench: %d receipts x %d runs, profile %s (%d dots)\n", receipts, runs,
                profile.name.c_str(), profile.dots);
    std::vector<double> receipt_medians, qr_medians;
    std::size_t bytes = 0;
    for (int run = 0; run < runs; ++run) {
        std::vector<double> t_receipt, t_qr;
        for (int i = 0; i < receipts; ++i) {
            const auto t0 = Steady::now();
            printer::ReceiptJob job;
            PreparedReport& r = job.report;
            r.tracking = codes[static_cast<std::size_t>(i)];
            r.kiosk_id = "JKT-PUSAT-01";
            r.created_unix = 1764400000 + i;
            r.classification = Classification::complaint;
            r.privacy = Privacy::anonymous;
            const ReceiptFields f{r.tracking, r.kiosk_id, r.created_unix, r.classification};
            r.signature = sign_receipt(f, device.secret_key);
            r.qr_url = receipt_url("https://lapor.go.id/kiosk", f, r.signature);
            job.agency_name = "Dinas Perhubungan";
            job.category_name = "Parkir liar";
            const std::string out = printer::encode(printer::receipt_document(job, ctx), profile);
            t_receipt.push_back(ms_since(t0));
            bytes = out.size();

            const auto t1 = Steady::now();
            QRcode* q = QRcode_encodeData(static_cast<int>(r.qr_url.size()),
                                          reinterpret_cast<const unsigned char*>(r.qr_url.data()),
                                          0, QR_ECLEVEL_M);
            t_qr.push_back(ms_since(t1));
            QRcode_free(q);
        }
        const Stats a = stats(t_receipt), b = stats(t_qr);
        receipt_medians.push_back(a.median);
        qr_medians.push_back(b.median);
        std::printf(
            "run %d: receipt median %.3f ms p99 %.3f ms | bare qrencode median %.3f ms "
            "p99 %.3f ms\n",
            run + 1, a.median, a.p99, b.median, b.p99);
    }
    const double rm = stats(receipt_medians).median, qm = stats(qr_medians).median;
    std::printf(
        "median of runs: receipt %.3f ms, bare qrencode %.3f ms, ratio %.1fx; %zu bytes "
        "a receipt; target <= 1 ms: %s\n",
        rm, qm, rm / qm, bytes, rm <= 1.0 ? "met" : "NOT met");
    return 0;
}
