// The sync worker on a simulated clock: the real worker and the real SQLite store, with a fake
// HTTP edge that answers at once and moves the fake clock forward while the worker waits, and a
// store wrapper that fails on cue. Proves: store errors never end the worker; retry times are
// monotonic (the wall clock jumping a day back or forward neither stalls nor bursts the queue);
// a held report does not stop the others.
#include <doctest/doctest.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "config.h"
#include "crypto.h"
#include "daemon.h"
#include "fake_clock.h"
#include "fixtures.h"
#include "http.h"
#include "identity.h"
#include "retry_policy.h"
#include "sim_http.h"
#include "store.h"
#include "submit.h"
#include "worker.h"

using namespace lapor;
using namespace lapor::sync;
using lapor::test::FakeClock;
using lapor::test::TempDir;

namespace {

using FakeHttp = lapor::test::SimHttp;

HttpAnswer json_answer(int status, std::string body) {
    HttpAnswer a;
    a.status = status;
    a.content_type = "application/json";
    a.body = std::move(body);
    return a;
}

// A real store whose chosen calls throw StoreError (a full disk, an I/O error) a set number of
// times.
class FlakyStore final : public Store {
public:
    explicit FlakyStore(Store& s) : s_(s) {}
    int fail_record = 0, fail_lease = 0, fail_counts = 0;
    int thrown = 0;

    void insert_report(const PreparedReport& r) override { s_.insert_report(r); }
    std::vector<Outbound> lease_next(int max, std::int64_t lease_ms,
                                     std::size_t max_bytes) override {
        maybe(fail_lease);
        return s_.lease_next(max, lease_ms, max_bytes);
    }
    int reclaim_stale_leases() override { return s_.reclaim_stale_leases(); }
    int release_all_leases() override { return s_.release_all_leases(); }
    bool record_attempt(std::int64_t id, std::optional<int> st, const std::string& e,
                        std::int64_t next) override {
        return s_.record_attempt(id, st, e, next);
    }
    bool mark_accepted(std::int64_t id, int st, const std::string& n,
                       const std::string& u) override {
        return s_.mark_accepted(id, st, n, u);
    }
    bool mark_rejected(std::int64_t id, int st, const std::string& r) override {
        return s_.mark_rejected(id, st, r);
    }
    bool mark_conflict(std::int64_t id, const std::string& r) override {
        return s_.mark_conflict(id, r);
    }
    bool mark_held(std::int64_t id, int st, const std::string& r) override {
        return s_.mark_held(id, st, r);
    }
    std::optional<OutboxState> requeue_one(std::string_view t) override {
        return s_.requeue_one(t);
    }
    int requeue_all(OutboxState from) override { return s_.requeue_all(from); }
    bool rebase_after_boot(std::int64_t mono) override { return s_.rebase_after_boot(mono); }
    std::vector<bool> record_outcomes(const std::vector<Outcome>& v) override {
        maybe(fail_record);
        return s_.record_outcomes(v);
    }
    std::vector<std::pair<std::int64_t, std::string>> status_refresh_batch(int max) override {
        return s_.status_refresh_batch(max);
    }
    void update_status(std::int64_t id, const StatusEntry& e) override { s_.update_status(id, e); }
    void update_statuses(const std::vector<std::pair<std::int64_t, StatusEntry>>& a,
                         const std::vector<std::int64_t>& asked) override {
        s_.update_statuses(a, asked);
    }
    std::optional<ReportView> find_by_tracking(std::string_view t) override {
        return s_.find_by_tracking(t);
    }
    std::optional<ReportView> find_by_uuid(std::string_view u) override {
        return s_.find_by_uuid(u);
    }
    QueueCounts counts() override {
        maybe(fail_counts);
        return s_.counts();
    }
    int created_since(std::int64_t unix_s) override { return s_.created_since(unix_s); }
    void add_metric(std::string_view n, std::int64_t d) override { s_.add_metric(n, d); }
    void set_metric(std::string_view n, std::int64_t v) override { s_.set_metric(n, v); }
    std::map<std::string, std::int64_t> metrics() override { return s_.metrics(); }
    std::map<std::string, std::int64_t> attempts_by_outcome() override {
        return s_.attempts_by_outcome();
    }
    std::vector<ReportView> list_by_state(OutboxState st, int max) override {
        return s_.list_by_state(st, max);
    }
    void set_health(HealthKey k, const std::string& v) override { s_.set_health(k, v); }
    std::map<HealthKey, HealthValue> health() override { return s_.health(); }
    void audit(const std::string& a, const std::string& b, const std::string& c) override {
        s_.audit(a, b, c);
    }
    std::vector<AuditEntry> recent_audit(int max) override { return s_.recent_audit(max); }
    void install_catalog(const std::string& v, const std::string& e,
                         const std::string& j) override {
        s_.install_catalog(v, e, j);
    }
    std::optional<StoredCatalog> current_catalog() override { return s_.current_catalog(); }
    int purge_sealed(double days) override { return s_.purge_sealed(days); }
    std::string integrity_check() override { return s_.integrity_check(); }
    Settings settings() override { return s_.settings(); }

private:
    void maybe(int& left) {
        if (left <= 0) return;
        --left;
        ++thrown;
        throw StoreError("database: disk I/O error (injected)");
    }
    Store& s_;
};

struct Rig {
    TempDir dir;
    FakeClock clock;
    Config c;
    std::unique_ptr<Store> real;
    std::unique_ptr<FlakyStore> store;
    FakeHttp http{clock};
    int wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    std::vector<std::string> uuids;

    explicit Rig(double base_s, double cap_s) {
        crypto_init();
        c.kiosk.id = "TEST-KIOSK-01";
        c.kiosk.code_prefix = "TK01";
        c.kiosk.data_dir = dir.path();
        c.upload.endpoint = "https://national.invalid";
        c.upload.backoff_base_s = base_s;
        c.upload.backoff_cap_s = cap_s;
        c.upload.connect_timeout_s = 2;
        c.upload.total_timeout_s = 2;
        const auto national = x25519_generate();
        c.upload.national_key = national.public_key;
        c.upload.national_key_id = "test-1";
        ::mkdir(c.identity_dir().c_str(), 0700);
        write_private_file(c.token_path(), "tok_abcdefghijklmnopqrstuvwxyz\n", 0600);
        real = open_store(c.db_path(), clock);
        store = std::make_unique<FlakyStore>(*real);
        http.answer = [this](const HttpRequest& r) { return server(r); };
    }
    ~Rig() { ::close(wake); }

    // The national side: every report accepted unless `upload_status` says otherwise.
    int upload_status = 201;
    std::map<std::string, int> per_uuid_status;  // e.g. 422 for one report
    HttpAnswer server(const HttpRequest& r) {
        if (r.path == "/v1/reports") {
            std::string uuid;
            for (const auto& h : r.headers)
                if (h.rfind("Idempotency-Key: ", 0) == 0) uuid = h.substr(17);
            const auto it = per_uuid_status.find(uuid);
            const int st = it != per_uuid_status.end() ? it->second : upload_status;
            if (st == 201) return json_answer(201, R"({"id":"N-)" + uuid.substr(0, 8) + R"("})");
            if (st == 500)
                return json_answer(500, R"({"error":{"code":"internal","message":"down"}})");
            return json_answer(
                st, R"({"error":{"code":"wrong_kiosk","message":"not yours","field":"kiosk_id"}})");
        }
        if (r.path.rfind("/v1/reports/status", 0) == 0)
            return json_answer(200, R"({"reports":[]})");
        if (r.path == "/v1/catalog") return json_answer(304, "");
        return json_answer(204, "");
    }

    void add_reports(int n) {
        Submitter sub(*real,
                      SubmitContext::from(c,
                                          [&] {
                                              if (::access(c.device_key_path().c_str(), F_OK) != 0)
                                                  create_device_key(c.device_key_path());
                                              return load_device_key(c.device_key_path());
                                          }()),
                      clock);
        for (int i = 0; i < n; ++i) {
            auto r = sub.prepare(test::valid_draft());
            real->insert_report(r);
            uuids.push_back(r.uuid);
        }
    }
    int count(OutboxState s) {
        const auto q = real->counts();
        const auto it = q.by_state.find(s);
        return it == q.by_state.end() ? 0 : it->second;
    }
    int run(bool exit_when_idle = true) {
        WorkerOptions o;
        o.max_in_flight = 4;
        o.exit_when_idle = exit_when_idle;
        Worker w(c, *store, http, clock, o);
        return w.run(wake);
    }
};

}  // namespace

TEST_CASE("store errors are logged and retried; the worker never exits on them") {
    Rig rig(1, 8);
    rig.add_reports(20);
    rig.store->fail_record = 3;  // answers arrive, recording them fails three times
    rig.store->fail_lease = 2;
    rig.store->fail_counts = 2;
    CHECK(rig.run() == 0);  // returned only because the queue is empty (exit_when_idle)
    CHECK(rig.store->thrown == 7);
    CHECK(rig.count(OutboxState::accepted) == 20);
    // Answers lost with the failed commits were sent again after their lease (safe repeats).
    CHECK(rig.http.uploads.size() > 20);
    const auto h = rig.real->health();
    CHECK(h.at(HealthKey::sync_alive).value.find("report(s) to send") != std::string::npos);
}

TEST_CASE("a report the API refuses is held; the rest of the queue flows") {
    Rig rig(0.01, 0.05);
    rig.add_reports(10);
    rig.per_uuid_status[rig.uuids[0]] = 403;  // the oldest: wrong_kiosk, used to stop everything
    CHECK(rig.run() == 0);
    CHECK(rig.count(OutboxState::held) == 1);
    CHECK(rig.count(OutboxState::accepted) == 9);
    const auto held = rig.real->find_by_uuid(rig.uuids[0]);
    CHECK(held->state == OutboxState::held);
    CHECK(held->last_error.find("wrong_kiosk") != std::string::npos);
    // After the fix, requeue: it goes.
    rig.per_uuid_status.clear();
    CHECK(rig.real->requeue_one(held->report.tracking) == OutboxState::held);
    CHECK(rig.run() == 0);
    CHECK(rig.count(OutboxState::accepted) == 10);
}

TEST_CASE("the wall clock jumps a day back and a day forward: no stall, no burst") {
    Rig rig(1, 60);  // backoff up to a minute
    rig.add_reports(50);
    rig.upload_status = 500;  // the national side is down
    const std::int64_t start = rig.clock.mono_ms();
    std::int64_t jumped_forward_at = -1, jumped_back_at = -1;
    rig.http.on_wait = [&] {
        const auto t = rig.clock.mono_ms() - start;
        // After ten simulated minutes every report waits up to a minute between tries.
        if (jumped_forward_at < 0 && t >= 600'000) {
            rig.clock.set_now_ms(rig.clock.now_ms() + 86'400'000);
            jumped_forward_at = rig.clock.mono_ms();
        }
        if (jumped_back_at < 0 && t >= 1'200'000) {
            rig.clock.set_now_ms(rig.clock.now_ms() - 2 * 86'400'000);
            jumped_back_at = rig.clock.mono_ms();
        }
        if (t >= 1'800'000) rig.upload_status = 201;  // back after half an hour
    };
    CHECK(rig.run() == 0);
    CHECK(rig.count(OutboxState::accepted) == 50);
    REQUIRE(jumped_forward_at > 0);
    REQUIRE(jumped_back_at > 0);
    auto in_window = [&](std::int64_t from, std::int64_t len) {
        int n = 0;
        for (const auto& [t, uuid] : rig.http.uploads) n += t >= from && t < from + len;
        return n;
    };
    // No burst: in the 5 s after each jump, about 50 * 5/60 tries are due (each report waits
    // uniformly up to a minute), nowhere near all 50 at once.
    CHECK(in_window(jumped_forward_at, 5'000) < 20);
    CHECK(in_window(jumped_back_at, 5'000) < 20);
    // No stall: every report is tried again within the cap after each jump.
    for (const auto at : {jumped_forward_at, jumped_back_at}) {
        std::map<std::string, int> tried;
        for (const auto& [t, uuid] : rig.http.uploads)
            if (t >= at && t < at + 61'000) ++tried[uuid];
        CHECK(tried.size() == 50);
    }
}

namespace {

// The national side cannot be reached (no connection) from the start for `down_ms`; returns the
// mono time it came back. The worker runs until its queue is empty or, with `stop_when`, until
// that says so once the endpoint is back: then a real SIGTERM on its signalfd stops it.
std::int64_t outage(Rig& rig, std::int64_t down_ms,
                    std::function<bool(std::int64_t back_at)> stop_when = nullptr) {
    auto down = std::make_shared<bool>(true);
    rig.http.answer = [&rig, down](const HttpRequest& r) {
        if (!*down) return rig.server(r);
        HttpAnswer a;  // nobody accepts the connection
        a.transport = Transport::connect;
        a.transport_error = "cannot connect to the server";
        return a;
    };
    const std::int64_t start = rig.clock.mono_ms();
    std::int64_t back_at = -1;
    bool stopped = false;
    rig.http.on_wait = [&] {
        if (back_at < 0 && rig.clock.mono_ms() - start >= down_ms) {
            *down = false;
            back_at = rig.clock.mono_ms();
        }
        if (stop_when && !stopped && back_at >= 0 && stop_when(back_at)) {
            stopped = true;
            ::raise(SIGTERM);
        }
    };
    if (!stop_when) {
        CHECK(rig.run() == 0);
    } else {
        sigset_t term, old;
        sigemptyset(&term);
        sigaddset(&term, SIGTERM);
        sigprocmask(SIG_BLOCK, &term, &old);
        const int sfd = ::signalfd(-1, &term, SFD_NONBLOCK | SFD_CLOEXEC);
        WorkerOptions o;
        o.max_in_flight = 4;
        {
            Worker w(rig.c, *rig.store, rig.http, rig.clock, o);
            CHECK(w.run(sfd) == 0);
        }
        ::close(sfd);
        sigprocmask(SIG_SETMASK, &old, nullptr);
    }
    rig.http.on_wait = nullptr;
    return back_at;
}

}  // namespace

TEST_CASE("no connection at all: one report probes, the pause grows; then the queue flows") {
    Rig rig(1, 60);                    // backoff up to a minute
    rig.c.upload.catch_up_factor = 0;  // no catch-up pace: the queue goes at once
    rig.add_reports(50);
    const auto back_at = outage(rig, 1'800'000);  // back after half an hour
    CHECK(rig.count(OutboxState::accepted) == 50);
    REQUIRE(back_at > 0);
    int during = 0;
    std::map<std::int64_t, int> at_once;
    for (const auto& [t, uuid] : rig.http.uploads)
        if (t < back_at) ++during, ++at_once[t];
    // Each report on its own backoff would have tried about 50 * 1800 s / 30 s = 3,000 times;
    // one probe at a time, waiting up to a minute, tries about 60 times.
    CHECK(during < 150);
    CHECK(during > 10);
    // The first request (one batch of the 50) goes before anything is known; after it, never two
    // probes at once.
    REQUIRE(!at_once.empty());
    CHECK(at_once.begin()->second <= 50);
    CHECK(rig.http.batch_sizes.front() == 50);
    for (auto it = std::next(at_once.begin()); it != at_once.end(); ++it) CHECK(it->second == 1);
    MESSAGE("upload attempts during a 30 min outage: " << during << "; the worker woke "
                                                       << rig.http.waits << " times");
    // While uploads are paused it sleeps until the pause ends (or a periodic request, or the
    // minute's sync_alive), not every 0.5 s (its usual poll here): 3,600 wake-ups before.
    CHECK(rig.http.waits < 600);
    // Back: every report goes within the longest pause (a minute) of the endpoint's return.
    int late = 0;
    for (const auto& [t, uuid] : rig.http.uploads) late += t > back_at + 61'000;
    CHECK(late == 0);
}

TEST_CASE("after a long outage the queue goes at a bounded pace; the heartbeat keeps its own") {
    Rig rig(1, 60);
    rig.c.upload.batch_max = 1;  // one report per request (batches: the next test)
    rig.add_reports(50);         // created now: 50 reports in the last 24 hours
    // The worker runs (not stopping when idle) until the heartbeat after the catch-up has gone,
    // or 4 simulated hours after the endpoint's return (back after half an hour).
    const auto back_at = outage(rig, 1'800'000, [&](std::int64_t back) {
        const bool heartbeat_after_all =
            rig.http.uploads.size() > 50 && !rig.http.others.empty() &&
            rig.http.others.back().second == "/v1/heartbeat" &&
            rig.http.others.back().first > rig.http.uploads.back().first &&
            rig.count(OutboxState::accepted) == 50;
        return heartbeat_after_all || rig.clock.mono_ms() - back > 4 * 3'600'000;
    });
    CHECK(rig.count(OutboxState::accepted) == 50);
    REQUIRE(back_at > 0);
    // The kiosk's usual traffic: 50 reports a day, no status request (nothing accepted yet, so
    // its status rounds sent none), the default heartbeat and catalog periods; three times that,
    // less the heartbeat that keeps going, is one upload every 118 s.
    UsualTraffic usual;
    usual.reports_per_day = 50;
    usual.status_requests = 0;
    const auto gap = catch_up_gap_ms(usual, 3);
    CHECK(gap == static_cast<std::int64_t>(
                     1000.0 / (3 * usual_requests_per_s(usual) - 1.0 / usual.heartbeat_s)));
    std::vector<std::int64_t> after;
    // A probe started in the very tick the endpoint came back still failed: strictly after.
    for (const auto& [t, uuid] : rig.http.uploads)
        if (t > back_at) after.push_back(t);
    REQUIRE(after.size() == 50);  // each once: the probe that found the endpoint, then the rest
    for (std::size_t i = 1; i < after.size(); ++i) {
        INFO("upload " << i);
        CHECK(after[i] - after[i - 1] >= gap);
        CHECK(after[i] - after[i - 1] <= gap + 2'000);  // the worker looks every second
    }
    // While catching up the heartbeat keeps its usual pace (the office's monitoring sees the
    // kiosk), status and catalog wait; all requests together stay within 3x the usual rate.
    int status_or_catalog_during = 0, requests_during = 0;
    std::vector<std::int64_t> heartbeats;
    for (const auto& [t, path] : rig.http.others) {
        if (t > after.front() && t < after.back()) {
            ++requests_during;
            if (path != "/v1/heartbeat") ++status_or_catalog_during;
        }
        if (t >= after.front() - 300'000 && path == "/v1/heartbeat") heartbeats.push_back(t);
    }
    CHECK(status_or_catalog_during == 0);
    REQUIRE(heartbeats.size() >= 2);
    CHECK(heartbeats.front() <= after.front() + 1000);
    CHECK(heartbeats.back() >= after.back() - 300'000);
    for (std::size_t i = 1; i < heartbeats.size(); ++i) {
        INFO("heartbeat " << i);
        CHECK(heartbeats[i] - heartbeats[i - 1] <= 301'000);
    }
    const double span_s = static_cast<double>(after.back() - after.front()) / 1000.0;
    requests_during += static_cast<int>(after.size());
    CHECK(requests_during <= 3 * usual_requests_per_s(usual) * span_s + 2);
    MESSAGE("50 reports after a 30 min outage: sent over "
            << (after.back() - after.front()) / 60'000 << " min, one every " << gap << " ms, "
            << heartbeats.size() << " heartbeats meanwhile; " << requests_during
            << " requests, 3x usual allows "
            << static_cast<int>(3 * usual_requests_per_s(usual) * span_s));
}

TEST_CASE("after a long outage the paced requests carry batches: the same bound, a short drain") {
    Rig rig(1, 60);
    rig.c.upload.batch_max = 10;
    rig.add_reports(50);
    const auto back_at = outage(rig, 1'800'000);
    CHECK(rig.count(OutboxState::accepted) == 50);
    REQUIRE(back_at > 0);
    // Requests after the return, by time: the probe (one report alone), then batches of 10, 10,
    // 10, 10 and 9, one catch-up gap apart, never two requests at once.
    std::map<std::int64_t, int> requests;
    for (const auto& [t, uuid] : rig.http.uploads)
        if (t > back_at) ++requests[t];
    UsualTraffic usual;
    usual.reports_per_day = 50;
    usual.status_requests = 0;
    const auto gap = catch_up_gap_ms(usual, 3);
    std::vector<int> sizes;
    std::int64_t prev = -1;
    for (const auto& [t, n] : requests) {
        sizes.push_back(n);
        if (prev >= 0) {
            CHECK(t - prev >= gap);
            CHECK(t - prev <= gap + 2'000);
        }
        prev = t;
    }
    CHECK(sizes == std::vector<int>{1, 10, 10, 10, 10, 9});
    const auto tail =
        std::vector<std::size_t>(rig.http.batch_sizes.end() - 5, rig.http.batch_sizes.end());
    CHECK(tail == std::vector<std::size_t>{10, 10, 10, 10, 9});
    MESSAGE("50 reports after a 30 min outage in batches of 10: drained "
            << (requests.rbegin()->first - back_at) / 1000 << " s after the return ("
            << requests.size() << " requests, one every " << gap << " ms)");
}

TEST_CASE("a restart while catching up keeps the pace; the pace ends with the queue") {
    Rig rig(1, 60);
    rig.c.upload.batch_max = 1;
    rig.add_reports(20);
    // Stopped (systemd, an update) after the probe and four paced uploads.
    REQUIRE(outage(rig, 1'800'000,
                   [&](std::int64_t) { return rig.count(OutboxState::accepted) >= 5; }) > 0);
    REQUIRE(rig.count(OutboxState::accepted) == 5);
    const auto kept = rig.real->health().at(HealthKey::catch_up).value;
    CHECK(kept.starts_with("gap_ms="));
    // A new lapor-sync on the same store: the other 15 go at the same pace, not at once.
    const auto restart_at = rig.clock.mono_ms();
    CHECK(rig.run() == 0);
    CHECK(rig.count(OutboxState::accepted) == 20);
    UsualTraffic usual;
    usual.reports_per_day = 20;
    usual.status_requests = 0;
    const auto gap = catch_up_gap_ms(usual, 3);
    std::vector<std::int64_t> after;
    for (const auto& [t, uuid] : rig.http.uploads)
        if (t >= restart_at) after.push_back(t);
    REQUIRE(after.size() == 15);
    for (std::size_t i = 1; i < after.size(); ++i) CHECK(after[i] - after[i - 1] >= gap);
    CHECK(rig.real->health().at(HealthKey::catch_up).value.empty());
}

TEST_CASE("a kept catch-up pace is dropped when the operator turned the pace off") {
    Rig rig(1, 60);
    rig.c.upload.catch_up_factor = 0;
    rig.c.upload.batch_max = 1;
    rig.add_reports(10);
    rig.real->set_health(HealthKey::catch_up, "gap_ms=100000: one request every 100 s");
    const auto start = rig.clock.mono_ms();
    CHECK(rig.run() == 0);
    CHECK(rig.count(OutboxState::accepted) == 10);
    for (const auto& [t, uuid] : rig.http.uploads) CHECK(t - start < 100'000);
    CHECK(rig.real->health().at(HealthKey::catch_up).value.empty());
}

TEST_CASE("a server without the batch endpoint gets the reports one by one; none is held") {
    Rig rig(0.01, 0.05);
    rig.http.batches = false;  // 404 envelope on /v1/reports/batch
    rig.add_reports(12);
    rig.per_uuid_status[rig.uuids[3]] = 422;  // the one report the server refuses by itself
    CHECK(rig.run() == 0);
    CHECK(rig.count(OutboxState::accepted) == 11);
    CHECK(rig.count(OutboxState::held) == 1);
    CHECK(rig.real->find_by_uuid(rig.uuids[3])->state == OutboxState::held);
    CHECK(rig.http.batch_sizes.empty());  // the sim counts only batches it took
    // The batch was tried once; every report then went alone (12 single uploads).
    CHECK(rig.http.batch_requests == 1);
    CHECK(rig.http.uploads.size() == 12);
}

TEST_CASE("a batch answer is applied per report; a garbled one is taken for none") {
    Rig rig(0.01, 0.05);
    rig.add_reports(6);
    rig.per_uuid_status[rig.uuids[1]] = 403;  // wrong_kiosk: held, the others accepted
    CHECK(rig.run() == 0);
    CHECK(rig.count(OutboxState::accepted) == 5);
    CHECK(rig.count(OutboxState::held) == 1);
    CHECK(rig.http.batch_sizes == std::vector<std::size_t>{6});
    // A 200 that is one report's success, not a results list: no report counts as sent; the
    // batch goes again after a long backoff and then each report gets its own id.
    Rig g(0.01, 0.05);
    g.add_reports(3);
    int garbled = 1;
    g.http.batch_override = [&](const HttpRequest&) -> std::optional<HttpAnswer> {
        if (garbled-- > 0) return json_answer(200, R"({"id":"N-1"})");
        return std::nullopt;
    };
    CHECK(g.run() == 0);
    CHECK(g.count(OutboxState::accepted) == 3);
    for (const auto& u : g.uuids) {
        const auto v = g.real->find_by_uuid(u);
        CHECK(v->national_id == "N-" + u.substr(0, 8));
        CHECK(v->attempts >= 2);  // the garbled answer counted as an attempt, not as sent
    }
}

TEST_CASE("an outage under 5 minutes is not paced") {
    Rig rig(1, 60);
    rig.add_reports(50);
    const auto back_at = outage(rig, 120'000);
    CHECK(rig.count(OutboxState::accepted) == 50);
    REQUIRE(back_at > 0);
    int late = 0;
    for (const auto& [t, uuid] : rig.http.uploads) late += t > back_at + 61'000;
    CHECK(late == 0);
}

TEST_CASE("quick restarts wait longer each time, up to 5 minutes; a calm start does not wait") {
    TempDir dir;
    const std::string state = dir / "lapor-sync.starts";
    std::int64_t t = 50'000;
    CHECK(restart_delay_ms(state, t) == 0);  // first start
    std::vector<std::int64_t> waits;
    for (int i = 0; i < 9; ++i) {
        t += 1'000;  // crashed a second after starting
        const auto d = restart_delay_ms(state, t);
        waits.push_back(d);
        t += d;
    }
    CHECK(waits == std::vector<std::int64_t>{5'000, 10'000, 20'000, 40'000, 80'000, 160'000,
                                             300'000, 300'000, 300'000});
    t += restart_window_ms;  // ran well for ten minutes: the next restart starts at once
    CHECK(restart_delay_ms(state, t) == 0);
    CHECK(restart_delay_ms(dir / "no-such-dir/x", t) == 0);  // unwritable: no delay, no throw
}
