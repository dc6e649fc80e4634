// Database growth while the kiosk is offline (issue #11): the real worker (sync/worker.cpp), the
// real SQLite store and the real retry policy on a simulated clock. Reports arrive at --per-day
// for --days while the endpoint cannot be reached (--answer offline: no connection, so one report
// probes at a time) or answers every request with a captive portal's HTML page (--answer portal:
// each report retried on its own long backoff, the worst case for the attempts table); then the
// national API answers again and the worker drains the queue. Time passes only while the worker
// waits (tests/support/sim_http.h), so a month runs in seconds. Prints the database file and the
// attempts table (rows, bytes) at the end of the offline time, the requests made, and the
// simulated time the drain took. Target: attempts table under 20 MB after 30 days at 300 a day.
// The database goes to a folder under /dev/shm unless --dir says otherwise: the sizes are the
// same on any file system, but a month of fsync'd commits on a shared disk takes minutes.
//   attempts_bench [--days 30] [--per-day 300] [--answer offline|portal] [--dir DIR]
#include <sqlite3.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcntl.h>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "config.h"
#include "crypto.h"
#include "fake_clock.h"
#include "fixtures.h"
#include "identity.h"
#include "log.h"
#include "sim_http.h"
#include "store.h"
#include "submit.h"
#include "worker.h"

using namespace lapor;

namespace {

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

std::int64_t file_size(const std::string& p) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(p, ec);
    return ec ? 0 : static_cast<std::int64_t>(n);
}

double mb(std::int64_t bytes) { return static_cast<double>(bytes) / 1e6; }

sync::HttpAnswer json_answer(int status, std::string body) {
    sync::HttpAnswer a;
    a.status = status;
    a.content_type = "application/json";
    a.body = std::move(body);
    return a;
}

// The national API once it is back: every report accepted, statuses unchanged.
sync::HttpAnswer national(const sync::HttpRequest& r) {
    if (r.path == "/v1/reports") {
        for (const auto& h : r.headers)
            if (h.rfind("Idempotency-Key: ", 0) == 0)
                return json_answer(201, R"({"id":"N-)" + h.substr(17, 12) + R"("})");
    }
    if (r.path.rfind("/v1/reports/status", 0) == 0) return json_answer(200, R"({"reports":[]})");
    if (r.path == "/v1/catalog") return json_answer(304, "");
    return json_answer(204, "");
}

struct Options {
    double days = 30, per_day = 300;
    std::string answer = "offline";
    std::string dir;
};

int usage() {
    std::fprintf(stderr,
                 "usage: attempts_bench [--days N] [--per-day N] [--answer offline|portal] "
                 "[--dir DIR]\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; i += 2) {
        const std::string a = argv[i];
        if (i + 1 >= argc) return usage();
        if (a == "--days")
            o.days = std::atof(argv[i + 1]);
        else if (a == "--per-day")
            o.per_day = std::atof(argv[i + 1]);
        else if (a == "--answer")
            o.answer = argv[i + 1];
        else if (a == "--dir")
            o.dir = argv[i + 1];
        else
            return usage();
    }
    if (o.answer != "offline" && o.answer != "portal") return usage();
    if (o.days <= 0 || o.per_day <= 0) return usage();
    crypto_init();
    set_log_identifier("lapor-sync");
    std::string dir = o.dir;
    if (dir.empty()) {
        std::string tmpl = std::filesystem::exists("/dev/shm") ? "/dev/shm/lapor-attempts-XXXXXX"
                                                               : "/tmp/lapor-attempts-XXXXXX";
        if (!::mkdtemp(tmpl.data())) return std::perror("mkdtemp"), 3;
        dir = tmpl;
    }
    const bool own_dir = o.dir.empty();

    test::FakeClock clock;
    Config c;
    c.kiosk.id = "JKT-PUSAT-01";
    c.kiosk.code_prefix = "JK01";
    c.kiosk.data_dir = dir;
    c.upload.endpoint = "https://national.invalid";
    const auto national_key = x25519_generate();
    c.upload.national_key = national_key.public_key;
    c.upload.national_key_id = "2026-01";  // the config defaults for everything else
    std::filesystem::remove(c.db_path());
    ::mkdir(c.identity_dir().c_str(), 0700);
    write_private_file(c.token_path(), "tok_abcdefghijklmnopqrstuvwxyz\n", 0600);
    if (::access(c.device_key_path().c_str(), F_OK) != 0) create_device_key(c.device_key_path());
    auto store = open_store(c.db_path(), clock);
    Submitter submitter(*store, SubmitContext::from(c, load_device_key(c.device_key_path())),
                        clock);

    // The worker's log lines (tens of thousands over a month) go to a file, not the terminal.
    const std::string log_path = dir + "/worker.log";
    const int saved_stderr = ::dup(2);
    const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ::dup2(log_fd, 2);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, nullptr);
    const int sfd = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);

    const std::int64_t t0 = clock.mono_ms();
    const auto end_ms = static_cast<std::int64_t>(o.days * 86'400'000);
    const auto every_ms = static_cast<std::int64_t>(86'400'000 / o.per_day);
    std::int64_t next_report = 0, reports = 0, back_at = -1, drained_at = -1, next_check = 0;
    std::size_t uploads_offline = 0, others_offline = 0;
    std::int64_t db_file = 0, wal_file = 0, rows = 0, table = 0, counted = 0;
    bool online = false;

    test::SimHttp http(clock);
    http.answer = [&](const sync::HttpRequest& r) {
        if (online) return national(r);
        sync::HttpAnswer a;
        if (o.answer == "portal") {
            a.status = 200;
            a.content_type = "text/html";
            a.body = "<html><body>Selamat datang! Sign in to the office Wi-Fi</body></html>";
        } else {
            a.transport = sync::Transport::connect;
            a.transport_error = "cannot connect to the server (simulated)";
        }
        return a;
    };
    auto add_due_reports = [&] {
        const auto t = clock.mono_ms() - t0;
        while (next_report <= t && next_report < end_ms) {
            store->insert_report(submitter.prepare(test::valid_draft()));
            ++reports;
            next_report += every_ms;
        }
    };
    http.on_wait = [&] {
        const auto t = clock.mono_ms() - t0;
        add_due_reports();
        if (!online && t >= end_ms) {
            // The end of the offline time: measure, then the national API answers again.
            uploads_offline = http.uploads.size();
            others_offline = http.others.size();
            db_file = file_size(c.db_path());
            wal_file = file_size(c.db_path() + "-wal");
            rows = scalar(c.db_path(), "SELECT count(*) FROM attempts");
            table = scalar(c.db_path(),
                           "SELECT sum(pgsize) FROM dbstat WHERE name IN "
                           "('attempts','attempts_report')");
            counted = scalar(c.db_path(), "SELECT sum(attempts) FROM reports");
            online = true;
            back_at = t;
        }
        if (online && drained_at < 0 && t >= next_check) {
            next_check = t + 1000;
            const auto q = store->counts();
            int left = 0;
            for (const auto& [state, n] : q.by_state)
                if (state == OutboxState::queued || state == OutboxState::sending) left += n;
            if (left == 0) {
                drained_at = t;
                ::raise(SIGTERM);  // read by the worker from its signalfd: a clean stop
            }
        }
    };

    const auto wall0 = std::chrono::steady_clock::now();
    add_due_reports();
    sync::WorkerOptions wo;
    wo.max_in_flight = 8;
    int rc = 0;
    {
        sync::Worker w(c, *store, http, clock, wo);
        rc = w.run(sfd);
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    store.reset();
    ::dup2(saved_stderr, 2);
    const auto accepted = scalar(c.db_path(),
                                 "SELECT count(*) FROM reports WHERE "
                                 "state = 'accepted'");
    const double per_row = rows > 0 ? static_cast<double>(table) / static_cast<double>(rows) : 0;
    std::printf(
        "attempts_bench: the real worker and store, %.0f simulated days %s at %.0f reports/day, "
        "then the API answers (%.1f s of real time, worker exit %d)\n",
        o.days,
        o.answer == "portal" ? "behind a captive portal (HTML 200 to every request)"
                             : "with no connection",
        o.per_day, secs, rc);
    std::printf(
        "  at the end of the offline time: %lld reports queued; %zu upload attempts "
        "(counted on the reports: %lld) and %zu other requests made\n",
        static_cast<long long>(reports), uploads_offline, static_cast<long long>(counted),
        others_offline);
    std::printf(
        "  database file %.2f MB + WAL %.2f MB; attempts table + index %.3f MB in %lld "
        "rows (target < 20 MB)\n",
        mb(db_file), mb(wal_file), mb(table), static_cast<long long>(rows));
    if (rows >= 1000)  // page-granular sizes say nothing per row for a handful of rows
        std::printf("  keeping every attempt instead: about %.2f MB\n",
                    mb(static_cast<std::int64_t>(per_row * static_cast<double>(counted))));
    if (drained_at >= 0) {
        std::printf(
            "  drained: all %lld accepted %.1f simulated minutes after the API came back "
            "(%zu uploads in all)\n",
            static_cast<long long>(accepted), static_cast<double>(drained_at - back_at) / 60'000.0,
            http.uploads.size());
        // The office's monitoring meanwhile: heartbeats keep their pace while catching up.
        long beats = 0;
        std::int64_t first = -1, last = -1, longest = 0;
        for (const auto& [t, path] : http.others) {
            if (path != "/v1/heartbeat" || t < back_at + t0 || t > drained_at + t0) continue;
            ++beats;
            if (first < 0) first = t - (back_at + t0);
            if (last >= 0) longest = std::max(longest, t - last);
            last = t;
        }
        std::printf(
            "  heartbeats while catching up: %ld, the first %.1f min after the API came back (its "
            "backoff from the outage), then at most %.1f min apart (heartbeat_s %.0f)\n",
            beats, static_cast<double>(first) / 60'000.0, static_cast<double>(longest) / 60'000.0,
            c.upload.heartbeat_s);
    } else
        std::printf("  NOT drained: %lld of %lld accepted\n", static_cast<long long>(accepted),
                    static_cast<long long>(reports));
    std::printf("  worker log: %s\n", own_dir ? "(removed with the folder)" : log_path.c_str());
    if (own_dir) std::filesystem::remove_all(dir);
    return table >= 0 && table < 20'000'000 && drained_at >= 0 && rc == 0 ? 0 : 1;
}
