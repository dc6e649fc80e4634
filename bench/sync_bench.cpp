// Drains N queued reports (default 10,000) from a kiosk store to lapor-lab over HTTPS on
// loopback with lapor-sync, several runs: reports/s, CPU seconds per 1,000 reports and peak RSS
// of lapor-sync, and the CPU seconds per 1,000 reports of lapor-lab meanwhile (on a shared
// machine the wall-clock rate is mostly the scheduler's; the CPU split says where a report's cost
// lies: the kiosk's worker or the lab's intake); the baseline is a bare keep-alive libcurl request
// loop (one connection, the same server, POST /v1/reports replaying an accepted report: the lab's
// cheapest intake path) measured in the same run. Prints medians.
// --before PATH drains with another lapor-sync (e.g. a build of an older commit) before each run
// of this one, on the same store copy and a fresh lab: a before/after under the same load.
// --batch-max B is the kiosk's upload.batch_max (default the config's, 50; 1: one report per
// request); --before-batch-max B drains with this lapor-sync at batch_max B before each run
// (without --before): batches against one report per request in the same runs.
//   sync_bench [--reports N] [--runs R] [--in-flight K] [--batch-max B]
//              [--before PATH | --before-batch-max B]
#include <curl/curl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "sync_fixture.h"

using namespace lapor;
using namespace lapor::test;
namespace fs = std::filesystem;

namespace {

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

std::size_t discard(char*, std::size_t s, std::size_t n, void*) { return s * n; }

// CPU seconds (user + system) a running process has used so far, from /proc/PID/stat.
double process_cpu_s(pid_t pid) {
    const auto stat = read_text_file("/proc/" + std::to_string(pid) + "/stat");
    if (!stat) return 0;
    // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
    std::istringstream in(stat->substr(stat->rfind(')') + 2));
    std::string field;
    double utime = 0, stime = 0;
    for (int i = 3; i <= 15 && in >> field; ++i) {
        if (i == 14) utime = std::stod(field);
        if (i == 15) stime = std::stod(field);
    }
    return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double load_average() {
    double l[1] = {0};
    return ::getloadavg(l, 1) == 1 ? l[0] : -1;
}

// The baseline: one keep-alive connection, `n` requests in a loop; returns requests/s.
double bare_loop(int port, const std::string& ca, const std::string& token, const PreparedReport& r,
                 int n) {
    CURL* e = curl_easy_init();
    const std::string url = "https://127.0.0.1:" + std::to_string(port) + "/v1/reports";
    curl_slist* h = nullptr;
    h = curl_slist_append(h, ("Authorization: Bearer " + token).c_str());
    h = curl_slist_append(h, ("Idempotency-Key: " + r.uuid).c_str());
    h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, "Expect:");
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    curl_easy_setopt(e, CURLOPT_CAINFO, ca.c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.upload_body.c_str());
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
    int ok = 0;
    const double t0 = now_s();
    for (int i = 0; i < n; ++i) {
        long code = 0;
        if (curl_easy_perform(e) == CURLE_OK &&
            curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK && code == 200)
            ++ok;
    }
    const double dt = now_s() - t0;
    curl_slist_free_all(h);
    curl_easy_cleanup(e);
    if (ok != n) std::fprintf(stderr, "bare loop: only %d of %d answered 200\n", ok, n);
    return n / dt;
}

}  // namespace

int main(int argc, char** argv) {
    int reports = 10000, runs = 3, in_flight = 8;
    std::string before;  // another lapor-sync, drained in the same runs (an older build)
    int batch_max = Config{}.upload.batch_max, before_batch_max = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--reports")
            reports = std::stoi(argv[i + 1]);
        else if (a == "--runs")
            runs = std::stoi(argv[i + 1]);
        else if (a == "--in-flight")
            in_flight = std::stoi(argv[i + 1]);
        else if (a == "--before")
            before = argv[i + 1];
        else if (a == "--batch-max")
            batch_max = std::stoi(argv[i + 1]);
        else if (a == "--before-batch-max")
            before_batch_max = std::stoi(argv[i + 1]);
    }
    crypto_init();
    curl_global_init(CURL_GLOBAL_DEFAULT);
    TempDir tmp;
    const Pki pki(tmp.path());
    // One filled kiosk store, copied for every run (filling costs one fsync'd commit a report).
    TempDir lab0dir;
    Lab lab0(lab0dir.path(), pki, {});
    Kiosk k0(lab0);
    std::printf("sync_bench: filling a kiosk store with %d reports...\n", reports);
    std::fflush(stdout);
    const double f0 = now_s();
    k0.add_reports(reports);
    std::printf("  filled in %.1f s\n", now_s() - f0);
    const PreparedReport sample = k0.prepared.front();
    k0.store.reset();  // closes and checkpoints the database

    struct Series {
        std::vector<double> rate, cpu, rss, base, ratio, lab_cpus;
    };
    Series now_series, before_series;
    // One drain of a fresh copy of the store into a fresh lab by the given lapor-sync; false if
    // it failed.
    auto drain = [&](const std::string& binary, Series& out, const std::string& label, int run,
                     int batch) {
        TempDir labdir;
        Lab lab(labdir.path(), pki, {}, "server", lab0.national);
        TempDir kdir;
        fs::copy(k0.tmp.path(), kdir.path(), fs::copy_options::recursive);
        KioskSettings ks;
        ks.batch_max = batch;
        Kiosk k(lab, ks, "TEST-KIOSK-01");  // its own folder, for the config only
        // Point this kiosk's config at the copied store.
        std::string cfg = *read_text_file(k.config_path);
        const auto at = cfg.find(k.tmp.path());
        cfg.replace(at, k.tmp.path().size(), kdir.path());
        std::ofstream(k.config_path) << cfg;
        ::unlink((kdir / "lapor-sync.pid").c_str());
        const std::string code = lab.issue_code("TEST-KIOSK-01");
        write_private_file(kdir / "identity/enroll_code", code + "\n", 0600);
        ::unlink((kdir / "identity/token").c_str());

        const double lab_cpu0 = process_cpu_s(lab.pid);
        const double t0 = now_s();
        const pid_t pid =
            spawn({binary, "--config", k.config_path, "--pid-file", kdir / "lapor-sync.pid",
                   "--max-in-flight", std::to_string(in_flight), "--exit-when-idle"},
                  kdir / "sync.log");
        int status = 0;
        rusage ru{};
        ::wait4(pid, &status, 0, &ru);
        const double dt = now_s() - t0;
        const double lab_cpu = process_cpu_s(lab.pid) - lab_cpu0;
        const auto created = lab.ctl->stats()["created"].get<int>();
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || created != reports) {
            std::fprintf(stderr, "run %d: %s failed or the lab holds %d reports; see %s\n", run,
                         binary.c_str(), created, (kdir / "sync.log").c_str());
            return false;
        }
        const double cpu_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                             static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
        const auto token = *read_text_file(kdir / "identity/token");
        const double bare = bare_loop(lab.port, pki / "ca.pem", token.substr(0, token.find('\n')),
                                      sample, std::min(reports, 3000));
        out.rate.push_back(reports / dt);
        out.cpu.push_back(cpu_s / reports * 1000);
        out.rss.push_back(static_cast<double>(ru.ru_maxrss) / 1024.0);
        out.lab_cpus.push_back(lab_cpu / reports * 1000);
        out.base.push_back(bare);
        out.ratio.push_back(out.rate.back() / bare);
        std::printf(
            "  run %d%s: %.0f reports/s (%.2f s), %.3f CPU s per 1,000, peak RSS %.1f MB; "
            "lapor-lab %.3f CPU s per 1,000; bare keep-alive loop %.0f requests/s; ratio %.2f\n",
            run + 1, label.c_str(), out.rate.back(), dt, out.cpu.back(), out.rss.back(),
            out.lab_cpus.back(), bare, out.ratio.back());
        std::fflush(stdout);
        return true;
    };
    const std::string before_label =
        !before.empty() ? " (--before)" : " (batch_max " + std::to_string(before_batch_max) + ")";
    if (before.empty() && before_batch_max > 0) before = LAPOR_SYNC;
    const std::string now_label = " (batch_max " + std::to_string(batch_max) + ")";
    for (int run = 0; run < runs; ++run) {
        if (!before.empty() && !drain(before, before_series, before_label, run,
                                      before_batch_max > 0 ? before_batch_max : batch_max))
            return 1;
        if (!drain(LAPOR_SYNC, now_series, now_label, run, batch_max)) return 1;
    }
    if (!before.empty())
        std::printf(
            "before%s, median of %d runs: %.0f reports/s, %.3f CPU s per 1,000 reports "
            "(lapor-sync), lapor-lab %.3f; bare loop %.0f requests/s; ratio %.2f\n",
            before_label.c_str(), runs, median(before_series.rate), median(before_series.cpu),
            median(before_series.lab_cpus), median(before_series.base),
            median(before_series.ratio));
    const auto& [rate, cpu, rss, base, ratio, lab_cpus] = now_series;
    std::printf(
        "sync_bench: %d reports over HTTPS on loopback, %d requests in flight, up to %d reports "
        "a request, median of %d runs:\n"
        "  %.0f reports/s, %.3f CPU s per 1,000 reports, peak RSS %.1f MB (lapor-sync); "
        "lapor-lab %.3f CPU s per 1,000 reports\n"
        "  baseline: bare keep-alive request loop %.0f requests/s; ratio %.2f "
        "(target >= 2,000 reports/s, issue #11)\n"
        "  CPU bounds: lapor-sync alone on one core would drain %.0f reports/s, lapor-lab alone "
        "on one core would take %.0f; both share this machine's cores (load average %.1f at the "
        "end)\n",
        reports, in_flight, batch_max, runs, median(rate), median(cpu), median(rss),
        median(lab_cpus), median(base), median(ratio), 1000.0 / median(cpu),
        1000.0 / median(lab_cpus), load_average());
    return 0;
}
