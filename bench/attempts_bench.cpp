// Database growth while the kiosk is offline (issue #11): the real store and the real retry
// policy on a simulated clock. Reports arrive at --per-day for --days; every upload attempt fails
// (no network) and is recorded as the worker records it, then waits the policy's backoff
// (defaults: base 30 s, cap 1800 s). Prints the database size, the attempts table's size and
// rows, and the attempts made, beside what keeping every attempt would take (the same run's
// bytes per attempt row times the attempts made). Target: attempts table under 20 MB.
//   attempts_bench [--days 30] [--per-day 300] [--dir DIR] [--step-s 10]
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "crypto.h"
#include "fixtures.h"
#include "retry_policy.h"
#include "store.h"
#include "submit.h"

using namespace lapor;

namespace {

class SimClock final : public Clock {
public:
    std::int64_t now_ms() const override { return 1'790'000'000'000 + t_; }
    std::int64_t mono_ms() const override { return 1'000'000 + t_; }
    void advance_ms(std::int64_t ms) { t_ += ms; }

private:
    std::int64_t t_ = 0;
};

std::int64_t scalar(const std::string& db, const char* sql) {
    sqlite3* h = nullptr;
    sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* s = nullptr;
    std::int64_t v = -1;
    if (sqlite3_prepare_v2(h, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(h);
    return v;
}

double mb(std::int64_t bytes) { return static_cast<double>(bytes) / 1e6; }

}  // namespace

int main(int argc, char** argv) {
    double days = 30, per_day = 300, step_s = 10;
    std::string dir;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--days")
            days = std::atof(argv[i + 1]);
        else if (a == "--per-day")
            per_day = std::atof(argv[i + 1]);
        else if (a == "--step-s")
            step_s = std::atof(argv[i + 1]);
        else if (a == "--dir")
            dir = argv[i + 1];
        else {
            std::fprintf(stderr, "usage: attempts_bench [--days N] [--per-day N] [--dir DIR]\n");
            return 2;
        }
    }
    crypto_init();
    test::TempDir tmp;
    if (dir.empty()) dir = tmp.path();
    const std::string path = dir + "/attempts-bench.db";
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path + s);
    SimClock clock;
    auto store = open_store(path, clock);
    const KeyPair national = x25519_generate();
    Submitter submitter(
        *store,
        SubmitContext{"JKT-PUSAT-01", "JK01", "https://lapor.go.id/kiosk", national.public_key,
                      "2026-01", ed25519_generate(), *time_zone_from("Asia/Jakarta")},
        clock);
    const sync::RetrySettings policy{30, 1800};
    sync::HttpAnswer offline;
    offline.transport = sync::Transport::connect;
    offline.transport_error = "cannot connect to the server (simulated)";

    const auto wall0 = std::chrono::steady_clock::now();
    const std::int64_t end_ms = static_cast<std::int64_t>(days * 86'400'000);
    const std::int64_t every_ms = static_cast<std::int64_t>(86'400'000 / per_day);
    const std::int64_t step_ms = static_cast<std::int64_t>(step_s * 1000);
    std::int64_t t = 0, next_report = 0, attempts = 0, reports = 0;
    while (t < end_ms) {
        while (next_report <= t) {
            store->insert_report(submitter.prepare(test::valid_draft()));
            ++reports;
            next_report += every_ms;
        }
        // What the worker does with each due report while offline, in batches of 500.
        for (;;) {
            const auto leased = store->lease_next(500, 140'000);
            if (leased.empty()) break;
            std::vector<Store::Outcome> out;
            for (const auto& o : leased) {
                const double unit = static_cast<double>(random_below(1u << 30)) / (1u << 30);
                const auto d =
                    sync::decide(sync::RequestKind::upload, offline, o.attempts, policy, unit, 0);
                Store::Outcome so;
                so.id = o.id;
                so.error = d.words;
                so.next_attempt_ms = clock.mono_ms() + d.delay_ms;
                out.push_back(std::move(so));
            }
            store->record_outcomes(out);
            attempts += static_cast<std::int64_t>(leased.size());
        }
        clock.advance_ms(step_ms);
        t += step_ms;
    }
    store.reset();  // checkpoints the WAL into the database file
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    const auto file = static_cast<std::int64_t>(std::filesystem::file_size(path));
    const auto rows = scalar(path, "SELECT count(*) FROM attempts");
    const auto table = scalar(path,
                              "SELECT sum(pgsize) FROM dbstat WHERE name IN "
                              "('attempts','attempts_report')");
    const auto counted = scalar(path, "SELECT sum(attempts) FROM reports");
    const double per_row = rows > 0 ? static_cast<double>(table) / static_cast<double>(rows) : 0;
    std::printf(
        "attempts_bench: %.0f simulated days offline, %.0f reports/day, backoff 30-1800 s "
        "(%.1f s of real time)\n",
        days, per_day, secs);
    std::printf("  reports %lld, attempts made %lld (counted on the reports: %lld)\n",
                static_cast<long long>(reports), static_cast<long long>(attempts),
                static_cast<long long>(counted));
    std::printf(
        "  database file %.1f MB; attempts table + index %.2f MB in %lld rows "
        "(target < 20 MB)\n",
        mb(file), mb(table), static_cast<long long>(rows));
    std::printf(
        "  keeping every attempt instead: about %.0f MB (%.0f bytes a row x %lld); "
        "bounded / unbounded = %.4f\n",
        mb(static_cast<std::int64_t>(per_row * static_cast<double>(attempts))), per_row,
        static_cast<long long>(attempts),
        attempts > 0 ? static_cast<double>(rows) / static_cast<double>(attempts) : 0.0);
    return table < 20'000'000 ? 0 : 1;
}
