// The herd (issue #11): many kiosks on a simulated clock, each applying the real retry policy
// (sync/retry_policy: sync::decide) to its uploads, heartbeats, status and catalog requests as
// lapor-sync does: with no connection to the endpoint uploads pause and one report probes, the
// pause growing with the run of failed probes (sync/worker.cpp); once a probe gets through the
// kiosk sends its whole queue; a periodic request that fails waits the longer of its period and
// the policy's delay. The national side answers everything at once while up and nothing (no
// connection) during an outage. Prints the steady request rate before the outage, the peak rate
// (per minute) from the outage on, their ratio, and the time from recovery until every queue is
// empty. Targets: peak <= 3x steady, drained within 30 minutes (docs/sync.md, "The herd", says
// why both cannot hold at 300 reports a day: the backlog alone is more than 2x steady for 30 min).
// --per-report models the worker before the probe (each report on its own backoff).
//   herd_bench [--kiosks 5000] [--reports-per-day 20] [--outage-h 6] [--runs 3]
//              [--base-s 30] [--cap-s 1800] [--per-report]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <queue>
#include <random>
#include <string>
#include <vector>

#include "retry_policy.h"

using namespace lapor::sync;

namespace {

struct Options {
    int kiosks = 5000;
    double reports_per_day = 20;
    double outage_h = 6;
    double base_s = 30;
    double cap_s = 1800;
    int runs = 3;
    bool per_report = false;  // the worker before the probe: every report on its own backoff
};

// Periods of lapor-sync's periodic requests (config defaults).
constexpr double heartbeat_s = 300, status_s = 900, catalog_s = 86400;

enum Kind { arrival, upload, heartbeat, status, catalog };

struct Event {
    double t;
    int kiosk;
    Kind kind;
    int report;  // upload: index into the kiosk's reports
    bool operator>(const Event& o) const { return t > o.t; }
};

struct Kiosk {
    std::vector<int> failures;  // per report; -1 once accepted (--per-report)
    int waiting = 0;
    int periodic_failures[5] = {};
    int unreachable = 0;    // failed probes in a row
    bool send_due = false;  // an upload event (send the queue, or probe) is scheduled
};

struct Result {
    double steady, peak, drain_s;
    double outage;  // mean request rate in the outage's last hour (everything queued by then)
};

Result simulate(const Options& o, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::exponential_distribution<double> gap(o.reports_per_day / 86400.0);
    const double steady_from = 3600, outage_at = 3 * 3600;
    const double recover_at = outage_at + o.outage_h * 3600;
    const double end = recover_at + 3 * 3600;
    const RetrySettings policy{o.base_s, o.cap_s};
    HttpAnswer down;
    down.transport = Transport::connect;
    down.transport_error = "cannot connect";

    std::priority_queue<Event, std::vector<Event>, std::greater<>> q;
    std::vector<Kiosk> kiosks(static_cast<std::size_t>(o.kiosks));
    for (int k = 0; k < o.kiosks; ++k) {
        q.push({gap(rng), k, arrival, 0});
        q.push({unit(rng) * heartbeat_s, k, heartbeat, 0});
        q.push({unit(rng) * status_s, k, status, 0});
        q.push({unit(rng) * catalog_s, k, catalog, 0});
    }
    std::map<long, long> per_minute;  // requests by minute
    long steady_requests = 0;
    long waiting_total = 0;
    double drained_at = -1;
    while (!q.empty()) {
        const Event e = q.top();
        q.pop();
        if (e.t > end) break;
        Kiosk& k = kiosks[static_cast<std::size_t>(e.kiosk)];
        const bool up = e.t < outage_at || e.t >= recover_at;
        if (e.kind == arrival) {
            k.failures.push_back(0);
            ++k.waiting, ++waiting_total;
            if (o.per_report)
                q.push({e.t, e.kiosk, upload, static_cast<int>(k.failures.size()) - 1});
            else if (!k.send_due)
                q.push({e.t, e.kiosk, upload, 0}), k.send_due = true;  // else it waits its turn
            q.push({e.t + gap(rng), e.kiosk, arrival, 0});
            continue;
        }
        if (e.kind == upload && !o.per_report) {
            // The kiosk's queue: all of it when the endpoint answers, one probe when it does not.
            k.send_due = false;
            const long sent = up ? k.waiting : 1;
            per_minute[static_cast<long>(e.t / 60)] += sent;
            if (e.t >= steady_from && e.t < outage_at) steady_requests += sent;
            if (up) {
                waiting_total -= k.waiting;
                k.waiting = 0;
                k.unreachable = 0;
                if (waiting_total == 0 && e.t >= recover_at && drained_at < 0) drained_at = e.t;
                continue;
            }
            const auto d = decide(RequestKind::upload, down, k.unreachable, policy, unit(rng), 0);
            ++k.unreachable;
            q.push({e.t + static_cast<double>(d.delay_ms) / 1000.0, e.kiosk, upload, 0});
            k.send_due = true;
            continue;
        }
        ++per_minute[static_cast<long>(e.t / 60)];
        if (e.t >= steady_from && e.t < outage_at) ++steady_requests;
        if (e.kind == upload) {
            int& f = k.failures[static_cast<std::size_t>(e.report)];
            if (up) {
                f = -1;
                --k.waiting, --waiting_total;
                if (waiting_total == 0 && e.t >= recover_at && drained_at < 0) drained_at = e.t;
                continue;
            }
            const auto d = decide(RequestKind::upload, down, f, policy, unit(rng), 0);
            ++f;
            q.push({e.t + static_cast<double>(d.delay_ms) / 1000.0, e.kiosk, upload, e.report});
            continue;
        }
        const double period = e.kind == heartbeat ? heartbeat_s
                              : e.kind == status  ? status_s
                                                  : catalog_s;
        const RequestKind rk = e.kind == heartbeat ? RequestKind::heartbeat
                               : e.kind == status  ? RequestKind::status
                                                   : RequestKind::catalog;
        int& f = k.periodic_failures[e.kind];
        double next = e.t + period;
        if (up) {
            f = 0;
        } else {
            const auto d = decide(rk, down, f, policy, unit(rng), 0);
            ++f;
            next = std::max(next, e.t + static_cast<double>(d.delay_ms) / 1000.0);
        }
        q.push({next, e.kiosk, e.kind, 0});
    }
    long peak = 0;
    for (const auto& [minute, n] : per_minute)
        if (static_cast<double>(minute) * 60 >= outage_at) peak = std::max(peak, n);
    Result r;
    r.steady = static_cast<double>(steady_requests) / (outage_at - steady_from);
    long late_outage = 0;
    for (const auto& [minute, n] : per_minute)
        if (static_cast<double>(minute) * 60 >= recover_at - 3600 &&
            static_cast<double>(minute) * 60 < recover_at)
            late_outage += n;
    r.outage = static_cast<double>(late_outage) / 3600.0;
    r.peak = static_cast<double>(peak) / 60.0;
    r.drain_s = drained_at < 0 ? -1 : drained_at - recover_at;
    return r;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--per-report") {
            o.per_report = true;
            continue;
        }
        const double v = i + 1 < argc ? std::atof(argv[++i]) : 0;
        if (a == "--kiosks")
            o.kiosks = static_cast<int>(v);
        else if (a == "--reports-per-day")
            o.reports_per_day = v;
        else if (a == "--outage-h")
            o.outage_h = v;
        else if (a == "--base-s")
            o.base_s = v;
        else if (a == "--cap-s")
            o.cap_s = v;
        else if (a == "--runs")
            o.runs = static_cast<int>(v);
        else {
            std::fprintf(stderr,
                         "usage: herd_bench [--kiosks N] [--reports-per-day N] [--outage-h H] "
                         "[--base-s S] [--cap-s S] [--runs R] [--per-report]\n");
            return 2;
        }
    }
    std::printf(
        "herd_bench: %d kiosks, %.0f reports/kiosk/day, heartbeat %.0f s, status %.0f s, "
        "backoff %.0f-%.0f s, %.1f h national outage (simulated clock), %s\n",
        o.kiosks, o.reports_per_day, heartbeat_s, status_s, o.base_s, o.cap_s, o.outage_h,
        o.per_report ? "each report on its own backoff" : "one probe per kiosk while unreachable");
    std::vector<double> steady, peak, ratio, drain, outage;
    for (int run = 0; run < o.runs; ++run) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto r = simulate(o, 1000 + static_cast<std::uint64_t>(run));
        const double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf(
            "  run %d: steady %.1f req/s, outage's last hour %.1f req/s, peak %.1f req/s (x%.2f), "
            "drained %.1f min after recovery (%.1f s)\n",
            run + 1, r.steady, r.outage, r.peak, r.peak / r.steady, r.drain_s / 60.0, secs);
        steady.push_back(r.steady);
        peak.push_back(r.peak);
        ratio.push_back(r.peak / r.steady);
        drain.push_back(r.drain_s);
        outage.push_back(r.outage);
    }
    const double mr = median(ratio), md = median(drain);
    std::printf(
        "median: steady %.1f req/s, outage's last hour %.1f req/s, peak %.1f req/s, peak/steady "
        "%.2f (target <= 3), drained %.1f min after recovery (target <= 30)\n",
        median(steady), median(outage), median(peak), mr, md / 60.0);
    return mr <= 3.0 && md >= 0 && md <= 1800 ? 0 : 1;
}
