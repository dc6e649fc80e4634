// Fault injection for the lab: each fault is armed with a count, fires that many times and then
// heals. Faults are armed at start (`--fault MODE:N`) or while serving (`POST /lab/faults`), and
// the plan counts every firing (`GET /lab/stats`).
//
// Where each fires (docs/sync.md); a report fault meets a batch upload (POST /v1/reports/batch)
// as a whole, as it meets one POST /v1/reports:
//   refuse             a new connection is reset at once (TLS: at the client hello)
//   wrong_host_cert    a new TLS connection is served a certificate for another host name
//   reset_before_body  POST /v1/reports: the connection is reset before the body is read
//   reset_after_commit POST /v1/reports: stored, then the connection is reset with no answer
//   http_500           POST /v1/reports: 500, nothing stored
//   http_503, http_429 POST /v1/reports: 503 / 429 with Retry-After, nothing stored
//   slow               POST /v1/reports: stored, answered after --slow-ms (beyond the timeout)
//   malformed_json     POST /v1/reports: stored, answered with cut-off JSON
//   html_200           POST /v1/reports: a captive portal's 200 HTML page, nothing stored
//   proxy_html_400     POST /v1/reports: a proxy's HTML "400 Bad Request" page, nothing stored
//   enroll_lost_reply  POST /v1/enroll: enrolled (token stored), then reset with no answer
//   waf_html_403       status, catalog and heartbeat requests: a firewall's HTML 403 page
#pragma once
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace lapor::lab {

enum class Fault {
    refuse,
    wrong_host_cert,
    reset_before_body,
    reset_after_commit,
    http_500,
    http_503,
    http_429,
    slow,
    malformed_json,
    html_200,
    proxy_html_400,
    enroll_lost_reply,
    waf_html_403,
};
// Which requests a fault meets.
enum class FaultTarget { connection, report, enroll, periodic };
inline constexpr Fault all_faults[] = {Fault::refuse,
                                       Fault::wrong_host_cert,
                                       Fault::reset_before_body,
                                       Fault::reset_after_commit,
                                       Fault::http_500,
                                       Fault::http_503,
                                       Fault::http_429,
                                       Fault::slow,
                                       Fault::malformed_json,
                                       Fault::html_200,
                                       Fault::proxy_html_400,
                                       Fault::enroll_lost_reply,
                                       Fault::waf_html_403};

std::string_view to_string(Fault f);
std::optional<Fault> fault_from(std::string_view s);
bool is_connection_fault(Fault f);
FaultTarget target_of(Fault f, bool tls);

class FaultPlan {
public:
    void set_tls(bool tls) { tls_ = tls; }
    void arm(Fault f, int count);
    // A request fault for POST /v1/reports, drawn at random among those still armed.
    std::optional<Fault> take_request_fault();
    // A fault for a new connection (refuse or wrong_host_cert), drawn the same way.
    std::optional<Fault> take_connection_fault();
    // A fault for POST /v1/enroll, and for a status, catalog or heartbeat request.
    std::optional<Fault> take_enroll_fault();
    std::optional<Fault> take_periodic_fault();
    // A fault forced on one request by its X-Lab-Fault header: armed once and fired at once.
    void count_forced(Fault f);

    struct Count {
        int armed = 0;
        int fired = 0;
    };
    std::map<Fault, Count> counts();

private:
    std::optional<Fault> take(FaultTarget where);
    std::mutex mu_;
    bool tls_ = true;
    std::map<Fault, Count> counts_;
    std::mt19937_64 rng_{std::random_device{}()};
};

}  // namespace lapor::lab
