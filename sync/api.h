// The kiosk's reading of the national API's answers (docs/api.md): what one upload's answer
// means for the outbox, Retry-After, error bodies and the JSON answers, put into words a
// technician understands. Pure code with no I/O; never throws on any input (fuzzed).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lapor::sync {

// Why no HTTP answer came (set by the HTTP client; the retry policy words each kind).
enum class Transport { none, resolve, connect, timeout, tls_verify, tls, cut, other };

// What came back for one request, or why nothing did.
struct HttpAnswer {
    std::optional<int> status;  // nullopt: no HTTP answer (connect, TLS, timeout, reset)
    Transport transport = Transport::none;
    std::string transport_error;  // words, when there is no status
    std::string content_type;
    std::string retry_after;  // the header's value
    std::string etag;
    std::string body;
};

// Retry-After: delay-seconds or an HTTP-date; nullopt when unusable. Never negative; at most a
// day.
std::optional<double> parse_retry_after(std::string_view value, std::int64_t now_unix);

// An error answer in words: "422 invalid_field (privacy): privacy must be ..." from
// {error:{code,message,field}}, else the status and the start of the body, made printable.
std::string describe_error(int status, std::string_view body);

struct Accepted {
    std::string id;
    std::string tracking_url;
};
// {id, tracking_url}: id 1-64 printable ASCII without spaces; tracking_url optional.
std::optional<Accepted> parse_accepted(std::string_view body);
std::optional<std::string> parse_token(std::string_view body);

struct RemoteStatus {
    std::string id;
    std::string status;
    std::string agency;
    std::int64_t updated_unix = 0;
    std::string public_reply;  // cleaned by public_reply_text()
};
// {reports:[{id,status,agency,updated_at,public_reply}]}; entries with unknown statuses are
// skipped; a missing or non-string public_reply is empty.
std::optional<std::vector<RemoteStatus>> parse_status(std::string_view body);
// The agency's reply as the kiosk keeps and shows it: valid UTF-8 (a bad byte becomes U+FFFD),
// line breaks kept, other control characters as spaces, at most max_public_reply code points.
inline constexpr std::size_t max_public_reply = 2000;
std::string public_reply_text(std::string_view s);
// The path and query of GET /v1/reports/status for these national ids: each id percent-encoded
// (all but A-Z a-z 0-9 - . _ ~), so a server-assigned id holding , & # ? or % cannot change the
// query; the ids are joined by a literal comma.
std::string status_path(const std::vector<std::string>& national_ids);

// ---- Batch upload (docs/api.md, "Batch upload") ----
// A kiosk sends at most this many reports, and this many bytes of stored bodies, in one batch
// (the lab takes up to 100 and 1 MiB).
inline constexpr std::size_t batch_max_bytes = 256 * 1024;
struct BatchItem {
    std::string_view key;   // the report's uuid (its Idempotency-Key)
    std::string_view body;  // the stored upload body, exactly
};
// {"reports":[{"idempotency_key":KEY,"body":"<the stored bytes as a JSON string>"},...]}: the
// body travels as a string so that the server compares the same bytes whether a report came
// alone or in a batch.
std::string batch_body(const std::vector<BatchItem>& items);
// A batch 200's per-report answers, in the order of `keys`: each is what POST /v1/reports would
// have answered for that report alone (its status, application/json, the answer object as
// text). nullopt unless the body is {results:[...]} with exactly one result for each key (any
// order, no other key), each with a status of 200, 201, 400, 403, 409 or 422 and an object
// answer: a garbled batch answer is never taken for the reports' fate.
std::optional<std::vector<HttpAnswer>> parse_batch_answers(std::string_view body,
                                                           const std::vector<std::string>& keys);

// The catalog's "version" member (the store checks the rest), or nullopt.
std::optional<std::string> catalog_version(std::string_view body);

// Text from the network made safe for a log line or the health table: printable ASCII (others
// as '?'), at most `max` characters.
std::string printable(std::string_view s, std::size_t max = 200);

}  // namespace lapor::sync
