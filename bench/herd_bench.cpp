// The herd (issue #11): many kiosks on a simulated clock through a national outage and the
// recovery, each doing what lapor-sync does (sync/worker.cpp), with the real retry policy and
// catch-up pace (sync/retry_policy: decide, catch_up_gap_ms) and the config's default periods:
// - uploads: a report goes when it is made; with no connection to the endpoint uploads pause
//   and one report probes (the pause grows with the failed probes, at most probe_cap_s);
// - several due reports go in one request, up to --batch-max (the config's batch_max; 1: one
//   report per request) (docs/api.md, "Batch upload");
// - after an outage of catch_up_after_ms or more, the queue goes one request at a time at
//   --catch-up-factor times the kiosk's usual request rate (its reports of the last 24 hours,
//   its last complete status round, the heartbeat and catalog periods) less the heartbeat, which
//   keeps its pace; status and catalog are skipped until it is sent (then they resume at their
//   usual phase);
//   --catch-up-factor 0 sends the queue at once (lapor-sync before the pace);
// - heartbeat every heartbeat_s; catalog every catalog_refresh_s; status every
//   status_refresh_s, one request per 100 accepted reports that are not final yet (at most 20),
//   none when there are none; a periodic request that fails waits the longer of its period and
//   the policy's delay (a status round stops at its first failure).
// A report stays non-final for an exponential time of mean --open-days after it is accepted:
// that decides the status traffic, so the figures are printed per kind of request.
// The national side answers everything at once while up and nothing (no connection) during the
// outage. "Steady" is every request of every kind per second in the two hours before the outage
// (hours 1-3; hour 0 lets the phases mix). Prints steady by kind, the outage's last hour, the
// peak minute from the outage's start on, peak/steady, and the time from recovery until every
// report made before the recovery has been sent. Targets (issue #11): peak <= 3x steady, drained
// within 30 minutes; docs/sync.md, "The herd", has the arithmetic of when both can hold, and
// the bench prints it from its own figures (backlog, spare rate at the factor, the factor a
// 30-minute drain needs).
//   herd_bench [--kiosks 5000] [--reports-per-day 20] [--outage-h 6] [--runs 3]
//              [--catch-up-factor 3] [--open-days 0.25] [--base-s 30] [--cap-s 1800]
//              [--batch-max 50]
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <queue>
#include <random>
#include <string>
#include <vector>

#include "config.h"
#include "retry_policy.h"

using namespace lapor::sync;

namespace {

struct Options {
    int kiosks = 5000;
    double reports_per_day = 20;
    double outage_h = 6;
    double base_s = 30;
    double cap_s = 1800;
    double catch_up_factor = lapor::Config{}.upload.catch_up_factor;
    double open_days = 0.25;
    int runs = 3;
    int batch_max = lapor::Config{}.upload.batch_max;  // reports per upload request
};

enum Kind { arrival, upload, heartbeat, status, catalog, kinds };
const char* const kind_names[kinds] = {"", "uploads", "heartbeats", "status", "catalog"};

struct Event {
    double t;
    int kiosk;
    Kind kind;
    bool operator>(const Event& o) const { return t > o.t; }
};

struct Kiosk {
    long waiting = 0;       // reports queued
    long old_waiting = 0;   // of them, made before the recovery
    bool send_due = false;  // an upload event is scheduled
    int unreachable = 0;    // failed probes in a row
    double unreachable_since = 0;
    bool catching_up = false;
    double gap_s = 0;
    std::array<int, kinds> failures{};
    std::array<int, 24> made_by_hour{};  // reports made, by hour (a ring): "the last 24 hours"
    long hour = -1;
    long open = 0;  // accepted, not final
    double open_at = 0;
    int status_requests = 1;  // the last status round's
};

struct Result {
    std::array<double, kinds> steady_by_kind{};
    double steady = 0, outage = 0, peak = 0, drain_s = -1;
    double peak_at_min = 0;  // the busiest minute, in minutes from the recovery
    double peak10 = 0;       // the busiest 10 minutes' rate
    long backlog = 0;        // reports queued at the recovery
};

class Herd {
public:
    Herd(const Options& o, std::uint64_t seed)
        : o_(o),
          rng_(seed),
          gap_(o.reports_per_day / 86400.0),
          kiosks_(static_cast<std::size_t>(o.kiosks)) {
        const lapor::Config defaults;
        period_[heartbeat] = defaults.upload.heartbeat_s;
        period_[status] = defaults.upload.status_refresh_s;
        period_[catalog] = defaults.upload.catalog_refresh_s;
        recover_at_ = outage_at_ + o.outage_h * 3600;
        end_ = recover_at_ + 4 * 3600;
        down_.transport = Transport::connect;
        down_.transport_error = "cannot connect";
    }

    Result run() {
        std::poisson_distribution<long> open0(o_.reports_per_day * o_.open_days);
        std::poisson_distribution<int> hourly(o_.reports_per_day / 24);
        for (int k = 0; k < o_.kiosks; ++k) {
            auto& ks = kiosks_[static_cast<std::size_t>(k)];
            ks.open = o_.open_days > 0 ? open0(rng_) : 0;
            for (auto& h : ks.made_by_hour) h = hourly(rng_);  // the day before the start
            ks.hour = 0;
            q_.push({gap_(rng_), k, arrival});
            for (Kind p : {heartbeat, status, catalog}) q_.push({unit() * period_[p], k, p});
        }
        while (!q_.empty() && q_.top().t <= end_) {
            const Event e = q_.top();
            q_.pop();
            step(e);
        }
        return result();
    }

private:
    bool up(double t) const { return t < outage_at_ || t >= recover_at_; }
    double unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }

    void count(double t, Kind k, long n) {
        if (n <= 0) return;
        per_minute_[static_cast<long>(t / 60)] += n;
        if (t >= steady_from_ && t < outage_at_) steady_[k] += n;
    }

    void note_made(Kiosk& k, double t) {
        const long h = static_cast<long>(t / 3600);
        for (; k.hour < h; ++k.hour)
            k.made_by_hour[static_cast<std::size_t>((k.hour + 1) % 24)] = 0;
        ++k.made_by_hour[static_cast<std::size_t>(h % 24)];
    }

    int made_last_day(Kiosk& k, double t) {
        const long h = static_cast<long>(t / 3600);
        for (; k.hour < h; ++k.hour)
            k.made_by_hour[static_cast<std::size_t>((k.hour + 1) % 24)] = 0;
        int n = 0;
        for (int v : k.made_by_hour) n += v;
        return n;
    }

    // Reports become final at an exponential time of mean open_days after acceptance.
    void settle_open(Kiosk& k, double t) {
        if (o_.open_days <= 0) {
            k.open = 0;
        } else if (k.open > 0) {
            const double p = 1.0 - std::exp(-(t - k.open_at) / (o_.open_days * 86400));
            k.open -= std::binomial_distribution<long>(k.open, p)(rng_);
        }
        k.open_at = t;
    }

    // Upload requests for n reports: batches of up to batch_max (docs/api.md, "Batch upload").
    long requests_for(long n) const { return (n + o_.batch_max - 1) / o_.batch_max; }

    void sent(Kiosk& k, double t, long n) {
        n = std::min(n, k.waiting);
        count(t, upload, requests_for(n));
        k.waiting -= n;
        const long old = std::min(n, k.old_waiting);
        k.old_waiting -= old;
        backlog_left_ -= old;
        settle_open(k, t);
        k.open += n;
        if (t >= recover_at_ && backlog_left_ == 0 && drained_at_ < 0) drained_at_ = t;
    }

    void schedule_upload(Kiosk& k, int id, double t) {
        q_.push({t, id, upload});
        k.send_due = true;
    }

    void step(const Event& e) {
        if (!recovered_ && e.t >= recover_at_) {
            // Everything queued now was made before the recovery: the backlog to drain.
            recovered_ = true;
            for (auto& k : kiosks_) k.old_waiting = k.waiting, backlog_left_ += k.waiting;
            backlog_ = backlog_left_;
            if (backlog_left_ == 0) drained_at_ = recover_at_;
        }
        Kiosk& k = kiosks_[static_cast<std::size_t>(e.kiosk)];
        switch (e.kind) {
            case arrival:
                ++k.waiting;
                note_made(k, e.t);
                if (!k.send_due) schedule_upload(k, e.kiosk, e.t);
                q_.push({e.t + gap_(rng_), e.kiosk, arrival});
                return;
            case upload: return on_upload(k, e);
            default: return on_periodic(k, e);
        }
    }

    void on_upload(Kiosk& k, const Event& e) {
        k.send_due = false;
        if (k.waiting == 0) {
            if (k.catching_up) end_catch_up(k, e);
            return;
        }
        if (!up(e.t)) {
            // The first failure finds out with the window (8 requests in flight), then one
            // report probes.
            count(e.t, upload, k.unreachable == 0 ? std::min<long>(requests_for(k.waiting), 8) : 1);
            const auto d = decide(RequestKind::upload, down_, k.unreachable, policy(), unit(), 0);
            if (k.unreachable++ == 0) k.unreachable_since = e.t;
            return schedule_upload(k, e.kiosk, e.t + static_cast<double>(d.delay_ms) / 1000.0);
        }
        if (k.unreachable > 0) {
            const bool long_outage = (e.t - k.unreachable_since) * 1000 >= catch_up_after_ms;
            k.unreachable = 0;
            if (long_outage) begin_catch_up(k, e.t);
            if (!k.catching_up) return sent(k, e.t, k.waiting);
            // The probe that found the endpoint carried one report; the paced requests batches.
            sent(k, e.t, 1);
            if (k.waiting == 0) return end_catch_up(k, e);
            return schedule_upload(k, e.kiosk, e.t + k.gap_s);
        }
        if (!k.catching_up) return sent(k, e.t, k.waiting);
        sent(k, e.t, o_.batch_max);
        if (k.waiting == 0) return end_catch_up(k, e);
        schedule_upload(k, e.kiosk, e.t + k.gap_s);
    }

    void begin_catch_up(Kiosk& k, double t) {
        UsualTraffic u;
        u.reports_per_day = made_last_day(k, t);
        u.status_requests = k.status_requests;
        u.heartbeat_s = period_[heartbeat];
        u.status_refresh_s = period_[status];
        u.catalog_refresh_s = period_[catalog];
        const auto gap = catch_up_gap_ms(u, o_.catch_up_factor);
        if (gap <= 0) return;
        k.catching_up = true;
        k.gap_s = static_cast<double>(gap) / 1000.0;
    }

    void end_catch_up(Kiosk& k, const Event&) { k.catching_up = false; }

    void on_periodic(Kiosk& k, const Event& e) {
        if (k.catching_up && e.kind != heartbeat) {
            // Status and catalog are skipped, not made up: the next one comes at its usual
            // phase. The heartbeat keeps going (the pace leaves room for it).
            q_.push({e.t + period_[e.kind], e.kiosk, e.kind});
            return;
        }
        long requests = 1;
        if (e.kind == status) {
            settle_open(k, e.t);
            requests = (std::min<long>(k.open, 2000) + 99) / 100;
            if (up(e.t))
                k.status_requests = static_cast<int>(requests);  // a complete round only
            else
                requests = std::min<long>(requests, 1);  // stops at its first failure
        }
        count(e.t, e.kind, requests);
        double next = e.t + period_[e.kind];
        int& f = k.failures[e.kind];
        if (up(e.t) || requests == 0) {
            f = 0;
        } else {
            const RequestKind rk = e.kind == heartbeat ? RequestKind::heartbeat
                                   : e.kind == status  ? RequestKind::status
                                                       : RequestKind::catalog;
            const auto d = decide(rk, down_, f, policy(), unit(), 0);
            ++f;
            next = std::max(next, e.t + static_cast<double>(d.delay_ms) / 1000.0);
        }
        q_.push({next, e.kiosk, e.kind});
    }

    RetrySettings policy() const { return {o_.base_s, o_.cap_s}; }

    Result result() const {
        Result r;
        const double window = outage_at_ - steady_from_;
        for (int k = 0; k < kinds; ++k) {
            r.steady_by_kind[static_cast<std::size_t>(k)] =
                static_cast<double>(steady_[static_cast<std::size_t>(k)]) / window;
            r.steady += r.steady_by_kind[static_cast<std::size_t>(k)];
        }
        long peak = 0, late_outage = 0, peak10 = 0;
        for (const auto& [minute, n] : per_minute_) {
            const double t = static_cast<double>(minute) * 60;
            if (t >= outage_at_ && n > peak) {
                peak = n;
                r.peak_at_min = (t - recover_at_) / 60.0;
            }
            if (t >= recover_at_ - 3600 && t < recover_at_) late_outage += n;
            if (t >= outage_at_) {
                long ten = 0;
                for (long m = minute; m < minute + 10; ++m)
                    if (const auto it = per_minute_.find(m); it != per_minute_.end())
                        ten += it->second;
                peak10 = std::max(peak10, ten);
            }
        }
        r.peak = static_cast<double>(peak) / 60.0;
        r.peak10 = static_cast<double>(peak10) / 600.0;
        r.outage = static_cast<double>(late_outage) / 3600.0;
        r.drain_s = drained_at_ < 0 ? -1 : drained_at_ - recover_at_;
        r.backlog = backlog_;
        return r;
    }

    const Options& o_;
    std::mt19937_64 rng_;
    std::exponential_distribution<double> gap_;
    std::vector<Kiosk> kiosks_;
    std::priority_queue<Event, std::vector<Event>, std::greater<>> q_;
    std::array<double, kinds> period_{};
    HttpAnswer down_;
    const double steady_from_ = 3600, outage_at_ = 3 * 3600;
    double recover_at_ = 0, end_ = 0;
    std::map<long, long> per_minute_;
    std::array<long, kinds> steady_{};
    bool recovered_ = false;
    long backlog_left_ = 0, backlog_ = 0;
    double drained_at_ = -1;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

int usage() {
    std::fprintf(
        stderr,
        "usage: herd_bench [--kiosks N] [--reports-per-day N] [--outage-h H] [--runs R] "
        "[--catch-up-factor F] [--open-days D] [--base-s S] [--cap-s S] [--batch-max B]\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; i += 2) {
        const std::string a = argv[i];
        if (i + 1 >= argc) return usage();
        const double v = std::atof(argv[i + 1]);
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
        else if (a == "--catch-up-factor")
            o.catch_up_factor = v;
        else if (a == "--open-days")
            o.open_days = v;
        else if (a == "--runs")
            o.runs = static_cast<int>(v);
        else if (a == "--batch-max")
            o.batch_max = static_cast<int>(v);
        else
            return usage();
    }
    if (o.kiosks < 1 || o.runs < 1 || o.reports_per_day <= 0 || o.batch_max < 1) return usage();
    const lapor::Config d;
    std::printf(
        "herd_bench: %d kiosks, %.0f reports/kiosk/day, reports open %.2f days on average, "
        "heartbeat %.0f s, status %.0f s, catalog %.0f s, backoff %.0f-%.0f s (probe <= %.0f s), "
        "%.1f h national outage, catch-up factor %.3g%s, up to %d reports per upload request "
        "(simulated clock)\n",
        o.kiosks, o.reports_per_day, o.open_days, d.upload.heartbeat_s, d.upload.status_refresh_s,
        d.upload.catalog_refresh_s, o.base_s, o.cap_s, std::min(o.cap_s, probe_cap_s), o.outage_h,
        o.catch_up_factor, o.catch_up_factor > 0 ? "" : " (no pace: the queue goes at once)",
        o.batch_max);
    std::vector<double> steady, peak, ratio, drain, outage, backlog, ratio10;
    std::array<std::vector<double>, kinds> by_kind;
    for (int run = 0; run < o.runs; ++run) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto r = Herd(o, 1000 + static_cast<std::uint64_t>(run)).run();
        const double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("  run %d: steady %.1f req/s (", run + 1, r.steady);
        for (int k = upload; k < kinds; ++k)
            std::printf("%s%s %.1f", k == upload ? "" : ", ", kind_names[k],
                        r.steady_by_kind[static_cast<std::size_t>(k)]);
        std::printf(
            "), outage's last hour %.1f req/s, peak %.1f req/s (x%.2f) %+.0f min from the "
            "recovery, busiest 10 min x%.2f, ",
            r.outage, r.peak, r.peak / r.steady, r.peak_at_min, r.peak10 / r.steady);
        if (r.drain_s >= 0)
            std::printf("drained %.1f min after recovery (%.1f s)\n", r.drain_s / 60.0, secs);
        else
            std::printf("NOT drained 4 h after recovery (%.1f s)\n", secs);
        steady.push_back(r.steady);
        for (int k = upload; k < kinds; ++k)
            by_kind[static_cast<std::size_t>(k)].push_back(
                r.steady_by_kind[static_cast<std::size_t>(k)]);
        peak.push_back(r.peak);
        ratio.push_back(r.peak / r.steady);
        drain.push_back(r.drain_s < 0 ? 1e9 : r.drain_s);
        outage.push_back(r.outage);
        backlog.push_back(static_cast<double>(r.backlog));
        ratio10.push_back(r.peak10 / r.steady);
    }
    const double mr = median(ratio), md = median(drain);
    std::printf("median: steady %.1f req/s (", median(steady));
    for (int k = upload; k < kinds; ++k)
        std::printf("%s%s %.1f", k == upload ? "" : ", ", kind_names[k],
                    median(by_kind[static_cast<std::size_t>(k)]));
    std::printf(
        "), outage's last hour %.1f req/s, peak %.1f req/s, peak/steady %.2f (target <= 3; "
        "busiest 10 min x%.2f), ",
        median(outage), median(peak), mr, median(ratio10));
    if (md < 1e9)
        std::printf("drained %.1f min after recovery (target <= 30)\n", md / 60.0);
    else
        std::printf("NOT drained within 4 h (target <= 30 min)\n");
    // The arithmetic (docs/sync.md, "The herd"): while catching up, the uploads of new reports
    // and the heartbeats go on, status and catalog wait; what is left of factor x steady drains
    // the backlog. A 30-minute drain leaves 25 minutes after the probe (<= 5 min) finds the API.
    const double ms_ = median(steady), mb = median(backlog);
    const double up = median(by_kind[static_cast<std::size_t>(upload)]),
                 hb = median(by_kind[static_cast<std::size_t>(heartbeat)]);
    const double spare = o.catch_up_factor * ms_ - up - hb;
    // The backlog in batches: at least backlog / batch_max requests (more where a kiosk's queue
    // is not a whole number of batches).
    const double needed = mb / o.batch_max / 1500.0 + up + hb;
    std::printf("arithmetic: backlog %.0f reports at recovery, up to %d per request; ", mb,
                o.batch_max);
    if (o.catch_up_factor > 0)
        std::printf(
            "at x%.3g (%.1f req/s) %.1f req/s are left for it beside new uploads %.1f and "
            "heartbeats %.1f: at least %.1f min to send it; ",
            o.catch_up_factor, o.catch_up_factor * ms_, spare, up, hb,
            spare > 0 ? mb / o.batch_max / spare / 60.0 : -1.0);
    std::printf("draining in 25 min needs %.1f req/s = x%.2f of steady: both targets %s.\n", needed,
                needed / ms_, needed / ms_ <= 3.0 ? "can hold together" : "cannot hold together");
    std::printf("targets: peak <= 3x steady %s (x%.2f); drained within 30 min %s (%.1f min)\n",
                mr <= 3.0 ? "MET" : "NOT MET", mr, md <= 1800 ? "MET" : "NOT MET",
                md < 1e9 ? md / 60.0 : -1.0);
    return mr <= 3.0 && md <= 1800 ? 0 : 1;
}
