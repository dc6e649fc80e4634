// Benchmark of the full submit path (validate, seal, sign, build the body, commit with
// synchronous=FULL) against a bare one-row INSERT + commit with the same settings, in the same
// run and on the same disk. Prints per-run median and p99, the median of the runs, the ratio,
// CPU time and peak RSS. Target (issue #2): submit median <= 2 ms.
//   submit_bench [--dir DIR] [--reports N] [--runs R]
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "catalog.h"
#include "share.h"
#include "store.h"
#include "submit.h"

using namespace lapor;
using Clock_ = std::chrono::steady_clock;

namespace {

double ms_since(Clock_::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock_::now() - t).count();
}

struct Stats {
    double median, p99;
};

Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return {v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 99 / 100)]};
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

std::vector<double> bench_submit(const std::string& path, int n, const Catalog& catalog) {
    SystemClock clock;
    auto store = open_store(path, clock);
    const auto national = x25519_generate();
    const auto tz = *time_zone_from("Asia/Jakarta");
    Submitter sub(*store,
                  SubmitContext{"JKT-PUSAT-01", "JK01", "https://lapor.go.id/kiosk",
                                national.public_key, "2026-01", ed25519_generate(), tz},
                  clock);
    ReportDraft d;
    d.language = Language::id;
    d.classification = Classification::complaint;
    d.agency_id = "dishub";
    d.category_id = "dishub-parkir-liar";
    d.title = "Parkir liar di depan pasar setiap pagi";
    d.body = std::string(600, 'x') + "\nMacet sampai 1 km. Mohon ditertibkan.";
    d.incident_date = local_date(clock.now_ms() / 1000, tz);
    d.location = "Jl. Pasar Baru No. 1, Sawah Besar, Jakarta Pusat";
    d.privacy = Privacy::anonymous;
    d.consent = true;
    d.name = "Siti Rahayu";
    d.phone = "0812-3456-7890";
    d.nik = "3171014507900001";
    std::vector<double> t;
    t.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const auto start = Clock_::now();
        if (!sub.submit(d, catalog).ok()) {
            std::fprintf(stderr, "submit refused\n");
            std::exit(1);
        }
        t.push_back(ms_since(start));
    }
    return t;
}

std::vector<double> bench_bare_insert(const std::string& path, int n) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                 "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB);",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO t (v) VALUES (?)", -1, &s, nullptr);
    const std::string payload(1200, 'x');  // about the size of an upload body
    std::vector<double> t;
    for (int i = 0; i < n; ++i) {
        const auto start = Clock_::now();
        sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
        sqlite3_bind_blob(s, 1, payload.data(), static_cast<int>(payload.size()), SQLITE_STATIC);
        sqlite3_step(s);
        sqlite3_reset(s);
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
        t.push_back(ms_since(start));
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return t;
}

double cpu_s() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir = "build/bench-data";
    int n = 2000, runs = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--dir")
            dir = argv[i + 1];
        else if (a == "--reports")
            n = std::atoi(argv[i + 1]);
        else if (a == "--runs")
            runs = std::atoi(argv[i + 1]);
    }
    crypto_init();
    std::filesystem::create_directories(dir);
    const Catalog catalog = Catalog::load_file(default_catalog_path());
    std::printf("submit_bench: %d reports x %d runs, database in %s\n", n, runs, dir.c_str());
    std::printf("%-5s %-34s %-34s %s\n", "run", "submit median / p99 (ms)",
                "bare INSERT+commit median / p99", "ratio");
    std::vector<double> sub_medians, sub_p99s, base_medians, ratios;
    const double cpu0 = cpu_s();
    const auto wall0 = Clock_::now();
    for (int r = 0; r < runs; ++r) {
        const std::string a = dir + "/submit-" + std::to_string(r) + ".db";
        const std::string b = dir + "/bare-" + std::to_string(r) + ".db";
        for (const auto& p : {a, b})
            for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p + suffix);
        // Alternate the order so neither side always runs on a warmer disk cache.
        std::vector<double> s, base;
        if (r % 2 == 0) {
            s = bench_submit(a, n, catalog);
            base = bench_bare_insert(b, n);
        } else {
            base = bench_bare_insert(b, n);
            s = bench_submit(a, n, catalog);
        }
        const auto ss = stats(s), bs = stats(base);
        sub_medians.push_back(ss.median);
        sub_p99s.push_back(ss.p99);
        base_medians.push_back(bs.median);
        ratios.push_back(ss.median / bs.median);
        std::printf("%-5d %8.3f / %-23.3f %8.3f / %-23.3f %.2f\n", r + 1, ss.median, ss.p99,
                    bs.median, bs.p99, ss.median / bs.median);
    }
    const double wall = ms_since(wall0) / 1000.0;
    const double cpu = cpu_s() - cpu0;
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    std::printf("\nmedian of runs: submit %.3f ms (p99 %.3f ms), bare insert %.3f ms, ratio %.2f\n",
                median(sub_medians), median(sub_p99s), median(base_medians), median(ratios));
    std::printf("target: submit median <= 2 ms: %s\n",
                median(sub_medians) <= 2.0 ? "met" : "NOT met");
    std::printf("cpu %.2f s over %.2f s wall (%.0f%% of one core), peak RSS %ld MB\n", cpu, wall,
                100.0 * cpu / wall, u.ru_maxrss / 1024);
    std::filesystem::remove_all(dir);
    return 0;
}
