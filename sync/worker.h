// The sync worker: drains the outbox to the national API with a small bounded number of uploads
// in flight, applies each answer's outcome (docs/sync.md), enrolls at first boot without ever
// blocking the queue, stops on 401/403 until re-enrollment, refreshes national status (batched)
// and the catalog (If-None-Match), sends heartbeats and purges sealed data after retention.
#pragma once
#include <cstdint>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http.h"
#include "log.h"
#include "retry_policy.h"

namespace lapor {
struct Config;
struct Outbound;
class Store;
class Clock;
}  // namespace lapor

namespace lapor::sync {

struct WorkerOptions {
    int max_in_flight = 8;
    bool exit_when_idle = false;  // tests and the benchmark: stop once nothing is queued
};

class Worker {
public:
    Worker(const Config& c, Store& store, HttpClient& http, const Clock& clock, WorkerOptions o);
    ~Worker() { http_.while_waiting = nullptr; }
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    // Runs until SIGTERM or SIGINT is read from `signal_fd` (a signalfd for TERM, INT and USR1;
    // USR1 wakes it at once) or, with exit_when_idle, the queue is empty. Returns an exit code.
    int run(int signal_fd);

private:
    struct InFlight {
        std::int64_t id = 0;
        int attempts = 0;
        std::string tracking;
        std::int64_t started_ms = 0;  // mono
        std::string uuid;
        // Set when its answer is read: a batch's answer applied to each of its reports (the
        // second and later ones `follow`: one request's failure is counted once), or a batch the
        // server did not take (the report goes back to the queue at once, nothing judged).
        bool whole_batch = false;
        bool follows = false;
        bool batch_refused = false;
    };

    void start_up();
    void check_token_file();
    void try_enroll();
    void fill_uploads();
    void begin_catch_up(std::int64_t away_ms);
    void end_catch_up();
    void send_uploads(std::vector<Outbound> leased, std::int64_t now, bool batch);
    void read_answer(std::vector<InFlight> request, HttpAnswer a,
                     std::vector<std::pair<InFlight, HttpAnswer>>& done);
    void finish_uploads(const std::vector<std::pair<InFlight, HttpAnswer>>& done);
    void periodic();
    void refresh_status();
    int status_round();
    void refresh_catalog();
    void heartbeat();
    void stop_for_auth(const std::string& words);
    bool periodic_answer(RequestKind kind, const HttpAnswer& a, std::int64_t& next);
    void unexpected_answer(const std::string& words, std::string_view tracking = {});
    void api_answered();
    RetrySettings retry_settings() const;
    static double random_unit();
    void contact(const std::string& what);
    // Logs (once a minute for the same words) and records the error in device health. A failure
    // that is retried by itself is Priority::warning; `tracking` names the report it concerns.
    void error(const std::string& words, Priority p = Priority::err,
               std::string_view tracking = {});
    void health_state(const std::string& state);
    void flush_health(bool force);
    bool uploading() const { return token_.has_value() && !auth_stopped_ && !stopping_; }
    std::vector<std::string> auth_headers() const;
    int handle_signals(int fd);  // 0 none, 1 wake (USR1, HUP), 2 stop (TERM, INT)
    bool step(int signal_fd);
    std::int64_t idle_wait_ms() const;
    void on_signal(int signal_fd);
    void store_failed(const std::exception& e, int signal_fd);
    void ping_watchdog();

    const Config& c_;
    Store& store_;
    HttpClient& http_;
    const Clock& clock_;
    WorkerOptions o_;

    std::optional<std::string> token_;
    bool auth_stopped_ = false;
    std::string refused_token_;
    std::string refused_code_;             // an enrollment code the server refused: not sent again
    std::int64_t upload_pause_until_ = 0;  // mono ms: after a 429/503, no new uploads until then
    // Uploads that found no connection in a row; while non-zero one report at a time probes,
    // and the pause grows with this count (not with the probing report's own attempts).
    int unreachable_ = 0;
    std::int64_t unreachable_since_ = 0;  // mono ms of the first failed connection in that run
    // After a long outage: the queue goes one upload every catch_up_gap_ms_, and heartbeat,
    // status and catalog wait until it is sent (docs/sync.md, "After an outage").
    bool catching_up_ = false;
    std::int64_t catch_up_gap_ms_ = 0;
    std::int64_t next_paced_ = 0;  // mono ms
    int status_requests_ = 1;      // requests the last complete status round took
    bool stopping_ = false;
    std::int64_t stop_deadline_ = 0;
    std::int64_t lease_ms_ = 0;
    std::int64_t idle_poll_ms_ = 1000;

    std::uint64_t next_tag_ = 1;
    // By request: one report, or the reports of one POST /v1/reports/batch.
    std::map<std::uint64_t, std::vector<InFlight>> in_flight_;
    std::int64_t batch_off_until_ = 0;  // mono ms: the server refused a batch; one by one until

    int enroll_failures_ = 0;
    int store_failures_ = 0;  // database failures in a row (lapor-sync never exits on them)
    static constexpr std::int64_t alive_every_ms = 60'000;
    std::int64_t next_alive_ = 0;
    int periodic_failures_[5] = {};  // by RequestKind
    int unexpected_answers_ = 0;     // since start (the heartbeat reports it)
    std::string last_unexpected_;    // the latest unexpected answer in words (the heartbeat's)
    bool endpoint_warning_ = false;  // device health holds a "not the national API" warning
    std::int64_t endpoint_warning_ms_ = 0;
    std::int64_t next_enroll_ = 0;  // mono ms
    std::int64_t next_status_ = 0;
    std::int64_t next_catalog_ = 0;
    std::int64_t next_heartbeat_ = 0;
    std::int64_t next_purge_ = 0;
    std::int64_t next_watchdog_ = 0;
    std::optional<std::int64_t> watchdog_ms_;

    std::string health_state_;
    std::string last_error_;
    std::int64_t last_error_ms_ = 0;
    std::string pending_contact_;
    std::string pending_error_;
    std::int64_t last_health_write_ms_ = 0;
};

}  // namespace lapor::sync
