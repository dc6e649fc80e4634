// The one home of "what does this answer mean, and how long do we wait" (docs/api.md, "What the
// kiosk does with each answer"). Pure: from the request kind, the transport result, the HTTP
// status, headers and body shape to an outcome, a delay and words for people. The worker only
// applies the decision; tests/sync/test_retry_policy.cpp checks it case by case.
//
// The rule the rest follows: only the API's JSON error envelope
// ({"error":{"code","message"[,"field"]}} as application/json on a 4xx/5xx) may refuse a report,
// refuse an enrollment code or revoke the token, and revocation only by the code invalid_token
// on an authenticated request. Anything else that is not a well-formed success (an HTML page,
// an empty or cut body, another JSON, a redirect) is an unexpected answer: the endpoint is not
// speaking the national API (proxy, captive portal?), retried after a long backoff and reported.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api.h"

namespace lapor::sync {

enum class RequestKind { enroll, upload, status, catalog, heartbeat };
std::string_view to_string(RequestKind k);

enum class Outcome {
    done,          // the request did what it was for
    conflict,      // upload: 409 envelope (another report under this report's key)
    held,          // upload: an envelope refusing this report only; the rest of the queue flows
    code_refused,  // enroll: an envelope refusing the code (do not send it again)
    reenroll,      // envelope invalid_token on an authenticated request: stop until enrolled
    pause_all,     // 429/503, or no connection at all: wait delay_ms before any new upload
    retry,         // network or server trouble: back off and try again
    unexpected,    // not the national API's answer: long backoff, reported to staff
};
std::string_view to_string(Outcome o);

// The API's error envelope, when (and only when) the answer carries it.
struct Envelope {
    std::string code;  // [a-z][a-z0-9_]{0,63}
    std::string message;
    std::string field;
};
std::optional<Envelope> parse_envelope(const HttpAnswer& a);

struct RetrySettings {
    double base_s = 30;
    double cap_s = 1800;
};

// While the endpoint cannot be reached, one report probes after a pause that grows with the
// failed probes like any backoff, but never beyond this (nor beyond cap_s): a kiosk finds the
// endpoint back within 5 minutes of its return. A probe that finds no listener costs the national
// side nothing; a late discovery costs the citizens' reports half an hour.
inline constexpr double probe_cap_s = 300;

// An unexpected answer waits as this many more failures would (a long backoff), and at least
// half of that bound: a captive portal does not go away in a second.
inline constexpr int unexpected_extra_failures = 4;

// The sentence staff and the heartbeat show after an unexpected answer.
inline constexpr const char* not_the_api_words =
    "the endpoint answers with something that is not the national API (proxy, captive portal?)";

struct Decision {
    Outcome outcome = Outcome::retry;
    std::int64_t delay_ms = 0;  // retry, unexpected, pause_all: wait this long
    std::string words;          // one sentence: what happened and what follows, for this kind
    std::optional<Accepted> accepted;  // upload done
    std::optional<std::string> token;  // enroll done
    std::optional<Envelope> envelope;  // when the answer carried one
};

// A kiosk's usual requests, from its settings and its own recent traffic: what "steady" means
// for the catch-up pace below (docs/sync.md, "After an outage").
struct UsualTraffic {
    double reports_per_day = 0;  // reports created on this kiosk in the last 24 hours
    int status_requests = 1;     // requests its last complete status round took (100 ids each)
    double heartbeat_s = 300;
    double status_refresh_s = 900;
    double catalog_refresh_s = 86400;
};
// Requests a second: one upload per report, plus the heartbeat, the status round and the
// catalog check at their periods.
double usual_requests_per_s(const UsualTraffic& t);

// After the endpoint could not be reached for catch_up_after_ms or longer, the reports queued
// meanwhile go one at a time, this far apart, so that the kiosk sends at most `factor` times its
// usual request rate (the heartbeat keeps its pace; status and catalog wait until the queue is
// sent, so the uploads get the rest of the budget). 0 when `factor` is 0: no pacing. A herd of
// kiosks coming back from a national outage thus stays within `factor` times the herd's usual
// load.
inline constexpr std::int64_t catch_up_after_ms = 300'000;
std::int64_t catch_up_gap_ms(const UsualTraffic& t, double factor);

// How the answer to a batch of reports (POST /v1/reports/batch) is applied:
// - per_report: a 200 whose results parse (parse_batch_answers): each report's own answer is
//   decided as if it had come alone;
// - refused: a 4xx other than 401 and 429 (no batch endpoint, too large, a proxy's limit, an
//   envelope or not): the server did not take the batch, so nothing in it was judged; the
//   reports go back to the queue at once and go one by one for batch_off_ms, where each gets
//   the single upload's rules (a report is never held or counted failed for a batch);
// - whole: anything else (no answer, a 5xx, 429, 401, a 2xx or 3xx that is not a results list):
//   every report of the batch gets that answer, as one request's (a lost connection counts one
//   failed probe, not one per report).
enum class BatchReading { per_report, refused, whole };
BatchReading read_batch(const HttpAnswer& a, const std::vector<std::string>& keys,
                        std::vector<HttpAnswer>* per_report);
inline constexpr std::int64_t batch_off_ms = 3'600'000;
// A batch's answer applied to each of its reports (BatchReading::whole): decide(upload, ...),
// except that a 2xx (not a results list, or read_batch would have said per_report) is an
// unexpected answer, never a success.
Decision decide_whole_batch(const HttpAnswer& a, int failures, const RetrySettings& s, double unit,
                            std::int64_t now_unix);
// A report of a batch the server did not take (BatchReading::refused): nothing was judged, so it
// goes back to the queue at once (retry, no delay) and is sent alone next.
Decision decide_batch_not_taken(const HttpAnswer& a);

// `failures`: failures of this request (or report) before this answer; `unit`: a random number
// in [0, 1) for the jitter (the caller draws it; tests pass fixed ones).
Decision decide(RequestKind kind, const HttpAnswer& a, int failures, const RetrySettings& s,
                double unit, std::int64_t now_unix);

}  // namespace lapor::sync
